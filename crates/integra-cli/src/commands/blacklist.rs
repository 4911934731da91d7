//! `blacklist add|delete` (one number) and `add-bulk|delete-bulk` (a CSV file): the do-not-call registry.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use integra::BlackEntry;
use serde_json::json;

use crate::failure::Failure;
use crate::output::Output;
use crate::session::Session;

/// The CSV columns, named as the blacklist object's fields; phone and campaign are required.
pub const CSV_COLUMNS: [&str; 8] = [
    "phone",
    "campaign",
    "username",
    "company",
    "job_title",
    "name",
    "expire_date",
    "direction",
];

/// `integra blacklist …`.
#[derive(Debug, Clone, Subcommand)]
pub enum BlacklistCommand {
    /// Add one number.
    Add(BlackArgs),
    /// Remove one number.
    Delete(BlackArgs),
    /// Add every row of a CSV file (header: phone,campaign,username,company,job_title,name,expire_date,direction;
    /// only phone and campaign are required).
    AddBulk(CsvArgs),
    /// Remove every row of a CSV file (same columns as add-bulk).
    DeleteBulk(CsvArgs),
}

/// One blacklist entry.
#[derive(Debug, Clone, Args)]
pub struct BlackArgs {
    /// The number.
    #[arg(long)]
    pub phone: String,
    /// Campaign, or * for every campaign.
    #[arg(long)]
    pub campaign: String,
    /// User who bars the number.
    #[arg(long)]
    pub username: Option<String>,
    /// Customer's company.
    #[arg(long)]
    pub company: Option<String>,
    /// Customer's job title.
    #[arg(long)]
    pub job_title: Option<String>,
    /// Customer's name.
    #[arg(long)]
    pub name: Option<String>,
    /// Last day the bar applies, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub expire_date: Option<String>,
    /// Direction the bar applies to (the reference writes "I/O").
    #[arg(long)]
    pub direction: Option<String>,
}

/// A CSV file of entries.
#[derive(Debug, Clone, Args)]
pub struct CsvArgs {
    /// The CSV file, with a header row.
    #[arg(long, value_name = "FILE")]
    pub csv: PathBuf,
}

/// Runs a blacklist subcommand.
pub async fn run(session: &Session, cmd: BlacklistCommand, out: Output) -> Result<(), Failure> {
    let client = &session.client;
    match cmd {
        BlacklistCommand::Add(args) => {
            let entry = entry_from(args)?;
            client.add_black(&entry).await?;
            out.done(
                &format!("{} barred on {}", entry.phone, scope(&entry.campaign)),
                json!({ "phone": entry.phone, "campaign": entry.campaign }),
            );
        }
        BlacklistCommand::Delete(args) => {
            let entry = entry_from(args)?;
            client.delete_black(&entry).await?;
            out.done(
                &format!(
                    "{} no longer barred on {}",
                    entry.phone,
                    scope(&entry.campaign)
                ),
                json!({ "phone": entry.phone, "campaign": entry.campaign }),
            );
        }
        BlacklistCommand::AddBulk(args) => {
            let entries = read_csv(&args.csv)?;
            client.add_black_bulk(&entries).await?;
            out.done(
                &format!("{} numbers barred", entries.len()),
                json!({ "count": entries.len() }),
            );
        }
        BlacklistCommand::DeleteBulk(args) => {
            let entries = read_csv(&args.csv)?;
            client.delete_black_bulk(&entries).await?;
            out.done(
                &format!("{} numbers no longer barred", entries.len()),
                json!({ "count": entries.len() }),
            );
        }
    }
    Ok(())
}

fn scope(campaign: &str) -> String {
    if campaign == "*" {
        "every campaign".into()
    } else {
        campaign.to_string()
    }
}

fn entry_from(args: BlackArgs) -> Result<BlackEntry, Failure> {
    let entry = BlackEntry {
        username: args.username,
        company: args.company,
        job_title: args.job_title,
        name: args.name,
        expire_date: args.expire_date,
        direction: args.direction,
        ..BlackEntry::new(args.phone.trim(), args.campaign.trim())
    };
    check(&entry).map_err(Failure::Usage)?;
    Ok(entry)
}

/// What makes an entry unusable, in words.
fn check(entry: &BlackEntry) -> Result<(), String> {
    if entry.phone.is_empty() || entry.campaign.is_empty() {
        return Err("phone and campaign are required (campaign * means every campaign)".into());
    }
    if let Some(date) = entry.expire_date.as_deref() {
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .map_err(|_| format!("expire_date {date:?} is not a date like 2025-01-31"))?;
    }
    Ok(())
}

/// Reads entries from a CSV file whose header names the blacklist object's fields. Unknown columns are refused
/// (a misspelt "phon" would otherwise send rows without numbers); empty cells are left out of the entry.
pub fn read_csv(path: &Path) -> Result<Vec<BlackEntry>, Failure> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| Failure::file(path, format!("cannot read it: {e}")))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Failure::file(path, e))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    if let Some(unknown) = header.iter().find(|h| !CSV_COLUMNS.contains(&h.as_str())) {
        return Err(Failure::file(
            path,
            format!(
                "unknown column {unknown:?}; the columns are {}",
                CSV_COLUMNS.join(",")
            ),
        ));
    }
    for required in ["phone", "campaign"] {
        if !header.iter().any(|h| h == required) {
            return Err(Failure::file(
                path,
                format!("the header has no {required} column"),
            ));
        }
    }
    let mut entries = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = record.map_err(|e| Failure::file(path, format!("line {line}: {e}")))?;
        let cell = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let entry = BlackEntry {
            username: cell("username"),
            company: cell("company"),
            job_title: cell("job_title"),
            name: cell("name"),
            expire_date: cell("expire_date"),
            direction: cell("direction"),
            ..BlackEntry::new(
                cell("phone").unwrap_or_default(),
                cell("campaign").unwrap_or_default(),
            )
        };
        check(&entry).map_err(|reason| Failure::file(path, format!("line {line}: {reason}")))?;
        entries.push(entry);
    }
    if entries.is_empty() {
        return Err(Failure::file(path, "no rows below the header"));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dnc.csv");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn rows_become_entries_with_empty_cells_left_out() {
        let (_dir, path) = csv("\u{feff}phone,campaign,name,expire_date\n099000001,*,Ana,2030-01-31\n099000002,Ventas->,,\n");
        let entries = read_csv(&path).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].name.as_deref(), Some("Ana"));
        assert_eq!(entries[1].name, None);
        assert_eq!(entries[1].campaign, "Ventas->");
    }

    #[test]
    fn bad_files_are_refused_naming_the_line_or_column() {
        for (text, expected) in [
            ("phon,campaign\n099,*\n", "unknown column \"phon\""),
            ("phone,name\n099000001,Ana\n", "no campaign column"),
            (
                "phone,campaign\n099000001,\n",
                "line 2: phone and campaign are required",
            ),
            (
                "phone,campaign,expire_date\n099000001,*,31/01/2030\n",
                "line 2: expire_date \"31/01/2030\"",
            ),
            ("phone,campaign\n", "no rows below the header"),
        ] {
            let (_dir, path) = csv(text);
            let err = read_csv(&path).unwrap_err();
            assert_eq!(err.exit_code(), 2);
            assert!(err.to_string().contains(expected), "{err}");
        }
    }
}

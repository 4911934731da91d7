//! blacklist add/delete (single) and add-bulk/delete-bulk from a CSV file.

use std::path::Path;

use integra::BlackEntry;

use crate::cli::{BlackArgs, BlacklistCommand};
use crate::failure::Failure;
use crate::output::Output;
use crate::session::Session;

pub async fn run(session: &Session, cmd: BlacklistCommand, out: Output) -> Result<(), Failure> {
    let client = &session.client;
    match cmd {
        BlacklistCommand::Add(args) => {
            let entry = entry(args);
            client.add_black(&entry).await?;
            out.done(&format!(
                "{} added to the blacklist of {}",
                entry.phone, entry.campaign
            ));
        }
        BlacklistCommand::Delete(args) => {
            let entry = entry(args);
            client.delete_black(&entry).await?;
            out.done(&format!(
                "{} removed from the blacklist of {}",
                entry.phone, entry.campaign
            ));
        }
        BlacklistCommand::AddBulk { csv } => {
            let entries = read_csv(&csv)?;
            client.add_black_bulk(&entries).await?;
            out.done(&format!("{} numbers added to the blacklist", entries.len()));
        }
        BlacklistCommand::DeleteBulk { csv } => {
            let entries = read_csv(&csv)?;
            client.delete_black_bulk(&entries).await?;
            out.done(&format!(
                "{} numbers removed from the blacklist",
                entries.len()
            ));
        }
    }
    Ok(())
}

fn entry(args: BlackArgs) -> BlackEntry {
    BlackEntry {
        name: args.name,
        expire_date: args.expire_date,
        ..BlackEntry::new(args.phone, args.campaign)
    }
}

/// Reads entries from a CSV with a header row naming the blacklist object's fields (phone and campaign required).
pub fn read_csv(path: &Path) -> Result<Vec<BlackEntry>, Failure> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
    let mut entries = Vec::new();
    for (i, row) in reader.deserialize::<BlackEntry>().enumerate() {
        let entry =
            row.map_err(|e| Failure::usage(format!("{} row {}: {e}", path.display(), i + 2)))?;
        if entry.phone.is_empty() || entry.campaign.is_empty() {
            return Err(Failure::usage(format!(
                "{} row {}: phone and campaign are required",
                path.display(),
                i + 2
            )));
        }
        entries.push(entry);
    }
    if entries.is_empty() {
        return Err(Failure::usage(format!("{} has no rows", path.display())));
    }
    Ok(entries)
}

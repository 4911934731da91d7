//! `recordings search`, `fetch` and `convert`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use futures_util::TryStreamExt;
use integra::datetime::format_datetime;
use integra::recordings::date_folder;
use integra::{AudioFormat, Error, RecordFilter, Recording};
use serde_json::json;

use super::when;
use crate::failure::Failure;
use crate::output::{table, Output};
use crate::session::Session;

/// `integra recordings …`.
#[derive(Debug, Clone, Subcommand)]
pub enum RecordingsCommand {
    /// Search recordings (getrecords); prints the first page, or every page with --all.
    Search(Box<SearchArgs>),
    /// Download a recording (mp3 from each place it may be, then gsm) to a file.
    Fetch {
        /// The call's GUID.
        guid: String,
        /// The call's date, "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" (names the date folder).
        #[arg(long, value_name = "DATE")]
        date: String,
        /// File to write (replaced if it exists).
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Have the server convert a GSM-only recording to mp3 (Supervisor/convert).
    Convert {
        /// The call's GUID.
        guid: String,
        /// The call's date, "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" (names the date folder).
        #[arg(long, value_name = "DATE")]
        date: String,
    },
}

/// The filter of `recordings search`; empty flags do not filter.
#[derive(Debug, Clone, Args)]
pub struct SearchArgs {
    /// From, "YYYY-MM-DD HH:MM:SS".
    #[arg(long, value_name = "DATETIME")]
    pub from: String,
    /// To, "YYYY-MM-DD HH:MM:SS".
    #[arg(long, value_name = "DATETIME")]
    pub to: String,
    /// Agent.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub agent: String,
    /// Campaign.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub campaign: String,
    /// Source number.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub source: String,
    /// Destination number.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub destination: String,
    /// Text of the call's tag.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub data: String,
    /// Hour range.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub range: String,
    /// Rating.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub rating: String,
    /// Minimum duration in seconds.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub mindur: String,
    /// Number to leave out.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub exclude: String,
    /// Only numbers found at least this many times in the range.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub cont: String,
    /// Recordings per page.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub limit: u32,
    /// Read every page, not only the first.
    #[arg(long)]
    pub all: bool,
}

fn filter_from(args: &SearchArgs) -> Result<RecordFilter, Failure> {
    let (from, to) = (when("from", &args.from)?, when("to", &args.to)?);
    if from > to {
        return Err(Failure::Usage(format!(
            "--from {} is after --to {}",
            format_datetime(&from),
            format_datetime(&to)
        )));
    }
    Ok(RecordFilter {
        agent: args.agent.clone(),
        campaign: args.campaign.clone(),
        source: args.source.clone(),
        destination: args.destination.clone(),
        data: args.data.clone(),
        range: args.range.clone(),
        rating: args.rating.clone(),
        mindur: args.mindur.clone(),
        exclude: args.exclude.clone(),
        cont: args.cont.clone(),
        ..RecordFilter::between(format_datetime(&from), format_datetime(&to))
    })
}

fn render(rows: &[Recording], more: bool) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.calldate.clone(),
                r.guid.clone(),
                r.agent.clone(),
                r.campaign.clone(),
                r.source.clone(),
                r.destination.clone(),
                r.duration.to_string(),
            ]
        })
        .collect();
    let mut text = table(
        &[
            "date",
            "guid",
            "agent",
            "campaign",
            "source",
            "destination",
            "seconds",
        ],
        &cells,
    );
    text.push_str(&format!("\n({} recordings", rows.len()));
    text.push_str(if more {
        "; more may follow: --all reads every page)"
    } else {
        ")"
    });
    text
}

/// Runs a recordings subcommand.
pub async fn run(session: &Session, cmd: RecordingsCommand, out: Output) -> Result<(), Failure> {
    let client = &session.client;
    match cmd {
        RecordingsCommand::Search(args) => {
            let filter = filter_from(&args)?;
            let (rows, more): (Vec<Recording>, bool) = if args.all {
                (
                    client.records(filter, args.limit).try_collect().await?,
                    false,
                )
            } else {
                let page = client.get_records(&filter, 0, args.limit).await?;
                let more = !page.is_last();
                (page.records, more)
            };
            out.show(&rows, || render(&rows, more));
        }
        RecordingsCommand::Fetch { guid, date, output } => {
            date_folder(&date)?;
            let found = client.fetch_recording(&guid, &date).await.map_err(|e| match e {
                Error::NotFound { .. } => Failure::Refused(format!(
                    "no recording of {guid} in any place it may be (mp3 or gsm, with or without the date folder)"
                )),
                other => other.into(),
            })?;
            std::fs::write(&output, &found.bytes)
                .map_err(|e| Failure::file(&output, format!("cannot write it: {e}")))?;
            let format = found.format.extension();
            let asked_mp3 = output
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("mp3"));
            if found.format == AudioFormat::Gsm && asked_mp3 {
                eprintln!(
                    "integra: note: only a GSM recording exists; {} holds GSM audio (`integra recordings convert` makes an mp3 on the server)",
                    output.display()
                );
            }
            out.show(
                &json!({ "url": found.url.as_str(), "format": format, "bytes": found.bytes.len(), "file": output }),
                || format!("saved {} ({format}, {} bytes) from {}", output.display(), found.bytes.len(), found.url),
            );
        }
        RecordingsCommand::Convert { guid, date } => {
            let folder = date_folder(&date)?;
            client
                .convert_recording(&guid, &folder)
                .await
                .map_err(|e| {
                    Failure::from(e)
                        .hint_if_rejected(format!("no GSM recording of {guid} in folder {folder}"))
                })?;
            out.done(
                &format!("converted {guid} to mp3; fetch it with `integra recordings fetch`"),
                json!({ "guid": guid, "folder": folder }),
            );
        }
    }
    Ok(())
}

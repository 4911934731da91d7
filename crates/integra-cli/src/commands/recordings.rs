//! recordings search, fetch and convert.

use futures_util::TryStreamExt;
use integra::{RecordFilter, Recording};

use crate::cli::RecordingsCommand;
use crate::failure::Failure;
use crate::output::{table, Output};
use crate::session::Session;

pub async fn run(session: &Session, cmd: RecordingsCommand, out: Output) -> Result<(), Failure> {
    let client = &session.client;
    match cmd {
        RecordingsCommand::Search {
            from,
            to,
            agent,
            campaign,
            destination,
            limit,
            all,
        } => {
            let filter = RecordFilter {
                agent,
                campaign,
                destination,
                ..RecordFilter::between(from, to)
            };
            let rows: Vec<Recording> = if all {
                client.records(filter, limit).try_collect().await?
            } else {
                client.get_records(&filter, 0, limit).await?.records
            };
            out.show(&rows, || {
                let cells: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.calldate.clone(),
                            r.guid.clone(),
                            r.agent.clone(),
                            r.campaign.clone(),
                            r.destination.clone(),
                            r.duration.to_string(),
                        ]
                    })
                    .collect();
                table(
                    &[
                        "date",
                        "guid",
                        "agent",
                        "campaign",
                        "destination",
                        "seconds",
                    ],
                    &cells,
                )
            });
        }
        RecordingsCommand::Fetch { guid, date, output } => {
            let found = client
                .fetch_recording(&guid, &date)
                .await
                .map_err(|e| match e {
                    integra::Error::NotFound { .. } => Failure {
                        code: 1,
                        message: format!("no recording of {guid} in any of the places it may be"),
                    },
                    other => other.into(),
                })?;
            std::fs::write(&output, &found.bytes)
                .map_err(|e| Failure::local(format!("cannot write {}: {e}", output.display())))?;
            let format = found.format.extension();
            out.show(&serde_json::json!({"url": found.url.as_str(), "format": format, "bytes": found.bytes.len()}), || {
                format!("saved {} ({format}, {} bytes) from {}", output.display(), found.bytes.len(), found.url)
            });
        }
        RecordingsCommand::Convert { guid, date } => {
            let folder = integra::recordings::date_folder(&date)?;
            client.convert_recording(&guid, &folder).await?;
            out.done(&format!("converted {guid} to mp3"));
        }
    }
    Ok(())
}

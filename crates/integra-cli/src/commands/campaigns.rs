//! campaigns summary and status.

use integra::Campaign;

use crate::cli::CampaignsCommand;
use crate::failure::Failure;
use crate::output::{table, Output};
use crate::session::Session;

pub async fn run(session: &Session, cmd: CampaignsCommand, out: Output) -> Result<(), Failure> {
    match cmd {
        CampaignsCommand::Summary => {
            let queues = session.client.queue_summary().await?;
            out.show(&queues, || {
                let rows: Vec<Vec<String>> = queues
                    .iter()
                    .map(|q| {
                        vec![
                            q.queue.clone(),
                            q.logged_in.to_string(),
                            q.available.to_string(),
                            q.callers.to_string(),
                            q.hold_time.to_string(),
                        ]
                    })
                    .collect();
                table(
                    &["queue", "logged in", "available", "waiting", "hold s"],
                    &rows,
                )
            });
        }
        CampaignsCommand::Status { queue } => {
            let status = session
                .client
                .campaign_status(queue.map(Campaign::new).as_ref())
                .await?;
            out.show(&status, || {
                let rows: Vec<Vec<String>> = status
                    .campaigns()
                    .map(|c| {
                        vec![
                            c.campaign.clone(),
                            c.logged.to_string(),
                            c.availables.to_string(),
                            c.busy.to_string(),
                            c.totalcalls.to_string(),
                            c.completed.to_string(),
                            c.abandoned.to_string(),
                        ]
                    })
                    .collect();
                table(
                    &[
                        "campaign",
                        "logged",
                        "available",
                        "busy",
                        "calls",
                        "completed",
                        "abandoned",
                    ],
                    &rows,
                )
            });
        }
    }
    Ok(())
}

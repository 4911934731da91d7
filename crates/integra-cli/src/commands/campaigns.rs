//! `campaigns summary` (queuesummary) and `campaigns status` (campaignstatus).

use clap::Subcommand;
use integra::{Campaign, CampaignStatus, QueueSummary};

use crate::failure::Failure;
use crate::output::{table, Output};
use crate::session::Session;

/// `integra campaigns …`.
#[derive(Debug, Clone, Subcommand)]
pub enum CampaignsCommand {
    /// One line per queue: agents logged in and available, callers waiting, hold and talk time.
    Summary,
    /// Each campaign's counters (agents, calls, service level), and the agents the server lists.
    Status {
        /// Only this campaign, e.g. "Ventas->" [default: all]
        #[arg(long)]
        queue: Option<String>,
    },
}

fn render_summary(queues: &[QueueSummary]) -> String {
    let rows: Vec<Vec<String>> = queues
        .iter()
        .map(|q| {
            vec![
                q.queue.clone(),
                q.logged_in.to_string(),
                q.available.to_string(),
                q.callers.to_string(),
                q.hold_time.to_string(),
                q.talk_time.to_string(),
                q.longest_hold_time.to_string(),
            ]
        })
        .collect();
    table(
        &[
            "queue",
            "logged in",
            "available",
            "waiting",
            "hold s",
            "talk s",
            "longest hold s",
        ],
        &rows,
    )
}

fn render_status(status: &CampaignStatus) -> String {
    let rows: Vec<Vec<String>> = status
        .campaigns()
        .map(|c| {
            vec![
                c.campaign.clone(),
                c.logged.to_string(),
                c.availables.to_string(),
                c.busy.to_string(),
                c.paused.to_string(),
                c.totalcalls.to_string(),
                c.completed.to_string(),
                c.abandoned.to_string(),
                c.servicelevel.clone(),
            ]
        })
        .collect();
    let mut text = table(
        &[
            "campaign",
            "logged",
            "available",
            "busy",
            "paused",
            "calls",
            "completed",
            "abandoned",
            "service level",
        ],
        &rows,
    );
    let agents: Vec<Vec<String>> = status
        .agents()
        .map(|a| vec![a.agent.clone(), a.status.clone(), a.campaign.clone()])
        .collect();
    if !agents.is_empty() {
        text.push_str("\n\n");
        text.push_str(&table(&["agent", "status", "campaign"], &agents));
    }
    text
}

/// Runs a campaigns subcommand.
pub async fn run(session: &Session, cmd: CampaignsCommand, out: Output) -> Result<(), Failure> {
    match cmd {
        CampaignsCommand::Summary => {
            let queues = session.client.queue_summary().await?;
            out.show(&queues, || render_summary(&queues));
        }
        CampaignsCommand::Status { queue } => {
            let queue = queue.map(Campaign::new);
            let status = session
                .client
                .campaign_status(queue.as_ref())
                .await
                .map_err(|e| match &queue {
                    Some(q) => Failure::from(e)
                        .hint_if_rejected(format!("the server knows no campaign {q}")),
                    None => e.into(),
                })?;
            out.show(&status, || render_status(&status));
        }
    }
    Ok(())
}

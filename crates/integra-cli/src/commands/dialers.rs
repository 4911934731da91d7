//! `respool`, `schedule`, `task`, `remove-contact` and `remove-schedule`: the dialer's spool and schedules.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use integra::datetime::format_datetime;
use integra::{CallSchedule, Campaign, DialerTask, Respool};
use serde_json::json;

use super::when;
use crate::failure::Failure;
use crate::output::Output;
use crate::session::Session;

/// `integra respool`: the Respool object from flags, or whole from a JSON file.
#[derive(Debug, Clone, Args)]
pub struct RespoolArgs {
    /// File holding the callspool JSON object (as the CTI gives it), instead of the flags below.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["campaign", "destination", "dialerbase", "contact"])]
    pub json_file: Option<PathBuf>,
    /// Dialer campaign.
    #[arg(long, required_unless_present = "json_file")]
    pub campaign: Option<String>,
    /// Number to dial; never one already waiting on the spool (use an alternative).
    #[arg(long, required_unless_present = "json_file")]
    pub destination: Option<String>,
    /// Name of the dialer list.
    #[arg(long, required_unless_present = "json_file")]
    pub dialerbase: Option<String>,
    /// Contact id.
    #[arg(long, required_unless_present = "json_file")]
    pub contact: Option<i64>,
    /// Alternative numbers, ":"-separated.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub alternatives: String,
    /// Workflow and form data, "k=v:k=v".
    #[arg(long, default_value = "", hide_default_value = true)]
    pub data: String,
    /// Retries so far for this number (0 when an alternative becomes the main number).
    #[arg(long, default_value_t = 0)]
    pub retries: i64,
    /// Priority; more than 1 (1 is for schedules).
    #[arg(long, default_value_t = 9999)]
    pub priority: i64,
    /// Status (1 = enabled).
    #[arg(long, default_value_t = 1)]
    pub status: i64,
    /// Agent extension, for progressive dialers.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub agentphone: String,
}

/// `integra schedule`.
#[derive(Debug, Clone, Args)]
pub struct ScheduleArgs {
    /// Dialer campaign (it must be enabled and on date to place the call).
    #[arg(long)]
    pub campaign: String,
    /// Number to call.
    #[arg(long)]
    pub destination: String,
    /// When, "YYYY-MM-DD HH:MM:SS".
    #[arg(long, value_name = "DATETIME")]
    pub at: String,
    /// Alternative numbers, ":"-separated.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub alternatives: String,
    /// Agent extension, for progressive dialers.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub agentphone: String,
    /// Workflow and form data, "k=v:k=v".
    #[arg(long, default_value = "", hide_default_value = true)]
    pub data: String,
}

/// The four DialerTask modes of the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TaskMode {
    /// Goes out now, before anything else (automatic, not bulk).
    PriorityNow,
    /// A manual click-to-call, now.
    ClickToCall,
    /// At --at, whenever the schedule is free.
    AnyTime,
    /// Owned by --agent (user name or extension), for progressive dialers.
    Owned,
}

/// `integra task`.
#[derive(Debug, Clone, Args)]
pub struct TaskArgs {
    /// How the dialer treats it.
    #[arg(long, value_enum)]
    pub mode: TaskMode,
    /// Dialer campaign.
    #[arg(long)]
    pub campaign: String,
    /// Number to call.
    #[arg(long)]
    pub destination: String,
    /// When, "YYYY-MM-DD HH:MM:SS" (any-time mode only).
    #[arg(long, value_name = "DATETIME")]
    pub at: Option<String>,
    /// Owner, user name or extension (owned mode only).
    #[arg(long)]
    pub agent: Option<String>,
    /// Alternative numbers, ":"-separated.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub alternatives: String,
    /// Workflow and form data, "k=v:k=v".
    #[arg(long, default_value = "", hide_default_value = true)]
    pub data: String,
    /// Source text the dialer keeps with the task.
    #[arg(long, default_value = "integra-cli")]
    pub source: String,
}

/// `integra remove-contact`.
#[derive(Debug, Clone, Args)]
pub struct RemoveContactArgs {
    /// Dialer campaign.
    #[arg(long)]
    pub campaign: String,
    /// Number to take off the dialer.
    #[arg(long)]
    pub number: String,
}

/// `integra remove-schedule`.
#[derive(Debug, Clone, Args)]
pub struct RemoveScheduleArgs {
    /// Dialer campaign.
    #[arg(long)]
    pub campaign: String,
    /// Scheduled number.
    #[arg(long)]
    pub destination: String,
    /// Start of the range, "YYYY-MM-DD HH:MM:SS".
    #[arg(long, value_name = "DATETIME")]
    pub from: String,
    /// End of the range, "YYYY-MM-DD HH:MM:SS".
    #[arg(long, value_name = "DATETIME")]
    pub to: String,
}

fn respool_from(args: RespoolArgs) -> Result<Respool, Failure> {
    if let Some(path) = &args.json_file {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::file(path, format!("cannot read it: {e}")))?;
        return serde_json::from_str(&text)
            .map_err(|e| Failure::file(path, format!("not a Respool object ({e})")));
    }
    // clap guarantees these without --json-file.
    let missing = |flag: &str| Failure::Usage(format!("{flag} is needed without --json-file"));
    Ok(Respool {
        campaign: args.campaign.ok_or_else(|| missing("--campaign"))?,
        destination: args.destination.ok_or_else(|| missing("--destination"))?,
        dialerbase: args.dialerbase.ok_or_else(|| missing("--dialerbase"))?,
        status: args.status,
        data: args.data,
        alternatives: args.alternatives,
        contact: args.contact.ok_or_else(|| missing("--contact"))?,
        retries: args.retries,
        priority: args.priority,
        agentphone: args.agentphone,
    })
}

/// Respools a record.
pub async fn respool(session: &Session, args: RespoolArgs, out: Output) -> Result<(), Failure> {
    let spool = respool_from(args)?;
    session.client.respool(&spool).await.map_err(|e| {
        Failure::from(e).hint_if_rejected(
            "check the campaign and numbers, and that the destination is not already waiting on the spool",
        )
    })?;
    out.done(
        &format!(
            "respooled {} on {} (priority {})",
            spool.destination, spool.campaign, spool.priority
        ),
        json!({ "campaign": spool.campaign, "destination": spool.destination }),
    );
    Ok(())
}

/// Schedules a call.
pub async fn schedule(session: &Session, args: ScheduleArgs, out: Output) -> Result<(), Failure> {
    let schedule = CallSchedule {
        calldate: when("at", &args.at)?,
        campaign: args.campaign,
        destination: args.destination,
        alternatives: args.alternatives,
        agentphone: args.agentphone,
        data: args.data,
    };
    session.client.schedule_dialer_call(&schedule).await?;
    let at = format_datetime(&schedule.calldate);
    out.done(
        &format!("scheduled {} on {} at {at}", schedule.destination, schedule.campaign),
        json!({ "campaign": schedule.campaign, "destination": schedule.destination, "calldate": at }),
    );
    Ok(())
}

/// Inserts a dialer task.
pub async fn task(session: &Session, args: TaskArgs, out: Output) -> Result<(), Failure> {
    // A flag the mode does not use would be dropped without a word; refuse it instead.
    if args.at.is_some() && args.mode != TaskMode::AnyTime {
        return Err(Failure::Usage("--at is for --mode any-time".into()));
    }
    if args.agent.is_some() && args.mode != TaskMode::Owned {
        return Err(Failure::Usage("--agent is for --mode owned".into()));
    }
    let campaign = Campaign::new(args.campaign);
    let task = match args.mode {
        TaskMode::PriorityNow => DialerTask::priority_now(&campaign, &args.destination),
        TaskMode::ClickToCall => DialerTask::click_to_call(&campaign, &args.destination),
        TaskMode::AnyTime => {
            let at = args.at.as_deref().ok_or_else(|| {
                Failure::Usage("--mode any-time needs --at \"YYYY-MM-DD HH:MM:SS\"".into())
            })?;
            DialerTask::any_time(&campaign, &args.destination, when("at", at)?)
        }
        TaskMode::Owned => {
            let agent = args.agent.as_deref().ok_or_else(|| {
                Failure::Usage("--mode owned needs --agent (user name or extension)".into())
            })?;
            DialerTask::owned_by(&campaign, &args.destination, agent)
        }
    }
    .alternatives(args.alternatives)
    .data(args.data)
    .source(args.source);
    session.client.dialer_task(&task).await?;
    let mode = args
        .mode
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default();
    out.done(
        &format!(
            "dialer task ({mode}) for {} inserted on {campaign}",
            args.destination
        ),
        json!({ "campaign": campaign, "destination": args.destination, "mode": mode }),
    );
    Ok(())
}

/// Takes a number off a dialer.
pub async fn remove_contact(
    session: &Session,
    args: RemoveContactArgs,
    out: Output,
) -> Result<(), Failure> {
    let campaign = Campaign::new(args.campaign);
    session
        .client
        .remove_contact(&campaign, &args.number)
        .await?;
    out.done(
        &format!("removed {} from {campaign}", args.number),
        json!({ "campaign": campaign, "number": args.number }),
    );
    Ok(())
}

/// Deletes scheduled calls in a range.
pub async fn remove_schedule(
    session: &Session,
    args: RemoveScheduleArgs,
    out: Output,
) -> Result<(), Failure> {
    let (from, to) = (when("from", &args.from)?, when("to", &args.to)?);
    if from > to {
        return Err(Failure::Usage(format!(
            "--from {} is after --to {}",
            format_datetime(&from),
            format_datetime(&to)
        )));
    }
    let campaign = Campaign::new(args.campaign);
    session
        .client
        .remove_schedule(&campaign, &args.destination, from, to)
        .await?;
    out.done(
        &format!(
            "removed the calls to {} scheduled on {campaign} between {} and {}",
            args.destination,
            format_datetime(&from),
            format_datetime(&to)
        ),
        json!({ "campaign": campaign, "destination": args.destination }),
    );
    Ok(())
}

//! respool, schedule, task, remove-contact, remove-schedule.

use std::path::Path;

use integra::{CallSchedule, Campaign, DialerTask, Respool};

use super::when;
use crate::cli::{ScheduleArgs, TaskArgs, TaskMode};
use crate::failure::Failure;
use crate::output::Output;
use crate::session::Session;

pub async fn respool(session: &Session, file: &Path, out: Output) -> Result<(), Failure> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
    let spool: Respool = serde_json::from_str(&text)
        .map_err(|e| Failure::usage(format!("{} is not a Respool object: {e}", file.display())))?;
    session.client.respool(&spool).await?;
    out.done(&format!(
        "respooled {} on {}",
        spool.destination, spool.campaign
    ));
    Ok(())
}

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
    out.done(&format!(
        "scheduled {} on {} at {}",
        schedule.destination, schedule.campaign, args.at
    ));
    Ok(())
}

pub async fn task(session: &Session, args: TaskArgs, out: Output) -> Result<(), Failure> {
    let campaign = Campaign::new(args.campaign);
    let task = match args.mode {
        TaskMode::PriorityNow => DialerTask::priority_now(&campaign, &args.destination),
        TaskMode::ClickToCall => DialerTask::click_to_call(&campaign, &args.destination),
        TaskMode::AnyTime => {
            let at = args.at.as_deref().ok_or_else(|| {
                Failure::usage("--mode any-time needs --at \"YYYY-MM-DD HH:MM:SS\"")
            })?;
            DialerTask::any_time(&campaign, &args.destination, when("at", at)?)
        }
        TaskMode::Owned => {
            let agent = args.agent.as_deref().ok_or_else(|| {
                Failure::usage("--mode owned needs --agent (user name or extension)")
            })?;
            DialerTask::owned_by(&campaign, &args.destination, agent)
        }
    }
    .alternatives(args.alternatives)
    .data(args.data)
    .source("integra-cli");
    session.client.dialer_task(&task).await?;
    out.done(&format!(
        "dialer task for {} inserted on {campaign}",
        args.destination
    ));
    Ok(())
}

pub async fn remove_contact(
    session: &Session,
    campaign: &str,
    number: &str,
    out: Output,
) -> Result<(), Failure> {
    session
        .client
        .remove_contact(&Campaign::new(campaign), number)
        .await?;
    out.done(&format!("removed {number} from {campaign}"));
    Ok(())
}

pub async fn remove_schedule(
    session: &Session,
    campaign: &str,
    destination: &str,
    from: &str,
    to: &str,
    out: Output,
) -> Result<(), Failure> {
    session
        .client
        .remove_schedule(
            &Campaign::new(campaign),
            destination,
            when("from", from)?,
            when("to", to)?,
        )
        .await?;
    out.done(&format!(
        "removed scheduled calls to {destination} on {campaign} between {from} and {to}"
    ));
    Ok(())
}

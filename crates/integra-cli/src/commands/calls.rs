//! call, hangup, tag, dispose.

use integra::{AgentCall, CallGuid, Campaign, Disposition, TagRecord};

use super::when;
use crate::cli::{CallArgs, DisposeArgs};
use crate::failure::Failure;
use crate::output::Output;
use crate::session::Session;

pub async fn call(session: &Session, args: CallArgs, out: Output) -> Result<(), Failure> {
    let profile = session.profile.clone().unwrap_or_default();
    let pick = |given: Option<String>, known: &str, name: &str| {
        given
            .or_else(|| (!known.is_empty()).then(|| known.to_string()))
            .ok_or_else(|| {
                Failure::usage(format!(
                    "--{name} is needed (sign in as an agent to take it from the agent's identity)"
                ))
            })
    };
    let request = AgentCall {
        callerid: args.callerid,
        agent: pick(args.agent, &profile.agent, "agent")?,
        phone: pick(args.phone, &profile.extension, "phone")?,
        tech: args.tech,
        context: pick(args.context, &profile.context, "context")?,
        outqueue: Campaign::new(args.campaign),
        destination: dialable(&args.number)?,
    };
    let guid = session.client.agent_call(&request).await?;
    out.show(&serde_json::json!({"guid": guid, "destination": request.destination, "phone": request.phone}), || {
        format!("calling {}: extension {} rings first; GUID {guid}", request.destination, request.phone)
    });
    Ok(())
}

/// What an admin pastes ("099 123-456", "(099) 123.456") becomes digits with an optional leading +; letters are
/// refused before anything is sent.
fn dialable(input: &str) -> Result<String, Failure> {
    let kept: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '/'))
        .collect();
    let digits = kept.strip_prefix('+').unwrap_or(&kept);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(Failure::usage(format!(
            "{input:?} is not a phone number (digits, spaces, dashes and brackets only)"
        )));
    }
    Ok(kept)
}

pub async fn hangup(session: &Session, phone: Option<String>, out: Output) -> Result<(), Failure> {
    let phone = match phone {
        Some(p) => p,
        None => session.profile()?.extension.clone(),
    };
    session.client.hangup(&phone).await?;
    out.done(&format!("hung up the call on extension {phone}"));
    Ok(())
}

pub async fn tag(
    session: &Session,
    guid: String,
    text: String,
    phone: String,
    out: Output,
) -> Result<(), Failure> {
    let request = TagRecord {
        phone,
        guid: CallGuid::new(guid),
        data: text,
    };
    session.client.tag_record(&request).await?;
    out.done(&format!("tagged recording {}", request.guid));
    Ok(())
}

pub async fn dispose(session: &Session, args: DisposeArgs, out: Output) -> Result<(), Failure> {
    let agent = args
        .agent
        .or_else(|| session.profile.as_ref().map(|p| p.agent.clone()))
        .unwrap_or_else(|| session.user.clone());
    let disposition = Disposition {
        campaign: args.campaign,
        agent,
        callerid: args.callerid,
        guid: args.guid,
        l1: args.l1,
        l2: args.l2,
        l3: args.l3,
        d1: args.d1,
        d2: args.d2,
        comment: args.comment,
        schedule: args
            .schedule
            .as_deref()
            .map(|s| when("schedule", s))
            .transpose()?,
        camptoreschedule: args.reschedule_campaign,
        tag: args.tag,
    };
    session.client.disposition_call(&disposition).await?;
    out.done(&format!("disposition filed for call {}", disposition.guid));
    Ok(())
}

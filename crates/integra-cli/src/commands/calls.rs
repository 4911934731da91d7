//! `call`, `hangup`, `tag` and `dispose`: one call, as an agent's desk would place and close it.

use clap::Args;
use integra::{AgentCall, CallGuid, Campaign, Disposition, TagRecord};
use serde_json::json;

use super::when;
use crate::failure::Failure;
use crate::output::Output;
use crate::session::Session;

/// `integra call`.
#[derive(Debug, Clone, Args)]
pub struct CallArgs {
    /// Number to call; spaces, dashes, dots and brackets are dropped ("(099) 123-456" → 099123456).
    pub number: String,
    /// Outbound campaign the call counts for, e.g. "Ventas->".
    #[arg(long)]
    pub campaign: String,
    /// Number the customer sees (the campaign's DID) [default: the agent's DID, when the server has one]
    #[arg(long)]
    pub callerid: Option<String>,
    /// Agent user name [default: the signed-in agent]
    #[arg(long)]
    pub agent: Option<String>,
    /// Extension that rings first [default: the signed-in agent's]
    #[arg(long)]
    pub phone: Option<String>,
    /// Dialplan context [default: the signed-in agent's]
    #[arg(long)]
    pub context: Option<String>,
    /// Technology of the agent's phone.
    #[arg(long, default_value = "SIP")]
    pub tech: String,
    /// Data for the call's workflow (sends AgentCallwithData instead of AgentCall).
    #[arg(long)]
    pub data: Option<String>,
}

/// `integra hangup`.
#[derive(Debug, Clone, Args)]
pub struct HangupArgs {
    /// Extension whose call to hang up [default: the signed-in agent's]
    #[arg(long)]
    pub phone: Option<String>,
}

/// `integra tag`.
#[derive(Debug, Clone, Args)]
pub struct TagArgs {
    /// The call's GUID (what `integra call` printed).
    #[arg(long)]
    pub guid: String,
    /// The tag.
    #[arg(long)]
    pub text: String,
    /// The call's destination number.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub phone: String,
}

/// `integra dispose`.
#[derive(Debug, Clone, Args)]
pub struct DisposeArgs {
    /// Campaign of the call.
    #[arg(long)]
    pub campaign: String,
    /// The call's GUID.
    #[arg(long)]
    pub guid: String,
    /// The customer's number.
    #[arg(long)]
    pub callerid: String,
    /// Disposition level 1.
    #[arg(long)]
    pub l1: String,
    /// Level 2.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub l2: String,
    /// Level 3.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub l3: String,
    /// Extra data 1.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub d1: String,
    /// Extra data 2.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub d2: String,
    /// Comment.
    #[arg(long, default_value = "", hide_default_value = true)]
    pub comment: String,
    /// Call the customer again at "YYYY-MM-DD HH:MM:SS" (for SCHEDULE dispositions).
    #[arg(long, value_name = "DATETIME")]
    pub schedule: Option<String>,
    /// Dialer campaign the scheduled call goes to.
    #[arg(long, value_name = "CAMPAIGN")]
    pub reschedule_campaign: Option<String>,
    /// Recording tag [server default: l1|l2|l3]
    #[arg(long, default_value = "", hide_default_value = true)]
    pub tag: String,
    /// Agent [default: the signed-in user]
    #[arg(long)]
    pub agent: Option<String>,
}

/// What people paste ("099 123-456", "(099) 123.456") becomes digits with an optional leading +; anything else
/// is refused before a phone rings.
pub fn dialable(input: &str) -> Result<String, Failure> {
    let kept: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '/'))
        .collect();
    let digits = kept.strip_prefix('+').unwrap_or(&kept);
    if digits.len() < 3 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(Failure::Usage(format!(
            "{input:?} is not a phone number (at least 3 digits; spaces, dashes and brackets are allowed)"
        )));
    }
    Ok(kept)
}

/// Places the call and prints its GUID.
pub async fn call(session: &Session, args: CallArgs, out: Output) -> Result<(), Failure> {
    let destination = dialable(&args.number)?;
    if args.campaign.trim_end().ends_with("<-") {
        return Err(Failure::Usage(format!(
            "{} is an inbound campaign; calls go out on outbound ones (names ending in ->)",
            args.campaign
        )));
    }
    let profile = session.profile.clone().unwrap_or_default();
    let pick = |given: Option<String>, known: &str, flag: &str| {
        given
            .or_else(|| (!known.is_empty()).then(|| known.to_string()))
            .ok_or_else(|| {
                Failure::Usage(format!(
                    "{flag} is needed: {} has no agent identity to take it from",
                    session.user
                ))
            })
    };
    let callerid = args
        .callerid
        .or_else(|| (!profile.did.is_empty()).then(|| profile.did.clone()))
        .ok_or_else(|| {
            Failure::Usage(
                "--callerid is needed: the number the customer sees (the campaign's DID)".into(),
            )
        })?;
    let request = AgentCall {
        callerid,
        agent: pick(args.agent, &profile.agent, "--agent")?,
        phone: pick(args.phone, &profile.extension, "--phone")?,
        tech: args.tech,
        context: pick(args.context, &profile.context, "--context")?,
        outqueue: Campaign::new(args.campaign),
        destination,
    };
    let placed = match &args.data {
        Some(data) => session.client.agent_call_with_data(&request, data).await,
        None => session.client.agent_call(&request).await,
    };
    let guid = placed.map_err(|e| {
        Failure::from(e).hint_if_rejected(format!(
            "check that campaign {} exists, that the number is right, and that extension {} is not on a call",
            request.outqueue, request.phone
        ))
    })?;
    out.show(
        &json!({
            "guid": guid,
            "destination": request.destination,
            "campaign": request.outqueue,
            "phone": request.phone,
        }),
        || {
            format!(
                "calling {} on {}: extension {} rings first\nGUID {guid}",
                request.destination, request.outqueue, request.phone
            )
        },
    );
    Ok(())
}

/// Hangs up the call on an extension.
pub async fn hangup(session: &Session, args: HangupArgs, out: Output) -> Result<(), Failure> {
    let phone = match args.phone {
        Some(phone) => phone,
        None => session.profile("--phone EXTENSION")?.extension.clone(),
    };
    session.client.hangup(&phone).await.map_err(|e| {
        Failure::from(e).hint_if_rejected(format!("extension {phone} has no call to hang up"))
    })?;
    out.done(
        &format!("hung up the call on extension {phone}"),
        json!({ "phone": phone }),
    );
    Ok(())
}

/// Tags a recording.
pub async fn tag(session: &Session, args: TagArgs, out: Output) -> Result<(), Failure> {
    let request = TagRecord {
        phone: args.phone,
        guid: CallGuid::new(args.guid),
        data: args.text,
    };
    session.client.tag_record(&request).await?;
    out.done(
        &format!("tagged the recording of call {}", request.guid),
        json!({ "guid": request.guid, "tag": request.data }),
    );
    Ok(())
}

/// Files a disposition.
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
        camptoreschedule: args.reschedule_campaign.map(Campaign::new),
        tag: args.tag,
    };
    session.client.disposition_call(&disposition).await?;
    let codes: Vec<&str> = [&disposition.l1, &disposition.l2, &disposition.l3]
        .into_iter()
        .map(String::as_str)
        .filter(|l| !l.is_empty())
        .collect();
    out.done(
        &format!("disposition {} filed for call {}", codes.join(" / "), disposition.guid),
        json!({ "guid": disposition.guid, "l1": disposition.l1, "l2": disposition.l2, "l3": disposition.l3 }),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::dialable;

    #[test]
    fn pasted_numbers_are_cleaned_and_words_refused() {
        assert_eq!(dialable(" (099) 123-456 ").unwrap(), "099123456");
        assert_eq!(dialable("+598 99.123.456").unwrap(), "+59899123456");
        for bad in ["099-CALL-ME", "", "+", "12", "099 123 45x"] {
            let err = dialable(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
            assert!(err.to_string().contains("is not a phone number"), "{err}");
        }
    }
}

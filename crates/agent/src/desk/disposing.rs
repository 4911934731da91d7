//! Filing a disposition, decided before anything is sent: the DispositionCall built from the form and the call,
//! how it goes out (a new item, or in place of the call's disposition the server refused), and the leaf's dialer
//! action that follows it. Pure functions of what the desk knows, so every rule is tested without a server; the
//! desk task only carries the plan out.

use integra::{Campaign, Disposition, NaiveDateTime};

use super::{check, CallView, DispositionForm, Intent};
use agent_error::{AgentError, ErrorCode, Phrase, Result};
use cti::{self, CallFacts, DialerPlan, RespoolDraft};
use disposition_tree::DialerAction;
use outbox::Job;

/// What the desk knows when the agent files a disposition.
pub(super) struct Filing<'a> {
    /// The call being disposed.
    pub view: &'a CallView,
    /// The agent's user (the disposition's `agent`, a blacklist entry's `username`).
    pub agent: &'a str,
    /// The desk's wrap-up rule.
    pub require_wrap_up: bool,
    /// The call's disposition that the server refused and that waits for the agent, if any.
    pub refused: Option<i64>,
    /// Now, in local time: a schedule in the past is refused.
    pub now: NaiveDateTime,
}

/// How the disposition goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sending {
    /// As a new outbox item.
    Submit,
    /// In place of the refused item with this id (the agent corrected it): never a second disposition.
    Replace(i64),
}

/// What a disposition's dialer action adds to it: the job that follows, the schedule values the disposition
/// itself carries, and a draft to open in the editor.
#[derive(Default)]
pub(super) struct FollowUp {
    pub job: Option<Job>,
    pub schedule: Option<NaiveDateTime>,
    pub camptoreschedule: Option<Campaign>,
    pub draft: Option<RespoolDraft>,
}

/// The whole filing: the disposition, how it goes, the call it belongs to and what follows it.
pub(super) struct DispositionPlan {
    /// The DispositionCall.
    pub job: Job,
    /// New item or replacement.
    pub sending: Sending,
    /// The call's GUID (the dialer action is queued behind it).
    pub guid: String,
    /// The leaf's dialer action.
    pub follow: FollowUp,
}

/// The call's facts the dialer rules look at.
pub(super) fn call_facts(view: &CallView) -> Result<CallFacts> {
    let number = phone_number::normalize(view.number.as_deref().unwrap_or(""))?;
    Ok(CallFacts {
        campaign: Campaign::new(view.campaign.clone().unwrap_or_default()),
        number,
        cti: view.cti.clone(),
    })
}

/// The codes of `form` as the history shows them, `l1 / l2 / l3`.
pub(super) fn codes(form: &DispositionForm) -> String {
    joined(form, " / ")
}

/// The codes given, trimmed, joined by `separator`.
fn joined(form: &DispositionForm, separator: &str) -> String {
    [&form.l1, &form.l2, &form.l3]
        .into_iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(separator)
}

/// Plans the filing of `form` (with the leaf's dialer `action`). Everything that can be refused is refused
/// here, before anything is sent: the wrong moment, no level-1 code, a missing or past date, a call without
/// dialer data, an unconfirmed blacklist, a malformed schedule.
pub(super) fn plan_disposition(
    filing: &Filing<'_>,
    form: DispositionForm,
    action: Option<DialerAction>,
) -> Result<DispositionPlan> {
    let view = filing.view;
    check(view.state, Intent::Dispose, filing.require_wrap_up)?;
    if form.l1.trim().is_empty() {
        return Err(AgentError::phrased(
            ErrorCode::InvalidInput,
            Phrase::new("error.dispo.level1"),
            "pick a level-1 code",
        ));
    }
    let follow = plan_follow_up(
        filing,
        action,
        form.schedule.as_deref(),
        form.camptoreschedule.as_deref(),
        form.confirmed,
    )?;
    let schedule = match form
        .schedule
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(text) => Some(integra::datetime::parse_datetime(text)?),
        None => None,
    };
    let guid = view.guid.clone().unwrap_or_default();
    if guid.trim().is_empty() {
        // DispositionCall needs the call's GUID: nothing is sent, and the form keeps what the agent typed.
        return Err(AgentError::phrased(
            ErrorCode::InvalidInput,
            Phrase::new("error.dispo.no_guid"),
            "this call has no GUID yet (the server sent none with it): your disposition stays in the form until \
             the portal names the call",
        ));
    }
    let tag = if form.tag.trim().is_empty() {
        joined(&form, "|")
    } else {
        form.tag.trim().to_string()
    };
    let job = Job::Disposition(Box::new(Disposition {
        campaign: view.campaign.clone().unwrap_or_default(),
        agent: filing.agent.to_string(),
        callerid: view.number.clone().unwrap_or_default(),
        guid: guid.clone(),
        l1: form.l1.trim().into(),
        l2: form.l2.trim().into(),
        l3: form.l3.trim().into(),
        d1: form.d1,
        d2: form.d2,
        comment: form.comment,
        schedule: follow.schedule.or(schedule),
        camptoreschedule: follow.camptoreschedule.clone().or(form
            .camptoreschedule
            .filter(|c| !c.trim().is_empty())
            .map(Campaign::new)),
        tag,
    }));
    Ok(DispositionPlan {
        job,
        sending: filing.refused.map_or(Sending::Submit, Sending::Replace),
        guid,
        follow,
    })
}

/// Plans the dialer action of the leaf being disposed, before anything is sent, so a missing date, a call
/// without dialer data or an unconfirmed blacklist is said while the form is still open.
fn plan_follow_up(
    filing: &Filing<'_>,
    action: Option<DialerAction>,
    schedule: Option<&str>,
    camptoreschedule: Option<&str>,
    confirmed: bool,
) -> Result<FollowUp> {
    let Some(action) = action else {
        return Ok(FollowUp::default());
    };
    let facts = call_facts(filing.view)?;
    Ok(match cti::plan(action, &facts)? {
        DialerPlan::EditRespool(draft) => FollowUp {
            draft: Some(draft),
            ..FollowUp::default()
        },
        DialerPlan::Respool(respool) => FollowUp {
            job: Some(Job::Respool(respool)),
            ..FollowUp::default()
        },
        DialerPlan::Blacklist(plan) => {
            if !confirmed {
                // The tree's own question as its author wrote it, else ours in the agent's language.
                return Err(match plan.question {
                    Some(question) => AgentError::new(ErrorCode::ConfirmationRequired, question),
                    None => AgentError::phrased(
                        ErrorCode::ConfirmationRequired,
                        Phrase::new("error.dispo.blacklist_confirm")
                            .with("number", plan.entry.phone.to_string())
                            .with("campaign", plan.entry.campaign.to_string()),
                        format!(
                            "Add {} to the blacklist of {}? The campaign will not call it again.",
                            plan.entry.phone, plan.entry.campaign
                        ),
                    ),
                });
            }
            let mut entry = plan.entry;
            entry.username = Some(filing.agent.to_string());
            FollowUp {
                job: Some(Job::Blacklist(entry)),
                ..FollowUp::default()
            }
        }
        DialerPlan::PickSchedule => {
            let at = cti::parse_schedule(schedule.unwrap_or(""), filing.now)?;
            let camp = camptoreschedule
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(Campaign::new);
            let plan = cti::plan_schedule(&facts, at, camp);
            FollowUp {
                job: Some(Job::Schedule(plan.call)),
                schedule: Some(plan.schedule),
                camptoreschedule: plan.camptoreschedule,
                draft: None,
            }
        }
    })
}

#[cfg(test)]
#[path = "disposing_tests.rs"]
mod tests;

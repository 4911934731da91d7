//! Planning a disposition leaf's dialer action: pure functions from the action and what is known about the call
//! to what must be sent (or what the agent must still decide). Nothing here talks to the server; the desk puts
//! the results in the outbox.
//!
//! | action               | plan                                                                      |
//! |----------------------|---------------------------------------------------------------------------|
//! | `RESPOOL`            | [`DialerPlan::EditRespool`]: a draft for the respool editor               |
//! | `RESPOOLALTERNATIVE` | [`DialerPlan::Respool`]: the record with its next alternative as main     |
//! | `BLACKLIST`          | [`DialerPlan::Blacklist`]: the number in the call's campaign              |
//! | `BLACKLIST_ALL`      | [`DialerPlan::Blacklist`] for campaign `*`, which the agent must confirm  |
//! | `SCHEDULE`           | [`DialerPlan::PickSchedule`], then [`plan_schedule`] with the picked time |

use chrono::NaiveDateTime;
use integra::{BlackEntry, CallSchedule, Campaign};
use serde::Serialize;

use super::dialer::join_data;
use super::draft::{comparable, RespoolDraft};
use super::Cti;
use agent_error::Result;
use disposition_tree::DialerAction;
use phone_number::PhoneNumber;

/// What the desk knows about the call being disposed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFacts {
    /// The call's campaign.
    pub campaign: Campaign,
    /// The number just called (it is on the spool, so it is never respooled).
    pub number: PhoneNumber,
    /// The call's CTI, when there is one.
    pub cti: Option<Cti>,
}

/// A blacklist request, maybe waiting for the agent's confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlacklistPlan {
    /// The entry to add.
    pub entry: BlackEntry,
    /// Ask the agent before sending (every campaign's blacklist).
    pub needs_confirmation: bool,
    /// The question to ask, when confirmation is needed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
}

/// A scheduled call, plus the values the disposition itself carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchedulePlan {
    /// The ScheduleDialerCall object.
    pub call: CallSchedule,
    /// DispositionCall's `schedule`.
    #[serde(serialize_with = "integra::datetime::mandatory::serialize")]
    pub schedule: NaiveDateTime,
    /// DispositionCall's `camptoreschedule`.
    pub camptoreschedule: Option<Campaign>,
}

/// What a leaf's dialer action leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialerPlan {
    /// Open the respool editor on this draft; send its `submit()` when the agent confirms.
    EditRespool(RespoolDraft),
    /// Send this respool as it is.
    Respool(integra::Respool),
    /// Send this blacklist entry (after confirmation when it says so).
    Blacklist(BlacklistPlan),
    /// Ask the agent when to call (validate with [`parse_schedule`](super::parse_schedule)), then
    /// [`plan_schedule`].
    PickSchedule,
}

/// Plans `action` for `call`. RESPOOL and RESPOOLALTERNATIVE need the call's dialer CTI (`NoDialerCti`);
/// RESPOOLALTERNATIVE fails with `NoAlternative` when no alternative is left, and with the draft's refusal when
/// the record cannot be sent without editing (e.g. it came with priority 1: open the editor instead).
pub fn plan(action: DialerAction, call: &CallFacts) -> Result<DialerPlan> {
    let draft = |what: &str| -> Result<RespoolDraft> {
        let cti = call
            .cti
            .as_ref()
            .ok_or_else(|| super::no_dialer_cti(what))?;
        Ok(RespoolDraft::new(
            cti.require_dialer(what)?,
            [call.number.as_str()],
        ))
    };
    Ok(match action {
        DialerAction::Respool => DialerPlan::EditRespool(draft("Respooling")?),
        DialerAction::RespoolAlternative => {
            let mut draft = draft("Respooling to an alternative number")?;
            draft.promote_next()?;
            DialerPlan::Respool(draft.submit()?)
        }
        DialerAction::Blacklist => DialerPlan::Blacklist(BlacklistPlan {
            entry: BlackEntry::new(call.number.as_str(), call.campaign.as_str()),
            needs_confirmation: false,
            question: None,
        }),
        DialerAction::BlacklistAll => DialerPlan::Blacklist(BlacklistPlan {
            entry: BlackEntry::new(call.number.as_str(), Campaign::all().as_str()),
            needs_confirmation: true,
            question: Some(format!(
                "Add {} to the blacklist of every campaign? No campaign will call it again.",
                call.number
            )),
        }),
        DialerAction::Schedule => DialerPlan::PickSchedule,
    })
}

/// The scheduled call for SCHEDULE at `calldate` (already checked by `parse_schedule`). For a dialer call the
/// campaign, agent phone and data come from the dialer record, and the record's other numbers become the
/// alternatives; `camptoreschedule` defaults to the dialer's campaign.
pub fn plan_schedule(
    call: &CallFacts,
    calldate: NaiveDateTime,
    camptoreschedule: Option<Campaign>,
) -> SchedulePlan {
    let dialer = call.cti.as_ref().and_then(|c| c.dialer.as_ref());
    let called = call.number.as_str();
    let same = |a: &str, b: &str| comparable(a) == comparable(b);
    let mut alternatives: Vec<&str> = Vec::new();
    if let Some(d) = dialer {
        for number in
            std::iter::once(d.destination()).chain(d.alternatives().iter().map(String::as_str))
        {
            if !same(number, called) && !alternatives.iter().any(|n| same(n, number)) {
                alternatives.push(number);
            }
        }
    }
    let campaign = dialer.map_or(call.campaign.as_str(), |d| d.campaign());
    SchedulePlan {
        call: CallSchedule {
            calldate,
            campaign: campaign.to_string(),
            destination: called.to_string(),
            alternatives: alternatives.join(":"),
            agentphone: dialer
                .map(|d| d.agentphone().to_string())
                .unwrap_or_default(),
            data: dialer.map(|d| join_data(d.data())).unwrap_or_default(),
        },
        schedule: calldate,
        camptoreschedule: camptoreschedule.or_else(|| dialer.map(|d| Campaign::new(d.campaign()))),
    }
}

#[cfg(test)]
#[path = "action_tests.rs"]
mod tests;

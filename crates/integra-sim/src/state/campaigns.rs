//! Campaign and queue counters for Supervisor/queuesummary and Supervisor/campaignstatus, computed from the
//! calls and the agents' presence so they move as calls are made, answered and hung up.

use serde_json::{json, Map, Value};

use super::agents::Presence;
use super::calls::{CallState, Desk};
use crate::seed::CampaignSeed;

/// Call counts of one campaign.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counters {
    /// Every call placed on the campaign.
    pub total: usize,
    /// Calls still up (ringing or connected).
    pub live: usize,
    /// Calls hung up after the customer leg came up.
    pub completed: usize,
    /// Calls hung up while still ringing the agent.
    pub abandoned: usize,
    /// Seconds of talk over all calls.
    pub talk_seconds: u64,
}

/// Counts the calls of `campaign`.
pub(crate) fn counters(desk: &Desk, campaign: &str) -> Counters {
    desk.calls
        .iter()
        .filter(|c| c.campaign == campaign)
        .fold(Counters::default(), |mut n, call| {
            n.total += 1;
            n.talk_seconds += call.talk_seconds;
            match (call.state, call.answered) {
                (CallState::HungUp, true) => n.completed += 1,
                (CallState::HungUp, false) => n.abandoned += 1,
                _ => n.live += 1,
            }
            n
        })
}

/// `HH:MM:SS-N`, the shape of campaignstatus' `talked`/`hold` fields (a duration and a count).
fn duration_and_count(seconds: u64, count: usize) -> String {
    format!(
        "{:02}:{:02}:{:02}-{count}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// One queuesummary row.
pub(crate) fn queue_row(
    campaign: &CampaignSeed,
    desk: &Desk,
    presence: &Presence,
    stamp: &(String, String),
) -> Value {
    let n = counters(desk, &campaign.name);
    let logged = presence.logged_in.len();
    let busy_agents = busy_agents(desk, None);
    let finished = n.completed.max(1) as u64;
    json!({
        "queue": campaign.name,
        "loggedIn": logged,
        "available": logged.saturating_sub(busy_agents + presence.on_break.len()),
        "callers": n.live,
        "holdTime": 0,
        "talkTime": n.talk_seconds / finished,
        "longestHoldTime": 0,
        "internalActionId": stamp.0,
        "dateReceived": stamp.1,
    })
}

/// Agents on a live call: on `campaign`, or on any campaign when it is `None`. An agent placing a call counts
/// even without an AgentLogin, as a desk phone can dial without the agent signing in to the portal.
fn busy_agents(desk: &Desk, campaign: Option<&str>) -> usize {
    let busy: std::collections::BTreeSet<&str> = desk
        .calls
        .iter()
        .filter(|c| c.is_live() && campaign.is_none_or(|name| c.campaign == name))
        .map(|c| c.agent.as_str())
        .collect();
    busy.len()
}

/// One campaignstatus campaign object.
pub(crate) fn campaign_status(
    campaign: &CampaignSeed,
    total_agents: usize,
    desk: &Desk,
    presence: &Presence,
) -> Value {
    let n = counters(desk, &campaign.name);
    let logged = presence.logged_in.len();
    let paused = presence.on_break.len();
    let busy = busy_agents(desk, Some(&campaign.name));
    let abandoned_level = (n.abandoned * 100).checked_div(n.total).unwrap_or(0);
    json!({
        "campaign": campaign.name,
        "availables": logged.saturating_sub(busy + paused),
        "notavailables": total_agents.saturating_sub(logged),
        "paused": paused,
        "busy": busy,
        "busypaused": 0,
        "totalagents": total_agents,
        "logged": logged,
        "onwrapup": 0,
        "completed": n.completed,
        "abandoned": n.abandoned,
        "talked": duration_and_count(n.talk_seconds, n.completed),
        "hold": duration_and_count(0, 0),
        "abandonedlevel": abandoned_level.to_string(),
        "totalcalls": n.total,
        "acd": n.live,
        "servicelevel": "0.0",
        "servicelevel2": "0.0",
        "strategy": campaign.strategy,
        "slevelthreshold": "3",
        "wrapup": campaign.wrapup,
    })
}

/// The agent objects campaignstatus mixes in with the campaigns ("Campaigns, Agents and ACD Calls"), keyed by
/// agent name.
pub(crate) fn agent_statuses(desk: &Desk, presence: &Presence, out: &mut Map<String, Value>) {
    for agent in &presence.logged_in {
        let live = desk
            .calls
            .iter()
            .rev()
            .find(|c| &c.agent == agent && c.is_live());
        let status = match (live, presence.on_break.contains(agent)) {
            (Some(_), _) => "busy",
            (None, true) => "paused",
            (None, false) => "available",
        };
        out.insert(
            agent.clone(),
            json!({
                "agent": agent,
                "status": status,
                "campaign": live.map(|c| c.campaign.as_str()).unwrap_or(""),
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn talked_is_a_duration_and_a_count() {
        assert_eq!(duration_and_count(3725, 2), "01:02:05-2");
        assert_eq!(duration_and_count(0, 0), "00:00:00-0");
    }
}

//! Calls placed with AgentCall and what agents file about them: tags, dispositions and workflow calls.
//!
//! A call rings the agent's phone first (`ringing_agent`), then the customer leg comes up (`connected`) at once or
//! after the configured answer delay, and ends (`hung_up`) by HungupPhone or by the customer. The Integra API
//! reports none of this progress; it is kept so tests and the demo can see it through `/_sim/state`.

use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use super::history::History;

/// A call's progress.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    /// AgentCall was accepted; the agent's phone rings.
    RingingAgent,
    /// The agent answered and the customer leg is up.
    Connected,
    /// Ended by HungupPhone or by the customer.
    HungUp,
}

/// A call placed through AgentCall or AgentCallwithData.
#[derive(Debug, Clone, Serialize)]
pub struct Call {
    /// Call id returned to the client.
    pub guid: String,
    /// Agent user name.
    pub agent: String,
    /// Agent extension (the `phone` parameter).
    pub phone: String,
    /// Customer number.
    pub destination: String,
    /// Campaign (the `outqueue` parameter).
    pub campaign: String,
    /// Caller id the call goes out with.
    pub callerid: String,
    /// Workflow data (AgentCallwithData only).
    pub data: Option<String>,
    /// Current state.
    pub state: CallState,
    /// Who ended it: `agent` or `customer`.
    pub ended_by: Option<&'static str>,
    /// True once the agent answered and the customer leg came up.
    pub answered: bool,
    /// Seconds the customer leg was up (0 while ringing).
    pub talk_seconds: u64,
    #[serde(skip)]
    answers_at: Instant,
    #[serde(skip)]
    ended_at: Option<Instant>,
}

impl Call {
    /// A new call ringing the agent; it connects `answer_delay` from now.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn ringing(
        guid: String,
        agent: &str,
        phone: &str,
        destination: &str,
        campaign: &str,
        callerid: &str,
        data: Option<String>,
        answer_delay: Duration,
    ) -> Self {
        Self {
            guid,
            agent: agent.into(),
            phone: phone.into(),
            destination: destination.into(),
            campaign: campaign.into(),
            callerid: callerid.into(),
            data,
            state: CallState::RingingAgent,
            ended_by: None,
            answered: false,
            talk_seconds: 0,
            answers_at: Instant::now() + answer_delay,
            ended_at: None,
        }
    }

    /// True until the call is hung up.
    pub fn is_live(&self) -> bool {
        self.state != CallState::HungUp
    }

    /// Brings the state and talk time up to `now`.
    fn refresh(&mut self, now: Instant) {
        if self.state == CallState::RingingAgent && now >= self.answers_at {
            self.state = CallState::Connected;
            self.answered = true;
        }
        if self.state != CallState::RingingAgent {
            let until = self.ended_at.unwrap_or(now);
            self.talk_seconds = until.saturating_duration_since(self.answers_at).as_secs();
        }
    }

    fn end(&mut self, by: &'static str) {
        let now = Instant::now();
        self.refresh(now);
        if self.state == CallState::RingingAgent {
            // Hung up before the agent answered: no talk time.
            self.answers_at = now;
        }
        self.state = CallState::HungUp;
        self.ended_by = Some(by);
        self.ended_at = Some(now);
        self.refresh(now);
    }
}

/// A TagRecord request.
#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    /// Destination phone.
    pub phone: String,
    /// Recording (call) id.
    pub guid: String,
    /// Tag text.
    pub data: String,
}

/// The 13 fields of api/DispositionCall, in the reference's order.
pub(crate) const DISPOSITION_FIELDS: [&str; 13] = [
    "campaign",
    "agent",
    "callerid",
    "guid",
    "l1",
    "l2",
    "l3",
    "d1",
    "d2",
    "comment",
    "schedule",
    "camptoreschedule",
    "tag",
];

/// Calls and what was filed about them.
#[derive(Debug, Default)]
pub(crate) struct Desk {
    pub calls: History<Call>,
    pub tags: History<Tag>,
    /// Each disposition as a JSON object of the 13 fields (absent ones as "").
    pub dispositions: History<Value>,
    /// Each admin/CallWorkflow request: context, extension, jsonparams.
    pub workflows: History<Value>,
}

impl Desk {
    /// Brings every live call's state up to now (ringing calls connect once their answer delay has passed).
    pub fn refresh(&mut self) {
        let now = Instant::now();
        self.calls
            .iter_mut()
            .filter(|c| c.is_live())
            .for_each(|c| c.refresh(now));
    }

    /// The live call on an agent extension, if any.
    pub fn live_on(&self, phone: &str) -> Option<&Call> {
        self.calls
            .iter()
            .rev()
            .find(|c| c.phone == phone && c.is_live())
    }

    /// HungupPhone: ends the live call on `phone`. False if there is none.
    pub fn agent_hangup(&mut self, phone: &str) -> bool {
        self.end(|c| c.phone == phone, "agent")
    }

    /// Ends the live call `guid` as if the customer hung up. False if there is none.
    pub fn customer_hangup(&mut self, guid: &str) -> bool {
        self.end(|c| c.guid == guid, "customer")
    }

    fn end(&mut self, which: impl Fn(&Call) -> bool, by: &'static str) -> bool {
        match self
            .calls
            .iter_mut()
            .rev()
            .find(|c| c.is_live() && which(c))
        {
            Some(call) => {
                call.end(by);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(guid: &str, delay: Duration) -> Call {
        Call::ringing(
            guid.into(),
            "alice",
            "1001",
            "099123456",
            "Ventas->",
            "598",
            None,
            delay,
        )
    }

    #[test]
    fn a_call_rings_then_connects_after_the_answer_delay() {
        let mut desk = Desk::default();
        desk.calls.push(call("a", Duration::from_secs(3600)));
        desk.refresh();
        assert_eq!(desk.live_on("1001").unwrap().state, CallState::RingingAgent);

        desk.calls.push(call("b", Duration::ZERO));
        desk.refresh();
        let b = desk.calls.iter().find(|c| c.guid == "b").unwrap();
        assert_eq!(b.state, CallState::Connected);
    }

    #[test]
    fn hangups_end_only_live_calls_and_say_who_ended_them() {
        let mut desk = Desk::default();
        desk.calls.push(call("a", Duration::ZERO));
        assert!(!desk.agent_hangup("1002"));
        assert!(desk.customer_hangup("a"));
        assert!(!desk.agent_hangup("1001"), "already ended by the customer");
        let a = desk.calls.iter().next().unwrap();
        assert_eq!((a.state, a.ended_by), (CallState::HungUp, Some("customer")));
    }
}

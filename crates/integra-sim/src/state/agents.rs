//! Agent presence: who is logged in (AgentLogin / AgentLogoff) and the log of logoffs, breaks and un-breaks.

use std::collections::BTreeSet;

use serde::Serialize;

use super::history::History;

/// One AgentLogoff, AgentBreak or AgentUnBreak as received.
#[derive(Debug, Clone, Serialize)]
pub struct AgentEvent {
    /// `logoff`, `break` or `unbreak`.
    pub event: &'static str,
    /// Agent user name.
    pub agent: String,
    /// Interface, e.g. `SIP/1001`.
    pub interface: String,
    /// Break motive (breaks only; empty otherwise).
    pub motive: String,
    /// Free text kept in uContact's queue log.
    pub message: String,
}

/// Who is logged in and what they did.
#[derive(Debug, Default)]
pub(crate) struct Presence {
    /// Sorted, so the state JSON is stable.
    pub logged_in: BTreeSet<String>,
    /// Agents on a break, by name.
    pub on_break: BTreeSet<String>,
    pub events: History<AgentEvent>,
}

impl Presence {
    pub fn login(&mut self, agent: &str) {
        self.logged_in.insert(agent.to_string());
    }

    pub fn record(&mut self, event: AgentEvent) {
        match event.event {
            "logoff" => {
                self.logged_in.remove(&event.agent);
                self.on_break.remove(&event.agent);
            }
            "break" => {
                self.on_break.insert(event.agent.clone());
            }
            _ => {
                self.on_break.remove(&event.agent);
            }
        }
        self.events.push(event);
    }
}

//! The respool draft: the editor state for putting a dialer record back on the spool, under the dialer's rules.
//!
//! - The main number changes only by promoting an alternative (the old main takes its place, retries go to 0);
//!   alternatives can be reordered; retries (≥ 0), priority (> 1: 1 is the schedules'), data pairs and the
//!   agent phone (digits or empty) can be edited.
//! - Campaign, status, contact and dialerbase have no setter: the Respool is always built from the dialer's
//!   original values, because changing them alters the dialer's behaviour.
//! - A number already on the spool (at least the number just called) is never sent as the destination:
//!   "never respool a destination that is already on the spool, always an alternative".
//!
//! A refused edit leaves the draft as it was.

use serde::Serialize;

use super::dialer::{DataPair, DialerCti};
use agent_error::{AgentError, ErrorCode, IpcError, Phrase, Result};

/// The respool editor's state. The main number changes only by promoting an alternative (retries go to 0);
/// alternatives reorder; retries (≥ 0), priority (> 1), data and agent phone are editable; campaign, status,
/// contact and dialerbase are not, and a number already on the spool is never sent as the destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RespoolDraft {
    original: DialerCti,
    spooled: Vec<String>,
    main: String,
    alternatives: Vec<String>,
    retries: i64,
    priority: i64,
    data: Vec<DataPair>,
    agentphone: String,
}

/// One alternative number as the editor shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlternativeView {
    /// The number.
    pub number: String,
    /// Already on the spool (e.g. just called): cannot become the main number.
    pub spooled: bool,
    /// May become the main number.
    pub can_promote: bool,
    /// May move one place up.
    pub can_move_up: bool,
    /// May move one place down.
    pub can_move_down: bool,
}

/// The fields the editor shows but never lets the agent change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadOnlyFields {
    /// Dialer campaign.
    pub campaign: String,
    /// 1 when enabled.
    pub status: i64,
    /// Contact id.
    pub contact: i64,
    /// Dialer list.
    pub dialerbase: String,
}

/// What the respool editor shows: the editable values, the read-only ones, and what the rules allow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RespoolView {
    /// The number the dialer will call next.
    pub main: String,
    /// The main number is already on the spool: an alternative must be promoted before submitting.
    pub main_spooled: bool,
    /// Alternatives in order.
    pub alternatives: Vec<AlternativeView>,
    /// Retries of the main number.
    pub retries: i64,
    /// Ordering priority.
    pub priority: i64,
    /// Workflow and form parameters, in order.
    pub data: Vec<DataPair>,
    /// Agent extension for progressive dialers.
    pub agentphone: String,
    /// Shown, never editable.
    pub read_only: ReadOnlyFields,
    /// An alternative can be promoted (the RESPOOLALTERNATIVE action would work).
    pub can_promote_next: bool,
    /// Why submitting would be refused; `None` when it would be sent.
    pub submit_refusal: Option<IpcError>,
}

fn refused(phrase: Phrase, message: impl Into<String>) -> AgentError {
    AgentError::phrased(ErrorCode::InvalidRespool, phrase, message)
}

/// The number as compared against the spool: normalized digits, so `099 123-456` and `099123456` are one number.
pub(crate) fn comparable(number: &str) -> String {
    phone_number::normalize(number)
        .map(|n| n.as_str().to_string())
        .unwrap_or_else(|_| number.trim().to_string())
}

impl RespoolDraft {
    /// A draft of `dialer`'s record; `spooled` are the numbers already on the spool (at least the number just
    /// called), which can never be the destination.
    pub fn new<I, S>(dialer: &DialerCti, spooled: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Self {
            original: dialer.clone(),
            spooled: spooled
                .into_iter()
                .map(|n| comparable(n.as_ref()))
                .collect(),
            main: dialer.destination().to_string(),
            alternatives: dialer.alternatives().to_vec(),
            retries: dialer.retries(),
            priority: dialer.priority(),
            data: dialer.data().to_vec(),
            agentphone: dialer.agentphone().to_string(),
        }
    }

    /// True when `number` is already on the spool.
    pub fn is_spooled(&self, number: &str) -> bool {
        self.spooled.contains(&comparable(number))
    }

    /// The main number (the Respool's destination).
    pub fn main(&self) -> &str {
        &self.main
    }

    /// Alternatives in order.
    pub fn alternatives(&self) -> &[String] {
        &self.alternatives
    }

    fn alternative(&self, index: usize) -> Result<&String> {
        self.alternatives.get(index).ok_or_else(|| {
            let (number, count) = (index + 1, self.alternatives.len());
            refused(
                Phrase::new("error.respool.no_such_alternative")
                    .with("index", number.to_string())
                    .with("count", count.to_string()),
                format!("there is no alternative number {number} (there are {count})"),
            )
        })
    }

    /// Makes alternative `index` the main number; the old main takes its place and retries go to 0.
    pub fn promote(&mut self, index: usize) -> Result<()> {
        let number = self.alternative(index)?;
        if self.is_spooled(number) {
            return Err(AgentError::phrased(
                ErrorCode::SpooledDestination,
                Phrase::new("error.respool.spooled_main").with("number", number.as_str()),
                format!("{number} is already on the spool and cannot be the main number; promote another alternative"),
            ));
        }
        std::mem::swap(&mut self.main, &mut self.alternatives[index]);
        self.retries = 0;
        Ok(())
    }

    /// Promotes the first alternative not already on the spool (the RESPOOLALTERNATIVE action).
    pub fn promote_next(&mut self) -> Result<()> {
        match self.alternatives.iter().position(|n| !self.is_spooled(n)) {
            Some(index) => self.promote(index),
            None => Err(self.no_alternative()),
        }
    }

    fn no_alternative(&self) -> AgentError {
        AgentError::phrased(
            ErrorCode::NoAlternative,
            Phrase::new("error.respool.no_alternative").with("number", self.main.as_str()),
            format!(
                "{} has no alternative number left to call; schedule, blacklist or file the call without respooling",
                self.main
            ),
        )
    }

    /// Moves alternative `index` one place up.
    pub fn move_up(&mut self, index: usize) -> Result<()> {
        self.alternative(index)?;
        if index == 0 {
            return Err(refused(
                Phrase::new("error.respool.first_up"),
                "the first alternative cannot move up",
            ));
        }
        self.alternatives.swap(index - 1, index);
        Ok(())
    }

    /// Moves alternative `index` one place down.
    pub fn move_down(&mut self, index: usize) -> Result<()> {
        self.alternative(index)?;
        if index + 1 == self.alternatives.len() {
            return Err(refused(
                Phrase::new("error.respool.last_down"),
                "the last alternative cannot move down",
            ));
        }
        self.alternatives.swap(index, index + 1);
        Ok(())
    }

    /// Sets the retries of the main number (0 or more).
    pub fn set_retries(&mut self, retries: i64) -> Result<()> {
        if retries < 0 {
            return Err(refused(
                Phrase::new("error.respool.retries").with("retries", retries.to_string()),
                format!("retries cannot be negative (got {retries})"),
            ));
        }
        self.retries = retries;
        Ok(())
    }

    /// Sets the priority: more than 1, because 1 is reserved for scheduled calls.
    pub fn set_priority(&mut self, priority: i64) -> Result<()> {
        check_priority(priority)?;
        self.priority = priority;
        Ok(())
    }

    /// Sets a data value, replacing the pair with that key in place or adding it at the end. The key must not be
    /// empty nor contain `=` or `:`; the value must not contain `:` (both separate the pairs).
    pub fn set_data(&mut self, key: &str, value: &str) -> Result<()> {
        let key = key.trim();
        if key.is_empty() {
            return Err(refused(
                Phrase::new("error.respool.data_name_empty"),
                "a data name cannot be empty",
            ));
        }
        if key.contains(['=', ':']) {
            return Err(refused(
                Phrase::new("error.respool.data_name").with("name", key),
                format!("the data name '{key}' cannot contain '=' or ':'"),
            ));
        }
        if value.contains(':') {
            return Err(refused(
                Phrase::new("error.respool.data_value").with("name", key),
                format!("the value of '{key}' cannot contain ':' (it separates the pairs)"),
            ));
        }
        match self.data.iter_mut().find(|p| p.key == key) {
            Some(pair) => pair.value = value.to_string(),
            None => self.data.push(DataPair {
                key: key.to_string(),
                value: value.to_string(),
            }),
        }
        Ok(())
    }

    /// Removes the data pair with `key`.
    pub fn remove_data(&mut self, key: &str) -> Result<()> {
        let key = key.trim();
        let before = self.data.len();
        self.data.retain(|p| p.key != key);
        if self.data.len() == before {
            return Err(refused(
                Phrase::new("error.respool.no_data").with("name", key),
                format!("there is no data named '{key}'"),
            ));
        }
        Ok(())
    }

    /// Sets the agent phone (an extension, digits only) for progressive dialers; empty for none.
    pub fn set_agentphone(&mut self, agentphone: &str) -> Result<()> {
        let agentphone = agentphone.trim();
        if !agentphone.chars().all(|c| c.is_ascii_digit()) {
            return Err(refused(
                Phrase::new("error.respool.agent_phone").with("value", agentphone),
                format!(
                    "the agent phone must be an extension in digits like 1001, got '{agentphone}'"
                ),
            ));
        }
        self.agentphone = agentphone.to_string();
        Ok(())
    }

    /// Why [`submit`](Self::submit) would be refused, if it would.
    pub fn submit_refusal(&self) -> Option<AgentError> {
        if self.is_spooled(&self.main) {
            if !self.alternatives.iter().any(|n| !self.is_spooled(n)) {
                return Some(self.no_alternative());
            }
            return Some(AgentError::phrased(
                ErrorCode::SpooledDestination,
                Phrase::new("error.respool.spooled").with("number", self.main.as_str()),
                format!(
                    "{} is already on the spool (it was just called); promote an alternative number to main before respooling",
                    self.main
                ),
            ));
        }
        check_priority(self.priority).err()
    }

    /// The Respool to send: the edited values plus the dialer's original campaign, status, contact and
    /// dialerbase.
    pub fn submit(&self) -> Result<integra::Respool> {
        if let Some(err) = self.submit_refusal() {
            return Err(err);
        }
        let original = self.original.to_respool();
        Ok(integra::Respool {
            destination: self.main.clone(),
            alternatives: self.alternatives.join(":"),
            retries: self.retries,
            priority: self.priority,
            data: super::dialer::join_data(&self.data),
            agentphone: self.agentphone.clone(),
            ..original
        })
    }

    /// The editor's view.
    pub fn view(&self) -> RespoolView {
        let last = self.alternatives.len().saturating_sub(1);
        RespoolView {
            main: self.main.clone(),
            main_spooled: self.is_spooled(&self.main),
            alternatives: self
                .alternatives
                .iter()
                .enumerate()
                .map(|(i, number)| AlternativeView {
                    number: number.clone(),
                    spooled: self.is_spooled(number),
                    can_promote: !self.is_spooled(number),
                    can_move_up: i > 0,
                    can_move_down: i < last,
                })
                .collect(),
            retries: self.retries,
            priority: self.priority,
            data: self.data.clone(),
            agentphone: self.agentphone.clone(),
            read_only: ReadOnlyFields {
                campaign: self.original.campaign().to_string(),
                status: self.original.status(),
                contact: self.original.contact(),
                dialerbase: self.original.dialerbase().to_string(),
            },
            can_promote_next: self.alternatives.iter().any(|n| !self.is_spooled(n)),
            submit_refusal: self.submit_refusal().map(|e| e.to_ipc()),
        }
    }
}

fn check_priority(priority: i64) -> Result<()> {
    match priority {
        1 => Err(refused(
            Phrase::new("error.respool.priority_reserved"),
            "priority 1 is reserved for scheduled calls; use 2 or more",
        )),
        p if p < 1 => Err(refused(
            Phrase::new("error.respool.priority").with("priority", p.to_string()),
            format!("priority must be 2 or more, got {p}"),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
#[path = "draft_tests.rs"]
mod tests;

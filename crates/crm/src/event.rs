//! The call's moments as the CRM side sees them. The shell turns the call desk's events into [`CrmEvent`]s; the
//! screen pop picks its moment from them, hooks receive them as environment variables, and the browser bridge sends
//! their JSON to CRM pages. The JSON is the contract with those pages, so it is kept small and stable:
//!
//! ```json
//! {
//!   "event": "filed",
//!   "at": "2025-03-14T15:09:26Z",
//!   "call": {
//!     "guid": "5f2c1e9a-…", "number": "+598 99 123 456", "campaign": "Ventas",
//!     "direction": "inbound", "agent": "alice", "extension": "1001",
//!     "cti": {"contact": "Ana Pérez"}
//!   },
//!   "disposition": "Sale / Card / Visa"
//! }
//! ```
//!
//! `event` is one of [`Moment::ALL`]'s names; `at` is RFC 3339 in UTC; `call` is `null` for the moments outside a
//! call (breaks); `cti` is `null` when the call has no record; `disposition` (only for `filed`, the levels joined by
//! `" / "`) and `motive` (only for breaks) are left out when absent.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use crate::fields::CallFields;

/// A moment of the agent's day that the CRM may act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Moment {
    /// An inbound call rings for the agent.
    Ringing,
    /// The agent (or the dialer for the agent) starts an outbound call.
    Dialing,
    /// The call is connected.
    Answered,
    /// The call hung up.
    Ended,
    /// The wrap-up (disposition form) starts.
    WrapUp,
    /// The disposition was filed.
    Filed,
    /// The agent went on a break.
    BreakStarted,
    /// The agent came back from a break.
    BreakEnded,
}

impl Moment {
    /// Every moment, in the order of a call.
    pub const ALL: [Moment; 8] = [
        Moment::Ringing,
        Moment::Dialing,
        Moment::Answered,
        Moment::Ended,
        Moment::WrapUp,
        Moment::Filed,
        Moment::BreakStarted,
        Moment::BreakEnded,
    ];

    /// The word in JSON, policy files and `UCAC_EVENT`: `ringing`, `wrap_up`, `break_started`, ….
    pub fn name(self) -> &'static str {
        match self {
            Moment::Ringing => "ringing",
            Moment::Dialing => "dialing",
            Moment::Answered => "answered",
            Moment::Ended => "ended",
            Moment::WrapUp => "wrap_up",
            Moment::Filed => "filed",
            Moment::BreakStarted => "break_started",
            Moment::BreakEnded => "break_ended",
        }
    }
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A word that names no [`Moment`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown event {word:?}; known: {}", known_moments())]
pub struct UnknownMoment {
    /// The word as it was written.
    pub word: String,
}

fn known_moments() -> String {
    Moment::ALL.map(Moment::name).join(", ")
}

impl FromStr for Moment {
    type Err = UnknownMoment;

    fn from_str(word: &str) -> Result<Self, Self::Err> {
        Moment::ALL
            .into_iter()
            .find(|m| m.name() == word)
            .ok_or_else(|| UnknownMoment {
                word: word.to_string(),
            })
    }
}

// By hand, so a policy file's typo gets the same message as everywhere else.
impl<'de> Deserialize<'de> for Moment {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let word = String::deserialize(deserializer)?;
        word.parse().map_err(serde::de::Error::custom)
    }
}

/// One moment with what the CRM may know about it. See the module's documentation for its JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrmEvent {
    /// What happened.
    #[serde(rename = "event")]
    pub moment: Moment,
    /// When, RFC 3339 in UTC (`2025-03-14T15:09:26Z`), as the caller's clock says.
    pub at: String,
    /// The call, or `None` outside a call (breaks).
    pub call: Option<CallFields>,
    /// For `filed`: the disposition's levels joined by `" / "`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposition: Option<String>,
    /// For breaks: the break's motive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motive: Option<String>,
}

impl CrmEvent {
    /// A moment of `call` at `at`.
    pub fn for_call(moment: Moment, at: impl Into<String>, call: CallFields) -> Self {
        CrmEvent {
            moment,
            at: at.into(),
            call: Some(call),
            disposition: None,
            motive: None,
        }
    }

    /// The same event with the filed disposition (its levels, joined by `" / "`).
    pub fn with_disposition(mut self, levels: &[&str]) -> Self {
        self.disposition = Some(levels.join(" / "));
        self
    }

    /// A break's start or end, outside any call.
    pub fn for_break(moment: Moment, at: impl Into<String>, motive: impl Into<String>) -> Self {
        CrmEvent {
            moment,
            at: at.into(),
            call: None,
            disposition: None,
            motive: Some(motive.into()),
        }
    }

    /// The JSON the bridge sends to CRM pages (see the module's documentation).
    pub fn to_json(&self) -> serde_json::Value {
        // Serializing these types cannot fail: every map key is a string.
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

//! The break rules as one pure function: from the agent's break status, what they asked and whether a call is on
//! the desk, the next status and the request (AgentBreak / AgentUnBreak) to send. The handle in `breaks/mod.rs`
//! does the disk and the outbox; everything it may refuse is decided here and tested exhaustively.
//!
//! ```text
//! Available --take (no call)--> OnBreak --end--> Available
//! Available --take (a call on the desk)--> AfterCall --the call is over--> OnBreak
//!                                             '--cancel / end--> Available
//! ```

use serde::{Deserialize, Serialize};

use agent_error::{AgentError, ErrorCode, Phrase, Result};

/// Where the agent stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum BreakState {
    /// Taking calls.
    #[default]
    Available,
    /// On a break (AgentBreak sent or waiting in the outbox).
    OnBreak,
    /// "Break after this call": the break starts as soon as the call on the desk is disposed.
    AfterCall,
}

/// The agent's break status, as kept on disk and shown in the window and the tray.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct BreakStatus {
    /// State.
    pub state: BreakState,
    /// The break's motive (on a break, or queued after the call).
    pub motive: Option<String>,
    /// When the break started, Unix milliseconds (for the running timer).
    pub since: Option<i64>,
    /// The motive of the last break taken: the hotkey takes it again.
    pub last_motive: Option<String>,
}

/// What the agent asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BreakIntent {
    /// Go on a break with this motive (queued after the call when one is on the desk).
    Take(String),
    /// End the break (or drop the queued one).
    End,
    /// Drop the queued "break after this call".
    Cancel,
    /// The hotkey: take a break with the last motive (else `fallback`), drop a queued one, or end the break.
    Toggle {
        /// The motive when no break was taken yet (the first of the settings' list).
        fallback: String,
    },
    /// The call on the desk is over (disposition filed, or the dial failed): a queued break starts.
    CallOver,
}

/// A request the change needs on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// AgentBreak with this motive.
    Break(String),
    /// AgentUnBreak with this motive.
    Unbreak(String),
}

fn refuse(
    code: ErrorCode,
    phrase: Phrase,
    message: impl Into<String>,
) -> Result<(BreakStatus, Option<Signal>)> {
    Err(AgentError::phrased(code, phrase, message))
}

/// The next status and the request to send, or why not. `call_on_desk`: a call is dialing, up or in wrap-up.
pub fn decide(
    status: &BreakStatus,
    intent: BreakIntent,
    call_on_desk: bool,
    now_ms: i64,
) -> Result<(BreakStatus, Option<Signal>)> {
    use BreakState::*;
    let start = |motive: String| {
        let next = BreakStatus {
            state: OnBreak,
            motive: Some(motive.clone()),
            since: Some(now_ms),
            last_motive: Some(motive.clone()),
        };
        (next, Some(Signal::Break(motive)))
    };
    let queue = |motive: String| BreakStatus {
        state: AfterCall,
        motive: Some(motive),
        since: None,
        last_motive: status.last_motive.clone(),
    };
    let available = || BreakStatus {
        state: Available,
        motive: None,
        since: None,
        last_motive: status.last_motive.clone(),
    };
    match (status.state, intent) {
        (_, BreakIntent::Take(motive)) if motive.trim().is_empty() => refuse(
            ErrorCode::InvalidInput,
            Phrase::new("error.breaks.motive"),
            "pick a motive for the break",
        ),
        (OnBreak, BreakIntent::Take(_)) => {
            let motive = status.motive.as_deref().unwrap_or("");
            refuse(
                ErrorCode::OnBreak,
                Phrase::new("error.breaks.already").with("motive", motive),
                format!("you are on a break already ({motive})"),
            )
        }
        (Available | AfterCall, BreakIntent::Take(motive)) => {
            let motive = motive.trim().to_string();
            Ok(if call_on_desk {
                (queue(motive), None)
            } else {
                start(motive)
            })
        }
        (OnBreak, BreakIntent::End) => {
            let motive = status.motive.clone().unwrap_or_default();
            Ok((available(), Some(Signal::Unbreak(motive))))
        }
        (AfterCall, BreakIntent::End | BreakIntent::Cancel) => Ok((available(), None)),
        (Available, BreakIntent::End | BreakIntent::Cancel) => refuse(
            ErrorCode::NotOnBreak,
            Phrase::new("error.breaks.not_on_break"),
            "you are not on a break",
        ),
        (OnBreak, BreakIntent::Cancel) => refuse(
            ErrorCode::OnBreak,
            Phrase::new("error.breaks.started"),
            "the break has started already: end it instead",
        ),
        (Available, BreakIntent::Toggle { fallback }) => {
            let motive = status.last_motive.clone().unwrap_or(fallback);
            decide(status, BreakIntent::Take(motive), call_on_desk, now_ms)
        }
        (AfterCall, BreakIntent::Toggle { .. }) => Ok((available(), None)),
        (OnBreak, BreakIntent::Toggle { .. }) => {
            decide(status, BreakIntent::End, call_on_desk, now_ms)
        }
        (AfterCall, BreakIntent::CallOver) => Ok(start(status.motive.clone().unwrap_or_default())),
        (Available | OnBreak, BreakIntent::CallOver) => Ok((status.clone(), None)),
    }
}

/// Whether a dial may go out: not during a break (the window asks "end the break and dial?").
pub fn check_dial(status: &BreakStatus) -> Result<()> {
    match status.state {
        BreakState::OnBreak => {
            let motive = status.motive.as_deref().unwrap_or("");
            Err(AgentError::phrased(
                ErrorCode::OnBreak,
                Phrase::new("error.breaks.dial").with("motive", motive),
                format!("you are on a break ({motive}): end the break to dial"),
            ))
        }
        BreakState::Available | BreakState::AfterCall => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BreakState::*;

    fn at(state: BreakState) -> BreakStatus {
        BreakStatus {
            state,
            motive: (state != Available).then(|| "Almuerzo".into()),
            since: (state == OnBreak).then_some(1_000),
            last_motive: Some("Baño".into()),
        }
    }

    /// A state, a request, whether a call is on the desk, and the answer: the next state and request, or the code.
    type Case = (
        BreakState,
        BreakIntent,
        bool,
        std::result::Result<(BreakState, Option<Signal>), ErrorCode>,
    );

    fn toggle() -> BreakIntent {
        BreakIntent::Toggle {
            fallback: "Descanso".into(),
        }
    }

    #[test]
    fn every_state_intent_and_desk_has_its_answer() {
        use Signal::*;
        let take = || BreakIntent::Take("Capacitación".into());
        let cases: Vec<Case> = vec![
            (
                Available,
                take(),
                false,
                Ok((OnBreak, Some(Break("Capacitación".into())))),
            ),
            (Available, take(), true, Ok((AfterCall, None))),
            (
                AfterCall,
                take(),
                false,
                Ok((OnBreak, Some(Break("Capacitación".into())))),
            ),
            (AfterCall, take(), true, Ok((AfterCall, None))),
            (OnBreak, take(), false, Err(ErrorCode::OnBreak)),
            (OnBreak, take(), true, Err(ErrorCode::OnBreak)),
            (
                Available,
                BreakIntent::End,
                false,
                Err(ErrorCode::NotOnBreak),
            ),
            (
                OnBreak,
                BreakIntent::End,
                false,
                Ok((Available, Some(Unbreak("Almuerzo".into())))),
            ),
            (
                OnBreak,
                BreakIntent::End,
                true,
                Ok((Available, Some(Unbreak("Almuerzo".into())))),
            ),
            (AfterCall, BreakIntent::End, true, Ok((Available, None))),
            (
                Available,
                BreakIntent::Cancel,
                false,
                Err(ErrorCode::NotOnBreak),
            ),
            (AfterCall, BreakIntent::Cancel, true, Ok((Available, None))),
            (OnBreak, BreakIntent::Cancel, false, Err(ErrorCode::OnBreak)),
            (
                Available,
                toggle(),
                false,
                Ok((OnBreak, Some(Break("Baño".into())))),
            ),
            (Available, toggle(), true, Ok((AfterCall, None))),
            (AfterCall, toggle(), true, Ok((Available, None))),
            (
                OnBreak,
                toggle(),
                false,
                Ok((Available, Some(Unbreak("Almuerzo".into())))),
            ),
            (
                AfterCall,
                BreakIntent::CallOver,
                false,
                Ok((OnBreak, Some(Break("Almuerzo".into())))),
            ),
            (
                Available,
                BreakIntent::CallOver,
                false,
                Ok((Available, None)),
            ),
            (OnBreak, BreakIntent::CallOver, false, Ok((OnBreak, None))),
        ];
        for (state, intent, call, expected) in cases {
            let what = format!("{state:?} + {intent:?} (call on desk: {call})");
            let got = decide(&at(state), intent, call, 5_000)
                .map(|(next, signal)| (next.state, signal))
                .map_err(|e| e.code());
            assert_eq!(got, expected, "{what}");
        }
    }

    #[test]
    fn a_break_keeps_its_motive_start_time_and_becomes_the_hotkeys_motive() {
        let (next, _) = decide(
            &at(Available),
            BreakIntent::Take(" Capacitación ".into()),
            false,
            7_000,
        )
        .unwrap();
        assert_eq!(next.motive.as_deref(), Some("Capacitación"));
        assert_eq!(next.since, Some(7_000));
        assert_eq!(next.last_motive.as_deref(), Some("Capacitación"));
        let (ended, _) = decide(&next, BreakIntent::End, false, 9_000).unwrap();
        assert_eq!(ended.since, None);
        assert_eq!(ended.last_motive.as_deref(), Some("Capacitación"));
    }

    #[test]
    fn the_hotkey_uses_the_fallback_only_before_any_break() {
        let fresh = BreakStatus::default();
        let (next, signal) = decide(&fresh, toggle(), false, 1).unwrap();
        assert_eq!(signal, Some(Signal::Break("Descanso".into())));
        assert_eq!(next.state, OnBreak);
    }

    #[test]
    fn a_queued_break_starts_when_the_call_is_over_with_that_time() {
        let (next, signal) = decide(&at(AfterCall), BreakIntent::CallOver, false, 42).unwrap();
        assert_eq!(signal, Some(Signal::Break("Almuerzo".into())));
        assert_eq!(next.since, Some(42));
    }

    #[test]
    fn an_empty_motive_is_refused() {
        let err = decide(&at(Available), BreakIntent::Take("  ".into()), false, 1).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
    }

    #[test]
    fn a_dial_is_refused_only_during_a_break() {
        assert_eq!(
            check_dial(&at(OnBreak)).unwrap_err().code(),
            ErrorCode::OnBreak
        );
        assert!(check_dial(&at(Available)).is_ok());
        assert!(check_dial(&at(AfterCall)).is_ok());
    }
}

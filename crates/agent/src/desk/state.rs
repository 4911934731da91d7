//! The call desk's state and its rules, as pure functions: which request is allowed in which state. The task in
//! `desk/mod.rs` does the I/O; everything it may refuse is decided here and tested exhaustively.
//!
//! ```text
//! Idle --dial--> Dialing --GUID--> InCall --hang up / customer hung up / portal: ended--> WrapUp --disposition--> Idle
//!  |                '--"0" or error--> Idle                                                     '--portal: disposed--> Idle
//!  '--portal: rang (a call the app did not place)--> InCall
//! ```

use serde::Serialize;

use agent_error::{AgentError, ErrorCode, IpcError, Phrase, Result};

/// Where the agent is in a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    /// No call.
    Idle,
    /// AgentCall sent: the agent's phone is about to ring.
    Dialing,
    /// The call is up (the API reports no progress beyond the GUID).
    InCall,
    /// The call ended; the disposition is due.
    WrapUp,
}

/// What the UI shows about the call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallView {
    /// State.
    pub state: CallState,
    /// Number dialed.
    pub number: Option<String>,
    /// Campaign.
    pub campaign: Option<String>,
    /// Call GUID, once AgentCall answered.
    pub guid: Option<String>,
    /// Inbound or outbound, when the portal said (a call the app placed is outbound); `None` when unknown.
    pub direction: Option<bridge::CallDirection>,
    /// When the call was placed, Unix milliseconds (for the timer).
    pub started_at: Option<i64>,
    /// When it ended, Unix milliseconds.
    pub ended_at: Option<i64>,
    /// Items waiting in the outbox.
    pub pending_outbox: usize,
    /// The last failure, for the card.
    pub last_error: Option<IpcError>,
    /// The call's CTI (own call, pasted, or pushed by a paired page), for the CTI card.
    pub cti: Option<cti::Cti>,
    /// The respool editor, when open: what it shows and what the rules allow.
    pub respool: Option<cti::RespoolView>,
    /// This wrap-up is for a dial that failed (the server's `0` or an error): the GUID is a local attempt id, and
    /// the agent may discard it instead of filing.
    pub failed_attempt: bool,
}

impl Default for CallView {
    fn default() -> Self {
        Self {
            state: CallState::Idle,
            number: None,
            campaign: None,
            guid: None,
            direction: None,
            started_at: None,
            ended_at: None,
            pending_outbox: 0,
            last_error: None,
            cti: None,
            respool: None,
            failed_attempt: false,
        }
    }
}

/// A request to the desk, without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Place a call.
    Dial,
    /// Hang up from the app.
    HangUp,
    /// The customer ended the call.
    CustomerHungUp,
    /// Tag the recording.
    Tag,
    /// File the disposition.
    Dispose,
}

/// Whether `intent` is allowed in `state`.
pub fn check(state: CallState, intent: Intent, require_wrap_up: bool) -> Result<()> {
    use CallState::*;
    use Intent::*;
    let refuse = |code, phrase, message: &str| Err(AgentError::phrased(code, phrase, message));
    match (state, intent) {
        (Idle, Dial) => Ok(()),
        (Dialing, Dial) => refuse(
            ErrorCode::CallInProgress,
            Phrase::new("error.call.placing"),
            "a call is being placed already",
        ),
        (InCall, Dial) => refuse(
            ErrorCode::CallInProgress,
            Phrase::new("error.call.hang_up_first"),
            "hang up the current call before dialing again",
        ),
        (WrapUp, Dial) if require_wrap_up => refuse(
            ErrorCode::WrapUpRequired,
            Phrase::new("error.call.wrap_up_first"),
            "file the disposition of the last call before dialing again",
        ),
        (WrapUp, Dial) => Ok(()),
        (InCall, HangUp | CustomerHungUp) => Ok(()),
        (Dialing, HangUp | CustomerHungUp) => refuse(
            ErrorCode::CallInProgress,
            Phrase::new("error.call.still_placing"),
            "the call is still being placed; try again in a moment",
        ),
        (Idle | WrapUp, HangUp | CustomerHungUp) => refuse(
            ErrorCode::NoCall,
            Phrase::new("error.call.nothing_to_hang_up"),
            "there is no call to hang up",
        ),
        (InCall | WrapUp, Tag) => Ok(()),
        (Idle | Dialing, Tag) => refuse(
            ErrorCode::NoCall,
            Phrase::new("error.call.nothing_to_tag"),
            "there is no call to tag yet",
        ),
        (WrapUp, Dispose) => Ok(()),
        (InCall, Dispose) => refuse(
            ErrorCode::NoCall,
            Phrase::new("error.call.dispose_after"),
            "hang up first: the disposition comes after the call",
        ),
        (Idle | Dialing, Dispose) => refuse(
            ErrorCode::NoCall,
            Phrase::new("error.call.nothing_to_dispose"),
            "there is no call to file a disposition for",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CallState::*;
    use Intent::*;

    #[test]
    fn every_state_and_intent_has_its_answer() {
        let cases = [
            (Idle, Dial, None),
            (Dialing, Dial, Some(ErrorCode::CallInProgress)),
            (InCall, Dial, Some(ErrorCode::CallInProgress)),
            (WrapUp, Dial, Some(ErrorCode::WrapUpRequired)),
            (Idle, HangUp, Some(ErrorCode::NoCall)),
            (Dialing, HangUp, Some(ErrorCode::CallInProgress)),
            (InCall, HangUp, None),
            (WrapUp, HangUp, Some(ErrorCode::NoCall)),
            (InCall, CustomerHungUp, None),
            (Idle, CustomerHungUp, Some(ErrorCode::NoCall)),
            (Idle, Tag, Some(ErrorCode::NoCall)),
            (Dialing, Tag, Some(ErrorCode::NoCall)),
            (InCall, Tag, None),
            (WrapUp, Tag, None),
            (Idle, Dispose, Some(ErrorCode::NoCall)),
            (Dialing, Dispose, Some(ErrorCode::NoCall)),
            (InCall, Dispose, Some(ErrorCode::NoCall)),
            (WrapUp, Dispose, None),
        ];
        for (state, intent, expected) in cases {
            let got = check(state, intent, true).err().map(|e| e.code());
            assert_eq!(got, expected, "{state:?} + {intent:?}");
        }
    }

    #[test]
    fn wrap_up_blocks_dialing_only_when_required() {
        assert!(check(WrapUp, Dial, false).is_ok());
        assert_eq!(
            check(WrapUp, Dial, true).unwrap_err().code(),
            ErrorCode::WrapUpRequired
        );
    }
}

//! What the window's header shows of the phone: off (no light), connecting, registered, or not connected with the
//! reason in the agent's language and when it tries again.

use agent_error::IpcError;
use phone::{PhoneError, PhoneState};
use serde::Serialize;

/// The phone light's payload (`phone` event, `phone_status` command).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhoneView {
    /// `off`, `connecting`, `registered` or `not_connected`.
    pub state: &'static str,
    /// Why it is not connected.
    pub problem: Option<IpcError>,
    /// When it tries again by itself (none: something must change first).
    pub retry_in_secs: Option<u64>,
}

impl Default for PhoneView {
    fn default() -> Self {
        Self::off()
    }
}

impl PhoneView {
    /// The phone is off (the setting, or signed out).
    pub fn off() -> PhoneView {
        PhoneView {
            state: "off",
            problem: None,
            retry_in_secs: None,
        }
    }

    /// Not connected for `reason`.
    pub fn failed(reason: PhoneError, retry_in_secs: Option<u64>) -> PhoneView {
        PhoneView {
            state: "not_connected",
            problem: Some(agent::phone_words::phone_error(reason).into()),
            retry_in_secs,
        }
    }

    /// The view of the phone's state.
    pub fn of(state: &PhoneState) -> PhoneView {
        let simple = |state| PhoneView {
            state,
            problem: None,
            retry_in_secs: None,
        };
        match state {
            PhoneState::Registered { .. } => simple("registered"),
            PhoneState::NotConnected { reason, retry_in } => {
                PhoneView::failed(reason.clone(), retry_in.map(|d| d.as_secs().max(1)))
            }
            PhoneState::Stopped => PhoneView::off(),
            _ => simple("connecting"),
        }
    }
}

/// What the window shows of the phone's call (`phone-call` event): the ringing caller with Answer and Reject,
/// then mute and hold while it is up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhoneCall {
    /// `ringing`, `answered`, `connected`, `held`, `resumed`, `muted`, `unmuted`, `digit` or `ended`.
    pub state: &'static str,
    /// The other side's number, when known.
    pub number: Option<String>,
    /// The other side's name, when the server sent one.
    pub name: Option<String>,
    /// True for the first leg of the agent's own dial (answered without a key).
    pub own: bool,
}

impl PhoneCall {
    /// A change with no caller in it (mute).
    pub fn bare(state: &'static str) -> PhoneCall {
        PhoneCall {
            state,
            number: None,
            name: None,
            own: false,
        }
    }

    /// The window's view of a call event.
    pub fn of(event: &phone::CallEvent) -> PhoneCall {
        use phone::CallEvent as E;
        let bare = |state| PhoneCall {
            state,
            number: None,
            name: None,
            own: false,
        };
        let with = |state, caller: &phone::Caller, own| PhoneCall {
            state,
            number: Some(caller.number.clone()).filter(|n| !n.is_empty()),
            name: caller.name.clone(),
            own,
        };
        match event {
            E::Ringing { caller, .. } => with("ringing", caller, false),
            E::Answered { caller, own, .. } => with("answered", caller, *own),
            E::Connected { .. } => bare("connected"),
            E::Hold { held: true, .. } => bare("held"),
            E::Hold { held: false, .. } => bare("resumed"),
            E::Ended { caller, .. } => with("ended", caller, false),
            _ => bare("digit"),
        }
    }
}

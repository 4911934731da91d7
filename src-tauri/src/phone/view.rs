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

//! Device events during a call: a headset unplugged, and back.

use std::fmt;

use crate::error::Direction;

/// Something happened to a device in the middle of a call. The call goes on: while a device is gone, silence is sent
/// in its place (RTP keeps flowing) and received audio is dropped, and the default device is opened again with a
/// growing pause between tries (0.25 s doubling up to 4 s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceEvent {
    /// The device stopped: unplugged, disabled, or it stopped delivering audio.
    Lost {
        /// Which side.
        direction: Direction,
        /// The audio system's reason, or what the watchdog saw.
        reason: String,
    },
    /// A default device was opened again (perhaps another one: the system's new default).
    Recovered {
        /// Which side.
        direction: Direction,
        /// The device's name as the system gives it.
        device: String,
    },
}

impl fmt::Display for DeviceEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviceEvent::Lost { direction, reason } => write!(
                f,
                "the {direction} was lost (unplugged?): {reason}; the call goes on while it is reopened"
            ),
            DeviceEvent::Recovered { direction, device } => write!(f, "the {direction} is back: {device}"),
        }
    }
}

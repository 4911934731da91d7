//! The agent's phone: a narrow SIP user agent that registers the agent's peer (the extension and SIP password
//! AgentLogin answers) over secure WebSocket (RFC 7118, subprotocol `sip`), refreshes the registration, answers the
//! server's OPTIONS (`qualify`), reconnects with backoff when the connection drops, and un-registers when stopped.
//!
//! No Tauri in here: the shell owns one [`Phone`], shows its [`PhoneState`] and drives it with commands, and the
//! tests run it headless against Debian's kamailio (`tests/phone/sip/kamailio.sh`).
//!
//! SIP messages are rsipstack's (`rsipstack::sip`, its maintained fork of rsip), without rsipstack's transports: the
//! WebSocket here runs over our own rustls connection, so the phone trusts exactly what the API client trusts (the
//! public roots plus the private CA of an on-premise server), and nothing logs a whole message: [`redact`] takes
//! the digest response, ICE passwords and SDES keys out first.
//!
//! The `calls` feature (on by default) is the user agent itself, with its media and audio devices; without it the
//! crate is the connection, its trust, the settings and [`probe()`], which `integra doctor` uses to check a phone
//! server's address without linking an audio library.

mod account;
#[cfg(feature = "calls")]
pub mod audio;
#[cfg(feature = "calls")]
mod call;
mod error;
#[cfg(all(feature = "calls", any(test, feature = "fuzzing")))]
#[doc(hidden)]
pub mod fuzzing;
mod ice_servers;
#[cfg(feature = "calls")]
mod media;
mod message;
mod probe;
mod proxy;
pub mod redact;
#[cfg(feature = "calls")]
mod registration;
#[cfg(feature = "calls")]
mod session;
mod settings;
mod tls;
#[cfg(feature = "calls")]
mod user_agent;
mod wire;

pub use account::{SipAccount, SipPassword};
#[cfg(feature = "calls")]
pub use audio::{AudioCodec, AudioDevices, AudioPort, OutgoingAudio, SystemAudio};
#[cfg(feature = "calls")]
pub use call::{CallEvent, Caller, EndedBy, SERVER_BYE_GRACE};
pub use error::PhoneError;
pub use ice_servers::{
    IceServer, IceServerKind, TurnCredential, DEFAULT_STUN_PORT, TURN_PASSWORD_KEY,
};
#[cfg(feature = "calls")]
pub use media::MediaError;
pub use probe::{probe, OptionsAnswer, ProbeReport, ProbeStep, StepStatus, PROBE_ANSWER_TIME};
pub use proxy::{HttpProxy, ProxyRoute};
pub use settings::{PhoneSettings, DEFAULT_WSS_PORT};
pub use tls::TlsTrust;
#[cfg(feature = "calls")]
pub use user_agent::{Phone, PhoneState, UNREGISTER_WAIT};

/// Refuses keypad input that is not digits a phone can send (`0`–`9`, `*`, `#`, `A`–`D`), at most 32 of them.
#[cfg(feature = "calls")]
pub fn check_digits(digits: &str) -> Result<(), PhoneError> {
    let bad = digits.chars().find(|c| media::event_code(*c).is_none());
    match bad {
        _ if digits.is_empty() || digits.chars().count() > 32 => Err(PhoneError::Invalid {
            name: "digits",
            detail: "send between 1 and 32 keypad digits".into(),
        }),
        Some(c) => Err(PhoneError::Invalid {
            name: "digits",
            detail: format!("{c:?} is not a keypad key (0-9, *, #, A-D)"),
        }),
        None => Ok(()),
    }
}

//! The agent's domain, with no Tauri in it: identity, session, the call desk, disposition trees, hotkeys,
//! settings and the outbox. The desktop shell (src-tauri) adapts these to commands, events, the tray and hotkeys;
//! tests drive them directly against the simulator.

pub mod desk;
pub mod error;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod hotkeys;
pub mod outbox;
pub mod phone;
pub mod profile;
pub mod secrets;
pub mod session;
pub mod settings;
pub mod tree;

pub use error::{AgentError, ErrorCode, IpcError, Result};

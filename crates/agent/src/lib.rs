//! The agent's domain, with no Tauri in it: identity, session, the call desk, disposition trees, hotkeys,
//! settings and the outbox. The desktop shell (src-tauri) adapts these to commands, events, the tray and hotkeys;
//! tests drive them directly against the simulator.

pub mod breaks;
pub mod bridge;
pub mod connection;
pub mod courier;
pub mod crypto;
pub mod cti;
pub mod desk;
pub mod dialer_tasks;
pub mod error;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod hotkeys;
pub mod links;
pub mod outbox;
pub mod phone;
pub mod policy;
pub mod profile;
pub mod proxy;
pub mod secrets;
pub mod session;
pub mod settings;
pub mod support;
pub mod tree;
pub mod wake;

pub use error::{AgentError, ErrorCode, IpcError, Result};

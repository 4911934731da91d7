//! The agent's domain, with no Tauri in it: identity, session, the call desk, disposition trees, hotkeys,
//! settings. The desktop shell (src-tauri) adapts these to commands, events, the tray and hotkeys; tests drive
//! them directly against the simulator.
//!
//! The infrastructure with a boundary of its own lives in crates below this one and is re-exported here, so the
//! shell depends on `agent` alone: the durable outbox and its courier (`outbox`, as [`outbox`] and [`courier`]),
//! the browser bridge's HTTP server (`bridge`, as [`bridge`], with the pairing token's keychain entry added here)
//! and the error vocabulary (`agent-error`, as [`error`]).

pub mod breaks;
pub mod bridge;
pub mod callbacks;
pub mod campaigns;
pub mod connection;
pub mod desk;
pub mod dialer_tasks;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod history;
pub mod hotkeys;
pub mod links;
pub mod policy;
pub mod profile;
pub mod proxy;
pub mod server_check;
pub mod session;
pub mod settings;
pub mod update;
pub mod wake;
pub mod wrap_up;

/// The durable outbox (crate `outbox`); reach it through the [`courier`].
pub use ::outbox;
pub use ::outbox::courier;
pub use agent_error as error;

pub use error::{AgentError, ErrorCode, IpcError, Result};

//! Tauri commands: thin adapters from the window to the agent crate. Each takes the state, calls one domain
//! function and maps the error to `{code, message}`.

pub mod breaks;
pub mod call;
pub mod cti;
pub mod dialer;
pub mod outbox;
pub mod policy;
pub mod session;
pub mod settings;
pub mod wrap_up;

use agent::{AgentError, IpcError};

/// The result type every command returns to the window.
pub type CommandResult<T> = Result<T, IpcError>;

/// Maps a domain error for the window.
pub fn ipc(err: AgentError) -> IpcError {
    err.to_ipc()
}

//! Tauri commands: thin adapters from the window to the agent crate, each beside the feature it serves. Each is async (none runs on the main
//! thread), takes the state, calls one domain function and answers `{code, message}` on failure (`?` converts an
//! `AgentError`). Their one list is `list.rs`.

use agent_error::{AgentError, ErrorCode, IpcError};

// Each command lives beside what it serves (a feature's `commands.rs`, or the module itself when small); the list
// names them by these modules.
use crate::breaks::commands as breaks;
use crate::callbacks::commands as callbacks;
use crate::crm_link::commands as crm;
use crate::desk::{call, cti, dialer, outbox};
use crate::disposition_trees::commands as disposition_trees;
use crate::history::commands as history;
use crate::phone::commands as phone;
use crate::session::commands as session;
use crate::wrap_up::commands as wrap_up;
use crate::{clipboard, compact, connection, report, server_check, settings, shortcuts};
use crate::{ui_state, updater};

/// The result type every command returns to the window.
pub type CommandResult<T> = Result<T, IpcError>;

/// Defines [`COMMANDS`] and [`handler`] from the list in `list.rs` (which `build.rs` reads the same way).
macro_rules! app_commands {
    ($($module:ident :: $command:ident),* $(,)?) => {
        /// Every command's name, as the window invokes it (what `boundary_tests` checks `backend.js` against).
        #[cfg(test)]
        pub const COMMANDS: &[&str] = &[$(stringify!($command)),*];

        /// The invoke handler that runs them.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($module::$command),*]
        }
    };
}
include!("list.rs");

/// Maps a domain error for the window (where `?` cannot: inside closures).
pub fn ipc(err: AgentError) -> IpcError {
    err.into()
}

/// Runs blocking work (the keychain's D-Bus calls, the clipboard) on the blocking pool, never on an async worker.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AgentError> + Send + 'static,
) -> Result<T, AgentError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| AgentError::new(ErrorCode::Internal, format!("a worker stopped: {e}")))?
}

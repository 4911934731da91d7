//! The events the app sends the window: the one list of their names (`EVENTS`), which `ui/js/backend.js` is
//! checked against (one `on…` function each), and the one place that emits them. Failures travel as
//! `{code, message}` like command answers.

use agent::desk::{DeskEvent, NoticeKind};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime};

/// Defines a constant per event and [`EVENTS`], the list of all of them.
macro_rules! events {
    ($($(#[$doc:meta])* $constant:ident = $name:literal;)*) => {
        $($(#[$doc])* pub const $constant: &str = $name;)*
        /// Every event's name, as the window listens for it.
        pub const EVENTS: &[&str] = &[$($name),*];
    };
}

events! {
    /// Signed in (`true`) or out (`false`).
    SESSION = "session";
    /// What the call desk published (`agent::desk::DeskEvent`).
    DESK = "desk";
    /// Bring up the disposition form (after a hang-up by hotkey, or its own hotkey).
    FOCUS_DISPOSITION = "focus-disposition";
    /// A hotkey, tray or link action failed: `{code, message}`.
    ACTION_ERROR = "action-error";
    /// The hang-up hotkey was pressed: keys typed next belong to the disposition form.
    HANGING_UP = "hanging-up";
    /// The tray's *Sign out*: the window signs out (and shows the sign-in).
    REQUEST_SIGN_OUT = "request-sign-out";
    /// A `tel:`/`callto:` link put this number in the dial draft, for the agent to confirm.
    DIAL_LINK = "dial-link";
    /// Back from a sleep or a network change ([`crate::wake::Recovered`]).
    WAKE = "wake";
    /// The automatic sign-in at start failed: `{code, message}`.
    RESTORE_FAILED = "restore-failed";
    /// The hotkeys were registered again: how each went (`crate::state::HotkeyStatus`).
    HOTKEYS = "hotkeys";
    /// The break status changed (`agent::breaks::BreakStatus`).
    BREAK = "break";
    /// The dial hotkey was pressed during a break: `{number, campaign, problem}`, for the window to ask whether to
    /// end the break and dial.
    BREAK_DIAL = "break-dial";
    /// What the updater knows now (`crate::updater`).
    UPDATE = "update";
    /// The connection light changed (`agent::connection::ConnectionView`).
    CONNECTION = "connection";
    /// The wrap-up time limit's clock ticked or changed (`crate::wrap_up`).
    WRAPUP_CLOCK = "wrapup-clock";
    /// The callbacks list changed, or one came due (`agent::callbacks::CallbackList`).
    CALLBACKS = "callbacks";
    /// A callback's reminder was clicked: its id, for the window to put its number in the dial field.
    CALLBACK_OPEN = "callback-open";
    /// The call history changed (`crate::history`): an open Today screen reads it again.
    HISTORY = "history";
}

/// Sends `event` (one of [`EVENTS`]) to the window. A window that is gone is no error worth more than a log line.
pub fn emit<R: Runtime, P: Serialize + Clone>(app: &AppHandle<R>, event: &'static str, payload: P) {
    debug_assert!(EVENTS.contains(&event), "{event} is not in EVENTS");
    if let Err(err) = app.emit(event, payload) {
        tracing::debug!(event, %err, "event not delivered");
    }
}

/// The desk's notices the window acts on (`onDeskEvent` and `portalNotice` in `ui/js/app.js`); the others (a call
/// placed, ended, a disposition saved) are the OS notifications' and the tray's alone.
pub const WINDOW_NOTICES: &[NoticeKind] = &[
    NoticeKind::SignInLost,
    NoticeKind::DispositionWaiting,
    NoticeKind::CallRinging,
    NoticeKind::DisposedInPortal,
    NoticeKind::WaitingDispositionDropped,
];

/// Whether the window reads `event`. Each event sent is one more script the page compiles and runs (the payload
/// is in its text), a cost WebKit keeps for a while: a call's 13 desk events become its 4 views and its outbox
/// counts. The connection light has its own event ([`CONNECTION`]) and the facts are the history's.
pub fn for_window(event: &DeskEvent) -> bool {
    match event {
        DeskEvent::State { .. } | DeskEvent::Outbox { .. } => true,
        DeskEvent::Notice { kind, .. } => WINDOW_NOTICES.contains(kind),
        DeskEvent::Fact { .. } | DeskEvent::Connection { .. } => false,
    }
}

/// The next message of a backend's broadcast, `None` once its sender is gone. A receiver that fell behind (a busy
/// main thread, a burst of changes) goes on from the oldest message still kept instead of ending: a forwarding
/// loop that stopped there would leave the window deaf to the desk, the breaks or the wrap-up clock all shift.
pub async fn next<T: Clone>(changes: &mut tokio::sync::broadcast::Receiver<T>) -> Option<T> {
    use tokio::sync::broadcast::error::RecvError;
    loop {
        match changes.recv().await {
            Ok(message) => return Some(message),
            Err(RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "fell behind a backend's changes")
            }
            Err(RecvError::Closed) => return None,
        }
    }
}

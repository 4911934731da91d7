//! The events the app sends the window: the one list of their names (`EVENTS`), which `ui/js/backend.js` is
//! checked against (one `on…` function each), and the one place that emits them. Failures travel as
//! `{code, message}` like command answers.

use agent::desk::{CallView, DeskEvent, NoticeKind};
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
    /// The hotkeys were registered again: how each went (`crate::shortcuts::HotkeyStatus`).
    HOTKEYS = "hotkeys";
    /// The phone's state changed (`crate::phone::PhoneView`).
    PHONE = "phone";
    /// The phone's call changed (`crate::phone::PhoneCall`): ringing, answered, held, ended.
    PHONE_CALL = "phone-call";
    /// The break status changed (`agent::breaks::BreakStatus`).
    BREAK = "break";
    /// The dial hotkey was pressed during a break: `{number, campaign, problem}`, for the window to ask whether to
    /// end the break and dial.
    BREAK_DIAL = "break-dial";
    /// What the updater knows now (`crate::updater`).
    UPDATE = "update";
    /// The connection light changed (`connection_light::ConnectionView`).
    CONNECTION = "connection";
    /// The wrap-up time limit's clock ticked or changed (`crate::wrap_up`).
    WRAPUP_CLOCK = "wrapup-clock";
    /// The callbacks list changed, or one came due (`::callbacks::CallbackList`).
    CALLBACKS = "callbacks";
    /// A callback's reminder was clicked: its id, for the window to put its number in the dial field.
    CALLBACK_OPEN = "callback-open";
    /// The call history changed (`crate::history`): the shift's figures now (`call_history::Figures`, or null
    /// when unreadable); an open Today screen reads the day again.
    HISTORY = "history";
    /// The disposition trees were assembled again (`crate::disposition_trees`): the window forgets the ones it keeps.
    TREES = "trees";
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

/// Which of the desk's events the window gets. Each event sent is one more script the page compiles and runs (the
/// payload is in its text), a cost WebKit keeps for a while: a call's 13 desk events become its 4 views and its
/// outbox counts. The connection light has its own event ([`CONNECTION`]) and the facts are the history's. A view
/// published again only for a new outbox count is not sent: the `outbox` event just before it carries the count,
/// which the window folds into the card.
#[derive(Debug, Default)]
pub struct DeskFeed {
    last: Option<CallView>,
}

impl DeskFeed {
    /// Whether the window reads `event` (each state event is remembered, to compare the next with).
    pub fn wants(&mut self, event: &DeskEvent) -> bool {
        match event {
            DeskEvent::State { view } => {
                let count_only = self.last.as_ref().is_some_and(|last| {
                    last.pending_outbox != view.pending_outbox
                        && CallView {
                            pending_outbox: view.pending_outbox,
                            ..last.clone()
                        } == **view
                });
                self.last = Some((**view).clone());
                !count_only
            }
            DeskEvent::Outbox { .. } => true,
            DeskEvent::Notice { kind, .. } => WINDOW_NOTICES.contains(kind),
            DeskEvent::Fact { .. } | DeskEvent::Connection { .. } => false,
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use agent::desk::CallState;

    fn state(state: CallState, pending_outbox: usize) -> DeskEvent {
        DeskEvent::State {
            view: Box::new(CallView {
                state,
                number: Some("099123456".into()),
                pending_outbox,
                ..CallView::default()
            }),
        }
    }

    #[test]
    fn a_view_sent_again_only_for_its_outbox_count_stays_out_of_the_window() {
        let mut feed = DeskFeed::default();
        assert!(feed.wants(&state(CallState::WrapUp, 0)));
        assert!(feed.wants(&state(CallState::Idle, 0)), "a new state");
        assert!(feed.wants(&DeskEvent::Outbox {
            pending: 1,
            rejected: 0
        }));
        assert!(
            !feed.wants(&state(CallState::Idle, 1)),
            "the count alone: the outbox event carried it"
        );
        assert!(!feed.wants(&state(CallState::Idle, 0)));
        assert!(feed.wants(&state(CallState::Dialing, 0)), "the next call");
        assert!(
            feed.wants(&state(CallState::Dialing, 0)),
            "the same view again is no count change"
        );
    }

    #[test]
    fn a_new_state_with_a_new_count_is_sent() {
        let mut feed = DeskFeed::default();
        assert!(feed.wants(&state(CallState::WrapUp, 0)));
        assert!(feed.wants(&state(CallState::Idle, 1)));
    }

    #[test]
    fn facts_and_the_connection_are_not_the_windows() {
        let mut feed = DeskFeed::default();
        assert!(!feed.wants(&DeskEvent::Connection { failure: None }));
        assert!(feed.wants(&DeskEvent::Notice {
            kind: NoticeKind::SignInLost,
            text: "wrong password".into(),
            phrase: None,
        }));
    }
}

//! Callbacks in the shell: the list is opened at start (sealed with the data key, like the outbox), and one
//! reminder task sleeps until the next moment something is due — a reminder `callback_reminder_minutes` before
//! a callback, or a callback turning missed — instead of polling. Each reminder is a desktop notification whose
//! click brings the window up with the number in the dial field; the window gets the new list on every change.

pub mod commands;

use std::sync::Arc;
use std::time::Duration;

use ::callbacks::{Callback, CallbackStore, Callbacks, FILE_NAME};
use agent::settings::Paths;
use agent_error::IpcError;
use outbox::SystemClock;
use sealing::Sealer;
use tauri::{AppHandle, Manager};

use crate::state::AppState;
use crate::words::{Table, Words};
use crate::{events, window};

/// The longest nap: the timer does not count time the laptop spent suspended, and the wall clock can be set, so
/// the task looks again at least this often (a minute, not a second).
const LONGEST_NAP: Duration = Duration::from_secs(60);

/// Opens the callbacks file in the data folder, its numbers and notes sealed by `sealer`.
pub fn open(paths: &Paths, sealer: &Result<Arc<Sealer>, IpcError>) -> Result<Callbacks, IpcError> {
    let sealer = sealer.clone()?;
    CallbackStore::open(&paths.data_dir.join(FILE_NAME), sealer)
        .map(|store| Callbacks::new(store, Arc::new(SystemClock)))
        .map_err(|err| {
            tracing::error!(code = ?err.code(), %err, "the callbacks cannot be opened");
            err.to_ipc()
        })
}

/// Starts the reminder task (nothing when the file could not be opened: the window says why).
pub fn start(app: &AppHandle) {
    let Ok(callbacks) = app.state::<AppState>().callbacks() else {
        return;
    };
    let app = app.clone();
    tauri::async_runtime::spawn(async move { remind(app, callbacks).await });
}

async fn remind(app: AppHandle, callbacks: Callbacks) {
    let mut changes = callbacks.changes();
    loop {
        let lead = app.state::<AppState>().settings().callback_reminder_lead();
        match callbacks.take_reminders(lead) {
            Ok(due) => due.iter().for_each(|callback| notify(&app, callback)),
            Err(err) => tracing::warn!(%err, "callback reminders not read"),
        }
        // Changes up to here are in what is read next; a later one wakes the nap below.
        changes.borrow_and_update();
        if let Ok(list) = callbacks.list(lead) {
            events::emit(&app, events::CALLBACKS, &list);
        }
        let nap = match callbacks.next_wake(lead) {
            Ok(Some(at)) => {
                Duration::from_millis(u64::try_from(at - callbacks.now_ms()).unwrap_or(0))
            }
            _ => LONGEST_NAP,
        }
        .min(LONGEST_NAP);
        tokio::select! {
            _ = tokio::time::sleep(nap) => {}
            changed = changes.changed() => if changed.is_err() { break },
        }
    }
}

/// What the reminder says, in the agent's language: "Call back 099123456" / "Ventas-> at 14:30 — the note".
fn words(words: &Table, callback: &Callback) -> (String, String) {
    let at = chrono::DateTime::from_timestamp_millis(callback.due_at)
        .map(|t| t.with_timezone(&chrono::Local).format("%H:%M").to_string())
        .unwrap_or_default();
    let campaign = if callback.campaign.is_empty() {
        String::new()
    } else {
        format!("{} ", callback.campaign)
    };
    let note = if callback.note.is_empty() {
        String::new()
    } else {
        format!(" — {}", callback.note)
    };
    let body = [
        ("campaign", campaign.as_str()),
        ("at", &at),
        ("note", &note),
    ];
    (
        words.t("notify.callback", &[("number", &callback.number)]),
        words.t("notify.callback_body", &body),
    )
}

/// Shows the reminder; a click on it (or its *Call back* button) brings the window up with the number in the
/// dial field, for the agent to press Enter.
fn notify(app: &AppHandle, callback: &Callback) {
    if !app.state::<AppState>().settings().notifications {
        return;
    }
    let (summary, body, action) = app.state::<Words>().with(|table| {
        let (summary, body) = words(table, callback);
        (summary, body, table.t("notify.callback_action", &[]))
    });
    let (app, id) = (app.clone(), callback.id);
    // It stays until the agent acts on it: a reminder that fades while they talk is no reminder.
    let stays = crate::notify::Stays::UntilActed;
    crate::notify::ask(summary, body, vec![("default", action)], stays, move |_| {
        bring_up(&app, id)
    });
}

/// Brings the window up on the callback: the window puts its number in the dial field.
fn bring_up(app: &AppHandle, id: i64) {
    window::show(app);
    events::emit(app, events::CALLBACK_OPEN, id);
}

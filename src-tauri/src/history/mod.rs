//! The call history in the shell: its recorder starts with the desk (after the file is trimmed to `history_days`),
//! each burst of changes it writes reaches the window (`history` event, with the shift's figures: the desk's line
//! needs no read of its own, and an open Today screen follows) and the tray, and the file is cleared at sign-out
//! when the settings (or the machine policy) ask for it.

pub mod commands;

use std::time::Duration;

use agent::breaks::Breaks;
use agent::desk::DeskHandle;
use agent::history::{self, Recorder};
use call_history::{Delivery, Figures, HistoryStore};
use tauri::{AppHandle, Manager};
use tokio::sync::broadcast::error::RecvError;

use crate::events;
use crate::state::AppState;

/// Starts recording `agent`'s calls. Without a history file (no keychain key) the agent works on, unrecorded.
pub async fn start(app: &AppHandle, agent: &str, desk: DeskHandle, breaks: Breaks) {
    let state = app.state::<AppState>();
    let store = match state.history() {
        Ok(store) => store,
        Err(err) => {
            tracing::warn!(%err, "no call history this session");
            return;
        }
    };
    let days = state.settings().history_days.max(1);
    match store.purge(chrono::Utc::now().timestamp_millis(), days) {
        Ok(gone) if gone > 0 => tracing::info!(gone, days, "old calls left the history"),
        Ok(_) => {}
        Err(err) => tracing::warn!(%err, "the call history could not be trimmed"),
    }
    let mut changes =
        Recorder::spawn(store.clone(), agent.to_string(), desk, Some(breaks.clone())).await;
    let app = app.clone();
    let agent = agent.to_string();
    tauri::async_runtime::spawn(async move {
        shift(&app, &store, &agent, &breaks).await;
        while let Ok(()) | Err(RecvError::Lagged(_)) = changes.recv().await {
            burst(&mut changes).await;
            let figures = shift(&app, &store, &agent, &breaks).await;
            events::emit(&app, events::HISTORY, figures);
        }
    });
}

/// How long the history stays quiet before its changes are told, and the longest a burst may hold them.
const QUIET: Duration = Duration::from_millis(100);
const BURST_AT_MOST: Duration = Duration::from_millis(500);

/// Waits out the rest of a burst of changes: a call's end writes several rows within milliseconds (its end, the
/// wrap-up, the filing, the outbox's answer), and each would otherwise be one more script evaluated in the window
/// and one more read of the day for the tray.
async fn burst(changes: &mut tokio::sync::broadcast::Receiver<()>) {
    let until = tokio::time::Instant::now() + BURST_AT_MOST;
    loop {
        let quiet = (tokio::time::Instant::now() + QUIET).min(until);
        match tokio::time::timeout_at(quiet, changes.recv()).await {
            Ok(Ok(())) | Ok(Err(RecvError::Lagged(_))) => continue,
            Ok(Err(RecvError::Closed)) | Err(_) => return,
        }
    }
}

/// The shift's figures, read once per burst for both readers: the tray's tooltip (Windows, macOS; the Linux tray
/// has no tooltip, the desk's card shows them there) and the window's `history` event (`None` when unreadable).
async fn shift(
    app: &AppHandle,
    store: &HistoryStore,
    agent: &str,
    breaks: &Breaks,
) -> Option<Figures> {
    let on_break = history::recorder::on_break_since(&breaks.status().await);
    let (store, agent) = (store.clone(), agent.to_string());
    let now = chrono::Utc::now().timestamp_millis();
    let figures =
        crate::commands::blocking(move || call_history::shift(&store, &agent, on_break, now)).await;
    match figures {
        Ok(figures) => {
            crate::tray::set_shift(app, figures);
            Some(figures)
        }
        Err(err) => {
            tracing::debug!(%err, "no shift figures");
            None
        }
    }
}

/// At sign-out: forgets the history when `clear_history_on_sign_out` says so.
pub fn at_sign_out(state: &AppState) {
    if !state.settings().clear_history_on_sign_out {
        return;
    }
    match state.history().and_then(|store| store.clear()) {
        Ok(()) => tracing::info!("call history cleared at sign-out"),
        Err(err) => tracing::warn!(%err, "the call history could not be cleared"),
    }
}

/// A refused disposition the agent gave up (discarded from the outbox) is no longer "refused": nothing was filed.
pub fn given_up(state: &AppState, guid: &str) {
    if let Err(err) = state
        .history()
        .and_then(|store| store.set_delivery(guid, Delivery::NotFiled))
    {
        tracing::warn!(%err, "the call history could not note a discarded disposition");
    }
}

//! After a sleep or a network change (see `agent::wake`): the session is checked (a 401 signs in again from the
//! keychain), the global hotkeys are registered again (some desktops drop key grabs on resume) and the outbox is
//! flushed at once instead of at its next retry. The window hears about it in the status line.

use std::time::{Duration, Instant, SystemTime};

use agent::wake::{interface_addresses, Wake, WakeWatch};
use tauri::{AppHandle, Emitter, Manager};

use crate::shortcuts;
use crate::state::AppState;

/// How often the clocks and addresses are compared.
const LOOK_EVERY: Duration = Duration::from_secs(3);
/// A gap between the clocks above this is a sleep.
const SLEEP_THRESHOLD: Duration = Duration::from_secs(15);

/// Watches for the rest of the app's life.
pub fn watch(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut watch = WakeWatch::new(SLEEP_THRESHOLD);
        loop {
            let addrs = tauri::async_runtime::spawn_blocking(interface_addresses)
                .await
                .unwrap_or_default();
            let seen = watch.observe(SystemTime::now(), Instant::now(), addrs);
            if !seen.is_empty() {
                recover(&app, &seen).await;
            }
            tokio::time::sleep(LOOK_EVERY).await;
        }
    });
}

async fn recover(app: &AppHandle, seen: &[Wake]) {
    tracing::info!(?seen, "resumed or network changed: checking the session");
    shortcuts::register_all(app);
    let state = app.state::<AppState>();
    let live = state.live.read().await.clone();
    let mut outcome = "no session".to_string();
    if let Some(live) = live {
        outcome = match live.session.check(&*state.secrets).await {
            Ok(()) => match live.desk.flush().await {
                Ok(left) => format!("session ok, {left} waiting"),
                Err(err) => format!("session ok, outbox: {err}"),
            },
            Err(err) => {
                let _ = app.emit("action-error", err.to_ipc());
                format!("session: {err}")
            }
        };
    }
    tracing::info!(%outcome, "recovered");
    let resumed = seen.iter().any(|w| matches!(w, Wake::Resumed { .. }));
    let _ = app.emit(
        "wake",
        serde_json::json!({ "resumed": resumed, "outcome": outcome }),
    );
}

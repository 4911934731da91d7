//! After a sleep or a network change (see `wake_watch`): the session is checked (a 401 signs in again from the
//! keychain), the global hotkeys are registered again (some desktops drop key grabs on resume) and the outbox is
//! flushed at once instead of at its next retry. The window hears about it in the status line.

use std::time::{Duration, Instant, SystemTime};

use agent_error::IpcError;
use serde::Serialize;
use tauri::{AppHandle, Manager};
use wake_watch::{interface_addresses, Wake, WakeWatch};

use crate::state::AppState;
use crate::{events, shortcuts};

/// What the window hears after a sleep or a network change.
#[derive(Debug, Clone, Serialize)]
pub struct Recovered {
    /// A sleep (rather than only a network change).
    pub resumed: bool,
    /// How many items wait in the outbox after the flush (none when signed out or the check failed).
    pub waiting: Option<usize>,
    /// What went wrong: the session check or the flush.
    pub problem: Option<IpcError>,
}

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
    let live = state.signed_in.read().await.clone();
    let mut recovered = Recovered {
        resumed: seen.iter().any(|w| matches!(w, Wake::Resumed { .. })),
        waiting: None,
        problem: None,
    };
    if let Some(live) = live {
        let outcome = match live.session.check(&*state.secrets).await {
            Ok(()) => live.desk.flush().await,
            Err(err) => {
                events::emit(app, events::ACTION_ERROR, err.to_ipc());
                Err(err)
            }
        };
        match outcome {
            Ok(left) => recovered.waiting = Some(left),
            Err(err) => recovered.problem = Some(err.into()),
        }
    }
    tracing::info!(?recovered, "recovered");
    events::emit(app, events::WAKE, recovered);
}

//! Breaks in the shell: the agent's breaks start with the desk (their status read back from the data folder),
//! their changes reach the window, the tray's tooltip and a notification, and the hotkey toggles them.

pub mod commands;

use agent::breaks::{BreakFile, BreakState, BreakStatus, Breaks, FILE_NAME};
use agent::desk::DeskHandle;
use agent::profile::Identity;
use tauri::{AppHandle, Manager};

use crate::state::AppState;
use crate::{events, notify, tray};

/// Starts the breaks for a signed-in agent and forwards their changes.
pub async fn start(
    app: &AppHandle,
    identity: Identity,
    desk: DeskHandle,
) -> Result<Breaks, agent_error::AgentError> {
    let state = app.state::<AppState>();
    let path = state.paths.data_dir.join(FILE_NAME);
    let breaks = match Breaks::start(BreakFile::new(&path), identity.clone(), desk.clone()).await {
        Ok(breaks) => breaks,
        // A damaged file must not keep the agent from working: it is kept aside, and the agent is told.
        Err(err) if err.code() == agent_error::ErrorCode::Storage && path.exists() => {
            tracing::error!(%err, "break status unreadable; kept aside");
            let _ = std::fs::rename(&path, path.with_extension("json.damaged"));
            notify::tell_error(app, "notify.break_lost", &err);
            Breaks::start(BreakFile::new(&path), identity, desk.clone()).await?
        }
        Err(err) => return Err(err),
    };
    let now = breaks.status().await;
    let mut changes = breaks.subscribe();
    let app = app.clone();
    // The tray is the main thread's: going live does not wait for it.
    tauri::async_runtime::spawn(async move {
        show(&app, &now, &desk).await;
        while let Some(status) = events::next(&mut changes).await {
            events::emit(&app, events::BREAK, &status);
            show(&app, &status, &desk).await;
            if status.state == BreakState::OnBreak {
                notify_if_enabled(&app, "notify.on_break", &motive_words(&app, &status));
            }
        }
    });
    Ok(breaks)
}

async fn show(app: &AppHandle, status: &BreakStatus, desk: &DeskHandle) {
    tray::set_break(app, status);
    tray::show_state(app, &desk.snapshot().await);
}

fn notify_if_enabled(app: &AppHandle, key: &str, body: &str) {
    if app.state::<AppState>().settings().notifications {
        notify::tell(app, key, body);
    }
}

/// The break's motive as the window names it (`motive.<name>` in the tables), else as configured.
fn motive_words(app: &AppHandle, status: &BreakStatus) -> String {
    let motive = status.motive.as_deref().unwrap_or("");
    app.state::<crate::words::Words>()
        .with(|words| words.get(&format!("motive.{motive}")).map(str::to_string))
        .unwrap_or_else(|| motive.to_string())
}

/// The hotkey and the tray: a break with the last motive, or its end.
pub async fn toggle(app: &AppHandle) -> Result<(), agent_error::AgentError> {
    let state = app.state::<AppState>();
    let breaks = state.breaks().await?;
    let fallback = state.settings().breaks.first_motive();
    breaks.toggle(&fallback).await.map(|_| ())
}

//! The wrap-up time limit in the shell: the clock starts with the desk (a countdown left by an earlier run is
//! filed at its deadline), its changes reach the window, and when the time runs out the agent is told in the
//! window and by a notification.

pub mod commands;

use std::sync::Arc;

use agent::desk::DeskHandle;
use agent::wrap_up::{ClockEvent, WrapUpClock, FILE_NAME};
use sealing::Sealer;
use tauri::{AppHandle, Manager};

use crate::notify;
use crate::state::AppState;

/// Starts the clock for the agent `agent` on `desk`. The saved countdown is sealed with the outbox's data key.
pub fn start(
    app: &AppHandle,
    agent: String,
    desk: DeskHandle,
) -> Result<WrapUpClock, agent_error::AgentError> {
    let state = app.state::<AppState>();
    let seal = Arc::new(Sealer::from_store(&*state.secrets)?);
    let clock = WrapUpClock::start(
        state.paths.data_dir.join(FILE_NAME),
        seal,
        agent,
        state.settings().wrap_up_limit,
        desk,
    );
    let mut events = clock.subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        while let Some(event) = crate::events::next(&mut events).await {
            crate::events::emit(&app, crate::events::WRAPUP_CLOCK, &event);
            if let ClockEvent::TimedOut { codes, .. } = &event {
                if app.state::<AppState>().settings().notifications {
                    let body = crate::words::t(&app, "notify.wrapup_filed", &[("codes", codes)]);
                    notify::tell(&app, "notify.wrapup_timed_out", &body);
                }
            }
        }
    });
    Ok(clock)
}

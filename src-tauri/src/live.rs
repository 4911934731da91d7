//! Going live after a sign-in (typed, or restored from the keychain at start): start the call desk, forward its
//! events to the window, notifications and the tray, and turn autostart on after the first sign-in.

use agent::desk::{self, DeskEvent, DeskOptions};
use agent::session::Session;
use tauri::{AppHandle, Emitter, Manager};

use crate::state::{AppState, Live};
use crate::{autostart, notify, tray};

/// Starts the desk for `session` and makes it the app's live session.
pub async fn go_live(app: &AppHandle, session: Session) {
    let state = app.state::<AppState>();
    let settings = state.settings();
    let options = DeskOptions {
        require_wrap_up: settings.require_wrap_up,
        ..DeskOptions::default()
    };
    let desk = desk::spawn(
        session.clone(),
        state.secrets.clone(),
        state.outbox.clone(),
        options,
    );
    let mut events = desk.subscribe();
    let forward = app.clone();
    tauri::async_runtime::spawn(async move {
        while let Ok(event) = events.recv().await {
            on_desk_event(&forward, &event);
        }
    });
    *state.live.write().await = Some(Live {
        session,
        desk: desk.clone(),
    });
    autostart::after_sign_in(app);
    // Anything left from an earlier run goes out now.
    let _ = desk.flush().await;
    let _ = app.emit("session", true);
}

fn on_desk_event(app: &AppHandle, event: &DeskEvent) {
    let _ = app.emit("desk", event);
    match event {
        DeskEvent::State { view } => tray::show_state(app, view),
        DeskEvent::Notice { kind, text } => notify::notice(app, *kind, text),
    }
}

//! The connection light: the shell keeps what the session and the desk last said (`connection_light`'s facts),
//! and whenever the light changes tells the window (the header badge) and the tray (its tooltip).

use agent_error::IpcError;
use connection_light::{ConnectionFacts, ConnectionView};
use parking_lot::Mutex;
use tauri::{AppHandle, Manager, State};

use crate::commands::CommandResult;
use crate::{events, tray};

/// The connection light, managed by the app (created in `setup`): the facts, and the light last shown (so an
/// unchanged light is not sent again).
#[derive(Default)]
pub struct ConnectionLight {
    facts: Mutex<(ConnectionFacts, Option<ConnectionView>)>,
}

impl ConnectionLight {
    /// The light now.
    pub fn view(&self) -> ConnectionView {
        self.facts.lock().0.view()
    }

    /// Changes the facts; answers the new light when it differs from the one last shown.
    fn change(&self, change: impl FnOnce(&mut ConnectionFacts)) -> Option<ConnectionView> {
        let mut guard = self.facts.lock();
        change(&mut guard.0);
        let view = guard.0.view();
        if guard.1.as_ref() == Some(&view) {
            return None;
        }
        guard.1 = Some(view.clone());
        Some(view)
    }
}

/// Changes the facts; tells the window and the tray when the light changed.
pub fn update(app: &AppHandle, change: impl FnOnce(&mut ConnectionFacts)) {
    let Some(view) = app.state::<ConnectionLight>().change(change) else {
        return;
    };
    events::emit(app, events::CONNECTION, &view);
    tray::refresh(app);
}

/// Signed in (a fresh session answers) or out.
pub fn session(app: &AppHandle, signed_in: bool) {
    update(app, |f| {
        f.signed_in = signed_in;
        f.sign_in_lost = None;
        f.last_failure = None;
        if !signed_in {
            f.waiting = 0;
            f.refused = 0;
        }
    });
}

/// The automatic sign-in began or ended.
pub fn signing_in(app: &AppHandle, busy: bool) {
    update(app, |f| f.signing_in = busy);
}

/// The last request reached the server, or why not.
pub fn reached(app: &AppHandle, failure: Option<&IpcError>) {
    update(app, |f| {
        f.last_failure = failure.map(|e| (e.code, e.message.clone()));
        if failure.is_none() {
            f.sign_in_lost = None;
        }
    });
}

/// The outbox's counts changed.
pub fn outbox(app: &AppHandle, waiting: usize, refused: usize) {
    update(app, |f| {
        f.waiting = waiting;
        f.refused = refused;
    });
}

/// A 401 that signing in again could not cure.
pub fn sign_in_lost(app: &AppHandle, why: &str) {
    update(app, |f| f.sign_in_lost = Some(why.to_owned()));
}

/// The light now, for the window at start.
#[tauri::command]
pub async fn connection_status(light: State<'_, ConnectionLight>) -> CommandResult<ConnectionView> {
    Ok(light.view())
}

//! Start at login: a setting, turned on after the first sign-in (the agent can turn it off), starting hidden in
//! the tray (`--hidden`).

use tauri::{AppHandle, Manager};
use tauri_plugin_autostart::ManagerExt;

use crate::state::AppState;

/// After a sign-in: an undecided setting becomes "on", then it is applied.
pub fn after_sign_in(app: &AppHandle) {
    let state = app.state::<AppState>();
    if state.settings().autostart.is_none() && !state.policy().is_locked("autostart") {
        let decided = state.settings.update(|s| {
            s.autostart.get_or_insert(true);
        });
        if let Err(err) = decided {
            tracing::warn!(%err, "autostart not saved");
        }
    }
    if state.settings().autostart.is_some() {
        apply(app);
    }
}

/// Makes the system's autostart entry match the setting.
pub fn apply(app: &AppHandle) {
    let wanted = app.state::<AppState>().settings().autostart;
    let launcher = app.autolaunch();
    let result = match wanted {
        Some(true) => launcher.enable(),
        Some(false) => launcher.disable(),
        None => Ok(()),
    };
    if let Err(err) = result {
        tracing::warn!(%err, "autostart not applied");
    }
}

//! Settings in the shell: the window reads them (and the machine policy) and saves them; a save goes through the one writer
//! (`agent::settings_store`, which refuses what the machine policy locks), then only what changed is applied —
//! the desk's identity and wrap-up rules, autostart, the callback reminders, the bridge, the updater, the tree
//! sources and the hotkeys.

use agent::policy::PolicyView;
use agent::settings::Settings;
use agent::settings_store::Change;
use agent_error::AgentError;
use tauri::{AppHandle, Manager, State};

use crate::commands::CommandResult;
use crate::shortcuts::{HotkeyRegistry, HotkeyStatus};
use crate::state::AppState;
use crate::words::Words;
use crate::{autostart, shortcuts};

/// The settings.
#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> CommandResult<Settings> {
    Ok(state.settings())
}

/// The machine policy as read: file, presets, locks and the parts refused.
#[tauri::command]
pub async fn policy_status(state: State<'_, AppState>) -> CommandResult<PolicyView> {
    Ok(state.policy().view())
}

/// Saves the settings (a locked setting changed is refused, whatever the window allowed), then applies what
/// changed; answers how the hotkeys registered.
#[tauri::command]
pub async fn save_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: Settings,
) -> CommandResult<Vec<HotkeyStatus>> {
    let change = state.settings.replace(settings)?;
    Ok(apply(&app, &change).await?)
}

/// Applies what `change` changed to the running app.
pub async fn apply(app: &AppHandle, change: &Change) -> Result<Vec<HotkeyStatus>, AgentError> {
    let state = app.state::<AppState>();
    let after = &change.after;
    if change.changed(|s| &s.identity)
        || change.changed(|s| &s.require_wrap_up)
        || change.changed(|s| &s.wrap_up_limit)
    {
        if let Some(live) = state.signed_in.write().await.as_mut() {
            live.session.identity = live.session.identity.with_overrides(&after.identity);
            live.desk.set_require_wrap_up(after.require_wrap_up).await;
            let failed_dials = after.wrap_up_limit.failed_dial_seconds.is_some();
            live.desk.set_wrap_up_failed_dials(failed_dials).await;
            live.desk.set_identity(live.session.identity.clone()).await;
            live.wrap_up.set_limits(after.wrap_up_limit.clone()).await;
        }
    }
    if change.changed(|s| &s.autostart) {
        autostart::apply(app);
    }
    if change.changed(|s| &s.callback_reminder_minutes) {
        // A new reminder lead time: the reminder task plans again.
        if let Ok(callbacks) = state.callbacks() {
            callbacks.poke();
        }
    }
    // The bridge restarts only for new bridge settings, or to try again after it could not start (a port taken).
    if change.changed(|s| &s.bridge) || state.bridge.lock().await.problem.is_some() {
        crate::bridge::apply(app).await?;
    }
    if change.changed(|s| &s.update)
        || change.changed(|s| &s.proxy)
        || change.changed(|s| &s.ca_certificate)
    {
        crate::updater::settings_changed(app);
    }
    if change.changed(|s| &s.trees) || change.changed(|s| &s.campaigns) {
        let app = app.clone();
        tauri::async_runtime::spawn(async move { crate::disposition_trees::refresh(&app).await });
    }
    if change.changed(|s| &s.phone) || change.changed(|s| &s.ca_certificate) {
        let trust_changed = change.changed(|s| &s.ca_certificate);
        crate::phone::settings_changed(app, after, trust_changed).await;
    }
    if change.changed(|s| &s.language) && app.state::<Words>().set_language(&after.language) {
        crate::tray::relabel(app);
    }
    // The hotkeys register again when they changed, or to try again those another app had taken.
    let registry = app.state::<HotkeyRegistry>();
    if change.changed(|s| &s.hotkeys)
        || change.changed(|s| &s.phone.enabled)
        || registry.any_failed()
    {
        return Ok(shortcuts::register_all(app));
    }
    Ok(registry.report())
}

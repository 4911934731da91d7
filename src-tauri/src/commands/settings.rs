//! Settings, disposition trees and the hotkey report.

use agent::settings::Settings;
use agent_error::{AgentError, ErrorCode, IpcError};
use disposition_tree::DispositionTree;
use tauri::{AppHandle, State};

use super::{blocking, CommandResult};
use crate::state::{AppState, HotkeyStatus};
use crate::{autostart, shortcuts};

/// The settings.
#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> CommandResult<Settings> {
    Ok(state.settings())
}

/// Saves the settings and applies them (hotkeys re-registered, autostart, wrap-up rule).
#[tauri::command]
pub async fn save_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: Settings,
) -> CommandResult<Vec<HotkeyStatus>> {
    // A locked setting changed is refused here, whatever the window allowed.
    let current = state.settings();
    state
        .policy
        .save(&current, &settings, &state.paths.settings_file())?;
    let trees_changed = current.trees != settings.trees || current.campaigns != settings.campaigns;
    let require = settings.require_wrap_up;
    let overrides = settings.identity.clone();
    let wrap_up_limit = settings.wrap_up_limit.clone();
    *state.settings.write().unwrap_or_else(|p| p.into_inner()) = settings;
    let mut live = state.live.write().await;
    if let Some(live) = live.as_mut() {
        live.session.identity = live.session.identity.with_overrides(&overrides);
        live.desk.set_require_wrap_up(require).await;
        live.desk
            .set_wrap_up_failed_dials(wrap_up_limit.failed_dial_seconds.is_some())
            .await;
        live.desk.set_identity(live.session.identity.clone()).await;
        live.wrap_up.set_limits(wrap_up_limit).await;
    }
    drop(live);
    autostart::apply(&app);
    // A new reminder lead time: the reminder task plans again.
    if let Ok(callbacks) = state.callbacks() {
        callbacks.poke();
    }
    crate::bridge::apply(&app).await?;
    crate::updater::settings_changed(&app);
    if trees_changed {
        let app = app.clone();
        tauri::async_runtime::spawn(async move { crate::trees::refresh(&app).await });
    }
    Ok(shortcuts::register_all(&app))
}

/// The disposition tree of a campaign (reloaded from the folder when a file changed).
#[tauri::command]
pub async fn disposition_tree(
    app: AppHandle,
    state: State<'_, AppState>,
    campaign: String,
) -> CommandResult<Option<DispositionTree>> {
    crate::trees::reload_if_changed(&app);
    Ok(state
        .trees
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .for_campaign(&campaign)
        .cloned())
}

/// Problems found in the disposition tree files, one `{code: invalid_tree, message}` each.
#[tauri::command]
pub async fn tree_problems(state: State<'_, AppState>) -> CommandResult<Vec<IpcError>> {
    Ok(state
        .trees
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .problems
        .iter()
        .map(|problem| AgentError::new(ErrorCode::InvalidTree, problem.clone()).into())
        .collect())
}

/// How the hotkeys registered.
#[tauri::command]
pub async fn hotkey_status(state: State<'_, AppState>) -> CommandResult<Vec<HotkeyStatus>> {
    Ok(state
        .hotkeys
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone())
}

/// Runs a hotkey's action from inside the window (where global hotkeys are unavailable).
#[tauri::command]
pub async fn run_hotkey(app: AppHandle, action: agent::hotkeys::HotkeyAction) -> CommandResult<()> {
    shortcuts::run(&app, action);
    Ok(())
}

/// Puts text on the clipboard (the GUID's copy button).
#[tauri::command]
pub async fn copy_text(text: String) -> CommandResult<()> {
    Ok(blocking(move || crate::clipboard::write(text)).await?)
}

//! The call desk from the window: dial, hang up, tag, dispose.

use agent::desk::{CallView, Disposed, DispositionForm};
use tauri::State;

use super::{ipc, CommandResult};
use crate::state::{AppState, Draft};

/// The call as it is now.
#[tauri::command]
pub async fn call_state(state: State<'_, AppState>) -> CommandResult<CallView> {
    Ok(state.desk().await.map_err(ipc)?.snapshot().await)
}

/// Dials `number` in `campaign` (or the default campaign).
#[tauri::command]
pub async fn dial(
    state: State<'_, AppState>,
    number: String,
    campaign: Option<String>,
) -> CommandResult<CallView> {
    state.dial(&number, campaign.as_deref()).await.map_err(ipc)
}

/// Hangs up the current call.
#[tauri::command]
pub async fn hang_up(state: State<'_, AppState>) -> CommandResult<CallView> {
    state
        .desk()
        .await
        .map_err(ipc)?
        .hang_up()
        .await
        .map_err(ipc)
}

/// The customer ended the call.
#[tauri::command]
pub async fn customer_hung_up(state: State<'_, AppState>) -> CommandResult<CallView> {
    state
        .desk()
        .await
        .map_err(ipc)?
        .customer_hung_up()
        .await
        .map_err(ipc)
}

/// Tags the recording.
#[tauri::command]
pub async fn tag(state: State<'_, AppState>, text: String) -> CommandResult<CallView> {
    state
        .desk()
        .await
        .map_err(ipc)?
        .tag(&text)
        .await
        .map_err(ipc)
}

/// Files the disposition, then the dialer action its leaf carries in the campaign's tree.
#[tauri::command]
pub async fn dispose(state: State<'_, AppState>, form: DispositionForm) -> CommandResult<Disposed> {
    let desk = state.desk().await.map_err(ipc)?;
    let campaign = desk.snapshot().await.campaign.unwrap_or_default();
    let action = state
        .trees
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .action_for(&campaign, &[&form.l1, &form.l2, &form.l3]);
    desk.dispose_with(form, action).await.map_err(ipc)
}

/// Sends what waits in the outbox now.
#[tauri::command]
pub async fn flush_outbox(state: State<'_, AppState>) -> CommandResult<usize> {
    state.desk().await.map_err(ipc)?.flush().await.map_err(ipc)
}

/// The window reports the dial form, so the dial hotkey can use the typed number.
#[tauri::command]
pub fn set_draft(state: State<'_, AppState>, draft: Draft) {
    *state.draft.lock().unwrap_or_else(|p| p.into_inner()) = draft;
}

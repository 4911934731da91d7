//! Callbacks from the window: the list (missed first, with the count due), *Remind me*, done and dismiss.

use ::callbacks::{Callback, CallbackList, NewCallback};
use tauri::State;

use crate::commands::{blocking, CommandResult};
use crate::state::AppState;

/// The list as shown, with the lead time in the settings.
#[tauri::command]
pub async fn callback_list(state: State<'_, AppState>) -> CommandResult<CallbackList> {
    let callbacks = state.callbacks()?;
    let lead = state.settings().callback_reminder_lead();
    Ok(blocking(move || callbacks.list(lead)).await?)
}

/// Keeps a callback (on disk when this answers).
#[tauri::command]
pub async fn callback_add(
    state: State<'_, AppState>,
    request: NewCallback,
) -> CommandResult<Callback> {
    let callbacks = state.callbacks()?;
    Ok(blocking(move || callbacks.add(&request)).await?)
}

/// The agent called back: off the list.
#[tauri::command]
pub async fn callback_done(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    let callbacks = state.callbacks()?;
    Ok(blocking(move || callbacks.done(id)).await?)
}

/// The agent will not call back: off the list.
#[tauri::command]
pub async fn callback_dismiss(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    let callbacks = state.callbacks()?;
    Ok(blocking(move || callbacks.dismiss(id)).await?)
}

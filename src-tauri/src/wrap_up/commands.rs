//! The wrap-up time limit from the window: the countdown, "+30 s", and what the agent typed so far.

use agent::desk::DispositionForm;
use agent::wrap_up::rules::Countdown;
use tauri::State;

use crate::commands::{ipc, CommandResult};
use crate::state::AppState;

/// The countdown, if the wrap-up on the desk has a time limit.
#[tauri::command]
pub async fn wrapup_clock(state: State<'_, AppState>) -> CommandResult<Option<Countdown>> {
    Ok(state.wrap_up().await.map_err(ipc)?.current().await)
}

/// "+30 s" (within the settings' number of extensions).
#[tauri::command]
pub async fn wrapup_extend(state: State<'_, AppState>) -> CommandResult<Countdown> {
    state
        .wrap_up()
        .await
        .map_err(ipc)?
        .extend()
        .await
        .map_err(ipc)
}

/// The form as typed so far: if the time runs out, its comment goes with the timeout code.
#[tauri::command]
pub async fn wrapup_note(state: State<'_, AppState>, form: DispositionForm) -> CommandResult<()> {
    state.wrap_up().await.map_err(ipc)?.note(form).await;
    Ok(())
}

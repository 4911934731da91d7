//! The Dialer screen: schedules, removals and dialer tasks outside a call.

use agent::dialer_tasks::{self, RemoveContactForm, RemoveScheduleForm, ScheduleForm, TaskForm};
use tauri::State;

use crate::commands::CommandResult;
use crate::state::AppState;

/// Schedules a call (ScheduleDialerCall) through the outbox; true when the server acknowledged it already.
#[tauri::command]
pub async fn schedule_call(state: State<'_, AppState>, form: ScheduleForm) -> CommandResult<bool> {
    let call = dialer_tasks::schedule(&form, dialer_tasks::local_now())?;
    let desk = state.desk().await?;
    Ok(dialer_tasks::submit_schedule(&desk, call).await?)
}

/// Removes the scheduled calls of a number in a date range (RemoveScheduleDialerCall).
#[tauri::command]
pub async fn remove_schedule(
    state: State<'_, AppState>,
    form: RemoveScheduleForm,
) -> CommandResult<()> {
    let live = state.signed_in().await?;
    Ok(dialer_tasks::remove_schedule(&live.session, &form).await?)
}

/// Takes a contact off a dialer (RemoveContact).
#[tauri::command]
pub async fn remove_contact(
    state: State<'_, AppState>,
    form: RemoveContactForm,
) -> CommandResult<()> {
    let live = state.signed_in().await?;
    Ok(dialer_tasks::remove_contact(&live.session, &form).await?)
}

/// Inserts a dialer task (DialerTask) in one of the four modes.
#[tauri::command]
pub async fn dialer_task(state: State<'_, AppState>, form: TaskForm) -> CommandResult<()> {
    let live = state.signed_in().await?;
    Ok(dialer_tasks::insert_task(&live.session, &form).await?)
}

//! The Dialer screen: schedules, removals and dialer tasks outside a call.

use agent::dialer_tasks::{self, RemoveContactForm, RemoveScheduleForm, ScheduleForm, TaskForm};
use agent::outbox::Job;
use tauri::State;

use super::{ipc, CommandResult};
use crate::state::AppState;

async fn client(state: &AppState) -> CommandResult<integra::Client> {
    state
        .live
        .read()
        .await
        .as_ref()
        .map(|l| l.session.client.clone())
        .ok_or_else(|| {
            ipc(agent::AgentError::new(
                agent::ErrorCode::NotSignedIn,
                "sign in first",
            ))
        })
}

/// Schedules a call (ScheduleDialerCall) through the outbox; true when the server acknowledged it already.
#[tauri::command]
pub async fn schedule_call(state: State<'_, AppState>, form: ScheduleForm) -> CommandResult<bool> {
    let schedule =
        dialer_tasks::schedule(&form, chrono::Local::now().naive_local()).map_err(ipc)?;
    let desk = state.desk().await.map_err(ipc)?;
    desk.submit(Job::Schedule(schedule)).await.map_err(ipc)
}

/// Removes the scheduled calls of a number in a date range (RemoveScheduleDialerCall).
#[tauri::command]
pub async fn remove_schedule(
    state: State<'_, AppState>,
    form: RemoveScheduleForm,
) -> CommandResult<()> {
    let client = client(&state).await?;
    dialer_tasks::remove_schedule(&client, &form)
        .await
        .map_err(ipc)
}

/// Takes a contact off a dialer (RemoveContact).
#[tauri::command]
pub async fn remove_contact(
    state: State<'_, AppState>,
    form: RemoveContactForm,
) -> CommandResult<()> {
    let client = client(&state).await?;
    dialer_tasks::remove_contact(&client, &form)
        .await
        .map_err(ipc)
}

/// Inserts a dialer task (DialerTask) in one of the four modes.
#[tauri::command]
pub async fn dialer_task(state: State<'_, AppState>, form: TaskForm) -> CommandResult<()> {
    let client = client(&state).await?;
    dialer_tasks::insert_task(&client, &form).await.map_err(ipc)
}

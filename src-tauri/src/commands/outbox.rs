//! What waits in the outbox, for the agent to see, fix, resend or discard.

use agent::outbox::{Job, OutboxItemView};
use serde::Serialize;
use tauri::State;

use super::{ipc, CommandResult};
use crate::state::AppState;

/// Every item, oldest first.
#[tauri::command]
pub async fn outbox_items(state: State<'_, AppState>) -> CommandResult<Vec<OutboxItemView>> {
    state.desk().await.map_err(ipc)?.outbox_items().map_err(ipc)
}

/// One item's request, to edit it.
#[tauri::command]
pub async fn outbox_item(state: State<'_, AppState>, id: i64) -> CommandResult<Option<Job>> {
    state
        .desk()
        .await
        .map_err(ipc)?
        .outbox_item(id)
        .map_err(ipc)
}

/// The outcome of the agent's resend or edit.
#[derive(Serialize)]
pub struct Tried {
    /// The server acknowledged it.
    pub delivered: bool,
    /// Why not, in words.
    pub problem: Option<String>,
}

fn tried(delivery: agent::courier::Delivery) -> Tried {
    Tried {
        delivered: delivery.delivered(),
        problem: delivery.problem(),
    }
}

/// Sends an item again as it is.
#[tauri::command]
pub async fn outbox_resend(state: State<'_, AppState>, id: i64) -> CommandResult<Tried> {
    let desk = state.desk().await.map_err(ipc)?;
    desk.resend_item(id).await.map(tried).map_err(ipc)
}

/// Replaces an item's request (same kind) and tries it at once.
#[tauri::command]
pub async fn outbox_edit(state: State<'_, AppState>, id: i64, job: Job) -> CommandResult<Tried> {
    let desk = state.desk().await.map_err(ipc)?;
    desk.edit_item(id, job).await.map(tried).map_err(ipc)
}

/// Gives an item up: it is never sent.
#[tauri::command]
pub async fn outbox_discard(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    let desk = state.desk().await.map_err(ipc)?;
    desk.discard_item(id).await.map_err(ipc)
}

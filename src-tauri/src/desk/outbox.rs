//! What waits in the outbox, for the agent to see, fix, resend or discard.

use agent_error::{AgentError, ErrorCode, IpcError, Phrase};
use outbox::{Job, OutboxItemView};
use serde::Serialize;
use tauri::State;

use crate::commands::CommandResult;
use crate::state::AppState;

/// Every item, oldest first.
#[tauri::command]
pub async fn outbox_items(state: State<'_, AppState>) -> CommandResult<Vec<OutboxItemView>> {
    Ok(state.desk().await?.outbox_items()?)
}

/// One item's request, to edit it.
#[tauri::command]
pub async fn outbox_item(state: State<'_, AppState>, id: i64) -> CommandResult<Option<Job>> {
    Ok(state.desk().await?.outbox_item(id)?)
}

/// The outcome of the agent's resend or edit.
#[derive(Serialize)]
pub struct Tried {
    /// The server acknowledged it.
    pub delivered: bool,
    /// Why not.
    pub problem: Option<IpcError>,
}

fn tried(delivery: outbox::courier::Delivery) -> Tried {
    use outbox::courier::Delivery;
    let problem = match &delivery {
        Delivery::Delivered => None,
        Delivery::Rejected(err) | Delivery::Waiting(err) => Some(err.to_ipc()),
        Delivery::Behind { item } => Some(
            AgentError::phrased(
                ErrorCode::BehindEarlierItem,
                Phrase::new("error.outbox.behind").with("item", item.to_string()),
                format!("it waits for item {item} of the same call"),
            )
            .into(),
        ),
    };
    Tried {
        delivered: delivery.delivered(),
        problem,
    }
}

/// Sends an item again as it is.
#[tauri::command]
pub async fn outbox_resend(state: State<'_, AppState>, id: i64) -> CommandResult<Tried> {
    let desk = state.desk().await?;
    Ok(desk.resend_item(id).await.map(tried)?)
}

/// Replaces an item's request (same kind) and tries it at once.
#[tauri::command]
pub async fn outbox_edit(state: State<'_, AppState>, id: i64, job: Job) -> CommandResult<Tried> {
    let desk = state.desk().await?;
    Ok(desk.edit_item(id, job).await.map(tried)?)
}

/// Gives an item up: it is never sent.
#[tauri::command]
pub async fn outbox_discard(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    let desk = state.desk().await?;
    // A disposition given up leaves its call "not filed" in the history (noted first: the outbox's change that
    // follows must not read as "sent").
    if let Some(job) = desk
        .outbox_item(id)?
        .filter(|job| job.kind() == "disposition")
    {
        crate::history::given_up(&state, job.call_guid().unwrap_or(""));
    }
    Ok(desk.discard_item(id).await?)
}

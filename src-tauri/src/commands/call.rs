//! The call desk from the window: dial, hang up, tag, dispose, and the dial draft the window reports.

use agent::desk::{CallView, Disposed, DispositionForm};
use disposition_tree::DialerAction;
use tauri::State;
use tracing::Instrument;

use super::CommandResult;
use crate::state::{AppState, Draft};

/// The call as it is now.
#[tauri::command]
pub async fn call_state(state: State<'_, AppState>) -> CommandResult<CallView> {
    Ok(state.desk().await?.snapshot().await)
}

/// Dials `number` in `campaign` (or the default campaign).
#[tauri::command]
pub async fn dial(
    state: State<'_, AppState>,
    number: String,
    campaign: Option<String>,
) -> CommandResult<CallView> {
    let dial = state.dial(&number, campaign.as_deref());
    Ok(dial
        .instrument(tracing::debug_span!("dial", from = "window"))
        .await?)
}

/// Hangs up the current call.
#[tauri::command]
pub async fn hang_up(state: State<'_, AppState>) -> CommandResult<CallView> {
    Ok(state.desk().await?.hang_up().await?)
}

/// The customer ended the call.
#[tauri::command]
pub async fn customer_hung_up(state: State<'_, AppState>) -> CommandResult<CallView> {
    Ok(state.desk().await?.customer_hung_up().await?)
}

/// Leaves the wrap-up of a dial that failed without filing anything.
#[tauri::command]
pub async fn discard_attempt(state: State<'_, AppState>) -> CommandResult<CallView> {
    Ok(state.desk().await?.discard_attempt().await?)
}

/// Tags the recording.
#[tauri::command]
pub async fn tag(state: State<'_, AppState>, text: String) -> CommandResult<CallView> {
    Ok(state.desk().await?.tag(&text).await?)
}

/// Files the disposition, then the dialer action its leaf carries in the campaign's tree.
#[tauri::command]
pub async fn dispose(state: State<'_, AppState>, form: DispositionForm) -> CommandResult<Disposed> {
    let desk = state.desk().await?;
    let view = desk.snapshot().await;
    let campaign = view.campaign.clone().unwrap_or_default();
    let action = state
        .trees
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .action_for(&campaign, &[&form.l1, &form.l2, &form.l3]);
    // A SCHEDULE leaf puts the callback on the local list first; a disposition the desk refuses takes it back.
    let kept = match action {
        Some(DialerAction::Schedule) => {
            crate::callbacks::keep_scheduled(&state, &view, &form).await
        }
        _ => None,
    };
    let disposed = desk.dispose_with(form, action).await;
    if let (Err(_), Some(id)) = (&disposed, kept) {
        crate::callbacks::take_back(&state, id).await;
    }
    Ok(disposed?)
}

/// Sends what waits in the outbox now.
#[tauri::command]
pub async fn flush_outbox(state: State<'_, AppState>) -> CommandResult<usize> {
    Ok(state.desk().await?.flush().await?)
}

/// The agent edited the dial form: the draft (its owner is the app state) takes the edit, so the dial hotkey
/// dials the typed number.
#[tauri::command]
pub async fn set_draft(state: State<'_, AppState>, draft: Draft) -> CommandResult<()> {
    *state.draft.lock().unwrap_or_else(|p| p.into_inner()) = draft;
    Ok(())
}

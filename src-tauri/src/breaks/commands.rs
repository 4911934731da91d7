//! Breaks from the window: the status with the motives to offer, take, end, cancel.

use agent::breaks::BreakStatus;
use serde::Serialize;
use tauri::State;

use crate::commands::CommandResult;
use crate::state::AppState;

/// The break status and the motives the settings offer.
#[derive(Debug, Serialize)]
pub struct BreakInfo {
    /// Status.
    pub status: BreakStatus,
    /// Motive names, in menu order.
    pub motives: Vec<String>,
}

/// The break status now.
#[tauri::command]
pub async fn break_status(state: State<'_, AppState>) -> CommandResult<BreakInfo> {
    let breaks = state.breaks().await?;
    Ok(BreakInfo {
        status: breaks.status().await,
        motives: state.settings().breaks.motives,
    })
}

/// Goes on a break with `motive` (after the call, when one is on the desk).
#[tauri::command]
pub async fn take_break(state: State<'_, AppState>, motive: String) -> CommandResult<BreakStatus> {
    let breaks = state.breaks().await?;
    Ok(breaks.take(&motive).await?)
}

/// Ends the break (or drops the queued one).
#[tauri::command]
pub async fn end_break(state: State<'_, AppState>) -> CommandResult<BreakStatus> {
    let breaks = state.breaks().await?;
    Ok(breaks.end().await?)
}

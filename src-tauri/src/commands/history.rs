//! The Today screen: the day's calls from the local history and the shift's figures.

use agent::history::{self, recorder::on_break_since, Today};
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

/// Today's calls, newest first, with their delivery states brought up to date, and the shift's figures.
#[tauri::command]
pub async fn history_today(state: State<'_, AppState>) -> CommandResult<Today> {
    let live = state.live().await?;
    let store = state.history()?;
    let on_break = on_break_since(&live.breaks.status().await);
    Ok(history::today(
        &store,
        &live.session.identity.agent,
        Some(&live.desk),
        on_break,
        chrono::Utc::now().timestamp_millis(),
    )?)
}

//! The Today screen: the day's calls from the local history and the shift's figures, and filing a call that
//! ended without a disposition.

use agent::desk::{Disposed, DispositionForm};
use agent::history::{self, recorder::on_break_since};
use call_history::{Figures, Today};
use tauri::State;

use crate::commands::CommandResult;
use crate::state::AppState;

/// Today's calls, newest first, with their delivery states brought up to date, and the shift's figures.
#[tauri::command]
pub async fn history_today(state: State<'_, AppState>) -> CommandResult<Today> {
    let live = state.signed_in().await?;
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

/// The shift's figures alone (the desk's line between calls follows every history change: no call list, nothing
/// unsealed).
#[tauri::command]
pub async fn shift_figures(state: State<'_, AppState>) -> CommandResult<Figures> {
    let live = state.signed_in().await?;
    let store = state.history()?;
    let on_break = on_break_since(&live.breaks.status().await);
    let agent = live.session.identity.agent.clone();
    let now = chrono::Utc::now().timestamp_millis();
    Ok(
        crate::commands::blocking(move || call_history::shift(&store, &agent, on_break, now))
            .await?,
    )
}

/// Files the disposition of today's call `id`, which ended without one and is no longer on the desk (the Today
/// screen's F); `agent::filing` says which calls may be filed late.
#[tauri::command]
pub async fn file_past_call(
    state: State<'_, AppState>,
    id: i64,
    form: DispositionForm,
) -> CommandResult<Disposed> {
    let live = state.signed_in().await?;
    let (history, agent) = (state.history()?, &live.session.identity.agent);
    Ok(state
        .filing(&live.desk)
        .past(history, agent, id, form)
        .await?)
}

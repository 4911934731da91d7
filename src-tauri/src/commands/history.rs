//! The Today screen: the day's calls from the local history and the shift's figures, and filing a call that
//! ended without a disposition.

use agent::desk::{CallView, Disposed, DispositionForm, PastCall};
use agent::history::{self, recorder::on_break_since, Delivery, Today};
use agent_error::AgentError;
use disposition_tree::DialerAction;
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

/// The shift's figures alone (the desk's line between calls follows every history change: no call list, nothing
/// unsealed).
#[tauri::command]
pub async fn shift_figures(state: State<'_, AppState>) -> CommandResult<history::Figures> {
    let live = state.live().await?;
    let store = state.history()?;
    let on_break = on_break_since(&live.breaks.status().await);
    let agent = live.session.identity.agent.clone();
    let now = chrono::Utc::now().timestamp_millis();
    Ok(crate::commands::blocking(move || history::shift(&store, &agent, on_break, now)).await?)
}

/// Files the disposition of today's call `id`, which ended without one and is no longer on the desk (the Today
/// screen's F). Refused with a plain reason for a call that has one (sent, waiting or refused: the outbox fixes
/// those), that never reached the server, or that is still up.
#[tauri::command]
pub async fn file_past_call(
    state: State<'_, AppState>,
    id: i64,
    form: DispositionForm,
) -> CommandResult<Disposed> {
    let live = state.live().await?;
    let store = state.history()?;
    let now = chrono::Utc::now().timestamp_millis();
    let agent = live.session.identity.agent.clone();
    let since = history::start_of_day(now);
    let entry = crate::commands::blocking(move || store.call(&agent, id, since))
        .await?
        .ok_or_else(|| AgentError::invalid("that call is no longer in today's history"))?;
    let why_not = match entry.delivery {
        Delivery::NotFiled if entry.ending.is_none() => {
            Some("this call is still up: file it when it ends")
        }
        Delivery::NotFiled if entry.guid.is_empty() => {
            Some("this dial never reached the server: there is no call to file")
        }
        Delivery::NotFiled => None,
        Delivery::Sent => Some("this call's disposition was already sent"),
        Delivery::Waiting | Delivery::Refused => {
            Some("this call's disposition is in the outbox: fix or resend it there")
        }
    };
    if let Some(why) = why_not {
        return Err(AgentError::invalid(why).into());
    }
    let call = PastCall {
        guid: entry.guid,
        number: entry.number,
        campaign: entry.campaign,
    };
    let action = state
        .trees
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .action_for(&call.campaign, &[&form.l1, &form.l2, &form.l3]);
    // A SCHEDULE leaf puts the callback on the local list, as at wrap-up; a refused filing takes it back.
    let kept = match action {
        Some(DialerAction::Schedule) => {
            let view = CallView {
                number: Some(call.number.clone()),
                campaign: Some(call.campaign.clone()),
                ..CallView::default()
            };
            crate::callbacks::keep_scheduled(&state, &view, &form).await
        }
        _ => None,
    };
    let filed = live.desk.file_late(call, form, action).await;
    if let (Err(_), Some(id)) = (&filed, kept) {
        crate::callbacks::take_back(&state, id).await;
    }
    Ok(filed?)
}

//! Filing a disposition as one transaction, the same at wrap-up and later from the Today screen: the campaign's
//! tree says which dialer action the leaf carries; a SCHEDULE leaf's callback is kept on the local list *before*
//! the disposition goes anywhere (never lose what the agent typed), and taken back when the desk refuses the
//! filing (the agent fixes the form and files again). Which past calls may still be filed is decided here too.

use crate::desk::{CallView, DeskHandle, Disposed, DispositionForm, PastCall};
use agent_error::{AgentError, ErrorCode, Phrase, Result};
use call_history::{self as history, Delivery, Entry, HistoryStore};
use callbacks::{Callbacks, NewCallback};
use disposition_tree::DialerAction;

/// Which dialer action a leaf carries: `(campaign, [l1, l2, l3])` → the action, from the trees in use.
pub trait LeafActions {
    /// The action of the leaf `codes` in `campaign`'s tree, if it carries one.
    fn action_for(&self, campaign: &str, codes: &[&str; 3]) -> Option<DialerAction>;
}

impl LeafActions for disposition_tree::TreeSet {
    fn action_for(&self, campaign: &str, codes: &[&str; 3]) -> Option<DialerAction> {
        disposition_tree::TreeSet::action_for(self, campaign, codes)
    }
}

/// What a filing needs: the desk that files, the trees that say each leaf's dialer action, and the callbacks list
/// a SCHEDULE leaf keeps its callback on (`None` when it cannot be opened: the filing goes on without it).
pub struct Filing<'a, T: LeafActions> {
    /// The desk.
    pub desk: &'a DeskHandle,
    /// The trees in use.
    pub trees: &'a T,
    /// The callbacks list.
    pub callbacks: Option<Callbacks>,
}

impl<T: LeafActions> Filing<'_, T> {
    /// Files the disposition of the call on the desk (its wrap-up), with its leaf's dialer action.
    pub async fn current(&self, form: DispositionForm) -> Result<Disposed> {
        let view = self.desk.snapshot().await;
        let campaign = view.campaign.clone().unwrap_or_default();
        let action = self
            .trees
            .action_for(&campaign, &[&form.l1, &form.l2, &form.l3]);
        let kept = self.keep_if_scheduled(action, &view, &form).await;
        let disposed = self.desk.dispose_with(form, action).await;
        self.take_back_if_refused(&disposed, kept).await;
        disposed
    }

    /// Files the disposition of today's call `id` from `agent`'s history, which ended without one and is no longer
    /// on the desk. Refused with a plain reason ([`why_not_file_late`]) for a call that cannot be filed now.
    pub async fn past(
        &self,
        history: HistoryStore,
        agent: &str,
        id: i64,
        form: DispositionForm,
    ) -> Result<Disposed> {
        let since = history::start_of_day(chrono::Utc::now().timestamp_millis());
        let agent = agent.to_string();
        let entry = blocking(move || history.call(&agent, id, since))
            .await?
            .ok_or_else(|| {
                AgentError::phrased(
                    ErrorCode::InvalidInput,
                    Phrase::new("error.late.not_in_history"),
                    "that call is no longer in today's history",
                )
            })?;
        if let Some(why) = why_not_file_late(&entry) {
            return Err(why);
        }
        let call = PastCall {
            guid: entry.guid,
            number: entry.number,
            campaign: entry.campaign,
        };
        let action = self
            .trees
            .action_for(&call.campaign, &[&form.l1, &form.l2, &form.l3]);
        let view = CallView {
            number: Some(call.number.clone()),
            campaign: Some(call.campaign.clone()),
            ..CallView::default()
        };
        let kept = self.keep_if_scheduled(action, &view, &form).await;
        let filed = self.desk.file_late(call, form, action).await;
        self.take_back_if_refused(&filed, kept).await;
        filed
    }

    /// A SCHEDULE leaf's callback, kept before the disposition goes anywhere: the call's number, the campaign it is
    /// rescheduled in (else the call's), the picked time and the comment as its note. `None` when the leaf
    /// schedules nothing, there is nothing to keep (the desk then refuses the disposition with the same reason) or
    /// the file cannot be written (logged: the disposition itself must not wait for the reminder).
    async fn keep_if_scheduled(
        &self,
        action: Option<DialerAction>,
        view: &CallView,
        form: &DispositionForm,
    ) -> Option<i64> {
        if action != Some(DialerAction::Schedule) {
            return None;
        }
        let callbacks = self.callbacks.clone()?;
        let request = scheduled_callback(view, form);
        match blocking(move || callbacks.add(&request)).await {
            Ok(callback) => Some(callback.id),
            Err(err) => {
                tracing::info!(code = ?err.code(), %err, "no callback for this schedule");
                None
            }
        }
    }

    /// Takes back the callback of a filing the desk refused.
    async fn take_back_if_refused(&self, filed: &Result<Disposed>, kept: Option<i64>) {
        if let (Err(_), Some(id), Some(callbacks)) = (filed, kept, self.callbacks.clone()) {
            let _ = blocking(move || callbacks.dismiss(id)).await;
        }
    }
}

/// Why a call from today's history cannot be filed late, or `None` when it can: it must have ended, have reached
/// the server (a GUID), and have no disposition yet (one sent, waiting or refused is the outbox's to fix).
pub fn why_not_file_late(entry: &Entry) -> Option<AgentError> {
    let (phrase, message) = match entry.delivery {
        Delivery::NotFiled if entry.ending.is_none() => (
            Phrase::new("error.late.still_up"),
            "this call is still up: file it when it ends",
        ),
        Delivery::NotFiled if entry.guid.is_empty() => (
            Phrase::new("error.late.never_reached"),
            "this dial never reached the server: there is no call to file",
        ),
        Delivery::NotFiled => return None,
        Delivery::Sent => (
            Phrase::new("error.late.already_sent"),
            "this call's disposition was already sent",
        ),
        Delivery::Waiting | Delivery::Refused => (
            Phrase::new("error.late.in_outbox"),
            "this call's disposition is in the outbox: fix or resend it there",
        ),
    };
    Some(AgentError::phrased(
        ErrorCode::InvalidInput,
        phrase,
        message,
    ))
}

fn scheduled_callback(view: &CallView, form: &DispositionForm) -> NewCallback {
    let picked = form
        .camptoreschedule
        .as_deref()
        .map(str::trim)
        .unwrap_or("");
    NewCallback {
        number: view.number.clone().unwrap_or_default(),
        campaign: if picked.is_empty() {
            view.campaign.clone().unwrap_or_default()
        } else {
            picked.to_string()
        },
        when: form.schedule.clone().unwrap_or_default(),
        note: form.comment.clone(),
    }
}

/// Runs SQLite work on tokio's blocking pool, never on an async worker.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AgentError::new(ErrorCode::Internal, format!("a worker stopped: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;
    use call_history::Ending;

    fn entry(delivery: Delivery, guid: &str, ended: bool) -> Entry {
        Entry {
            id: 1,
            guid: guid.into(),
            campaign: "Ventas".into(),
            number: "099123456".into(),
            started_at: 0,
            ended_at: ended.then_some(1),
            wrap_end: None,
            ending: ended.then_some(Ending::Customer),
            disposition: String::new(),
            delivery,
            tags: Vec::new(),
        }
    }

    #[test]
    fn only_an_ended_call_that_reached_the_server_and_has_no_disposition_is_filed_late() {
        assert!(why_not_file_late(&entry(Delivery::NotFiled, "g-1", true)).is_none());
        let still_up = why_not_file_late(&entry(Delivery::NotFiled, "g-1", false))
            .unwrap()
            .to_string();
        assert!(still_up.contains("still up"));
        let never = why_not_file_late(&entry(Delivery::NotFiled, "", true))
            .unwrap()
            .to_string();
        assert!(never.contains("never reached the server"));
        let sent = why_not_file_late(&entry(Delivery::Sent, "g-1", true))
            .unwrap()
            .to_string();
        assert!(sent.contains("already sent"));
        for waiting in [Delivery::Waiting, Delivery::Refused] {
            let why = why_not_file_late(&entry(waiting, "g-1", true))
                .unwrap()
                .to_string();
            assert!(why.contains("outbox"), "{why}");
        }
    }

    #[test]
    fn a_scheduled_callback_takes_the_picked_campaign_else_the_calls() {
        let view = CallView {
            number: Some("099123456".into()),
            campaign: Some("Ventas".into()),
            ..CallView::default()
        };
        let mut form = DispositionForm {
            l1: "Volver a llamar".into(),
            schedule: Some("2026-12-07 10:00".into()),
            comment: "after lunch".into(),
            ..DispositionForm::default()
        };
        let request = scheduled_callback(&view, &form);
        assert_eq!(
            (request.number.as_str(), request.campaign.as_str()),
            ("099123456", "Ventas")
        );
        assert_eq!(request.note, "after lunch");
        form.camptoreschedule = Some(" Cobranzas ".into());
        assert_eq!(scheduled_callback(&view, &form).campaign, "Cobranzas");
    }
}

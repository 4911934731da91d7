//! Recording the history from the desk's events: a call is added when it has a GUID (or when its dial failed),
//! finished by the desk's facts (who hung up, what was filed, tags), and its wrap-up closed when it leaves the desk.
//! The disposition's delivery follows the outbox: each time the outbox changes, what was waiting or refused is
//! looked up there again. Breaks are added when they end.
//!
//! All of it runs on this task, after the desk has answered: a slow disk never slows a dial or a hang-up. A failure
//! to record is logged and the agent keeps working (the history is a convenience, the outbox is the record).

use tokio::sync::broadcast::{self, error::RecvError};

use crate::breaks::{BreakState, BreakStatus, Breaks};
use crate::desk::{CallFact, CallState, CallView, DeskEvent, DeskHandle};
use agent_error::Result;
use call_history::{now_ms, Delivery, Ending, HistoryStore, NewCall};

/// Follows one signed-in agent's desk and breaks into the history file.
pub struct Recorder {
    store: HistoryStore,
    agent: String,
    desk: DeskHandle,
    last: CallView,
    on_break: Option<i64>,
    changed: broadcast::Sender<()>,
}

impl Recorder {
    /// Starts recording `agent`'s calls from `desk` and breaks from `breaks` (when there are any); the task stops
    /// with the desk. The receiver hears of each change written (for a Today screen on display).
    pub async fn spawn(
        store: HistoryStore,
        agent: String,
        desk: DeskHandle,
        breaks: Option<Breaks>,
    ) -> broadcast::Receiver<()> {
        let (changed, changes) = broadcast::channel(16);
        let mut desk_events = desk.subscribe();
        let (mut break_events, on_break) = match &breaks {
            Some(b) => (Some(b.subscribe()), on_break_since(&b.status().await)),
            None => (None, None),
        };
        let mut recorder = Recorder {
            store,
            agent,
            desk: desk.clone(),
            last: CallView::default(),
            on_break,
            changed,
        };
        let view = desk.snapshot().await;
        recorder.log(|r| r.view(&view));
        tokio::spawn(async move {
            loop {
                let breaks_next = async {
                    match break_events.as_mut() {
                        Some(rx) => rx.recv().await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    event = desk_events.recv() => match event {
                        Ok(event) => recorder.log(|r| r.desk_event(event)),
                        Err(RecvError::Lagged(_)) => {
                            let view = recorder.desk.snapshot().await;
                            recorder.log(|r| r.view(&view));
                        }
                        Err(RecvError::Closed) => break,
                    },
                    status = breaks_next => match status {
                        Ok(status) => recorder.log(|r| r.break_status(&status)),
                        Err(RecvError::Lagged(_)) => {}
                        Err(RecvError::Closed) => break_events = None,
                    },
                }
            }
        });
        changes
    }

    /// Runs one step; the receiver hears of it only when the step wrote something (a desk event that changes no
    /// row, such as a notice, is not a change for a Today screen to read again).
    fn log(&mut self, step: impl FnOnce(&mut Self) -> Result<bool>) {
        match step(self) {
            Ok(true) => {
                let _ = self.changed.send(());
            }
            Ok(false) => {}
            Err(err) => tracing::warn!(%err, "the call history could not record a change"),
        }
    }

    fn desk_event(&mut self, event: DeskEvent) -> Result<bool> {
        match event {
            DeskEvent::State { view } => self.view(&view),
            DeskEvent::Fact { fact } => self.fact(fact).map(|()| true),
            DeskEvent::Outbox { .. } => reconcile(&self.store, &self.agent, &self.desk),
            DeskEvent::Notice { .. } | DeskEvent::Connection { .. } => Ok(false),
        }
    }

    /// Follows the desk's view; answers whether a row was added or a wrap-up closed.
    fn view(&mut self, view: &CallView) -> Result<bool> {
        let mut wrote = false;
        let now = now_ms();
        let last = std::mem::replace(&mut self.last, view.clone());
        if let Some(left) = last
            .guid
            .as_deref()
            .filter(|g| view.guid.as_deref() != Some(*g))
        {
            self.store.wrap_over(left, now)?;
            wrote = true;
        }
        let new_call = |guid: &str| NewCall {
            agent: self.agent.clone(),
            guid: guid.to_string(),
            number: view.number.clone().unwrap_or_default(),
            campaign: view.campaign.clone().unwrap_or_default(),
            started_at: view.started_at.unwrap_or(now),
            ended_at: view.ended_at,
            ending: None,
        };
        match (view.state, view.guid.as_deref()) {
            (CallState::InCall | CallState::WrapUp, Some(guid)) if !self.store.has(guid)? => {
                let mut call = new_call(guid);
                if view.failed_attempt {
                    call.ending = Some(Ending::NotPlaced);
                    call.ended_at = Some(view.ended_at.unwrap_or(now));
                }
                self.store.add(&call)?;
                wrote = true;
            }
            // A dial that failed with no wrap-up of its own: recorded all at once, with no GUID.
            (CallState::Idle, None)
                if last.state == CallState::Dialing && view.last_error.is_some() =>
            {
                self.store.add(&NewCall {
                    agent: self.agent.clone(),
                    number: last.number.clone().unwrap_or_default(),
                    campaign: last.campaign.clone().unwrap_or_default(),
                    started_at: last.started_at.unwrap_or(now),
                    ended_at: Some(now),
                    ending: Some(Ending::NotPlaced),
                    ..NewCall::default()
                })?;
                wrote = true;
            }
            _ => {}
        }
        Ok(wrote)
    }

    fn fact(&mut self, fact: CallFact) -> Result<()> {
        let now = now_ms();
        match fact {
            CallFact::Ended { guid, how } => self.store.ended(&guid, now, how),
            CallFact::Filed {
                guid,
                disposition,
                delivered,
                refused,
            } => {
                let delivery = match (delivered, refused) {
                    (_, true) => Delivery::Refused,
                    (true, _) => Delivery::Sent,
                    _ => Delivery::Waiting,
                };
                self.store.filed(&guid, &disposition, delivery, now)
            }
            CallFact::Tagged { guid, text } => self.store.tagged(&guid, &text),
        }
    }

    fn break_status(&mut self, status: &BreakStatus) -> Result<bool> {
        let now_on = on_break_since(status);
        let ended = self.on_break.filter(|s| now_on != Some(*s));
        if let Some(start) = ended {
            self.store.add_break(&self.agent, start, now_ms())?;
        }
        self.on_break = now_on;
        Ok(ended.is_some())
    }
}

/// When the break under way started, if the agent is on one.
pub fn on_break_since(status: &BreakStatus) -> Option<i64> {
    (status.state == BreakState::OnBreak)
        .then_some(status.since)
        .flatten()
}

/// Brings the delivery state of what was waiting or refused up to date with the outbox; answers whether one
/// changed.
pub fn reconcile(store: &HistoryStore, agent: &str, desk: &DeskHandle) -> Result<bool> {
    let unsettled = store.unsettled(agent)?;
    if unsettled.is_empty() {
        return Ok(false);
    }
    let items = desk.outbox_items()?;
    let mut changed = false;
    for (guid, was) in unsettled {
        let now = was.follow_outbox(&guid, &items);
        if now != was {
            store.set_delivery(&guid, now)?;
            if now == Delivery::Sent {
                store.wrap_over(&guid, now_ms())?;
            }
            changed = true;
        }
    }
    Ok(changed)
}

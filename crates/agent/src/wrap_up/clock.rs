//! The clock itself: a task that follows the desk, keeps the countdown the rules start (on disk, in the sealed
//! file of `store`), extends it on request and files the timeout code when it runs out.

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use tokio::sync::{broadcast, mpsc, oneshot};

use super::rules::{Countdown, WrapUpLimits};
use super::store::{Saved, Store};
use crate::desk::{CallState, DeskEvent, DeskHandle, DispositionForm};
use agent_error::{AgentError, ErrorCode, Phrase, Result};
use outbox::{Job, PayloadSeal};

/// What the clock publishes.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClockEvent {
    /// A countdown runs (started or extended).
    Running {
        /// The countdown.
        countdown: Countdown,
    },
    /// No countdown (the disposition was filed, or the campaign has no limit).
    Stopped,
    /// The time ran out and the timeout code was filed.
    TimedOut {
        /// The call.
        guid: String,
        /// The codes filed, `l1 / l2 / l3`.
        codes: String,
        /// The comment filed.
        comment: String,
    },
}

enum Order {
    Extend(oneshot::Sender<Result<Countdown>>),
    Note(DispositionForm, oneshot::Sender<()>),
    Limits(WrapUpLimits),
    Current(oneshot::Sender<Option<Countdown>>),
}

/// A handle to the wrap-up clock.
#[derive(Clone)]
pub struct WrapUpClock {
    orders: mpsc::Sender<Order>,
    events: broadcast::Sender<ClockEvent>,
}

fn stopped() -> AgentError {
    AgentError::new(ErrorCode::NotSignedIn, "the wrap-up clock has stopped")
}

impl WrapUpClock {
    /// Starts the clock for `desk`, with the countdown left in `file` by an earlier run, if any.
    pub fn start(
        file: PathBuf,
        seal: Arc<dyn PayloadSeal>,
        agent: String,
        limits: WrapUpLimits,
        desk: DeskHandle,
    ) -> WrapUpClock {
        let (orders, inbox) = mpsc::channel(16);
        let (events, _) = broadcast::channel(16);
        let store = Store { file, seal };
        let saved = store.load();
        let clock = Clock {
            store,
            agent,
            limits,
            desk,
            events: events.clone(),
            orphan: saved.is_some(),
            saved,
        };
        tokio::spawn(clock.run(inbox));
        WrapUpClock { orders, events }
    }

    /// "+30 s".
    pub async fn extend(&self) -> Result<Countdown> {
        let (reply, answer) = oneshot::channel();
        self.orders
            .send(Order::Extend(reply))
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    /// What the agent has typed in the form so far: kept (on disk, when it returns) for the automatic
    /// disposition's comment.
    pub async fn note(&self, form: DispositionForm) {
        let (reply, kept) = oneshot::channel();
        if self.orders.send(Order::Note(form, reply)).await.is_ok() {
            let _ = kept.await;
        }
    }

    /// New settings (the next wrap-up uses them).
    pub async fn set_limits(&self, limits: WrapUpLimits) {
        let _ = self.orders.send(Order::Limits(limits)).await;
    }

    /// The countdown now, if one runs.
    pub async fn current(&self) -> Option<Countdown> {
        let (reply, answer) = oneshot::channel();
        self.orders.send(Order::Current(reply)).await.ok()?;
        answer.await.ok().flatten()
    }

    /// Every change from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<ClockEvent> {
        self.events.subscribe()
    }
}

struct Clock {
    store: Store,
    agent: String,
    limits: WrapUpLimits,
    desk: DeskHandle,
    events: broadcast::Sender<ClockEvent>,
    saved: Option<Saved>,
    /// The saved countdown came from an earlier run and its call is not on the desk.
    orphan: bool,
}

impl Clock {
    /// Now on the desk's injected clock (Unix ms): one clock for the call, the outbox and the countdown.
    fn now_ms(&self) -> i64 {
        self.desk.courier().now_ms()
    }

    async fn run(mut self, mut inbox: mpsc::Receiver<Order>) {
        let mut desk_events = self.desk.subscribe();
        // A wrap-up already on the desk (the clock started after it) gets its countdown too.
        let view = self.desk.snapshot().await;
        self.follow(&view).await;
        loop {
            let deadline = self.saved.as_ref().map(|s| s.countdown.deadline);
            let now = self.now_ms();
            let due = async {
                match deadline {
                    Some(at) => {
                        let wait = (at - now).max(0) as u64;
                        tokio::time::sleep(std::time::Duration::from_millis(wait)).await
                    }
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                event = desk_events.recv() => match event {
                    Ok(DeskEvent::State { view }) => self.follow(&view).await,
                    Ok(_) => {}
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        let view = self.desk.snapshot().await;
                        self.follow(&view).await;
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                },
                order = inbox.recv() => match order {
                    Some(order) => self.obey(order),
                    None => break,
                },
                () = due => self.time_out().await,
            }
        }
    }

    /// The desk changed: a wrap-up starts its countdown; the desk leaving that wrap-up ends it (the agent filed the
    /// disposition). A countdown left by an earlier run (an orphan: the desk lost its call) runs to its deadline,
    /// or is filed at once when the next wrap-up starts.
    async fn follow(&mut self, view: &crate::desk::CallView) {
        let guid = view.guid.clone().unwrap_or_default();
        let on_desk = view.state == CallState::WrapUp;
        match &self.saved {
            Some(saved) if on_desk && saved.countdown.guid == guid => self.orphan = false,
            Some(_) if self.orphan && on_desk => {
                self.time_out().await;
                self.begin(view);
            }
            Some(_) if self.orphan => {}
            Some(_) => {
                self.stop();
                if on_desk {
                    self.begin(view);
                }
            }
            None if on_desk => self.begin(view),
            None => {}
        }
    }

    fn begin(&mut self, view: &crate::desk::CallView) {
        if let Some(countdown) = Countdown::begin(&self.limits, view, self.now_ms()) {
            self.orphan = false;
            self.keep(Saved {
                countdown,
                note: DispositionForm::default(),
            });
        }
    }

    fn keep(&mut self, saved: Saved) {
        if let Err(err) = self.store.save(&saved) {
            tracing::error!(%err, "wrap-up countdown not saved");
        }
        let _ = self.events.send(ClockEvent::Running {
            countdown: saved.countdown.clone(),
        });
        self.saved = Some(saved);
    }

    fn stop(&mut self) {
        if self.saved.take().is_some() {
            self.store.clear();
            let _ = self.events.send(ClockEvent::Stopped);
        }
    }

    fn obey(&mut self, order: Order) {
        match order {
            Order::Extend(reply) => {
                let result = match self.saved.clone() {
                    None => Err(AgentError::phrased(
                        ErrorCode::NoCall,
                        Phrase::new("error.wrap_up.no_limit"),
                        "no wrap-up time limit is running",
                    )),
                    Some(mut saved) => saved.countdown.extend().map(|()| {
                        let countdown = saved.countdown.clone();
                        self.keep(saved);
                        countdown
                    }),
                };
                let _ = reply.send(result);
            }
            Order::Note(note, kept) => {
                if let Some(mut saved) = self.saved.clone() {
                    saved.note = note;
                    if let Err(err) = self.store.save(&saved) {
                        tracing::error!(%err, "wrap-up note not saved");
                    }
                    self.saved = Some(saved);
                }
                let _ = kept.send(());
            }
            Order::Limits(limits) => self.limits = limits,
            Order::Current(reply) => {
                let _ = reply.send(self.saved.as_ref().map(|s| s.countdown.clone()));
            }
        }
    }

    /// Zero: the timeout code, through the desk when it still holds the call, else straight into the outbox.
    async fn time_out(&mut self) {
        let Some(saved) = self.saved.clone() else {
            return;
        };
        let form = saved.countdown.timeout_form(&saved.note);
        let view = self.desk.snapshot().await;
        let on_desk = view.state == CallState::WrapUp
            && view.guid.as_deref() == Some(saved.countdown.guid.as_str());
        let filed = if on_desk {
            self.desk.dispose(form.clone()).await.map(|_| ())
        } else {
            let c = &saved.countdown;
            let disposition = integra::Disposition {
                campaign: c.campaign.clone(),
                agent: self.agent.clone(),
                callerid: c.number.clone(),
                guid: c.guid.clone(),
                l1: form.l1.clone(),
                l2: form.l2.clone(),
                l3: form.l3.clone(),
                d1: form.d1.clone(),
                d2: form.d2.clone(),
                comment: form.comment.clone(),
                schedule: None,
                camptoreschedule: None,
                tag: form.tag.clone(),
            };
            self.desk
                .courier()
                .submit(Job::Disposition(Box::new(disposition)))
                .await
                .map(|_| ())
        };
        match filed {
            Ok(()) => {
                let codes = [&form.l1, &form.l2, &form.l3]
                    .iter()
                    .filter(|l| !l.is_empty())
                    .map(|l| l.as_str())
                    .collect::<Vec<_>>()
                    .join(" / ");
                self.saved = None;
                self.store.clear();
                let _ = self.events.send(ClockEvent::TimedOut {
                    guid: saved.countdown.guid.clone(),
                    codes,
                    comment: form.comment,
                });
            }
            Err(err) => {
                // The desk refused it (the agent filed it at that very moment) or the outbox could not store it:
                // the form, if still open, is the agent's to file.
                tracing::error!(%err, "the timeout disposition could not be filed");
                self.saved = None;
                self.store.clear();
                let _ = self.events.send(ClockEvent::Stopped);
            }
        }
    }
}

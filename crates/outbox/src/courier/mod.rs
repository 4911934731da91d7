//! The courier: the one sender of the outbox. A single tokio task sends items one at a time (never two requests in
//! flight, never the same item twice at once), keeps each call's order (a dialer action goes only after its
//! call's disposition was acknowledged), retries what failed on the way with backoff and jitter, signs in again
//! after a 401 and then resends, and keeps what the server refused (`0`) for the agent to fix, resend or discard.
//!
//! Submitting writes the item to disk in the caller (so "submitted" means committed) and then asks the task for
//! one immediate try; the answer tells the UI "saved" or "waiting on this computer". From then on the task owns
//! the item: on start it resumes what was left, it wakes when an item is due, and [`Courier::nudge`] (the network
//! or the session came back) makes it try everything at once.

//!
//! Everyone else reaches the outbox through the courier's handle: what waits ([`Courier::items`],
//! [`Courier::counts`]), one item's request ([`Courier::item`]), and the agent's edit, resend and discard.

mod backoff;
mod delivery;
mod sign_in;
mod task;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{broadcast, mpsc, oneshot, Notify};

pub use crate::clock::{Clock, ManualClock, SystemClock};
pub use backoff::{Backoff, FixedJitter, Jitter, RandomJitter};
pub use delivery::{Delivery, Submitted};
pub use sign_in::{SignIn, SignInFuture};

use crate::{ItemState, Job, Outbox, OutboxCounts, OutboxItemView};
use agent_error::{AgentError, ErrorCode, Phrase, Result};

/// How the courier paces itself.
#[derive(Clone)]
pub struct CourierOptions {
    /// Delays between attempts of one item.
    pub backoff: Backoff,
    /// The longest it stays idle before looking at the outbox again (covers clock changes).
    pub poll_every: Duration,
    /// Time, for `next_attempt_at`.
    pub clock: Arc<dyn Clock>,
    /// Chance, for the jitter.
    pub jitter: Arc<dyn Jitter>,
}

impl Default for CourierOptions {
    fn default() -> Self {
        Self {
            backoff: Backoff::default(),
            poll_every: Duration::from_secs(30),
            clock: Arc::new(SystemClock),
            jitter: Arc::new(RandomJitter::default()),
        }
    }
}

impl std::fmt::Debug for CourierOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CourierOptions")
            .field("backoff", &self.backoff)
            .field("poll_every", &self.poll_every)
            .finish_non_exhaustive()
    }
}

/// What the courier publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourierEvent {
    /// The outbox changed (an item arrived, left, was refused or edited).
    Changed(OutboxCounts),
    /// A 401 could not be cured by signing in again; items wait until the agent signs in.
    SignInLost(String),
    /// A try reached the server (`None`: it answered, acknowledging or refusing) or did not (the failure's code
    /// and message): what the connection light shows.
    Reached(Option<(ErrorCode, String)>),
}

type Reply<T> = oneshot::Sender<Result<T>>;

enum Order {
    Try {
        id: i64,
        reply: Reply<Delivery>,
    },
    Edit {
        id: i64,
        job: Job,
        reply: Reply<Delivery>,
    },
    Resend {
        id: i64,
        reply: Reply<Delivery>,
    },
    Discard {
        id: i64,
        reply: Reply<()>,
    },
    Sweep {
        due_only: bool,
        reply: Reply<usize>,
    },
}

/// A handle to the courier task; clones share it. The task stops when the last handle is dropped.
#[derive(Clone)]
pub struct Courier {
    orders: mpsc::Sender<Order>,
    nudge: Arc<Notify>,
    events: broadcast::Sender<CourierEvent>,
    outbox: Outbox,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Courier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Courier")
    }
}

fn stopped() -> AgentError {
    AgentError::phrased(
        ErrorCode::NotSignedIn,
        Phrase::new("error.outbox.stopped"),
        "the outbox sender has stopped (signed out); items stay on this computer",
    )
}

impl Courier {
    /// Starts the courier for `outbox`, sending as `sign_in` (asked to sign in again after a 401). It resumes the
    /// items left from earlier runs at once.
    pub fn spawn(outbox: Outbox, sign_in: Arc<dyn SignIn>, options: CourierOptions) -> Courier {
        let (orders, inbox) = mpsc::channel(64);
        let (events, _) = broadcast::channel(256);
        let nudge = Arc::new(Notify::new());
        let courier = Courier {
            orders,
            nudge: nudge.clone(),
            events: events.clone(),
            outbox: outbox.clone(),
            clock: options.clock.clone(),
        };
        let task = task::Post::new(outbox, sign_in, options, events);
        tokio::spawn(task.run(inbox, nudge));
        courier
    }

    async fn ask<T>(&self, make: impl FnOnce(Reply<T>) -> Order) -> Result<T> {
        let (reply, answer) = oneshot::channel();
        self.orders.send(make(reply)).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    /// Writes `job` to disk (committed before this returns anything), queued behind earlier items of the call it
    /// carries, then tries it once at once.
    pub async fn submit(&self, job: Job) -> Result<Submitted> {
        let id = self.outbox.enqueue(&job, self.clock.now_ms())?;
        self.try_submitted(id).await
    }

    /// Like [`Courier::submit`] for a request queued behind the items of `call_guid` (a respool, schedule or
    /// blacklist entry that follows the call's disposition).
    pub async fn submit_for_call(&self, call_guid: &str, job: Job) -> Result<Submitted> {
        let id = self
            .outbox
            .enqueue_for_call(call_guid, &job, self.clock.now_ms())?;
        self.try_submitted(id).await
    }

    async fn try_submitted(&self, id: i64) -> Result<Submitted> {
        let _ = self
            .events
            .send(CourierEvent::Changed(self.outbox.counts()?));
        let delivery = self.ask(|reply| Order::Try { id, reply }).await;
        // The item is on disk whatever the task answers; a stopped courier only means it goes out later.
        let delivery = delivery.unwrap_or_else(Delivery::Waiting);
        Ok(Submitted { id, delivery })
    }

    /// Replaces the request of item `id` (the agent fixed a refused item; same kind, same call) and tries it.
    pub async fn edit(&self, id: i64, job: Job) -> Result<Delivery> {
        self.ask(|reply| Order::Edit { id, job, reply }).await
    }

    /// Puts item `id` back in line as it is and tries it.
    pub async fn resend(&self, id: i64) -> Result<Delivery> {
        self.ask(|reply| Order::Resend { id, reply }).await
    }

    /// Drops item `id` on the agent's word; it is never sent.
    pub async fn discard(&self, id: i64) -> Result<()> {
        self.ask(|reply| Order::Discard { id, reply }).await
    }

    /// Tries every waiting item now, backoff or not, in order; stops at the first that does not get through.
    /// Answers how many items are left (pending and rejected).
    pub async fn flush_now(&self) -> Result<usize> {
        self.ask(|reply| Order::Sweep {
            due_only: false,
            reply,
        })
        .await
    }

    /// Tries the items whose time has come, as the courier's own timer does. Answers how many are left.
    pub async fn deliver_due(&self) -> Result<usize> {
        self.ask(|reply| Order::Sweep {
            due_only: true,
            reply,
        })
        .await
    }

    /// Try everything at once, without waiting for an answer: the network or the session came back, the
    /// computer woke up.
    pub fn nudge(&self) {
        self.nudge.notify_one();
    }

    /// Every item as the agent sees it, oldest first.
    pub fn items(&self) -> Result<Vec<OutboxItemView>> {
        self.outbox.views()
    }

    /// How many items wait for the server and for the agent.
    pub fn counts(&self) -> Result<OutboxCounts> {
        self.outbox.counts()
    }

    /// How many items are in the outbox (pending or rejected): one cheap count, for the call card.
    pub fn count(&self) -> Result<usize> {
        self.outbox.count()
    }

    /// The request of item `id` (for the agent to edit it); `None` when it is gone (sent or discarded).
    pub fn item(&self, id: i64) -> Result<Option<Job>> {
        Ok(self.outbox.get(id)?.map(|stored| stored.job))
    }

    /// The disposition of call `guid` the server refused, if one waits for the agent: a new disposition of the
    /// call replaces it rather than queue a second one.
    pub fn refused_disposition(&self, guid: &str) -> Result<Option<i64>> {
        Ok(self.outbox.items()?.into_iter().find_map(|item| {
            let refused = item.state == ItemState::Rejected
                && matches!(&item.job, Job::Disposition(d) if d.guid == guid);
            refused.then_some(item.id)
        }))
    }

    /// The time on the courier's clock (Unix ms): the one clock the outbox's times and the desk's use.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Changes from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<CourierEvent> {
        self.events.subscribe()
    }
}

//! The courier's task: one loop that answers orders, sweeps the outbox one item at a time (orders get in between
//! items, so a disposition's first try never waits for a long sweep), and sleeps until the next item is due.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{broadcast, mpsc, Notify};

use super::{CourierEvent, CourierOptions, Delivery, Order, Reply, SignIn};
use crate::{ItemState, Outbox, OutboxCounts};
use agent_error::{AgentError, ErrorCode, Phrase, Result};

/// A pass over the outbox in id order.
struct Sweep {
    /// Only items whose `next_attempt_at` has come (the timer) or every item (a flush, a nudge).
    due_only: bool,
    /// The last id looked at.
    cursor: i64,
    /// The newest item when the pass began: later ones get their own first try from whoever submitted them.
    upto: i64,
    /// Calls whose earlier item did not go out in this pass: their later items wait.
    held: HashSet<String>,
    /// Who asked for this pass, answered with the count left when it ends.
    waiters: Vec<Reply<usize>>,
}

impl Sweep {
    fn new(outbox: &Outbox, due_only: bool, waiters: Vec<Reply<usize>>) -> Self {
        Self {
            due_only,
            cursor: 0,
            upto: match outbox.newest() {
                Ok(newest) => newest.unwrap_or(0),
                Err(_) => i64::MAX,
            },
            held: HashSet::new(),
            waiters,
        }
    }
}

pub(super) struct Post {
    outbox: Outbox,
    sign_in: Arc<dyn SignIn>,
    options: CourierOptions,
    events: broadcast::Sender<CourierEvent>,
    /// After a failure on the way, the timer leaves everything alone until then (Unix ms): one request per
    /// backoff step while the server is down, not one per item.
    quiet_until: i64,
    sweep: Option<Sweep>,
    published: Option<OutboxCounts>,
}

fn missing(id: i64) -> AgentError {
    AgentError::phrased(
        ErrorCode::OutboxItemMissing,
        Phrase::new("error.outbox.missing").with("id", id.to_string()),
        format!("item {id} is no longer in the outbox (it was sent or discarded)"),
    )
}

/// Failures the server will answer the same way however often the item is sent: they wait for the agent.
fn refused(err: &integra::Error) -> bool {
    use integra::Error as E;
    match err {
        E::Rejected { .. } | E::InvalidInput { .. } | E::NotFound { .. } | E::Io { .. } => true,
        E::Status { status, .. } => {
            (400..500).contains(status) && !matches!(status, 401 | 408 | 429)
        }
        _ => false,
    }
}

impl Post {
    pub fn new(
        outbox: Outbox,
        sign_in: Arc<dyn SignIn>,
        options: CourierOptions,
        events: broadcast::Sender<CourierEvent>,
    ) -> Self {
        // What earlier runs left goes out at once: the app just started and nothing says the server is down.
        let resume = Sweep::new(&outbox, false, Vec::new());
        Self {
            outbox,
            sign_in,
            options,
            events,
            quiet_until: 0,
            sweep: Some(resume),
            published: None,
        }
    }

    pub async fn run(mut self, mut orders: mpsc::Receiver<Order>, nudge: Arc<Notify>) {
        self.publish(false);
        loop {
            let wait = self.wait();
            tokio::select! {
                biased;
                order = orders.recv() => match order {
                    Some(order) => self.handle(order).await,
                    None => break,
                },
                () = nudge.notified() => {
                    self.quiet_until = 0;
                    self.begin(false, None);
                }
                () = std::future::ready(()), if self.sweep.is_some() => self.step().await,
                () = tokio::time::sleep(wait), if self.sweep.is_none() => self.begin(true, None),
            }
        }
    }

    fn now(&self) -> i64 {
        self.options.clock.now_ms()
    }

    /// Tells subscribers the outbox changed: always after an item was tried or the agent acted on one (its
    /// attempts, error or schedule moved), otherwise only when the counts moved.
    fn publish(&mut self, tried: bool) {
        if let Ok(counts) = self.outbox.counts() {
            if tried || self.published != Some(counts) {
                self.published = Some(counts);
                let _ = self.events.send(CourierEvent::Changed(counts));
            }
        }
    }

    /// How long to sleep until the first item that may go is due (or the quiet period ends).
    fn wait(&self) -> Duration {
        let poll = self.options.poll_every;
        let Ok(lines) = self.outbox.lines(0) else {
            return poll;
        };
        let mut held = HashSet::new();
        let mut due: Option<i64> = None;
        for line in lines {
            if !line.call_guid.is_empty() && !held.insert(line.call_guid.clone()) {
                continue;
            }
            if line.state == ItemState::Pending {
                due = Some(due.map_or(line.next_attempt_at, |d| d.min(line.next_attempt_at)));
            }
        }
        match due {
            None => poll,
            Some(due) => {
                let ms = due.max(self.quiet_until) - self.now();
                Duration::from_millis(ms.max(0) as u64).min(poll)
            }
        }
    }

    fn begin(&mut self, due_only: bool, waiter: Option<Reply<usize>>) {
        match &mut self.sweep {
            Some(sweep) => {
                sweep.waiters.extend(waiter);
                if sweep.due_only && !due_only {
                    // A flush asked for more than the running pass does: start over without the schedule.
                    *sweep = Sweep::new(&self.outbox, false, std::mem::take(&mut sweep.waiters));
                }
            }
            None => {
                self.sweep = Some(Sweep::new(
                    &self.outbox,
                    due_only,
                    waiter.into_iter().collect(),
                ))
            }
        }
    }

    fn end(&mut self, sweep: Sweep) {
        let left = self.outbox.count();
        for waiter in sweep.waiters {
            let _ = waiter.send(match &left {
                Ok(n) => Ok(*n),
                Err(e) => Err(match e.phrase() {
                    Some(phrase) => AgentError::phrased(e.code(), phrase.clone(), e.to_string()),
                    None => AgentError::new(e.code(), e.to_string()),
                }),
            });
        }
        self.publish(false);
    }

    /// Sends the next item of the running pass, or ends it.
    async fn step(&mut self) {
        let Some(mut sweep) = self.sweep.take() else {
            return;
        };
        let now = self.now();
        if sweep.due_only && now < self.quiet_until {
            return self.end(sweep);
        }
        let lines = match self.outbox.lines(sweep.cursor) {
            Ok(lines) => lines,
            Err(err) => {
                tracing::warn!(%err, "outbox unreadable");
                return self.end(sweep);
            }
        };
        let mut next = None;
        for line in lines.into_iter().take_while(|l| l.id <= sweep.upto) {
            sweep.cursor = line.id;
            let in_call = !line.call_guid.is_empty();
            if in_call && sweep.held.contains(&line.call_guid) {
                continue;
            }
            let waits =
                line.state == ItemState::Rejected || (sweep.due_only && line.next_attempt_at > now);
            if waits {
                if in_call {
                    sweep.held.insert(line.call_guid);
                }
                continue;
            }
            next = Some(line);
            break;
        }
        let Some(line) = next else {
            return self.end(sweep);
        };
        match self.attempt(line.id).await {
            Ok(Delivery::Delivered) => {}
            Ok(Delivery::Rejected(_)) | Ok(Delivery::Behind { .. }) => {
                if !line.call_guid.is_empty() {
                    sweep.held.insert(line.call_guid);
                }
            }
            // The server is in trouble: the rest waits for the next pass rather than hammering it.
            Ok(Delivery::Waiting(_)) | Err(_) => {
                self.publish(true);
                return self.end(sweep);
            }
        }
        self.publish(true);
        self.sweep = Some(sweep);
    }

    async fn handle(&mut self, order: Order) {
        match order {
            Order::Try { id, reply } => {
                let result = self.try_in_order(id).await;
                let _ = reply.send(result);
            }
            Order::Edit { id, job, reply } => {
                let result = match self.outbox.requeue(id, Some(&job)) {
                    Ok(true) => self.try_in_order(id).await,
                    Ok(false) => Err(missing(id)),
                    Err(err) => Err(err),
                };
                let _ = reply.send(result);
            }
            Order::Resend { id, reply } => {
                let result = match self.outbox.requeue(id, None) {
                    Ok(true) => self.try_in_order(id).await,
                    Ok(false) => Err(missing(id)),
                    Err(err) => Err(err),
                };
                let _ = reply.send(result);
            }
            Order::Discard { id, reply } => {
                let result = match self.outbox.discard(id) {
                    Ok(true) => Ok(()),
                    Ok(false) => Err(missing(id)),
                    Err(err) => Err(err),
                };
                let _ = reply.send(result);
            }
            Order::Sweep { due_only, reply } => {
                if !due_only {
                    self.quiet_until = 0;
                }
                self.begin(due_only, Some(reply));
            }
        }
        self.publish(true);
    }

    /// One try of `id`, unless an earlier item of its call has to go first. A running pass learns the outcome:
    /// it does not send the item again, and a failure on the way ends it as its own failures do.
    async fn try_in_order(&mut self, id: i64) -> Result<Delivery> {
        let delivery = match self.outbox.ahead_of(id)? {
            Some(item) => Delivery::Behind { item },
            None => self.attempt(id).await?,
        };
        match &delivery {
            Delivery::Waiting(_) => {
                if let Some(sweep) = self.sweep.take() {
                    self.end(sweep);
                }
            }
            Delivery::Rejected(_) | Delivery::Behind { .. } => {
                let call = self.outbox.get(id).ok().flatten().map(|i| i.call_guid);
                if let (Some(sweep), Some(call)) = (&mut self.sweep, call) {
                    if !call.is_empty() {
                        sweep.held.insert(call);
                    }
                }
            }
            Delivery::Delivered => {}
        }
        Ok(delivery)
    }

    /// Sends item `id` once (twice after a 401 cured by signing in again) and records the outcome on disk.
    async fn attempt(&mut self, id: i64) -> Result<Delivery> {
        let item = self.outbox.get(id)?.ok_or_else(|| missing(id))?;
        let mut result = item.job.deliver(self.sign_in.client()).await;
        if matches!(result, Err(integra::Error::Unauthorized { .. })) {
            // A 401 means the server did not act on the request: sign in again and send it once more.
            match self.sign_in.sign_in_again().await {
                Ok(()) => result = item.job.deliver(self.sign_in.client()).await,
                Err(err) => {
                    let _ = self.events.send(CourierEvent::SignInLost(err.to_string()));
                }
            }
        }
        // Any answer, an acknowledgement or a refusal, shows the server is there; the rest shows it is not.
        if !matches!(&result, Err(err) if !refused(err)) {
            let _ = self.events.send(CourierEvent::Reached(None));
        }
        match result {
            Ok(()) => {
                self.outbox.ack(id)?;
                self.quiet_until = 0;
                Ok(Delivery::Delivered)
            }
            Err(err) if refused(&err) => {
                let err = AgentError::from(err);
                self.outbox.record_rejection(id, &err.to_string())?;
                Ok(Delivery::Rejected(err))
            }
            Err(err) => {
                let err = AgentError::from(err);
                let failure = Some((err.code(), err.to_string()));
                let _ = self.events.send(CourierEvent::Reached(failure));
                let delay = self
                    .options
                    .backoff
                    .delay(item.attempts + 1, self.options.jitter.sample());
                let next = self.now() + delay.as_millis() as i64;
                self.quiet_until = next;
                self.outbox.record_retry(id, &err.to_string(), next)?;
                Ok(Delivery::Waiting(err))
            }
        }
    }
}

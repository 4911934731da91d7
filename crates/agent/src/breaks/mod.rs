//! Breaks: the agent available, on a break with a motive, or "break after this call". Each change is decided by
//! the pure rules in [`rules`], written to disk ([`BreakFile`]) and published, and only then is its AgentBreak /
//! AgentUnBreak handed to the outbox (on one line of their own, so an end never overtakes its start). A break
//! taken with the server down reaches it when it answers; a restart finds the break where it was.
//!
//! A queued break starts when the call on the desk is over: the desk goes back to idle once the disposition is
//! filed (acknowledged, or on disk waiting), and since the outbox sends in submission order the server gets the
//! disposition before the AgentBreak.

pub mod rules;
mod store;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, Mutex};

pub use rules::{check_dial, decide, BreakIntent, BreakState, BreakStatus, Signal};
pub use store::{BreakFile, FILE_NAME};

use crate::desk::{CallState, DeskEvent, DeskHandle};
use crate::profile::Identity;
use agent_error::Result;
use outbox::Job;

/// The break motives offered (`[breaks]` in settings). uContact has no endpoint that lists the motives configured
/// on the server, so the names here must match them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BreakSettings {
    /// Motive names, in menu order; the first is the hotkey's before any break was taken.
    pub motives: Vec<String>,
}

impl Default for BreakSettings {
    fn default() -> Self {
        Self {
            motives: ["Descanso", "Almuerzo", "Baño", "Capacitación", "Reunión"]
                .map(String::from)
                .to_vec(),
        }
    }
}

impl BreakSettings {
    /// The hotkey's motive before any break: the first listed.
    pub fn first_motive(&self) -> String {
        self.motives
            .iter()
            .map(|m| m.trim())
            .find(|m| !m.is_empty())
            .unwrap_or("Descanso")
            .to_string()
    }
}

struct Book {
    status: BreakStatus,
    file: BreakFile,
    identity: Identity,
}

/// A handle to the agent's breaks; clones share it.
#[derive(Clone)]
pub struct Breaks {
    book: Arc<Mutex<Book>>,
    desk: DeskHandle,
    events: broadcast::Sender<BreakStatus>,
}

impl Breaks {
    /// Reads the status kept in `file`, and follows `desk` so a queued break starts when the call is over (at
    /// once when the desk is idle: a break queued before a restart).
    pub async fn start(file: BreakFile, identity: Identity, desk: DeskHandle) -> Result<Breaks> {
        let status = file.load()?;
        let (events, _) = broadcast::channel(16);
        let breaks = Breaks {
            book: Arc::new(Mutex::new(Book {
                status,
                file,
                identity,
            })),
            desk: desk.clone(),
            events,
        };
        let mut desk_events = desk.subscribe();
        let mut was = desk.snapshot().await.state;
        if was == CallState::Idle {
            breaks.call_over().await;
        }
        let follower = breaks.clone();
        tokio::spawn(async move {
            loop {
                match desk_events.recv().await {
                    Ok(DeskEvent::State { view }) => {
                        if view.state == CallState::Idle && was != CallState::Idle {
                            follower.call_over().await;
                        }
                        was = view.state;
                    }
                    Ok(_) => {}
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        was = desk.snapshot().await.state;
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
        });
        Ok(breaks)
    }

    /// The status now.
    pub async fn status(&self) -> BreakStatus {
        self.book.lock().await.status.clone()
    }

    /// Goes on a break with `motive`, or queues it after the call on the desk.
    pub async fn take(&self, motive: &str) -> Result<BreakStatus> {
        self.apply(BreakIntent::Take(motive.to_string())).await
    }

    /// Ends the break (AgentUnBreak), or drops a queued one.
    pub async fn end(&self) -> Result<BreakStatus> {
        self.apply(BreakIntent::End).await
    }

    /// Drops the queued "break after this call".
    pub async fn cancel(&self) -> Result<BreakStatus> {
        self.apply(BreakIntent::Cancel).await
    }

    /// The hotkey: a break with the last motive (else `fallback`), or the end of the break.
    pub async fn toggle(&self, fallback: &str) -> Result<BreakStatus> {
        self.apply(BreakIntent::Toggle {
            fallback: fallback.to_string(),
        })
        .await
    }

    /// Refuses a dial during a break ([`agent_error::ErrorCode::OnBreak`]).
    pub async fn check_dial(&self) -> Result<()> {
        check_dial(&self.book.lock().await.status)
    }

    /// Every change from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<BreakStatus> {
        self.events.subscribe()
    }

    async fn call_over(&self) {
        if let Err(err) = self.apply(BreakIntent::CallOver).await {
            tracing::warn!(%err, "the queued break could not start");
        }
    }

    async fn apply(&self, intent: BreakIntent) -> Result<BreakStatus> {
        let call_on_desk = self.desk.snapshot().await.state != CallState::Idle;
        // One change at a time, from decision to outbox: two quick presses cannot send their requests crossed.
        let mut book = self.book.lock().await;
        // The desk's clock (the courier's, injected): one clock for the call, the outbox and the break.
        let now = self.desk.courier().now_ms();
        let (next, signal) = decide(&book.status, intent, call_on_desk, now)?;
        if next == book.status {
            return Ok(next);
        }
        book.file.save(&next)?;
        book.status = next.clone();
        let _ = self.events.send(next.clone());
        if let Some(signal) = signal {
            let job = job_for(&book.identity, signal);
            // On disk before this returns; the first try's outcome only decides whether it waits there.
            match self.desk.courier().submit(job).await {
                Ok(submitted) if !submitted.delivery.delivered() => {
                    tracing::info!(delivery = ?submitted.delivery, "break request waits in the outbox")
                }
                Ok(_) => {}
                Err(err) => tracing::error!(%err, "break request not stored"),
            }
        }
        Ok(next)
    }
}

/// AgentBreak / AgentUnBreak for the agent: their user, their interface (`SIP/<extension>`), the motive and a
/// message that says where it came from (saved in the server's queue log).
pub fn job_for(identity: &Identity, signal: Signal) -> Job {
    let pause = |motive: String, message: &str| integra::AgentPause {
        agent: identity.agent.clone(),
        interface: identity.interface(),
        motive,
        message: message.to_string(),
    };
    match signal {
        Signal::Break(motive) => Job::Break(pause(motive, "break from the Agent Companion")),
        Signal::Unbreak(motive) => {
            Job::Unbreak(pause(motive, "end of break from the Agent Companion"))
        }
    }
}

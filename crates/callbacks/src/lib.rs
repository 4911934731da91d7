//! Callbacks: "call this number back at this time", from a SCHEDULE leaf of the disposition tree or the agent's
//! *Remind me* on any call. Each is written to a local SQLite file ([`CallbackStore`], number and note sealed)
//! before anything else happens, and stays there until the agent marks it done or dismisses it: a restart finds
//! the list as it was, and a missed callback stays at the top. The reminder's timing is in [`timing`]; the shell
//! runs the task that wakes for it and shows the notification.

mod store;
pub mod timing;

use std::sync::Arc;
use std::time::Duration;

use chrono::{Local, TimeZone};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

pub use store::{Callback, CallbackStore, FILE_NAME};

use agent_error::{AgentError, ErrorCode, Phrase, Result};
use outbox::Clock;

/// Notes longer than this are refused (a note is a reminder, not a document).
pub const NOTE_LIMIT: usize = 500;

/// A callback the agent asks for.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NewCallback {
    /// The number, as typed or as the call had it.
    pub number: String,
    /// The campaign to call in (empty: the default one).
    pub campaign: String,
    /// When, local time: `2025-03-01 15:30` or a `datetime-local` value (`2025-03-01T15:30[:ss]`).
    pub when: String,
    /// A note for the agent.
    pub note: String,
}

/// A callback as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallbackView {
    /// The callback.
    #[serde(flatten)]
    pub callback: Callback,
    /// Its time has passed.
    pub missed: bool,
    /// Its reminder time has come (counted by the badge).
    pub due: bool,
}

/// The list, in the order shown, and how many are due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallbackList {
    /// Missed first, then by time.
    pub items: Vec<CallbackView>,
    /// How many are due now (the badge).
    pub due: usize,
}

/// The agent's callbacks; clones share them.
#[derive(Clone)]
pub struct Callbacks {
    store: CallbackStore,
    clock: Arc<dyn Clock>,
    changes: Arc<watch::Sender<u64>>,
}

fn missing(id: i64) -> AgentError {
    AgentError::phrased(
        ErrorCode::InvalidInput,
        Phrase::new("error.callbacks.missing").with("id", id.to_string()),
        format!("callback {id} is not on the list any more (done or dismissed already)"),
    )
}

fn lead_ms(lead: Duration) -> i64 {
    i64::try_from(lead.as_millis()).unwrap_or(i64::MAX)
}

impl Callbacks {
    /// The callbacks kept in `store`, on `clock`'s time.
    pub fn new(store: CallbackStore, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            changes: Arc::new(watch::channel(0).0),
        }
    }

    /// Now on the callbacks' clock, Unix ms.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Checks and writes a callback (on disk when this returns). A number that is no phone number, a time that
    /// is malformed or past, a note too long are refused naming what is wrong.
    pub fn add(&self, request: &NewCallback) -> Result<Callback> {
        let number = phone_number::normalize(&request.number)?;
        let now = self.now_ms();
        let local_now = chrono::DateTime::from_timestamp_millis(now)
            .map(|t| t.with_timezone(&Local).naive_local())
            .unwrap_or_default();
        let at = cti::parse_schedule(&request.when, local_now)?;
        let due_at = Local
            .from_local_datetime(&at)
            .earliest()
            .ok_or_else(|| {
                AgentError::phrased(
                    ErrorCode::InvalidSchedule,
                    Phrase::new("error.callbacks.no_such_time").with("at", at.to_string()),
                    format!("{at} does not exist on this computer's clock (a daylight-saving jump); pick another time"),
                )
            })?
            .timestamp_millis();
        let note = request.note.trim();
        if note.chars().count() > NOTE_LIMIT {
            return Err(AgentError::phrased(
                ErrorCode::InvalidInput,
                Phrase::new("error.callbacks.note_too_long").with("limit", NOTE_LIMIT.to_string()),
                format!("the note is longer than {NOTE_LIMIT} characters; shorten it"),
            ));
        }
        let callback =
            self.store
                .add(number.as_str(), request.campaign.trim(), due_at, note, now)?;
        tracing::info!(id = callback.id, due_at, "callback kept");
        self.changed();
        Ok(callback)
    }

    /// The list as shown, with `lead` as the reminder's lead time.
    pub fn list(&self, lead: Duration) -> Result<CallbackList> {
        let now = self.now_ms();
        let lead = lead_ms(lead);
        let mut all = self.store.all()?;
        timing::order(&mut all, now);
        let items: Vec<CallbackView> = all
            .into_iter()
            .map(|callback| CallbackView {
                missed: timing::missed(&callback, now),
                due: timing::due(&callback, lead, now),
                callback,
            })
            .collect();
        let due = items.iter().filter(|i| i.due).count();
        Ok(CallbackList { items, due })
    }

    /// One callback (to prefill the dial form with it).
    pub fn get(&self, id: i64) -> Result<Callback> {
        self.store.get(id)?.ok_or_else(|| missing(id))
    }

    /// The agent called back: the callback leaves the list.
    pub fn done(&self, id: i64) -> Result<()> {
        self.remove(id, "done")
    }

    /// The agent will not call back: the callback leaves the list.
    pub fn dismiss(&self, id: i64) -> Result<()> {
        self.remove(id, "dismissed")
    }

    fn remove(&self, id: i64, how: &str) -> Result<()> {
        if !self.store.remove(id)? {
            return Err(missing(id));
        }
        tracing::info!(id, how, "callback off the list");
        self.changed();
        Ok(())
    }

    /// The callbacks whose reminder is due and not shown yet, marked shown on disk first: each reminder is shown
    /// once, even across a restart.
    pub fn take_reminders(&self, lead: Duration) -> Result<Vec<Callback>> {
        let now = self.now_ms();
        let lead = lead_ms(lead);
        let mut due: Vec<Callback> = self
            .store
            .all()?
            .into_iter()
            .filter(|c| timing::reminder_due(c, lead, now))
            .collect();
        for callback in &mut due {
            self.store.mark_reminded(callback.id, now)?;
            callback.reminded_at = Some(now);
        }
        if !due.is_empty() {
            self.changed();
        }
        Ok(due)
    }

    /// When the reminder task must wake next (Unix ms), if anything is ahead.
    pub fn next_wake(&self, lead: Duration) -> Result<Option<i64>> {
        Ok(timing::next_wake(
            &self.store.all()?,
            lead_ms(lead),
            self.now_ms(),
        ))
    }

    /// Ticks on every change (and on [`Callbacks::poke`]), for the reminder task to plan again.
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// Something the plan depends on changed (the lead time in the settings): the reminder task plans again.
    pub fn poke(&self) {
        self.changed();
    }

    fn changed(&self) {
        self.changes.send_modify(|n| *n = n.wrapping_add(1));
    }
}

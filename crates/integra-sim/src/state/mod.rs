//! The simulated server's state, split by domain, each part behind its own lock so a long base upload does not
//! stall the agents' calls. When a handler needs two parts it takes them in the order the fields are declared
//! here (sessions, presence, desk, dialers, blacklist, recordings), which rules out deadlocks.

pub(crate) mod agents;
pub(crate) mod auth;
pub(crate) mod blacklist;
pub(crate) mod calls;
pub(crate) mod campaigns;
pub(crate) mod dialers;
pub(crate) mod history;
pub(crate) mod recordings;

use std::sync::atomic::{AtomicU64, AtomicUsize};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{json, Value};

use crate::faults::FaultPlan;
use crate::journal::Journal;
use crate::seed::Seed;
use crate::SimConfig;

/// Everything the server holds; shared by every connection.
pub(crate) struct SimState {
    /// Agents, API users, campaigns and the dispositions table (read-only).
    pub seed: Seed,
    pub answer_delay: Duration,
    /// Endpoints answering 404, as on an older uContact.
    pub missing_endpoints: Vec<String>,
    /// See [`SimConfig::require_content_length`] and [`SimConfig::clock_offset`].
    pub require_content_length: bool,
    pub clock_offset: chrono::TimeDelta,
    pub sessions: Mutex<auth::Sessions>,
    /// Agent passwords changed through the admin API (an administrator resetting one mid-shift).
    pub changed_passwords: Mutex<std::collections::HashMap<String, String>>,
    pub presence: Mutex<agents::Presence>,
    pub desk: Mutex<calls::Desk>,
    pub dialers: Mutex<dialers::Dialers>,
    pub blacklist: Mutex<blacklist::Blacklist>,
    pub recordings: Mutex<recordings::Recordings>,
    pub journal: Mutex<Journal>,
    /// Files served under `/_sim/files/` (a shared disposition-tree file).
    pub files: Mutex<std::collections::BTreeMap<String, String>>,
    pub faults: Mutex<FaultPlan>,
    /// Numbers the `internalActionId` of supervisor answers.
    pub actions: AtomicU64,
    /// Requests being answered now, and the most there were at once.
    pub in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
}

/// Locks a part of the state. A handler that panicked while holding a lock leaves data that is still
/// consistent enough for a simulator, so poisoning is ignored rather than taking the whole server down.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl SimState {
    pub fn new(config: SimConfig) -> Self {
        let recordings = recordings::Recordings::new(config.seed.recordings.clone());
        Self {
            seed: config.seed,
            changed_passwords: Mutex::default(),
            answer_delay: config.answer_delay,
            missing_endpoints: config.missing_endpoints,
            require_content_length: config.require_content_length,
            clock_offset: config.clock_offset,
            sessions: Mutex::new(auth::Sessions::new(config.token_ttl)),
            presence: Mutex::default(),
            desk: Mutex::default(),
            dialers: Mutex::default(),
            blacklist: Mutex::default(),
            recordings: Mutex::new(recordings),
            journal: Mutex::default(),
            files: Mutex::default(),
            faults: Mutex::new(FaultPlan::new(config.faults)),
            actions: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        }
    }

    /// True if `name` is a campaign of the seed.
    pub fn campaign_exists(&self, name: &str) -> bool {
        self.seed.campaigns.iter().any(|c| c.name == name)
    }

    /// The JSON of `GET /_sim/state`.
    pub fn snapshot(&self) -> Value {
        let (logged_in, on_break, agent_events) = {
            let presence = lock(&self.presence);
            (
                json!(presence.logged_in),
                json!(presence.on_break),
                json!(presence.events),
            )
        };
        let mut desk = lock(&self.desk);
        desk.refresh();
        let desk_json = json!({
            "calls": desk.calls, "dispositions": desk.dispositions, "tags": desk.tags, "workflows": desk.workflows,
        });
        drop(desk);
        let dialers = lock(&self.dialers);
        let dialers_json = json!({
            "spool": dialers.respools, "spool_sizes": dialers.spool_sizes(), "schedules": dialers.schedules,
            "tasks": dialers.tasks, "removed_contacts": dialers.removed_contacts, "bases": dialers.bases,
        });
        drop(dialers);
        let blacklist = json!(lock(&self.blacklist).entries);
        let converted = json!(lock(&self.recordings).converted);

        let mut state = json!({
            "logged_in": logged_in, "on_break": on_break, "agent_events": agent_events,
            "blacklist": blacklist, "converted": converted,
        });
        for part in [desk_json, dialers_json] {
            if let (Some(state), Value::Object(part)) = (state.as_object_mut(), part) {
                state.extend(part);
            }
        }
        state
    }
}

//! A stateful uContact simulator: the Integra REST endpoints of the reference (`/Integra/resources/...`) and
//! the recording files (`/records/...`), implemented on their own from the reference (this crate does not use the
//! client, so a misreading in either shows up as a failing test), with a journal of every request, fault
//! injection, and an admin API under `/_sim/`.
//!
//! Tests start it in-process with [`spawn`]; the demo, benchmarks and end-to-end tests run the `integra-sim`
//! binary and use the admin API.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use integra_sim::{Faults, SimConfig};
//! let sim = integra_sim::spawn(SimConfig::demo(), "127.0.0.1:0".parse().unwrap()).await?;
//! let url = sim.base_url(); // http://127.0.0.1:PORT
//! sim.set_faults(Faults { fail_next: 1, ..Default::default() });
//! # let _ = url;
//! sim.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod demo;
mod endpoints;
mod faults;
mod formats;
mod http;
mod journal;
pub mod private_ca;
mod seed;
mod state;
pub mod tinyproxy;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use demo::DEMO_SEED_JSON;
pub use faults::Faults;
pub use journal::{JournalEntry, JOURNAL_CAPACITY};
pub use private_ca::PrivateCaServer;
pub use seed::{
    AgentSeed, ApiUserSeed, CampaignSeed, DispositionSeed, FileLocation, RecordingSeed, Seed,
};
pub use state::agents::AgentEvent;
pub use state::calls::{Call, CallState, Tag};
pub use state::dialers::Base;
pub use tinyproxy::{Tinyproxy, TinyproxyOptions};

use state::{lock, SimState};

/// How the simulator starts.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Agents, API users, campaigns, the dispositions table and recordings.
    pub seed: Seed,
    /// How long a token stays valid (uContact's default session is a working day).
    pub token_ttl: Duration,
    /// How long the agent's phone rings before the call counts as connected.
    pub answer_delay: Duration,
    /// Faults active from the start.
    pub faults: Faults,
    /// Endpoints (below `Integra/resources/`, e.g. `auth/getUserToken`) that answer 404, as on older uContact
    /// versions.
    pub missing_endpoints: Vec<String>,
    /// Answer 411 Length Required to a request body without `Content-Length` (a chunked one), as strict servlet
    /// containers and proxies do.
    pub require_content_length: bool,
    /// Added to the server's clock in the `Date` header of every answer: a server whose clock is off.
    pub clock_offset: chrono::TimeDelta,
}

impl SimConfig {
    /// The built-in demo data, 8-hour tokens, calls connected at once, no faults.
    pub fn demo() -> Self {
        Self::with_seed(Seed::demo())
    }

    /// `seed` with the demo's defaults for everything else.
    pub fn with_seed(seed: Seed) -> Self {
        Self {
            seed,
            token_ttl: Duration::from_secs(8 * 3600),
            answer_delay: Duration::ZERO,
            faults: Faults::default(),
            missing_endpoints: Vec::new(),
            require_content_length: false,
            clock_offset: chrono::TimeDelta::zero(),
        }
    }
}

/// A simulator serving on a local port. Dropping it stops serving.
pub struct RunningSim {
    addr: SocketAddr,
    sim: Arc<SimState>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

/// Binds `addr` (port 0 picks a free one) and serves in a background tokio task.
pub async fn spawn(config: SimConfig, addr: SocketAddr) -> std::io::Result<RunningSim> {
    serve(Arc::new(SimState::new(config)), addr).await
}

async fn serve(sim: Arc<SimState>, addr: SocketAddr) -> std::io::Result<RunningSim> {
    let (listener, addr) = http::serve::bind(addr).await?;
    let (stop, stopped) = watch::channel(false);
    let task = http::serve::serve(http::router(sim.clone()), listener, stopped);
    Ok(RunningSim {
        addr,
        sim,
        stop,
        task: Some(task),
    })
}

impl RunningSim {
    /// `http://127.0.0.1:PORT`: the server root to give clients.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request so far (the last [`JOURNAL_CAPACITY`]), oldest first. Admin requests are not included.
    pub fn journal(&self) -> Vec<JournalEntry> {
        lock(&self.sim.journal).all()
    }

    /// Serves `text` at `/_sim/files/NAME` (a disposition-tree file for the shared source); returns its URL.
    pub fn put_file(&self, name: &str, text: &str) -> String {
        lock(&self.sim.files).insert(name.to_string(), text.to_string());
        format!("{}/_sim/files/{name}", self.base_url())
    }

    /// Stops serving `/_sim/files/NAME` (it answers 404).
    pub fn remove_file(&self, name: &str) {
        lock(&self.sim.files).remove(name);
    }

    /// Forgets the journal.
    pub fn clear_journal(&self) {
        lock(&self.sim.journal).clear();
    }

    /// Replaces the active faults.
    pub fn set_faults(&self, faults: Faults) {
        lock(&self.sim.faults).set(faults);
    }

    /// The most requests (admin ones aside) that were being answered at the same moment since the start or the
    /// last [`RunningSim::reset_max_in_flight`], latency included.
    pub fn max_in_flight(&self) -> usize {
        self.sim
            .max_in_flight
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Starts counting [`RunningSim::max_in_flight`] again from the requests being answered now.
    pub fn reset_max_in_flight(&self) {
        let now = self.sim.in_flight.load(std::sync::atomic::Ordering::SeqCst);
        self.sim
            .max_in_flight
            .store(now, std::sync::atomic::Ordering::SeqCst);
    }

    /// Every token issued so far stops working (the next request with one gets 401).
    pub fn expire_tokens(&self) {
        lock(&self.sim.sessions).expire_all();
    }

    /// The agent's password becomes `password` (the old one stops working at the next AgentLogin; tokens live on).
    pub fn change_password(&self, agent: &str, password: &str) {
        lock(&self.sim.changed_passwords).insert(agent.to_owned(), password.to_owned());
    }

    /// Ends a live call as if the customer hung up. False if no live call has that GUID.
    pub fn customer_hangup(&self, guid: &str) -> bool {
        lock(&self.sim.desk).customer_hangup(guid)
    }

    /// The server's state, as `GET /_sim/state` shows it: calls, dispositions, tags, workflows, spool
    /// (respools), spool_sizes, schedules, tasks, removed_contacts, bases, blacklist, converted, logged_in,
    /// on_break, agent_events.
    pub fn state(&self) -> serde_json::Value {
        self.sim.snapshot()
    }

    /// Stops serving, cuts open connections, stays down for `down`, then serves again on the same port with the
    /// same state: a server restart as clients see it.
    pub async fn restart(&mut self, down: Duration) -> std::io::Result<()> {
        self.halt().await;
        tokio::time::sleep(down).await;
        *self = serve(self.sim.clone(), self.addr).await?;
        Ok(())
    }

    async fn halt(&mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Stops serving and waits until the port is closed.
    pub async fn shutdown(mut self) {
        self.halt().await;
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

//! A stateful uContact simulator: the Integra REST endpoints of the reference, implemented on their own (this crate
//! does not use the client), with a journal of every request and fault injection.
//!
//! Tests start it in-process with [`spawn`]; the demo, benchmarks and end-to-end tests run the `integra-sim`
//! binary and use the `/_sim/*` admin API (see the README).

mod admin;
mod endpoints;
mod faults;
mod journal;
mod seed;
mod server;
mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

pub use faults::Faults;
pub use journal::{JournalEntry, JOURNAL_CAPACITY};
pub use seed::{
    AgentSeed, ApiUserSeed, CampaignSeed, DispositionSeed, FileLocation, RecordingSeed, Seed,
};
pub use world::{Base, Call, CallState};

use server::{lock, Shared};

/// How the simulator starts.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Agents, campaigns, dispositions, recordings.
    pub seed: Seed,
    /// How long a token stays valid.
    pub token_ttl: Duration,
    /// How long the agent's phone rings before the call counts as connected.
    pub answer_delay: Duration,
    /// Faults active from the start.
    pub faults: Faults,
    /// Endpoints (below `Integra/resources/`) that answer 404, as on older uContact versions.
    pub missing_endpoints: Vec<String>,
}

impl SimConfig {
    /// The built-in demo data, 8-hour tokens, calls connected at once, no faults.
    pub fn demo() -> Self {
        Self {
            seed: Seed::demo(),
            token_ttl: Duration::from_secs(8 * 3600),
            answer_delay: Duration::ZERO,
            faults: Faults::default(),
            missing_endpoints: Vec::new(),
        }
    }
}

/// A simulator serving on a local port. Dropping it stops serving.
pub struct RunningSim {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

/// Binds `addr` (use port 0 for a free one) and serves in a background task.
pub async fn spawn(config: SimConfig, addr: SocketAddr) -> std::io::Result<RunningSim> {
    let mut world = world::World::new(config.seed, config.token_ttl, config.answer_delay);
    world.missing_endpoints = config.missing_endpoints;
    let shared = Arc::new(Shared {
        world: Mutex::new(world),
        journal: Mutex::new(journal::Journal::default()),
        faults: Mutex::new(config.faults),
    });
    serve(shared, addr).await
}

async fn serve(shared: Arc<Shared>, addr: SocketAddr) -> std::io::Result<RunningSim> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (stop, mut stopped) = watch::channel(false);
    let serving = shared.clone();
    let task = tokio::spawn(async move {
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                _ = stopped.changed() => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let shared = serving.clone();
                    connections.spawn(async move {
                        let service = service_fn(move |req| server::handle(shared.clone(), req));
                        // Errors here are clients going away or our deliberate drops: nothing to report.
                        let _ = hyper::server::conn::http1::Builder::new()
                            .keep_alive(true)
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
        // A stopped server cuts every open connection, as a crashed or restarted one would.
        connections.abort_all();
    });
    Ok(RunningSim {
        addr,
        shared,
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

    /// Every request so far (up to [`JOURNAL_CAPACITY`]), oldest first.
    pub fn journal(&self) -> Vec<JournalEntry> {
        lock(&self.shared.journal).all()
    }

    /// Forgets the journal.
    pub fn clear_journal(&self) {
        lock(&self.shared.journal).clear();
    }

    /// Replaces the active faults.
    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.shared.faults) = faults;
    }

    /// Every token issued so far stops working (the next call with one gets 401).
    pub fn expire_tokens(&self) {
        lock(&self.shared.world).expire_all();
    }

    /// Ends a live call as if the customer hung up. False if no live call has that GUID.
    pub fn customer_hangup(&self, guid: &str) -> bool {
        endpoints::calls::customer_hangup(&mut lock(&self.shared.world), guid)
    }

    /// The server's state as the `/_sim/state` JSON.
    pub fn state(&self) -> serde_json::Value {
        lock(&self.shared.world).snapshot()
    }

    /// Stops serving, cuts open connections, stays down for `down`, then serves again on the same port with the
    /// same state: a server restart as clients see it.
    pub async fn restart(&mut self, down: Duration) -> std::io::Result<()> {
        self.halt().await;
        tokio::time::sleep(down).await;
        let again = serve(self.shared.clone(), self.addr).await?;
        *self = again;
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

//! The courier tests' fixture: the simulator in-process, alice signed in to it, a courier on a real SQLite outbox
//! with a clock and jitter the test controls (its own timer never acts between a test's steps).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use agent_error::{AgentError, ErrorCode};
use integra::Password;
use integra_sim::{Faults, RunningSim, SimConfig};
use outbox::courier::{
    Backoff, Courier, CourierOptions, FixedJitter, ManualClock, SignIn, SignInFuture,
};
use outbox::{Job, Outbox, TestSeal};

pub const T0: i64 = 1_800_000_000_000;

/// Alice as the courier sends: her client, and signing in again with her password while she has one (the agent
/// crate's session does this from the keychain).
pub struct Alice {
    client: integra::Client,
    password: Mutex<Option<String>>,
}

impl Alice {
    /// The password is gone (the keychain lost it): signing in again fails.
    pub fn forget_password(&self) {
        *self.password.lock().unwrap() = None;
    }
}

impl SignIn for Alice {
    fn client(&self) -> &integra::Client {
        &self.client
    }

    fn sign_in_again(&self) -> SignInFuture<'_> {
        Box::pin(async move {
            let password = self.password.lock().unwrap().clone().ok_or_else(|| {
                AgentError::new(
                    ErrorCode::Unauthorized,
                    "the session expired and no password is remembered: sign in again",
                )
            })?;
            let record = self
                .client
                .agent_login("alice", &Password::new(password))
                .await?;
            self.client.set_token(Some(record.token()));
            Ok(())
        })
    }
}

pub struct Fixture {
    pub sim: RunningSim,
    pub courier: Courier,
    pub clock: Arc<ManualClock>,
    pub agent: Arc<Alice>,
    pub path: std::path::PathBuf,
    pub _dir: tempfile::TempDir,
}

pub fn options(clock: Arc<ManualClock>, backoff: Backoff) -> CourierOptions {
    CourierOptions {
        backoff,
        // Long enough that the courier's own timer never acts between a test's steps.
        poll_every: Duration::from_secs(3600),
        clock,
        jitter: Arc::new(FixedJitter(0.0)),
    }
}

pub fn open(path: &std::path::Path) -> Outbox {
    Outbox::open(path, Arc::new(TestSeal::new(9))).unwrap()
}

pub async fn fixture_with(backoff: Backoff, client_timeout: Option<Duration>) -> Fixture {
    let sim = integra_sim::spawn(SimConfig::demo(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let mut client = integra::Client::builder(sim.base_url());
    if let Some(timeout) = client_timeout {
        client = client.timeout(timeout);
    }
    let client = client.build().unwrap();
    let record = client
        .agent_login("alice", &Password::new("alice-pw"))
        .await
        .unwrap();
    client.set_token(Some(record.token()));
    let agent = Arc::new(Alice {
        client,
        password: Mutex::new(Some("alice-pw".into())),
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.sqlite3");
    let clock = Arc::new(ManualClock::at(T0));
    let courier = Courier::spawn(open(&path), agent.clone(), options(clock.clone(), backoff));
    sim.clear_journal();
    Fixture {
        sim,
        courier,
        clock,
        agent,
        path,
        _dir: dir,
    }
}

pub async fn fixture() -> Fixture {
    fixture_with(Backoff::default(), None).await
}

pub fn disposition(guid: &str, l2: &str) -> Job {
    Job::Disposition(Box::new(integra::Disposition {
        campaign: "Ventas->".into(),
        agent: "alice".into(),
        callerid: "099123456".into(),
        guid: guid.into(),
        l1: "Contactado".into(),
        l2: l2.into(),
        comment: format!("call {guid}"),
        ..Default::default()
    }))
}

pub fn respool(destination: &str) -> Job {
    Job::Respool(integra::Respool {
        campaign: "Ventas->".into(),
        destination: destination.into(),
        dialerbase: "base1".into(),
        status: 1,
        data: String::new(),
        alternatives: String::new(),
        contact: 7,
        retries: 0,
        priority: 2,
        agentphone: String::new(),
    })
}

pub fn schedule(destination: &str) -> Job {
    Job::Schedule(integra::CallSchedule {
        calldate: chrono::NaiveDate::from_ymd_opt(2026, 12, 2)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap(),
        campaign: "Ventas->".into(),
        destination: destination.into(),
        alternatives: String::new(),
        agentphone: String::new(),
        data: String::new(),
    })
}

pub fn only(sim: &RunningSim, endpoint: &str) -> Vec<integra_sim::JournalEntry> {
    sim.journal()
        .into_iter()
        .filter(|e| e.endpoint() == endpoint)
        .collect()
}

pub fn statuses(sim: &RunningSim, endpoint: &str) -> Vec<u16> {
    only(sim, endpoint).iter().map(|e| e.status).collect()
}

pub fn fault(path: &str, faults: Faults) -> Faults {
    Faults {
        path_contains: Some(path.into()),
        ..faults
    }
}

/// Waits (bounded) until the outbox is empty, on the courier's own events.
pub async fn until_empty(courier: &Courier) {
    let mut events = courier.subscribe();
    tokio::time::timeout(Duration::from_secs(10), async {
        while courier.counts().unwrap().total() > 0 {
            let _ = events.recv().await;
        }
    })
    .await
    .expect("the outbox empties");
}

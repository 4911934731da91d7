//! The courier tests' fixture: the simulator in-process, a signed-in session, a courier on a real SQLite outbox
//! with a clock and jitter the test controls (its own timer never acts between a test's steps).

use std::sync::Arc;
use std::time::Duration;

use agent::courier::{Backoff, Courier, CourierOptions, FixedJitter, ManualClock};
use agent::outbox::{Job, Outbox, TestSeal};
use agent::profile::IdentityOverrides;
use agent::secrets::MemoryStore;
use agent::session::Session;
use integra_sim::{Faults, RunningSim};

pub const T0: i64 = 1_800_000_000_000;

pub struct Fixture {
    pub sim: RunningSim,
    pub courier: Courier,
    pub clock: Arc<ManualClock>,
    pub session: Session,
    pub secrets: Arc<MemoryStore>,
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
    let (sim, mut session, secrets) = super::signed_in(IdentityOverrides::default()).await;
    if let Some(timeout) = client_timeout {
        let client = integra::Client::builder(sim.base_url())
            .timeout(timeout)
            .build()
            .unwrap();
        client.set_token(session.client.token());
        session.client = client;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.sqlite3");
    let clock = Arc::new(ManualClock::at(T0));
    let courier = Courier::spawn(
        open(&path),
        session.clone(),
        secrets.clone(),
        options(clock.clone(), backoff),
    );
    sim.clear_journal();
    Fixture {
        sim,
        courier,
        clock,
        session,
        secrets,
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

//! The shared fixture of the desk tests: the simulator in-process, a signed-in session, a desk on a real SQLite
//! outbox (sealed with the test seal) that retries only when a test asks.

use std::sync::Arc;
use std::time::Duration;

use agent::desk::{self, DeskHandle, DeskOptions, DispositionForm};
use agent::profile::IdentityOverrides;
use agent::session::Session;
use integra::Password;
use integra_sim::{RunningSim, SimConfig};
use keychain::MemoryStore;
use outbox::courier::{Backoff, CourierOptions};
use outbox::{Outbox, TestSeal};

/// The simulator in-process and alice signed in to it (password and token in a memory keychain).
pub async fn signed_in(overrides: IdentityOverrides) -> (RunningSim, Session, Arc<MemoryStore>) {
    let sim = integra_sim::spawn(SimConfig::demo(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let secrets = Arc::new(MemoryStore::default());
    let session = Session::sign_in(
        &sim.base_url(),
        "alice",
        &Password::new("alice-pw"),
        &overrides,
        &*secrets,
    )
    .await
    .unwrap();
    (sim, session, secrets)
}

pub struct Fixture {
    pub sim: RunningSim,
    pub desk: DeskHandle,
    pub outbox_path: std::path::PathBuf,
    pub secrets: Arc<MemoryStore>,
    pub _dir: tempfile::TempDir,
}

pub async fn fixture(require_wrap_up: bool) -> Fixture {
    let (sim, session, secrets) = signed_in(IdentityOverrides {
        callerid: "59821234567".into(),
        outqueue: "Ventas->".into(),
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let outbox_path = dir.path().join("outbox.sqlite3");
    let outbox = open(&outbox_path);
    let options = DeskOptions {
        require_wrap_up,
        wrap_up_failed_dials: false,
        // Retries only when a test asks for them.
        courier: CourierOptions {
            backoff: Backoff {
                first: Duration::from_secs(3600),
                cap: Duration::from_secs(3600),
                jitter: 0.0,
            },
            ..CourierOptions::default()
        },
    };
    let desk = desk::spawn(session, secrets.clone(), outbox, options);
    sim.clear_journal();
    Fixture {
        sim,
        desk,
        outbox_path,
        secrets,
        _dir: dir,
    }
}

pub fn open(path: &std::path::Path) -> Outbox {
    Outbox::open(path, Arc::new(TestSeal::new(3))).unwrap()
}

pub fn sent(sim: &RunningSim, endpoint: &str) -> Vec<integra_sim::JournalEntry> {
    sim.journal()
        .into_iter()
        .filter(|e| e.endpoint() == endpoint)
        .collect()
}

pub fn form(l1: &str, l2: &str, l3: &str) -> DispositionForm {
    DispositionForm {
        l1: l1.into(),
        l2: l2.into(),
        l3: l3.into(),
        comment: "cliente conforme".into(),
        ..Default::default()
    }
}

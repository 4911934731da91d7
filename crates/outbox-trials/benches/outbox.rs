//! What "on disk before it is sent" costs the agent: a disposition committed to the SQLite outbox (WAL,
//! `synchronous=FULL`) with its payload sealed (AES-256-GCM, the app's real sealer) or with the test seal (to show
//! the crypto's share), its removal on acknowledgement, and the whole path through the courier to an in-process
//! simulator on loopback (submit → on disk → sent → acknowledged → deleted).
//!
//! Run with `cargo bench -p outbox-trials --bench outbox` (`BENCH_ITEMS=N`, default 2,000). Prints a table; asserts nothing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use agent::profile::IdentityOverrides;
use agent::session::Session;
use integra::{Disposition, Password};
use keychain::MemoryStore;
use outbox::courier::{Clock, Courier, CourierOptions, SystemClock};
use outbox::{Job, Outbox, PayloadSeal, TestSeal};
use sealing::Sealer;

fn job(i: usize) -> Job {
    Job::Disposition(Box::new(Disposition {
        campaign: "Ventas->".into(),
        agent: "alice".into(),
        callerid: "099123456".into(),
        guid: format!("bench-{i}"),
        l1: "Contactado".into(),
        l2: "Venta".into(),
        l3: "Tarjeta".into(),
        comment: "cliente conforme, llamar el martes después de las 10".into(),
        ..Default::default()
    }))
}

fn row(what: &str, n: usize, took: Duration) {
    println!(
        "| {what:<44} | {n:>6} | {:>8.3} | {:>9.1} |",
        took.as_secs_f64(),
        took.as_secs_f64() * 1e6 / n as f64
    );
}

fn on_disk(what: &str, seal: Arc<dyn PayloadSeal>, n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(&dir.path().join("outbox.sqlite3"), seal).unwrap();
    let clock = SystemClock;
    let start = Instant::now();
    let ids: Vec<i64> = (0..n)
        .map(|i| outbox.enqueue(&job(i), clock.now_ms()).unwrap())
        .collect();
    row(&format!("enqueue (committed), {what}"), n, start.elapsed());
    let start = Instant::now();
    for id in ids {
        outbox.ack(id).unwrap();
    }
    row(&format!("ack (deleted), {what}"), n, start.elapsed());
}

fn main() {
    let n: usize = std::env::var("BENCH_ITEMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    println!("| step | items | total s | µs / item |\n|---|---:|---:|---:|");
    let sealer = Sealer::from_store(&MemoryStore::default()).unwrap();
    on_disk("AES-256-GCM sealed", Arc::new(sealer.clone()), n);
    on_disk("test seal (no crypto)", Arc::new(TestSeal::new(7)), n);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let sim = integra_sim::spawn(
            integra_sim::SimConfig::demo(),
            "127.0.0.1:0".parse().unwrap(),
        )
        .await
        .unwrap();
        let secrets = Arc::new(MemoryStore::default());
        let session = Session::sign_in(
            &sim.base_url(),
            "alice",
            &Password::new("alice-pw"),
            &IdentityOverrides::default(),
            &*secrets,
        )
        .await
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let outbox = Outbox::open(&dir.path().join("outbox.sqlite3"), Arc::new(sealer)).unwrap();
        let courier = Courier::spawn(
            outbox,
            session.for_courier(secrets),
            CourierOptions::default(),
        );
        let start = Instant::now();
        for i in 0..n {
            assert!(courier.submit(job(i)).await.unwrap().delivery.delivered());
        }
        row("submit → disk → server → acknowledged", n, start.elapsed());
        sim.shutdown().await;
    });
}

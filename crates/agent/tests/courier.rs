//! The courier against the simulator over loopback, with a clock and jitter the test controls: what is retried,
//! when, in which order, and what waits for the agent.

use std::sync::Arc;
use std::time::Duration;

use agent::courier::{
    Backoff, Courier, CourierEvent, CourierOptions, Delivery, FixedJitter, ManualClock,
};
use agent::outbox::{Job, Outbox, TestSeal, ViewState};
use agent::profile::IdentityOverrides;
use agent::secrets::{MemoryStore, SecretStore};
use agent::session::Session;
use agent::ErrorCode;
use integra::Password;
use integra_sim::{Faults, RunningSim, SimConfig};

const T0: i64 = 1_800_000_000_000;

struct Fixture {
    sim: RunningSim,
    courier: Courier,
    clock: Arc<ManualClock>,
    session: Session,
    secrets: Arc<MemoryStore>,
    path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

fn options(clock: Arc<ManualClock>, backoff: Backoff) -> CourierOptions {
    CourierOptions {
        backoff,
        // Long enough that the courier's own timer never acts between a test's steps.
        poll_every: Duration::from_secs(3600),
        clock,
        jitter: Arc::new(FixedJitter(0.0)),
    }
}

fn open(path: &std::path::Path) -> Outbox {
    Outbox::open(path, Arc::new(TestSeal::new(9))).unwrap()
}

async fn fixture_with(backoff: Backoff, client_timeout: Option<Duration>) -> Fixture {
    let sim = integra_sim::spawn(SimConfig::demo(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let secrets = Arc::new(MemoryStore::default());
    let mut session = Session::sign_in(
        &sim.base_url(),
        "alice",
        &Password::new("alice-pw"),
        &IdentityOverrides::default(),
        &*secrets,
    )
    .await
    .unwrap();
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

async fn fixture() -> Fixture {
    fixture_with(Backoff::default(), None).await
}

fn disposition(guid: &str, l2: &str) -> Job {
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

fn respool(destination: &str) -> Job {
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

fn schedule(destination: &str) -> Job {
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

fn only(sim: &RunningSim, endpoint: &str) -> Vec<integra_sim::JournalEntry> {
    sim.journal()
        .into_iter()
        .filter(|e| e.endpoint() == endpoint)
        .collect()
}

fn statuses(sim: &RunningSim, endpoint: &str) -> Vec<u16> {
    only(sim, endpoint).iter().map(|e| e.status).collect()
}

fn fault(path: &str, faults: Faults) -> Faults {
    Faults {
        path_contains: Some(path.into()),
        ..faults
    }
}

/// Waits (bounded) until the outbox is empty, on the courier's own events.
async fn until_empty(courier: &Courier) {
    let mut events = courier.subscribe();
    tokio::time::timeout(Duration::from_secs(10), async {
        while courier.counts().unwrap().total() > 0 {
            let _ = events.recv().await;
        }
    })
    .await
    .expect("the outbox empties");
}

#[tokio::test]
async fn failures_on_the_way_are_retried_later_and_later_until_delivered() {
    let backoff = Backoff {
        first: Duration::from_secs(1),
        cap: Duration::from_secs(4),
        jitter: 0.2,
    };
    let f = fixture_with(backoff, None).await;
    // A dropped connection, a 500, a proxy's HTML page, another drop, then the server is fine.
    f.sim.set_faults(fault(
        "DispositionCall",
        Faults {
            drop_next: 1,
            fail_next: 1,
            html_next: 1,
            ..Default::default()
        },
    ));
    let submitted = f.courier.submit(disposition("g1", "Venta")).await.unwrap();
    assert!(
        matches!(submitted.delivery, Delivery::Waiting(ref e) if e.code() == ErrorCode::ServerUnreachable)
    );
    let mut expected_at = T0;
    for (delay, status) in [(1, 500), (2, 502), (4, 0)] {
        expected_at += delay * 1000;
        let item = &f.courier.items().unwrap()[0];
        assert_eq!(item.next_attempt_at, Some(expected_at), "{item:?}");
        assert_eq!(item.state, ViewState::Pending);
        let sent = only(&f.sim, "api/DispositionCall").len();
        f.clock
            .advance(Duration::from_millis(delay as u64 * 1000 - 1));
        f.courier.deliver_due().await.unwrap();
        assert_eq!(
            only(&f.sim, "api/DispositionCall").len(),
            sent,
            "not before its time"
        );
        f.clock.advance(Duration::from_millis(1));
        f.courier.deliver_due().await.unwrap();
        assert_eq!(
            *statuses(&f.sim, "api/DispositionCall").last().unwrap(),
            status
        );
        if status == 0 {
            break;
        }
        f.sim.set_faults(fault(
            "DispositionCall",
            Faults {
                html_next: u32::from(status == 500),
                drop_next: u32::from(status == 502),
                ..Default::default()
            },
        ));
    }
    let item = &f.courier.items().unwrap()[0];
    assert_eq!(item.attempts, 4);
    assert_eq!(
        item.next_attempt_at,
        Some(expected_at + 4000),
        "capped at 4 s"
    );
    assert!(
        item.last_error.as_deref().unwrap().contains("connection"),
        "{item:?}"
    );
    f.clock.advance(Duration::from_secs(4));
    assert_eq!(f.courier.deliver_due().await.unwrap(), 0);
    assert_eq!(
        statuses(&f.sim, "api/DispositionCall"),
        [0, 500, 502, 0, 200]
    );
    assert_eq!(f.sim.state()["dispositions"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_timeout_is_retried_and_the_server_gets_it_at_least_once() {
    let f = fixture_with(Backoff::default(), Some(Duration::from_millis(200))).await;
    f.sim.set_faults(fault(
        "DispositionCall",
        Faults {
            latency_ms: 600,
            ..Default::default()
        },
    ));
    let first = f.courier.submit(disposition("g1", "")).await.unwrap();
    match first.delivery {
        Delivery::Waiting(err) => assert!(err.to_string().contains("in time"), "{err}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    f.sim.set_faults(Faults::default());
    f.clock.advance(Duration::from_secs(1));
    assert_eq!(f.courier.deliver_due().await.unwrap(), 0);
    // The first request was carried out; only its answer came too late. Sending again is the price of never
    // losing one: the server sees it twice.
    assert_eq!(only(&f.sim, "api/DispositionCall").len(), 2);
    assert_eq!(f.sim.state()["dispositions"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_401_signs_in_again_and_resends_exactly_once() {
    let f = fixture().await;
    f.sim.expire_tokens();
    let submitted = f.courier.submit(disposition("g1", "")).await.unwrap();
    assert!(submitted.delivery.delivered(), "{:?}", submitted.delivery);
    let trail: Vec<(String, u16)> = f
        .sim
        .journal()
        .iter()
        .map(|e| (e.endpoint().to_string(), e.status))
        .collect();
    assert_eq!(
        trail,
        [
            ("api/DispositionCall".to_string(), 401),
            ("auth/AgentLogin".to_string(), 200),
            ("api/DispositionCall".to_string(), 200)
        ]
    );
    assert_eq!(f.sim.state()["dispositions"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_401_that_signing_in_cannot_cure_waits_and_says_so() {
    let f = fixture().await;
    f.secrets
        .delete(&agent::secrets::password_key(
            "alice",
            &f.session.server_url,
        ))
        .unwrap();
    let mut events = f.courier.subscribe();
    f.sim.expire_tokens();
    let submitted = f.courier.submit(disposition("g1", "")).await.unwrap();
    assert!(matches!(submitted.delivery, Delivery::Waiting(_)));
    let lost = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if let Ok(CourierEvent::SignInLost(text)) = events.recv().await {
                return text;
            }
        }
    })
    .await
    .unwrap();
    assert!(lost.contains("sign in again"), "{lost}");
    assert_eq!(statuses(&f.sim, "api/DispositionCall"), [401], "sent once");
    assert_eq!(f.courier.counts().unwrap().pending, 1, "kept");
}

#[tokio::test]
async fn a_zero_is_kept_for_the_agent_and_not_resent_until_edited_or_resent() {
    let f = fixture().await;
    f.sim.set_faults(fault(
        "DispositionCall",
        Faults {
            zero_next: 2,
            ..Default::default()
        },
    ));
    let first = f.courier.submit(disposition("g1", "Venta")).await.unwrap();
    let second = f.courier.submit(disposition("g2", "Venta")).await.unwrap();
    for s in [&first, &second] {
        assert!(
            matches!(s.delivery, Delivery::Rejected(ref e) if e.code() == ErrorCode::ServerRejected)
        );
    }
    assert_eq!(f.courier.flush_now().await.unwrap(), 2, "both kept");
    f.clock.advance(Duration::from_secs(3600));
    f.courier.deliver_due().await.unwrap();
    assert_eq!(
        only(&f.sim, "api/DispositionCall").len(),
        2,
        "never resent on its own"
    );
    let items = f.courier.items().unwrap();
    assert_eq!(items[0].state, ViewState::Rejected);
    assert!(
        items[0].last_error.as_deref().unwrap().contains("\"0\""),
        "{items:?}"
    );
    assert_eq!(items[0].next_attempt_at, None);
    assert_eq!(f.courier.counts().unwrap().rejected, 2);

    let fixed = f
        .courier
        .edit(first.id, disposition("g1", "Tarjeta"))
        .await
        .unwrap();
    assert!(fixed.delivered());
    let again = f.courier.resend(second.id).await.unwrap();
    assert!(again.delivered());
    let stored = f.sim.state()["dispositions"].as_array().unwrap().clone();
    assert_eq!(
        stored
            .iter()
            .map(|d| d["l2"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["Tarjeta", "Venta"]
    );
    assert_eq!(f.courier.counts().unwrap().total(), 0);
    let err = f.courier.resend(second.id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::OutboxItemMissing);
}

#[tokio::test]
async fn discard_removes_an_item_for_good() {
    let f = fixture().await;
    f.sim.set_faults(fault(
        "DispositionCall",
        Faults {
            zero_next: 1,
            ..Default::default()
        },
    ));
    let item = f.courier.submit(disposition("g1", "")).await.unwrap();
    f.courier.discard(item.id).await.unwrap();
    assert_eq!(f.courier.flush_now().await.unwrap(), 0);
    assert_eq!(only(&f.sim, "api/DispositionCall").len(), 1);
    assert_eq!(open(&f.path).count().unwrap(), 0, "gone from the file");
    assert_eq!(
        f.courier.discard(item.id).await.unwrap_err().code(),
        ErrorCode::OutboxItemMissing
    );
}

#[tokio::test]
async fn a_dialer_action_goes_only_after_its_disposition_was_acknowledged() {
    let f = fixture().await;
    f.sim.set_faults(fault(
        "DispositionCall",
        Faults {
            drop_next: 1,
            ..Default::default()
        },
    ));
    let d = f.courier.submit(disposition("g1", "")).await.unwrap();
    assert!(matches!(d.delivery, Delivery::Waiting(_)));
    let r = f
        .courier
        .submit_for_call("g1", respool("099765432"))
        .await
        .unwrap();
    assert!(matches!(r.delivery, Delivery::Behind { item } if item == d.id));
    assert!(only(&f.sim, "Dialers/Respool").is_empty());
    let views = f.courier.items().unwrap();
    assert_eq!(
        (views[1].state, views[1].behind),
        (ViewState::Pending, Some(d.id))
    );

    assert_eq!(f.courier.flush_now().await.unwrap(), 0);
    let order: Vec<String> = f
        .sim
        .journal()
        .iter()
        .filter(|e| e.status == 200 && e.response != "0")
        .map(|e| e.endpoint().to_string())
        .collect();
    assert_eq!(order, ["api/DispositionCall", "Dialers/Respool"]);
}

#[tokio::test]
async fn a_rejected_disposition_blocks_its_calls_action_but_not_other_calls() {
    let f = fixture().await;
    f.sim.set_faults(fault(
        "DispositionCall",
        Faults {
            zero_next: 1,
            ..Default::default()
        },
    ));
    let d1 = f.courier.submit(disposition("g1", "")).await.unwrap();
    let s1 = f
        .courier
        .submit_for_call("g1", schedule("099765432"))
        .await
        .unwrap();
    assert!(matches!(s1.delivery, Delivery::Behind { item } if item == d1.id));
    let d2 = f.courier.submit(disposition("g2", "")).await.unwrap();
    assert!(d2.delivery.delivered(), "another call is not held up");
    assert_eq!(f.courier.flush_now().await.unwrap(), 2);
    assert!(only(&f.sim, "Dialers/ScheduleDialerCall").is_empty());
    let views = f.courier.items().unwrap();
    assert_eq!(
        views
            .iter()
            .map(|v| (v.id, v.state, v.behind))
            .collect::<Vec<_>>(),
        [
            (d1.id, ViewState::Rejected, None),
            (s1.id, ViewState::Blocked, Some(d1.id))
        ]
    );
    let resent = f.courier.resend(s1.id).await.unwrap();
    assert!(
        matches!(resent, Delivery::Behind { item } if item == d1.id),
        "resending the blocked item alone does not jump the line: {resent:?}"
    );
    assert!(f
        .courier
        .edit(d1.id, disposition("g1", "Venta"))
        .await
        .unwrap()
        .delivered());
    until_empty(&f.courier).await;
    let order: Vec<String> = f
        .sim
        .journal()
        .iter()
        .filter(|e| e.status == 200 && e.response != "0")
        .map(|e| e.endpoint().to_string())
        .collect();
    assert_eq!(
        order,
        [
            "api/DispositionCall",
            "api/DispositionCall",
            "Dialers/ScheduleDialerCall"
        ]
    );
}

#[tokio::test]
async fn never_two_requests_in_flight_whoever_asks() {
    let f = fixture().await;
    f.sim.set_faults(Faults {
        latency_ms: 40,
        ..Default::default()
    });
    f.sim.reset_max_in_flight();
    let c = &f.courier;
    let (a, b, d, e, flushed, due) = tokio::join!(
        c.submit(disposition("g1", "")),
        c.submit(disposition("g2", "")),
        c.submit(disposition("g3", "")),
        c.submit_for_call("g1", respool("099765432")),
        async {
            c.nudge();
            c.flush_now().await
        },
        c.deliver_due(),
    );
    for s in [a, b, d, e] {
        s.unwrap();
    }
    flushed.unwrap();
    due.unwrap();
    until_empty(c).await;
    assert_eq!(f.sim.max_in_flight(), 1);
    assert_eq!(
        only(&f.sim, "api/DispositionCall").len(),
        3,
        "each sent once, none twice"
    );
    assert_eq!(only(&f.sim, "Dialers/Respool").len(), 1);
}

#[tokio::test]
async fn pending_items_are_resumed_after_reopening_in_their_order() {
    let f = fixture().await;
    f.sim.set_faults(Faults {
        drop_next: 1,
        ..Default::default()
    });
    let d = f.courier.submit(disposition("g1", "")).await.unwrap();
    let r = f
        .courier
        .submit_for_call("g1", respool("099765432"))
        .await
        .unwrap();
    assert!(matches!(d.delivery, Delivery::Waiting(_)));
    assert!(matches!(r.delivery, Delivery::Behind { .. }));
    let Fixture {
        sim,
        courier,
        session,
        secrets,
        path,
        _dir,
        ..
    } = f;
    drop(courier);
    // A new run on the same file: the courier resumes by itself.
    let resumed = Courier::spawn(
        open(&path),
        session,
        secrets,
        options(Arc::new(ManualClock::at(T0)), Backoff::default()),
    );
    until_empty(&resumed).await;
    let order: Vec<String> = sim
        .journal()
        .iter()
        .filter(|e| e.status == 200 && e.response != "0")
        .map(|e| e.endpoint().to_string())
        .collect();
    assert_eq!(order, ["api/DispositionCall", "Dialers/Respool"]);
}

#[tokio::test]
async fn every_kind_of_request_reaches_its_endpoint() {
    let f = fixture().await;
    let c = &f.courier;
    let jobs = [
        disposition("g1", "Venta"),
        Job::Tag(integra::TagRecord {
            phone: "099123456".into(),
            guid: integra::CallGuid::new("g1"),
            data: "VIP".into(),
        }),
        respool("099765432"),
        schedule("099765433"),
        Job::Blacklist(integra::BlackEntry::new("099000111", "*")),
    ];
    for job in jobs {
        let kind = job.kind();
        let submitted = c.submit_for_call("g1", job).await.unwrap();
        assert!(
            submitted.delivery.delivered(),
            "{kind}: {:?}",
            submitted.delivery
        );
    }
    let endpoints: Vec<String> = f
        .sim
        .journal()
        .iter()
        .map(|e| e.endpoint().to_string())
        .collect();
    assert_eq!(
        endpoints,
        [
            "api/DispositionCall",
            "Agents/TagRecord",
            "Dialers/Respool",
            "Dialers/ScheduleDialerCall",
            "admin/addblack"
        ]
    );
    let state = f.sim.state();
    assert_eq!(state["blacklist"][0]["phone"], "099000111");
    assert_eq!(state["schedules"][0]["destination"], "099765433");
    assert_eq!(c.counts().unwrap().total(), 0);
}

//! The courier against the simulator over loopback, with a clock and jitter the test controls: what is retried,
//! when, and what waits for the agent (order and concurrency: order.rs).

use std::time::Duration;

use agent_error::ErrorCode;
use integra_sim::Faults;
use outbox::courier::{Backoff, CourierEvent, Delivery};
use outbox::ViewState;

use crate::support::*;

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
    f.agent.forget_password();
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

//! The courier against the simulator over loopback: order per call, one request in flight, resuming after a
//! restart, and every kind of request reaching its endpoint.

use std::sync::Arc;

use integra_sim::Faults;
use outbox::courier::{Backoff, Courier, Delivery, ManualClock};
use outbox::{Job, ViewState};

use crate::support::*;

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
        agent,
        path,
        _dir,
        ..
    } = f;
    drop(courier);
    // A new run on the same file: the courier resumes by itself.
    let resumed = Courier::spawn(
        open(&path),
        agent,
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

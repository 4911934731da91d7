//! The call desk's outbox against the simulator: dispositions that wait through a dead server and a restart, the
//! ones the server refuses, what the agent sees of them, and the desk's first try going through the courier.

use std::time::Duration;

use agent::desk::{CallState, DeskEvent};
use agent_error::ErrorCode;
use integra_sim::Faults;
use outbox::{ItemState, ViewState};

use crate::support::{fixture, form, open, sent, Fixture};

#[tokio::test]
async fn a_disposition_survives_a_dead_server_and_a_restart_then_goes_out() {
    let f = fixture(true).await;
    f.desk.dial("099123456", None).await.unwrap();
    f.desk.hang_up().await.unwrap();
    f.sim.set_faults(Faults {
        drop_next: 100,
        path_contains: Some("DispositionCall".into()),
        ..Default::default()
    });
    let done = f
        .desk
        .dispose(form("No contactado", "Ocupado", ""))
        .await
        .unwrap();
    assert!(!done.delivered);
    assert_eq!(done.view.pending_outbox, 1);
    assert_eq!(
        done.view.state,
        CallState::Idle,
        "the agent can take the next call"
    );

    // The app is closed: a new process opens the same file and finds the disposition.
    let reopened = open(&f.outbox_path);
    let items = reopened.pending().unwrap();
    assert_eq!(items.len(), 1);
    match &items[0].job {
        outbox::Job::Disposition(d) => {
            assert_eq!((d.l1.as_str(), d.l2.as_str()), ("No contactado", "Ocupado"))
        }
        other => panic!("expected the disposition, got {other:?}"),
    }
    assert!(items[0].attempts >= 1);

    f.sim.set_faults(Faults::default());
    assert_eq!(f.desk.flush().await.unwrap(), 0);
    assert_eq!(f.sim.state()["dispositions"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_rejected_disposition_is_kept_and_replaced_when_resubmitted() {
    let f = fixture(true).await;
    f.desk.dial("099123456", None).await.unwrap();
    f.desk.hang_up().await.unwrap();
    f.sim.set_faults(Faults {
        zero_next: 1,
        path_contains: Some("DispositionCall".into()),
        ..Default::default()
    });
    let err = f
        .desk
        .dispose(form("Contactado", "", ""))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerRejected);
    let items = open(&f.outbox_path).items().unwrap();
    assert_eq!((items.len(), items[0].state), (1, ItemState::Rejected));
    assert_eq!(
        f.desk.snapshot().await.state,
        CallState::WrapUp,
        "the form stays open"
    );
    f.desk
        .dispose(form("Contactado", "Venta", "Efectivo"))
        .await
        .unwrap();
    assert_eq!(open(&f.outbox_path).count().unwrap(), 0);
    assert_eq!(f.sim.state()["dispositions"][0]["l3"], "Efectivo");
}

/// Waits (bounded) for the desk's outbox event with these counts.
async fn outbox_event(
    events: &mut tokio::sync::broadcast::Receiver<DeskEvent>,
    want: (usize, usize),
) {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let DeskEvent::Outbox { pending, rejected } = events.recv().await.unwrap() {
                if (pending, rejected) == want {
                    return;
                }
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no outbox event {want:?}"));
}

async fn in_wrap_up(f: &Fixture) {
    f.desk.dial("099123456", None).await.unwrap();
    f.desk.hang_up().await.unwrap();
}

#[tokio::test]
async fn a_waiting_disposition_is_listed_for_the_agent_and_goes_out_on_a_nudge() {
    let f = fixture(true).await;
    in_wrap_up(&f).await;
    f.sim.set_faults(Faults {
        drop_next: 100,
        path_contains: Some("DispositionCall".into()),
        ..Default::default()
    });
    let mut events = f.desk.subscribe();
    let before = chrono::Utc::now().timestamp_millis();
    let done = f
        .desk
        .dispose(form("No contactado", "Ocupado", ""))
        .await
        .unwrap();
    assert!(!done.delivered);
    outbox_event(&mut events, (1, 0)).await;
    let items = f.desk.outbox_items().unwrap();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(
        (item.kind, item.summary.as_str(), item.state, item.attempts),
        (
            "disposition",
            "Disposition of 099123456: No contactado / Ocupado",
            ViewState::Pending,
            1
        )
    );
    assert!(
        item.last_error.as_deref().unwrap().contains("connection"),
        "{item:?}"
    );
    assert!(item.next_attempt_at.unwrap() > before, "scheduled later");

    // The network is back: the shell nudges, the courier sends at once.
    f.sim.set_faults(Faults::default());
    f.desk.nudge();
    outbox_event(&mut events, (0, 0)).await;
    assert_eq!(f.sim.state()["dispositions"].as_array().unwrap().len(), 1);
    assert_eq!(f.desk.snapshot().await.pending_outbox, 0);
}

#[tokio::test]
async fn a_refused_disposition_is_shown_and_the_agent_can_fix_or_discard_it() {
    let f = fixture(false).await;
    in_wrap_up(&f).await;
    f.sim.set_faults(Faults {
        zero_next: 2,
        path_contains: Some("DispositionCall".into()),
        ..Default::default()
    });
    let mut events = f.desk.subscribe();
    let err = f
        .desk
        .dispose(form("Contactado", "", ""))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerRejected);
    outbox_event(&mut events, (0, 1)).await;
    let item = f.desk.outbox_items().unwrap().remove(0);
    assert_eq!(item.state, ViewState::Rejected);
    assert!(item.last_error.unwrap().contains("\"0\""));

    // The agent fixes the comment in the outbox list; the server refuses once more, then takes the fix.
    let mut job = open(&f.outbox_path).get(item.id).unwrap().unwrap().job;
    if let outbox::Job::Disposition(d) = &mut job {
        d.comment = "corregido".into();
    }
    let refused = f.desk.edit_item(item.id, job.clone()).await.unwrap();
    assert!(matches!(refused, outbox::courier::Delivery::Rejected(_)));
    assert!(f.desk.edit_item(item.id, job).await.unwrap().delivered());
    assert_eq!(f.sim.state()["dispositions"][0]["comment"], "corregido");

    // Another call's refused disposition, discarded on purpose.
    in_wrap_up(&f).await;
    f.sim.set_faults(Faults {
        zero_next: 1,
        path_contains: Some("DispositionCall".into()),
        ..Default::default()
    });
    f.desk
        .dispose(form("Contactado", "", ""))
        .await
        .unwrap_err();
    let id = f.desk.outbox_items().unwrap()[0].id;
    f.desk.discard_item(id).await.unwrap();
    assert!(f.desk.outbox_items().unwrap().is_empty());
    assert_eq!(f.desk.flush().await.unwrap(), 0);
    assert_eq!(
        sent(&f.sim, "api/DispositionCall").len(),
        4,
        "3 tries + 1, nothing resent"
    );
}

#[tokio::test]
async fn the_desks_first_try_never_runs_beside_the_courier() {
    let f = fixture(true).await;
    f.sim.set_faults(Faults {
        drop_next: 3,
        path_contains: Some("DispositionCall".into()),
        ..Default::default()
    });
    for _ in 0..3 {
        in_wrap_up(&f).await;
        let done = f.desk.dispose(form("Contactado", "", "")).await.unwrap();
        assert!(!done.delivered);
    }
    in_wrap_up(&f).await;
    f.sim.set_faults(Faults {
        latency_ms: 60,
        ..Default::default()
    });
    f.sim.reset_max_in_flight();
    let (left, done) = tokio::join!(f.desk.flush(), f.desk.dispose(form("Contactado", "", "")));
    done.unwrap();
    left.unwrap();
    assert_eq!(f.desk.flush().await.unwrap(), 0);
    assert_eq!(f.sim.max_in_flight(), 1);
    assert_eq!(
        f.sim.state()["dispositions"].as_array().unwrap().len(),
        4,
        "each once"
    );
}

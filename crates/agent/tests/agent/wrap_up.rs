//! The wrap-up time limit against the simulator: at zero the campaign's timeout code reaches the server with a
//! comment that says it was automatic and keeps what the agent typed; "+30 s" moves the deadline; a restart during
//! the countdown still files it (straight into the outbox, the desk having lost the call).

use std::sync::Arc;
use std::time::Duration;

use agent::desk::{self, DeskOptions, DispositionForm};
use agent::profile::IdentityOverrides;
use agent::wrap_up::rules::{CampaignLimit, WrapUpLimits};
use agent::wrap_up::{ClockEvent, WrapUpClock, FILE_NAME};
use outbox::TestSeal;

use crate::support::{open, sent, signed_in};

fn limits(seconds: u32) -> WrapUpLimits {
    let mut l = WrapUpLimits {
        timeout_code: vec!["No contactado".into(), "Sin respuesta".into()],
        // One second per "+30 s" here, so the tests do not wait half a minute.
        extension_seconds: 1,
        ..WrapUpLimits::default()
    };
    l.campaigns.insert(
        "Ventas->".into(),
        CampaignLimit {
            seconds: Some(seconds),
            timeout_code: None,
        },
    );
    l
}

async fn next_event(events: &mut tokio::sync::broadcast::Receiver<ClockEvent>) -> ClockEvent {
    tokio::time::timeout(Duration::from_secs(10), events.recv())
        .await
        .expect("a clock event")
        .unwrap()
}

#[tokio::test]
async fn at_zero_the_timeout_code_is_filed_with_the_agents_note() {
    let (sim, session, secrets) = signed_in(IdentityOverrides {
        outqueue: "Ventas->".into(),
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let outbox = open(&dir.path().join("outbox.sqlite3"));
    let desk = desk::spawn(session, secrets, outbox, DeskOptions::default());
    let clock = WrapUpClock::start(
        dir.path().join(FILE_NAME),
        Arc::new(TestSeal::new(3)),
        "alice".into(),
        limits(1),
        desk.clone(),
    );
    let mut events = clock.subscribe();
    let call = desk
        .dial("099123456", Some("Ventas->".into()))
        .await
        .unwrap();
    desk.hang_up().await.unwrap();
    let ClockEvent::Running { countdown } = next_event(&mut events).await else {
        panic!("a countdown starts with the wrap-up")
    };
    assert_eq!(Some(countdown.guid.clone()), call.guid);
    let extended = clock.extend().await.unwrap();
    assert_eq!(
        extended.deadline,
        countdown.deadline + 1_000,
        "an extension"
    );
    assert_eq!(extended.extensions_left, 1);
    assert!(matches!(
        next_event(&mut events).await,
        ClockEvent::Running { .. }
    ));
    clock
        .note(DispositionForm {
            comment: "quiere la tarjeta oro".into(),
            ..Default::default()
        })
        .await;
    assert!(
        std::fs::read_to_string(dir.path().join(FILE_NAME))
            .map(|t| !t.contains("099123456") && !t.contains("tarjeta"))
            .unwrap_or(true),
        "the saved countdown is sealed"
    );
    let ClockEvent::TimedOut { comment, codes, .. } =
        tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                if let e @ ClockEvent::TimedOut { .. } = events.recv().await.unwrap() {
                    return e;
                }
            }
        })
        .await
        .expect("the time runs out")
    else {
        unreachable!()
    };
    assert_eq!(codes, "No contactado / Sin respuesta");
    assert_eq!(
        comment,
        "Automatic disposition: the wrap-up time (2 s) ran out. Agent's note: quiere la tarjeta oro"
    );
    let filed = sent(&sim, "api/DispositionCall");
    assert_eq!(filed.len(), 1);
    assert_eq!(filed[0].field("guid"), call.guid.as_deref());
    assert_eq!(filed[0].field("l1"), Some("No contactado"));
    assert_eq!(filed[0].field("l2"), Some("Sin respuesta"));
    assert_eq!(filed[0].field("comment"), Some(comment.as_str()));
    assert_eq!(
        desk.snapshot().await.state,
        agent::desk::CallState::Idle,
        "the agent can take the next call"
    );
}

#[tokio::test]
async fn a_restart_during_the_countdown_still_files_the_timeout_code() {
    let (sim, session, secrets) = signed_in(IdentityOverrides {
        outqueue: "Ventas->".into(),
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let outbox_path = dir.path().join("outbox.sqlite3");
    let file = dir.path().join(FILE_NAME);
    let seal = Arc::new(TestSeal::new(3));
    let guid = {
        let desk = desk::spawn(
            session.clone(),
            secrets.clone(),
            open(&outbox_path),
            DeskOptions::default(),
        );
        let clock = WrapUpClock::start(
            file.clone(),
            seal.clone(),
            "alice".into(),
            limits(2),
            desk.clone(),
        );
        let mut events = clock.subscribe();
        let call = desk
            .dial("099765432", Some("Ventas->".into()))
            .await
            .unwrap();
        desk.hang_up().await.unwrap();
        assert!(matches!(
            next_event(&mut events).await,
            ClockEvent::Running { .. }
        ));
        clock
            .note(DispositionForm {
                comment: "cortó enojado".into(),
                ..Default::default()
            })
            .await;
        // The app goes away in the middle of the wrap-up.
        call.guid.unwrap()
    };
    assert!(file.exists(), "the countdown is on disk");
    let desk = desk::spawn(session, secrets, open(&outbox_path), DeskOptions::default());
    let clock = WrapUpClock::start(file.clone(), seal, "alice".into(), limits(2), desk.clone());
    assert_eq!(clock.current().await.map(|c| c.guid), Some(guid.clone()));
    tokio::time::timeout(Duration::from_secs(10), async {
        while sent(&sim, "api/DispositionCall").is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the timeout code reaches the server after the restart");
    let filed = &sent(&sim, "api/DispositionCall")[0];
    assert_eq!(filed.field("guid"), Some(guid.as_str()));
    assert_eq!(filed.field("callerid"), Some("099765432"));
    assert_eq!(filed.field("campaign"), Some("Ventas->"));
    assert_eq!(filed.field("agent"), Some("alice"));
    assert_eq!(filed.field("l1"), Some("No contactado"));
    assert_eq!(
        filed.field("comment"),
        Some("Automatic disposition: the wrap-up time (2 s) ran out. Agent's note: cortó enojado")
    );
    tokio::time::timeout(Duration::from_secs(5), async {
        while file.exists() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the countdown leaves the disk once filed");
}

#[tokio::test]
async fn a_disposition_filed_by_the_agent_stops_the_countdown() {
    let (sim, session, secrets) = signed_in(IdentityOverrides {
        outqueue: "Ventas->".into(),
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let desk = desk::spawn(
        session,
        secrets,
        open(&dir.path().join("outbox.sqlite3")),
        DeskOptions::default(),
    );
    let file = dir.path().join(FILE_NAME);
    let clock = WrapUpClock::start(
        file.clone(),
        Arc::new(TestSeal::new(3)),
        "alice".into(),
        limits(1),
        desk.clone(),
    );
    let mut events = clock.subscribe();
    desk.dial("099123456", Some("Ventas->".into()))
        .await
        .unwrap();
    desk.hang_up().await.unwrap();
    assert!(matches!(
        next_event(&mut events).await,
        ClockEvent::Running { .. }
    ));
    desk.dispose(crate::support::form("Contactado", "Venta", "Tarjeta"))
        .await
        .unwrap();
    assert!(matches!(next_event(&mut events).await, ClockEvent::Stopped));
    assert_eq!(clock.current().await, None);
    assert!(!file.exists(), "nothing left to file after a restart");
    let filed = sent(&sim, "api/DispositionCall");
    assert_eq!(filed.len(), 1);
    assert_eq!(filed[0].field("l1"), Some("Contactado"));
}

//! The call desk against the simulator over loopback: what the agent does, what the server receives.

use std::sync::Arc;
use std::time::Duration;

use agent::desk::{self, CallState, DeskEvent, DeskOptions};
use agent::outbox::{ItemState, ViewState};
use agent::profile::IdentityOverrides;
use agent::secrets::{MemoryStore, SecretStore};
use agent::session::Session;
use agent::ErrorCode;
use integra::Password;
use integra_sim::{Faults, SimConfig};

mod support;
use support::{fixture, form, open, sent, Fixture};

#[tokio::test]
async fn sign_in_fills_the_identity_and_keeps_secrets_in_the_store() {
    let f = fixture(true).await;
    let password = f
        .secrets
        .get(&agent::secrets::password_key("alice", &f.sim.base_url()))
        .unwrap();
    assert_eq!(password.as_deref(), Some("alice-pw"));
    assert!(f
        .secrets
        .get(&agent::secrets::token_key("alice", &f.sim.base_url()))
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn a_whole_call_dial_hang_up_dispose() {
    let f = fixture(true).await;
    let mut events = f.desk.subscribe();
    let view = f.desk.dial("(099) 123-456", None).await.unwrap();
    assert_eq!(
        (view.state, view.number.as_deref()),
        (CallState::InCall, Some("099123456"))
    );
    let first = loop {
        match events.recv().await.unwrap() {
            DeskEvent::Outbox { .. } => continue,
            event => break event,
        }
    };
    assert!(
        matches!(first, DeskEvent::State { ref view } if view.state == CallState::Dialing),
        "Dialing is announced first: {first:?}"
    );

    let call = &sent(&f.sim, "Agents/AgentCall")[0];
    let fields: Vec<(&str, &str)> = call
        .form
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("callerid", "59821234567"),
            ("agent", "alice"),
            ("phone", "1001"),
            ("tech", "SIP"),
            ("context", "agentes"),
            ("outqueue", "Ventas->"),
            ("destination", "099123456"),
        ]
    );
    assert_eq!(view.guid.as_deref(), Some(call.response.as_str()));

    f.desk.tag("VIP").await.unwrap();
    let wrap = f.desk.hang_up().await.unwrap();
    assert_eq!(wrap.state, CallState::WrapUp);
    assert_eq!(
        sent(&f.sim, "Agents/HungupPhone")[0].field("phone"),
        Some("1001")
    );

    let done = f
        .desk
        .dispose(form("Contactado", "Venta", "Tarjeta"))
        .await
        .unwrap();
    assert!(done.delivered);
    assert_eq!(done.view.state, CallState::Idle);
    let d = &sent(&f.sim, "api/DispositionCall")[0];
    for (field, value) in [
        ("campaign", "Ventas->"),
        ("agent", "alice"),
        ("callerid", "099123456"),
        ("guid", view.guid.as_deref().unwrap()),
        ("l1", "Contactado"),
        ("l2", "Venta"),
        ("l3", "Tarjeta"),
        ("comment", "cliente conforme"),
        ("schedule", ""),
        ("tag", "Contactado|Venta|Tarjeta"),
    ] {
        assert_eq!(d.field(field), Some(value), "{field}");
    }
    assert_eq!(
        open(&f.outbox_path).count().unwrap(),
        0,
        "acknowledged items leave the outbox"
    );
}

#[tokio::test]
async fn a_second_dial_while_in_call_is_refused_without_a_request() {
    let f = fixture(true).await;
    f.desk
        .dial("099123456", Some("Ventas->".into()))
        .await
        .unwrap();
    let err = f.desk.dial("099999999", None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::CallInProgress);
    assert_eq!(sent(&f.sim, "Agents/AgentCall").len(), 1);
    f.desk.customer_hung_up().await.unwrap();
    let err = f.desk.dial("099999999", None).await.unwrap_err();
    assert_eq!(
        err.code(),
        ErrorCode::WrapUpRequired,
        "wrap-up comes first when required"
    );
    assert!(
        sent(&f.sim, "Agents/HungupPhone").is_empty(),
        "the customer hung up: nothing to send"
    );
}

#[tokio::test]
async fn concurrent_dials_place_one_call() {
    let f = fixture(true).await;
    f.sim.set_faults(Faults {
        latency_ms: 150,
        ..Default::default()
    });
    let (a, b) = tokio::join!(
        f.desk.dial("099123456", None),
        f.desk.dial("099123456", None)
    );
    assert_eq!(a.is_ok() as u8 + b.is_ok() as u8, 1, "{a:?} {b:?}");
    assert_eq!(sent(&f.sim, "Agents/AgentCall").len(), 1);
}

#[tokio::test]
async fn a_zero_from_agent_call_is_explained_and_the_desk_is_idle_again() {
    let f = fixture(true).await;
    f.sim.set_faults(Faults {
        zero_next: 1,
        path_contains: Some("AgentCall".into()),
        ..Default::default()
    });
    let err = f.desk.dial("099123456", None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerRejected);
    assert!(
        err.to_string()
            .contains("check the number and the campaign"),
        "{err}"
    );
    let view = f.desk.snapshot().await;
    assert_eq!(view.state, CallState::Idle);
    assert_eq!(view.last_error.unwrap().code, ErrorCode::ServerRejected);
    assert_eq!(sent(&f.sim, "Agents/AgentCall").len(), 1, "never retried");
}

#[tokio::test]
async fn letters_in_the_number_are_refused_before_any_request() {
    let f = fixture(true).await;
    let err = f.desk.dial("099-CALL-ME", None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidNumber);
    assert!(f.sim.journal().is_empty());
}

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
        agent::outbox::Job::Disposition(d) => {
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

#[tokio::test]
async fn an_expired_token_is_renewed_without_losing_the_call() {
    let f = fixture(true).await;
    f.desk.dial("099123456", None).await.unwrap();
    f.sim.expire_tokens();
    let view = f.desk.hang_up().await.unwrap();
    assert_eq!(view.state, CallState::WrapUp);
    let paths: Vec<String> = f
        .sim
        .journal()
        .iter()
        .map(|e| e.endpoint().to_string())
        .collect();
    assert_eq!(
        &paths[1..],
        [
            "Agents/HungupPhone",
            "auth/AgentLogin",
            "Agents/HungupPhone"
        ]
    );
    f.desk.dispose(form("Contactado", "", "")).await.unwrap();
}

#[tokio::test]
async fn sign_out_ends_the_session_and_forgets_secrets() {
    let sim = integra_sim::spawn(SimConfig::demo(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let secrets = MemoryStore::default();
    let session = Session::sign_in(
        &sim.base_url(),
        "alice",
        &Password::new("alice-pw"),
        &IdentityOverrides::default(),
        &secrets,
    )
    .await
    .unwrap();
    session
        .sign_out(&secrets, Duration::from_secs(2))
        .await
        .unwrap();
    let paths: Vec<String> = sim
        .journal()
        .iter()
        .map(|e| e.endpoint().to_string())
        .collect();
    assert_eq!(
        paths,
        ["auth/AgentLogin", "api/AgentLogoff", "auth/EndSession"]
    );
    assert_eq!(sim.journal()[1].field("interface"), Some("SIP/1001"));
    assert_eq!(
        secrets
            .get(&agent::secrets::password_key("alice", &sim.base_url()))
            .unwrap(),
        None
    );
    let restored = Session::restore(
        &sim.base_url(),
        "alice",
        &IdentityOverrides::default(),
        &secrets,
    )
    .await
    .unwrap();
    assert!(restored.is_none(), "nothing remembered after sign-out");
}

#[tokio::test]
async fn wrong_password_and_unreachable_server_are_told_apart() {
    let sim = integra_sim::spawn(SimConfig::demo(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let secrets = MemoryStore::default();
    let wrong = Session::sign_in(
        &sim.base_url(),
        "alice",
        &Password::new("nope"),
        &IdentityOverrides::default(),
        &secrets,
    )
    .await
    .unwrap_err();
    assert_eq!(wrong.code(), ErrorCode::WrongCredentials);
    let url = sim.base_url();
    sim.shutdown().await;
    let down = Session::sign_in(
        &url,
        "alice",
        &Password::new("alice-pw"),
        &IdentityOverrides::default(),
        &secrets,
    )
    .await
    .unwrap_err();
    assert_eq!(down.code(), ErrorCode::ServerUnreachable);
}

#[tokio::test]
async fn an_agent_without_a_configured_caller_id_can_dial() {
    let sim = integra_sim::spawn(SimConfig::demo(), "127.0.0.1:0".parse().unwrap())
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
    let desk = desk::spawn(
        session,
        secrets,
        open(&dir.path().join("o.db")),
        DeskOptions::default(),
    );
    let view = desk
        .dial("099123456", Some("Ventas->".into()))
        .await
        .unwrap();
    assert_eq!(view.state, CallState::InCall);
    let call = sent(&sim, "Agents/AgentCall").remove(0);
    assert_eq!(
        call.field("callerid"),
        Some(""),
        "sent empty: the server uses the campaign's DID"
    );
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
    if let agent::outbox::Job::Disposition(d) = &mut job {
        d.comment = "corregido".into();
    }
    let refused = f.desk.edit_item(item.id, job.clone()).await.unwrap();
    assert!(matches!(refused, agent::courier::Delivery::Rejected(_)));
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

//! The call desk against the simulator over loopback: what the agent does, what the server receives.

use std::time::Duration;

use agent::desk::{self, CallState, DeskEvent, DeskOptions, NoticeKind};
use agent::profile::IdentityOverrides;
use agent::session::Session;
use agent_error::ErrorCode;
use integra::Password;
use integra_sim::{Faults, SimConfig};
use keychain::{MemoryStore, SecretStore};

use crate::support::{fixture, form, open, sent};

#[tokio::test]
async fn sign_in_fills_the_identity_and_keeps_secrets_in_the_store() {
    let f = fixture(true).await;
    let password = f
        .secrets
        .get(&keychain::password_key("alice", &f.sim.base_url()))
        .unwrap();
    assert_eq!(password.as_deref(), Some("alice-pw"));
    assert!(f
        .secrets
        .get(&keychain::token_key("alice", &f.sim.base_url()))
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
            DeskEvent::Outbox { .. } | DeskEvent::Connection { .. } => continue,
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
async fn a_failed_dial_opens_a_wrap_up_for_the_attempt_when_asked() {
    let f = fixture(true).await;
    f.desk.set_wrap_up_failed_dials(true).await;
    f.sim.set_faults(Faults {
        zero_next: 2,
        path_contains: Some("AgentCall".into()),
        ..Default::default()
    });
    let err = f.desk.dial("099123456", None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerRejected);
    let view = f.desk.snapshot().await;
    assert_eq!(view.state, CallState::WrapUp);
    assert!(view.failed_attempt);
    assert_eq!(view.number.as_deref(), Some("099123456"));
    assert_eq!(view.last_error.unwrap().code, ErrorCode::ServerRejected);
    let attempt = view.guid.unwrap();
    assert_eq!(attempt.len(), 36, "an id in the GUID's format: {attempt}");
    let refused = f.desk.dial("099123456", None).await.unwrap_err();
    assert_eq!(
        refused.code(),
        ErrorCode::WrapUpRequired,
        "the attempt is filed first"
    );

    f.desk
        .dispose(form("No contactado", "Número equivocado", ""))
        .await
        .unwrap();
    let filed = sent(&f.sim, "api/DispositionCall");
    assert_eq!(filed.len(), 1);
    assert_eq!(filed[0].field("guid"), Some(attempt.as_str()));
    assert_eq!(filed[0].field("callerid"), Some("099123456"));
    assert_eq!(filed[0].field("l2"), Some("Número equivocado"));
    assert_eq!(f.desk.snapshot().await.state, CallState::Idle);

    // The next failure is left without filing anything.
    f.desk.dial("099123456", None).await.unwrap_err();
    let view = f.desk.discard_attempt().await.unwrap();
    assert_eq!(view.state, CallState::Idle);
    assert_eq!(
        sent(&f.sim, "api/DispositionCall").len(),
        1,
        "nothing more filed"
    );
}

#[tokio::test]
async fn only_a_failed_attempt_can_be_left_without_a_disposition() {
    let f = fixture(true).await;
    f.desk.set_wrap_up_failed_dials(true).await;
    f.desk.dial("099123456", None).await.unwrap();
    f.desk.hang_up().await.unwrap();
    let err = f.desk.discard_attempt().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoCall);
    assert_eq!(
        f.desk.snapshot().await.state,
        CallState::WrapUp,
        "the call still waits for its disposition"
    );
}

#[tokio::test]
async fn letters_in_the_number_are_refused_before_any_request() {
    let f = fixture(true).await;
    let err = f.desk.dial("099-CALL-ME", None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidNumber);
    assert!(f.sim.journal().is_empty());
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
async fn a_dial_that_finds_the_password_changed_asks_for_the_new_one() {
    let f = fixture(true).await;
    let mut events = f.desk.subscribe();
    f.sim.change_password("alice", "clave-nueva");
    f.sim.expire_tokens();
    let err = f.desk.dial("099123456", None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unauthorized, "{err}");
    let notice = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if let Ok(DeskEvent::Notice { kind, text, .. }) = events.recv().await {
                if kind == NoticeKind::SignInLost {
                    return text;
                }
            }
        }
    })
    .await
    .expect("a sign-in-lost notice");
    assert!(notice.contains("password"), "{notice}");
    assert_eq!(f.desk.snapshot().await.state, CallState::Idle);
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
            .get(&keychain::password_key("alice", &sim.base_url()))
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
    let (sim, session, secrets) = crate::support::signed_in(IdentityOverrides::default()).await;
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

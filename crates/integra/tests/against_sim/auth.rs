//! AgentLogin, getUserToken, EndSession, AgentLogoff and breaks.

use integra::{AgentLogoff, AgentPause, Error, Password};

use crate::support::*;

#[tokio::test]
async fn agent_login_sends_credentials_without_a_token_and_reads_the_peer() {
    let sim = sim().await;
    let client = client(&sim);
    let record = client
        .agent_login("alice", &Password::new("alice-pw"))
        .await
        .unwrap();
    assert_eq!(
        (
            record.extension(),
            record.context.as_str(),
            record.fullname.as_str()
        ),
        ("1001", "agentes", "Alice Agent")
    );
    assert_eq!(record.accountcode, "alice");
    let entry = only_request(&sim, "auth/AgentLogin");
    assert_eq!(entry.authorization, None, "login must not send a token");
    assert_eq!(
        fields(&entry),
        [("agent", "alice"), ("password", "alice-pw")]
    );
}

#[tokio::test]
async fn the_token_is_sent_as_basic_exactly_as_issued() {
    let (sim, client) = signed_in().await;
    let token = client.token().unwrap();
    client.hangup("1001").await.unwrap_err(); // no call: "0", but the header is what we look at
    let entry = only_request(&sim, "Agents/HungupPhone");
    assert_eq!(
        entry.authorization,
        Some(format!("Basic {}", token.expose()))
    );
}

#[tokio::test]
async fn wrong_password_is_a_rejection() {
    let sim = sim().await;
    let err = client(&sim)
        .agent_login("alice", &Password::new("nope"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Rejected {
                endpoint: "auth/AgentLogin",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        !err.to_string().contains("nope"),
        "the password must not appear in the error: {err}"
    );
}

#[tokio::test]
async fn api_user_token_then_end_session_disables_it() {
    let sim = sim().await;
    let client = client(&sim);
    let token = client
        .user_token("admin", &Password::new("admin-pw"))
        .await
        .unwrap();
    client.set_token(Some(token.clone()));
    client.queue_summary().await.expect("the token works");
    sim.clear_journal();
    client.end_session("admin", &token).await.unwrap();
    let entry = only_request(&sim, "auth/EndSession");
    assert_eq!(
        fields(&entry),
        [("user", "admin"), ("token", token.expose())]
    );
    assert_eq!(
        entry.authorization,
        Some(format!("Basic {}", token.expose()))
    );
    let err = client.queue_summary().await.unwrap_err();
    assert!(
        matches!(err, Error::Unauthorized { .. }),
        "an ended session answers 401: {err:?}"
    );
}

#[tokio::test]
async fn logoff_and_breaks_send_agent_interface_and_motive() {
    let (sim, client) = signed_in().await;
    let logoff = AgentLogoff {
        agent: "alice".into(),
        interface: "SIP/1001".into(),
        message: "fin de turno".into(),
    };
    client.agent_logoff(&logoff).await.unwrap();
    let entry = only_request(&sim, "api/AgentLogoff");
    assert_eq!(
        fields(&entry),
        [
            ("agent", "alice"),
            ("interface", "SIP/1001"),
            ("message", "fin de turno")
        ]
    );

    sim.clear_journal();
    let pause = AgentPause {
        agent: "alice".into(),
        interface: "SIP/1001".into(),
        motive: "Almuerzo".into(),
        message: String::new(),
    };
    client.agent_break(&pause).await.unwrap();
    let entry = only_request(&sim, "api/AgentBreak");
    assert_eq!(entry.field("motive"), Some("Almuerzo"));
    sim.clear_journal();
    client.agent_unbreak(&pause).await.unwrap();
    only_request(&sim, "api/AgentUnBreak");
    let events = sim.state()["agent_events"].as_array().unwrap().len();
    assert_eq!(events, 3);
}

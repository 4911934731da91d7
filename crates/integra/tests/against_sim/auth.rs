//! AgentLogin, getUserToken, EndSession, AgentLogoff and breaks.

use integra::{AgentLogoff, AgentPause, Error, Password};

use crate::support::*;

#[tokio::test]
async fn agent_login_posts_credentials_without_a_token_and_reads_the_peer() {
    let sim = sim().await;
    let client = client(&sim);
    let record = client
        .agent_login("alice", &Password::new("alice-pw"))
        .await
        .unwrap();

    let entry = only_request(&sim, "auth/AgentLogin");
    assert_eq!(entry.authorization, None, "login must not send a token");
    assert_eq!(
        fields(&entry),
        [("agent", "alice"), ("password", "alice-pw")]
    );

    assert_eq!(
        (
            record.extension(),
            record.context.as_str(),
            record.fullname.as_str()
        ),
        ("1001", "agentes", "Alice Agent")
    );
    assert_eq!(
        (record.accountcode.as_str(), record.email.as_str()),
        ("alice", "alice@example.com")
    );
    assert_eq!(record.interface("SIP"), "SIP/1001");
    assert_eq!(token_user(&record.token()), "alice");
    assert!(
        client.token().is_none(),
        "agent_login leaves the client's token to the caller"
    );
    assert_eq!(sim.state()["logged_in"], serde_json::json!(["alice"]));
}

#[tokio::test]
async fn later_calls_send_the_token_as_basic_exactly_as_issued() {
    let (sim, client, token) = signed_in().await;
    client.queue_summary().await.unwrap();
    let entry = only_request(&sim, "Supervisor/queuesummary");
    assert_token(&entry, &token);
    assert_eq!(
        token_user(&token),
        "alice",
        "not base64-encoded a second time"
    );
}

#[tokio::test]
async fn wrong_password_is_rejected_without_echoing_it() {
    let sim = sim().await;
    let err = client(&sim)
        .agent_login("alice", &Password::new("nope-secret"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Rejected { endpoint: "auth/AgentLogin", body } if body == "0"),
        "{err:?}"
    );
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains("nope-secret"), "{text}");
    }
}

#[tokio::test]
async fn api_user_token_works_until_end_session_disables_it() {
    let sim = sim().await;
    let client = client(&sim);
    let token = client
        .user_token("admin", &Password::new("admin-pw"))
        .await
        .unwrap();
    let entry = only_request(&sim, "auth/getUserToken");
    assert_eq!(entry.authorization, None);
    assert_eq!(
        fields(&entry),
        [("user", "admin"), ("password", "admin-pw")]
    );
    assert_eq!(
        token_user(&token),
        "admin",
        "the last element of the answer list"
    );

    client.set_token(Some(token.clone()));
    client.queue_summary().await.expect("the token works");
    sim.clear_journal();

    client.end_session("admin", &token).await.unwrap();
    let entry = only_request(&sim, "auth/EndSession");
    assert_eq!(
        fields(&entry),
        [("user", "admin"), ("token", token.expose())]
    );
    assert_token(&entry, &token);
    assert_eq!(entry.response, "1");
    assert!(
        client.token().is_none(),
        "the client forgets the token it ended"
    );

    client.set_token(Some(token));
    let err = client.queue_summary().await.unwrap_err();
    assert!(
        matches!(err, Error::Unauthorized { .. }),
        "an ended session answers 401: {err:?}"
    );
}

#[tokio::test]
async fn ending_a_session_of_another_user_is_rejected_and_keeps_ours() {
    let (sim, client, token) = signed_in().await;
    let err = client.end_session("bob", &token).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Rejected {
                endpoint: "auth/EndSession",
                ..
            }
        ),
        "{err:?}"
    );
    let entry = only_request(&sim, "auth/EndSession");
    assert_eq!(fields(&entry), [("user", "bob"), ("token", token.expose())]);
    assert_eq!(client.token(), Some(token));
    client
        .queue_summary()
        .await
        .expect("the session still works");
}

#[tokio::test]
async fn logoff_sends_agent_interface_and_message() {
    let (sim, client, token) = signed_in().await;
    let logoff = AgentLogoff {
        agent: "alice".into(),
        interface: "SIP/1001".into(),
        message: "fin de turno, mañana 9 h".into(),
    };
    client.agent_logoff(&logoff).await.unwrap();
    let entry = only_request(&sim, "api/AgentLogoff");
    assert_token(&entry, &token);
    assert_eq!(
        fields(&entry),
        [
            ("agent", "alice"),
            ("interface", "SIP/1001"),
            ("message", "fin de turno, mañana 9 h")
        ]
    );
    assert_eq!(sim.state()["agent_events"][0]["event"], "logoff");
}

#[tokio::test]
async fn breaks_send_agent_interface_motive_and_message() {
    let (sim, client, token) = signed_in().await;
    let pause = AgentPause {
        agent: "alice".into(),
        interface: "SIP/1001".into(),
        motive: "Almuerzo".into(),
        message: String::new(),
    };
    for (endpoint, event) in [("api/AgentBreak", "break"), ("api/AgentUnBreak", "unbreak")] {
        sim.clear_journal();
        if event == "break" {
            client.agent_break(&pause).await.unwrap();
        } else {
            client.agent_unbreak(&pause).await.unwrap();
        }
        let entry = only_request(&sim, endpoint);
        assert_token(&entry, &token);
        assert_eq!(
            fields(&entry),
            [
                ("agent", "alice"),
                ("interface", "SIP/1001"),
                ("motive", "Almuerzo"),
                ("message", "")
            ]
        );
    }
    let events: Vec<String> = sim.state()["agent_events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["event"].as_str().unwrap(),
                e["motive"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(events, ["break Almuerzo", "unbreak Almuerzo"]);
}

#[tokio::test]
async fn a_break_without_motive_is_refused_before_sending() {
    let (sim, client, _) = signed_in().await;
    let pause = AgentPause {
        agent: "alice".into(),
        interface: "SIP/1001".into(),
        ..Default::default()
    };
    let err = client.agent_break(&pause).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                field: "motive",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(sim.journal().is_empty(), "nothing was sent");
}

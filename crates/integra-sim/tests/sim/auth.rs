//! Tokens: how they are issued, sent and revoked, and the 401 every other endpoint answers without one.

use std::time::Duration;

use base64::Engine;
use integra_sim::SimConfig;

use crate::support::*;

#[tokio::test]
async fn agent_login_returns_the_sip_peer_with_the_token_as_md5secret() {
    let sim = start().await;
    let reply = post(
        &sim,
        "auth/AgentLogin",
        None,
        &[("agent", "alice"), ("password", "alice-pw")],
    )
    .await;
    assert_eq!(reply.status, 200);
    assert!(
        reply.content_type.starts_with("application/json"),
        "{}",
        reply.content_type
    );
    let peer = reply.json();
    assert_eq!(peer["callerid"], "1001");
    assert_eq!(peer["name"], "1001");
    assert_eq!(peer["context"], "agentes");
    assert_eq!(peer["fullname"], "Alice Agent");
    assert_eq!(peer["accountcode"], "alice");
    for field in [
        "id",
        "host",
        "secret",
        "transport",
        "phonetype",
        "did",
        "outboundproxy",
        "limite",
        "LogLevel",
    ] {
        assert!(peer.get(field).is_some(), "{field} missing from {peer}");
    }
    let token = peer["md5secret"].as_str().unwrap();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(token)
        .unwrap();
    let (user, id) = std::str::from_utf8(&decoded)
        .unwrap()
        .split_once(':')
        .unwrap();
    assert_eq!(user, "alice");
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 4);
    assert_eq!(sim.state()["logged_in"], serde_json::json!(["alice"]));
}

#[tokio::test]
async fn wrong_credentials_get_zero() {
    let sim = start().await;
    for (agent, password) in [("alice", "bob-pw"), ("mallory", "x"), ("", "")] {
        let reply = post(
            &sim,
            "auth/AgentLogin",
            None,
            &[("agent", agent), ("password", password)],
        )
        .await;
        assert_eq!((reply.status, reply.body.as_str()), (200, "0"));
    }
    let reply = post(
        &sim,
        "auth/getUserToken",
        None,
        &[("user", "admin"), ("password", "nope")],
    )
    .await;
    assert_eq!(reply.body, "0");
}

#[tokio::test]
async fn every_endpoint_but_auth_needs_a_live_token() {
    let sim = start().await;
    let token = alice(&sim).await;
    let fields = call_fields("099123456");
    for bad in [None, Some("bm9ib2R5OjEyMw=="), Some("")] {
        let reply = post(&sim, "Agents/AgentCall", bad, &pairs(&fields)).await;
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (401, "Unauthorized"),
            "{bad:?}"
        );
        assert!(reply.content_type.starts_with("text/plain"));
    }
    for endpoint in [
        "Supervisor/queuesummary",
        "api/DispositionCall",
        "Cdr/getrecords",
        "forms/FormGet",
    ] {
        assert_eq!(
            post(&sim, endpoint, None, &[]).await.status,
            401,
            "{endpoint}"
        );
    }
    // A Bearer header with a good token is still not Basic.
    let bearer = reqwest::Client::new()
        .post(format!(
            "{}/Integra/resources/Supervisor/queuesummary",
            sim.base_url()
        ))
        .header("Authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), 401);
    assert_eq!(
        post(&sim, "Supervisor/queuesummary", Some(&token), &[])
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn get_user_token_puts_the_token_last_and_user_login_third() {
    let sim = start().await;
    let creds = [("user", "admin"), ("password", "admin-pw")];
    let list = post(&sim, "auth/getUserToken", None, &creds).await.json();
    let token = list
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        post(&sim, "Supervisor/queuesummary", Some(&token), &[])
            .await
            .status,
        200
    );

    let older = post(&sim, "auth/UserLogin", None, &creds).await.json();
    let token = older[2].as_str().unwrap();
    assert_eq!(
        post(&sim, "Supervisor/queuesummary", Some(token), &[])
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn end_session_revokes_the_token_of_that_user_only() {
    let sim = start().await;
    let token = alice(&sim).await;
    let wrong_user = post(
        &sim,
        "auth/EndSession",
        None,
        &[("user", "bob"), ("token", &token)],
    )
    .await;
    assert_eq!(wrong_user.body, "0");
    let ended = post(
        &sim,
        "auth/EndSession",
        Some(&token),
        &[("user", "alice"), ("token", &token)],
    )
    .await;
    assert_eq!((ended.status, ended.body.as_str()), (200, "1"));
    assert_eq!(
        post(&sim, "Supervisor/queuesummary", Some(&token), &[])
            .await
            .status,
        401
    );
    let again = post(
        &sim,
        "auth/EndSession",
        None,
        &[("user", "alice"), ("token", &token)],
    )
    .await;
    assert_eq!(again.body, "0", "a dead token cannot be ended twice");
}

#[tokio::test]
async fn end_session_accepts_its_fields_in_the_query_string() {
    let sim = start().await;
    let token = admin(&sim).await;
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("user", "admin"), ("token", token.as_str())])
        .finish();
    let reply = post_raw(
        &sim,
        &format!("auth/EndSession?{query}"),
        None,
        None,
        String::new(),
    )
    .await;
    assert_eq!(reply.body, "1");
    assert_eq!(
        post(&sim, "Supervisor/queuesummary", Some(&token), &[])
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn tokens_expire_after_their_time_to_live() {
    let config = SimConfig {
        token_ttl: Duration::from_millis(300),
        ..SimConfig::demo()
    };
    let sim = start_with(config).await;
    let token = alice(&sim).await;
    let expired = eventually(Duration::from_secs(5), || async {
        post(&sim, "Supervisor/queuesummary", Some(&token), &[])
            .await
            .status
            == 401
    })
    .await;
    assert!(expired, "the token still works after its TTL");
}

#[tokio::test]
async fn expire_tokens_kills_every_token_issued_so_far() {
    let sim = start().await;
    let (a, b) = (alice(&sim).await, admin(&sim).await);
    sim.expire_tokens();
    for token in [&a, &b] {
        assert_eq!(
            post(&sim, "Supervisor/queuesummary", Some(token), &[])
                .await
                .status,
            401
        );
    }
    let fresh = alice(&sim).await;
    assert_eq!(
        post(&sim, "Supervisor/queuesummary", Some(&fresh), &[])
            .await
            .status,
        200
    );

    // The same through the admin API.
    let admin_api = format!("{}/_sim/expire-tokens", sim.base_url());
    assert!(reqwest::Client::new()
        .post(admin_api)
        .send()
        .await
        .unwrap()
        .status()
        .is_success());
    assert_eq!(
        post(&sim, "Supervisor/queuesummary", Some(&fresh), &[])
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn logoff_and_breaks_are_recorded_and_need_their_fields() {
    let sim = start().await;
    let token = alice(&sim).await;
    let t = Some(token.as_str());
    assert_eq!(
        post(
            &sim,
            "api/AgentBreak",
            t,
            &[("agent", "alice"), ("interface", "SIP/1001")]
        )
        .await
        .body,
        "0"
    );
    let pause = [
        ("agent", "alice"),
        ("interface", "SIP/1001"),
        ("motive", "Almuerzo"),
    ];
    assert_eq!(post(&sim, "api/AgentBreak", t, &pause).await.body, "1");
    assert_eq!(sim.state()["on_break"], serde_json::json!(["alice"]));
    assert_eq!(post(&sim, "api/AgentUnBreak", t, &pause).await.body, "1");
    assert_eq!(
        post(&sim, "api/AgentLogoff", t, &[("interface", "SIP/1001")])
            .await
            .body,
        "0"
    );
    let logoff = [
        ("agent", "alice"),
        ("interface", "SIP/1001"),
        ("message", "fin de turno"),
    ];
    assert_eq!(post(&sim, "api/AgentLogoff", t, &logoff).await.body, "1");
    let state = sim.state();
    let events: Vec<_> = state["agent_events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].clone())
        .collect();
    assert_eq!(events, ["break", "unbreak", "logoff"]);
    assert_eq!(state["logged_in"], serde_json::json!([]));
}

#[tokio::test]
async fn an_administrator_can_change_an_agents_password() {
    let sim = start().await;
    let token = alice(&sim).await;
    let url = |agent: &str| format!("{}/_sim/agents/{agent}/password", sim.base_url());
    let client = reqwest::Client::new();
    let changed = client
        .post(url("alice"))
        .body("nueva-clave")
        .send()
        .await
        .unwrap();
    assert!(changed.status().is_success());
    let unknown = client.post(url("nobody")).body("x").send().await.unwrap();
    assert_eq!(unknown.status().as_u16(), 404);
    let login = |password: &'static str| {
        let sim = &sim;
        async move {
            post(
                sim,
                "auth/AgentLogin",
                None,
                &[("agent", "alice"), ("password", password)],
            )
            .await
            .body
        }
    };
    assert_eq!(
        login("alice-pw").await,
        "0",
        "the old password no longer works"
    );
    assert!(login("nueva-clave").await.contains("md5secret"));
    assert_eq!(
        post(&sim, "Supervisor/queuesummary", Some(&token), &[])
            .await
            .status,
        200,
        "tokens issued before live on"
    );
}

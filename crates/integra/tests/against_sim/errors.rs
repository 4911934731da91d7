//! Every error convention, each on its own: "0", 401, an HTML error page, 5xx, a dropped connection, a timeout,
//! an unreachable server, the 404 fallbacks of older servers, and no credential in any error.

use std::time::Duration;

use integra::{Client, Error, Password};
use integra_sim::{Faults, SimConfig};

use crate::calls::call_to;
use crate::support::*;

fn on_api(f: Faults) -> Faults {
    Faults {
        path_contains: Some("/Integra/resources/".into()),
        ..f
    }
}

#[tokio::test]
async fn zero_is_rejected_with_the_servers_answer() {
    let (sim, client, _) = signed_in().await;
    sim.set_faults(on_api(Faults {
        zero_next: 1,
        ..Default::default()
    }));
    let err = client.queue_summary().await.unwrap_err();
    assert!(
        matches!(&err, Error::Rejected { endpoint: "Supervisor/queuesummary", body } if body == "0"),
        "{err:?}"
    );
    assert!(!err.is_transient());
    assert_eq!(sim.journal()[0].response, "0");
}

#[tokio::test]
async fn expired_token_is_unauthorized() {
    let (sim, client, _) = signed_in().await;
    sim.expire_tokens();
    let err = client.hangup("1001").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Unauthorized {
                endpoint: "Agents/HungupPhone"
            }
        ),
        "{err:?}"
    );
    assert!(!err.is_transient(), "401 needs a new sign-in, not a retry");
    assert_eq!(sim.journal()[0].status, 401);
    assert_eq!(
        requested(&sim),
        ["Agents/HungupPhone"],
        "a 401 is not a 404: no fallback"
    );
}

#[tokio::test]
async fn no_token_means_unauthorized_and_no_header() {
    let sim = sim().await;
    let err = client(&sim).queue_summary().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    assert_eq!(
        only_request(&sim, "Supervisor/queuesummary").authorization,
        None
    );
}

#[tokio::test]
async fn html_error_page_is_unexpected_and_keeps_status_and_body() {
    let (sim, client, _) = signed_in().await;
    sim.set_faults(on_api(Faults {
        html_next: 1,
        ..Default::default()
    }));
    let err = client.queue_summary().await.unwrap_err();
    match &err {
        Error::UnexpectedBody {
            endpoint,
            status,
            body,
            ..
        } => {
            assert_eq!((*endpoint, *status), ("Supervisor/queuesummary", 502));
            assert!(
                body.starts_with("<!DOCTYPE html>") && body.contains("Bad Gateway"),
                "{body}"
            );
        }
        other => panic!("expected UnexpectedBody, got {other:?}"),
    }
    assert!(err.is_transient(), "a proxy's 502 may pass");
}

#[tokio::test]
async fn server_error_is_a_transient_status_with_the_body() {
    let (sim, client, _) = signed_in().await;
    sim.set_faults(on_api(Faults {
        fail_next: 1,
        ..Default::default()
    }));
    let err = client.queue_summary().await.unwrap_err();
    assert!(
        matches!(&err, Error::Status { status: 500, body, .. } if body == "Internal Server Error"),
        "{err:?}"
    );
    assert!(err.is_transient());
    client
        .queue_summary()
        .await
        .expect("the next request succeeds");
}

#[tokio::test]
async fn dropped_connection_is_a_transport_error() {
    let (sim, client, _) = signed_in().await;
    sim.set_faults(on_api(Faults {
        drop_next: 1,
        ..Default::default()
    }));
    let err = client.queue_summary().await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { .. } | Error::Connect { .. }),
        "{err:?}"
    );
    assert!(err.is_transient());
    assert_eq!(
        sim.journal()[0].status,
        0,
        "the simulator closed the connection without answering"
    );
}

#[tokio::test]
async fn slow_server_times_out_at_the_configured_timeout() {
    let sim = sim().await;
    let client = Client::builder(sim.base_url())
        .timeout(Duration::from_millis(250))
        .build()
        .unwrap();
    sim.set_faults(Faults {
        latency_ms: 2_000,
        ..Default::default()
    });
    let started = std::time::Instant::now();
    let err = client
        .agent_login("alice", &Password::new("alice-pw"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                endpoint: "auth/AgentLogin"
            }
        ),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_millis(1_500),
        "gave up at the timeout, not the answer"
    );
    assert!(err.is_transient());
}

#[tokio::test]
async fn unreachable_server_is_a_connect_error() {
    let sim = sim().await;
    let url = sim.base_url();
    sim.shutdown().await;
    let err = Client::builder(url)
        .build()
        .unwrap()
        .agent_login("alice", &Password::new("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Connect {
                endpoint: "auth/AgentLogin",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("auth/AgentLogin: cannot reach the server"),
        "{err}"
    );
}

#[tokio::test]
async fn older_servers_get_the_user_login_fallback() {
    let mut config = SimConfig::demo();
    config.missing_endpoints = vec!["auth/getUserToken".into()];
    let sim = sim_with(config).await;
    let client = client(&sim);
    let token = client
        .user_token("admin", &Password::new("admin-pw"))
        .await
        .unwrap();
    let journal = sim.journal();
    assert_eq!(requested(&sim), ["auth/getUserToken", "auth/UserLogin"]);
    assert_eq!(journal[0].status, 404);
    for entry in &journal {
        assert_form_post(entry, entry.endpoint());
        assert_eq!(entry.authorization, None);
        assert_eq!(fields(entry), [("user", "admin"), ("password", "admin-pw")]);
    }
    assert_eq!(
        token_user(&token),
        "admin",
        "element [2] of UserLogin's list"
    );
    client.set_token(Some(token));
    client
        .queue_summary()
        .await
        .expect("the fallback token works");
}

#[tokio::test]
async fn older_servers_get_the_hangup_fallback() {
    let mut config = SimConfig::demo();
    config.missing_endpoints = vec!["Agents/HungupPhone".into()];
    let sim = sim_with(config).await;
    let client = client(&sim);
    let record = client
        .agent_login("alice", &Password::new("alice-pw"))
        .await
        .unwrap();
    client.set_token(Some(record.token()));
    client.agent_call(&call_to("099123456")).await.unwrap();
    sim.clear_journal();

    client.hangup("1001").await.unwrap();
    let journal = sim.journal();
    assert_eq!(
        requested(&sim),
        ["Agents/HungupPhone", "Agents/HangupPhone"]
    );
    assert_eq!((journal[0].status, journal[1].status), (404, 200));
    for entry in &journal {
        assert_form_post(entry, entry.endpoint());
        assert_token(entry, &record.token());
        assert_eq!(fields(entry), [("phone", "1001")]);
    }
    assert_eq!(sim.state()["calls"][0]["state"], "hung_up");
}

#[tokio::test]
async fn a_missing_endpoint_without_fallback_is_not_found() {
    let mut config = SimConfig::demo();
    config.missing_endpoints = vec!["api/AgentBreak".into()];
    let sim = sim_with(config).await;
    let client = client(&sim);
    let record = client
        .agent_login("alice", &Password::new("alice-pw"))
        .await
        .unwrap();
    client.set_token(Some(record.token()));
    let pause = integra::AgentPause {
        agent: "alice".into(),
        interface: "SIP/1001".into(),
        motive: "Baño".into(),
        message: String::new(),
    };
    let err = client.agent_break(&pause).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                endpoint: "api/AgentBreak"
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn no_error_shows_a_password_or_a_token() {
    let (sim, client, token) = signed_in().await;
    let mut errors = vec![client
        .agent_login("alice", &Password::new("wrong-pass-123"))
        .await
        .unwrap_err()];
    // Each fault hits a login (the password in the form) and an EndSession (the token in the form and header).
    for faults in [
        Faults {
            html_next: 2,
            ..Default::default()
        },
        Faults {
            fail_next: 2,
            ..Default::default()
        },
        Faults {
            drop_next: 2,
            ..Default::default()
        },
        Faults {
            zero_next: 2,
            ..Default::default()
        },
    ] {
        sim.set_faults(on_api(faults));
        errors.push(
            client
                .agent_login("alice", &Password::new("alice-pw"))
                .await
                .unwrap_err(),
        );
        errors.push(client.end_session("alice", &token).await.unwrap_err());
    }
    sim.expire_tokens();
    errors.push(client.queue_summary().await.unwrap_err());
    for err in errors {
        for text in [err.to_string(), format!("{err:?}")] {
            for secret in ["wrong-pass-123", "alice-pw", token.expose()] {
                assert!(!text.contains(secret), "{secret} leaked in {text}");
            }
        }
    }
}

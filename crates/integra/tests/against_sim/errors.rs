//! Every error convention, each on its own: "0", 401, an HTML error page, 5xx, a dropped connection, a timeout,
//! an unreachable server, and the 404 fallbacks of older servers.

use std::time::Duration;

use integra::{Client, Error, Password};
use integra_sim::{Faults, SimConfig};

use crate::support::*;

fn faults(f: Faults) -> Faults {
    Faults {
        path_contains: Some("Integra/resources/".into()),
        ..f
    }
}

#[tokio::test]
async fn zero_is_rejected_with_the_servers_answer() {
    let (sim, client) = signed_in().await;
    sim.set_faults(faults(Faults {
        zero_next: 1,
        ..Default::default()
    }));
    let err = client.queue_summary().await.unwrap_err();
    match err {
        Error::Rejected { endpoint, body } => {
            assert_eq!((endpoint, body.as_str()), ("Supervisor/queuesummary", "0"))
        }
        other => panic!("expected Rejected, got {other:?}"),
    }
}

#[tokio::test]
async fn expired_token_is_unauthorized() {
    let (sim, client) = signed_in().await;
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
}

#[tokio::test]
async fn html_error_page_keeps_status_and_body() {
    let (sim, client) = signed_in().await;
    sim.set_faults(faults(Faults {
        html_next: 1,
        ..Default::default()
    }));
    let err = client.queue_summary().await.unwrap_err();
    match &err {
        Error::Status { status, body, .. } => {
            assert_eq!(*status, 502);
            assert!(body.contains("Bad Gateway"), "{body}");
        }
        other => panic!("expected Status, got {other:?}"),
    }
    assert!(err.is_transient());
}

#[tokio::test]
async fn server_error_is_a_transient_status() {
    let (sim, client) = signed_in().await;
    sim.set_faults(faults(Faults {
        fail_next: 1,
        ..Default::default()
    }));
    let err = client.queue_summary().await.unwrap_err();
    assert!(matches!(err, Error::Status { status: 500, .. }), "{err:?}");
    assert!(err.is_transient());
    client
        .queue_summary()
        .await
        .expect("the next request succeeds");
}

#[tokio::test]
async fn dropped_connection_is_a_transport_error() {
    let (sim, client) = signed_in().await;
    sim.set_faults(faults(Faults {
        drop_next: 1,
        ..Default::default()
    }));
    let err = client.queue_summary().await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { .. } | Error::Connect { .. }),
        "{err:?}"
    );
    assert!(err.is_transient());
}

#[tokio::test]
async fn slow_server_times_out() {
    let sim = sim().await;
    let client = Client::builder(sim.base_url())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    sim.set_faults(Faults {
        latency_ms: 2_000,
        ..Default::default()
    });
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
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(err.to_string().contains("cannot reach the server"), "{err}");
}

#[tokio::test]
async fn older_servers_get_the_hangup_and_userlogin_fallbacks() {
    let mut config = SimConfig::demo();
    config.missing_endpoints = vec!["Agents/HungupPhone".into(), "auth/getUserToken".into()];
    let sim = integra_sim::spawn(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let client = client(&sim);
    let token = client
        .user_token("admin", &Password::new("admin-pw"))
        .await
        .unwrap();
    client.set_token(Some(token));
    let paths: Vec<String> = sim
        .journal()
        .iter()
        .map(|e| e.endpoint().to_string())
        .collect();
    assert_eq!(paths, ["auth/getUserToken", "auth/UserLogin"]);

    sim.clear_journal();
    let err = client.hangup("1001").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Rejected {
                endpoint: "Agents/HangupPhone",
                ..
            }
        ),
        "no call, but the fallback answered: {err:?}"
    );
    let paths: Vec<String> = sim
        .journal()
        .iter()
        .map(|e| e.endpoint().to_string())
        .collect();
    assert_eq!(paths, ["Agents/HungupPhone", "Agents/HangupPhone"]);
}

#[tokio::test]
async fn no_token_means_unauthorized_from_the_server() {
    let sim = sim().await;
    let err = client(&sim).queue_summary().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    assert_eq!(sim.journal()[0].authorization, None);
}

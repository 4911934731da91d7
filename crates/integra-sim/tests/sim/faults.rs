//! Injected faults: through the Rust API and the admin endpoint, each kind, the path filter, the rate, and
//! endpoints missing as on an older server.

use std::time::{Duration, Instant};

use integra_sim::{Faults, SimConfig};

use crate::support::*;

async fn queues(sim: &integra_sim::RunningSim, token: &str) -> Reply {
    post(sim, "Supervisor/queuesummary", Some(token), &[]).await
}

#[tokio::test]
async fn fail_next_answers_500_then_recovers() {
    let sim = start().await;
    let token = alice(&sim).await;
    sim.set_faults(Faults {
        fail_next: 2,
        ..Default::default()
    });
    assert_eq!(queues(&sim, &token).await.status, 500);
    assert_eq!(queues(&sim, &token).await.status, 500);
    assert_eq!(queues(&sim, &token).await.status, 200);
}

#[tokio::test]
async fn drop_next_closes_the_connection_without_an_answer() {
    let sim = start().await;
    let token = alice(&sim).await;
    sim.set_faults(Faults {
        drop_next: 1,
        ..Default::default()
    });
    sim.clear_journal();
    let err = reqwest::Client::new()
        .post(format!(
            "{}/Integra/resources/Supervisor/queuesummary",
            sim.base_url()
        ))
        .header("Authorization", format!("Basic {token}"))
        .send()
        .await
        .expect_err("no answer");
    assert!(err.status().is_none() && !err.is_timeout(), "{err:?}");
    assert_eq!(sim.journal()[0].status, 0, "journaled as dropped");
    assert_eq!(queues(&sim, &token).await.status, 200);
}

#[tokio::test]
async fn zero_next_answers_zero_and_html_next_a_502_page() {
    let sim = start().await;
    let token = alice(&sim).await;
    sim.set_faults(Faults {
        zero_next: 1,
        html_next: 1,
        ..Default::default()
    });
    let html = queues(&sim, &token).await;
    assert_eq!(html.status, 502);
    assert!(
        html.content_type.starts_with("text/html") && html.body.contains("<html"),
        "{html:?}"
    );
    let zero = queues(&sim, &token).await;
    assert_eq!((zero.status, zero.body.as_str()), (200, "0"));
    assert_eq!(queues(&sim, &token).await.status, 200);
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let sim = start().await;
    let token = alice(&sim).await;
    sim.set_faults(Faults {
        latency_ms: 300,
        ..Default::default()
    });
    let started = Instant::now();
    assert_eq!(queues(&sim, &token).await.status, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn the_path_filter_spares_other_endpoints() {
    let sim = start().await;
    let token = alice(&sim).await;
    sim.set_faults(Faults {
        fail_next: 1,
        path_contains: Some("DispositionCall".into()),
        ..Default::default()
    });
    assert_eq!(queues(&sim, &token).await.status, 200);
    let dispose = [
        ("campaign", "Ventas->"),
        ("agent", "alice"),
        ("callerid", "099"),
        ("guid", "g"),
        ("l1", "x"),
    ];
    assert_eq!(
        post(&sim, "api/DispositionCall", Some(&token), &dispose)
            .await
            .status,
        500
    );
    assert_eq!(
        post(&sim, "api/DispositionCall", Some(&token), &dispose)
            .await
            .body,
        "1"
    );
}

#[tokio::test]
async fn a_fail_rate_fails_that_share_of_requests() {
    let sim = start().await;
    let token = alice(&sim).await;
    sim.set_faults(Faults {
        fail_rate: 0.25,
        ..Default::default()
    });
    let mut failed = 0;
    for _ in 0..20 {
        if queues(&sim, &token).await.status == 500 {
            failed += 1;
        }
    }
    assert_eq!(failed, 5);
}

#[tokio::test]
async fn faults_can_be_set_and_read_over_http() {
    let sim = start().await;
    let token = alice(&sim).await;
    let http = reqwest::Client::new();
    let url = format!("{}/_sim/faults", sim.base_url());
    let set = http
        .post(&url)
        .body(r#"{"fail_next": 1, "path_contains": "queuesummary"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 200);
    let shown: serde_json::Value = http.get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(shown["fail_next"], 1);
    assert_eq!(queues(&sim, &token).await.status, 500);

    let typo = http
        .post(&url)
        .body(r#"{"fail_nxt": 1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(typo.status(), 400);
    assert!(typo.text().await.unwrap().contains("fail_nxt"));
}

#[tokio::test]
async fn missing_endpoints_answer_404_like_an_older_server() {
    let config = SimConfig {
        missing_endpoints: vec!["auth/getUserToken".into()],
        ..SimConfig::demo()
    };
    let sim = start_with(config).await;
    let creds = [("user", "admin"), ("password", "admin-pw")];
    assert_eq!(
        post(&sim, "auth/getUserToken", None, &creds).await.status,
        404
    );
    assert_eq!(post(&sim, "auth/UserLogin", None, &creds).await.status, 200);
    assert_eq!(
        post(&sim, "Agents/NoSuchThing", None, &[]).await.status,
        404
    );
}

#[tokio::test]
async fn a_restart_refuses_connections_then_comes_back_with_the_same_state() {
    let mut sim = start().await;
    let token = alice(&sim).await;
    let url = sim.base_url();
    let guid = post(
        &sim,
        "Agents/AgentCall",
        Some(&token),
        &pairs(&call_fields("099123456")),
    )
    .await
    .body;

    let restarting = sim.restart(Duration::from_millis(500));
    let seen_down = eventually(Duration::from_secs(5), || async {
        reqwest::get(format!("{url}/_sim/health"))
            .await
            .is_err_and(|e| e.is_connect())
    });
    let (restarted, seen_down) = tokio::join!(restarting, seen_down);
    restarted.unwrap();
    assert!(seen_down, "the port never refused connections");

    assert_eq!(sim.base_url(), url, "same port");
    assert_eq!(queues(&sim, &token).await.status, 200, "tokens survive");
    assert!(sim.customer_hangup(&guid), "the call is still live");
    assert!(!sim.customer_hangup(&guid));
}

#[tokio::test]
async fn lose_answer_next_carries_the_request_out_but_never_answers() {
    let sim = start().await;
    let token = alice(&sim).await;
    sim.set_faults(Faults {
        lose_answer_next: 1,
        path_contains: Some("TagRecord".into()),
        ..Default::default()
    });
    sim.clear_journal();
    let err = reqwest::Client::new()
        .post(format!(
            "{}/Integra/resources/Agents/TagRecord",
            sim.base_url()
        ))
        .header("Authorization", format!("Basic {token}"))
        .form(&[("guid", "g-lost"), ("data", "VIP")])
        .send()
        .await
        .expect_err("no answer");
    assert!(err.status().is_none(), "{err:?}");
    assert_eq!(sim.journal()[0].status, 0);
    assert!(sim.journal()[0].response.starts_with("<answer lost"));
    assert_eq!(
        sim.state()["tags"][0]["guid"],
        "g-lost",
        "the server acted on it"
    );
}

#[tokio::test]
async fn max_in_flight_counts_requests_answered_at_once() {
    let sim = start().await;
    let token = alice(&sim).await;
    sim.set_faults(Faults {
        latency_ms: 100,
        ..Default::default()
    });
    sim.reset_max_in_flight();
    queues(&sim, &token).await;
    queues(&sim, &token).await;
    assert_eq!(sim.max_in_flight(), 1, "one after the other");
    tokio::join!(queues(&sim, &token), queues(&sim, &token));
    assert_eq!(sim.max_in_flight(), 2, "side by side");
}

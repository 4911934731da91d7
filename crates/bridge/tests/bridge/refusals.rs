//! Every way a request is refused before it reaches the app, each with its own status and error name.

use bridge::PairingToken;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{refused, start, ORIGIN};

#[tokio::test]
async fn requests_without_the_right_token_are_refused() {
    let mut bridge = start().await;
    let body = json!({"action": "hangup"});
    let none = bridge
        .http
        .post(bridge.url("/v1/action"))
        .header("Origin", ORIGIN)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(none.headers()["access-control-allow-origin"], ORIGIN);
    refused(none, StatusCode::UNAUTHORIZED, "token_required").await;
    let wrong = bridge
        .http
        .post(bridge.url("/v1/action"))
        .header("Origin", ORIGIN)
        .bearer_auth(PairingToken::generate().unwrap().expose())
        .json(&body)
        .send()
        .await
        .unwrap();
    let answer = refused(wrong, StatusCode::UNAUTHORIZED, "wrong_token").await;
    assert!(!answer.to_string().contains(bridge.token.expose()));
    bridge.nothing_reached_the_app();
}

#[tokio::test]
async fn pages_from_other_origins_are_refused_and_cannot_read_the_answer() {
    let mut bridge = start().await;
    let body = json!({"action": "hangup"});
    let no_origin = bridge
        .http
        .post(bridge.url("/v1/action"))
        .bearer_auth(bridge.token.expose())
        .json(&body)
        .send()
        .await
        .unwrap();
    refused(no_origin, StatusCode::FORBIDDEN, "origin_required").await;
    for origin in [
        "https://crm.evil.example",
        "http://ucontact.example.com",
        "null",
    ] {
        let other = bridge
            .http
            .post(bridge.url("/v1/action"))
            .header("Origin", origin)
            .bearer_auth(bridge.token.expose())
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(other.headers().get("access-control-allow-origin").is_none());
        refused(other, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    }
    // An allowed origin next to another one is not an allowed origin.
    let two = bridge
        .paired(Method::POST, "/v1/action")
        .header("Origin", "https://crm.evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(two.headers().get("access-control-allow-origin").is_none());
    refused(two, StatusCode::FORBIDDEN, "origin_required").await;
    bridge.nothing_reached_the_app();
}

#[tokio::test]
async fn a_page_at_another_host_name_is_refused() {
    let mut bridge = start().await;
    let port = bridge.handle.local_addr().port();
    // What a DNS-rebinding page sends: its own name, resolved to 127.0.0.1.
    let rebound = bridge
        .paired(Method::POST, "/v1/action")
        .header("Host", format!("rebind.evil.example:{port}"))
        .json(&json!({"action": "hangup"}))
        .send()
        .await
        .unwrap();
    refused(rebound, StatusCode::FORBIDDEN, "host_not_allowed").await;
    bridge.nothing_reached_the_app();
}

#[tokio::test]
async fn broken_bodies_are_refused_each_with_its_status() {
    let mut bridge = start().await;
    let oversized = json!({"action": "CTI", "CTI": {"ParAndValues": "x".repeat(100 * 1024)}});
    let big = bridge
        .paired(Method::POST, "/v1/action")
        .json(&oversized)
        .send()
        .await
        .unwrap();
    refused(big, StatusCode::PAYLOAD_TOO_LARGE, "body_too_large").await;
    let malformed = bridge
        .paired(Method::POST, "/v1/cti")
        .header("Content-Type", "application/json")
        .body("{\"Guid\": \"a1b2\",")
        .send()
        .await
        .unwrap();
    let answer = refused(malformed, StatusCode::BAD_REQUEST, "malformed_json").await;
    assert!(answer["message"].as_str().unwrap().contains("JSON"));
    let unknown = bridge
        .paired(Method::POST, "/v1/action")
        .json(&json!({"action": "closeForm"}))
        .send()
        .await
        .unwrap();
    let answer = refused(unknown, StatusCode::BAD_REQUEST, "unknown_action").await;
    assert!(answer["message"].as_str().unwrap().contains("closeForm"));
    bridge.nothing_reached_the_app();
}

#[tokio::test]
async fn the_preflight_answers_allowed_origins_only() {
    let bridge = start().await;
    let preflight = |origin: &'static str| {
        bridge
            .http
            .request(Method::OPTIONS, bridge.url("/v1/action"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "authorization, content-type",
            )
            .header("Access-Control-Request-Private-Network", "true")
            .send()
    };
    let allowed = preflight(ORIGIN).await.unwrap();
    assert_eq!(allowed.status(), StatusCode::NO_CONTENT);
    let headers = allowed.headers();
    assert_eq!(headers["access-control-allow-origin"], ORIGIN);
    assert!(headers["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));
    let allowed_headers = headers["access-control-allow-headers"].to_str().unwrap();
    assert!(allowed_headers.contains("authorization") && allowed_headers.contains("content-type"));
    assert_eq!(headers["access-control-allow-private-network"], "true");

    let other = preflight("https://crm.evil.example").await.unwrap();
    assert_eq!(other.status(), StatusCode::FORBIDDEN);
    assert!(other
        .headers()
        .keys()
        .all(|name| !name.as_str().starts_with("access-control-")));
}

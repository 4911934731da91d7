//! The browser bridge over real loopback HTTP: what a paired page gets through to the app, the call events it
//! listens to, and every way an unpaired or foreign page, or a broken body, is refused.

mod events;
mod lifecycle;
mod page;
mod refusals;
mod sse;
mod support;

use std::time::Duration;

use agent_error::{AgentError, ErrorCode};
use bridge::{BridgeLimits, BridgeReply, BridgeRequest};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use support::{refused, start, start_with, Running, ORIGIN};

#[tokio::test]
async fn a_paired_page_reaches_the_app_and_listens_on_loopback_only() {
    let bridge = start().await;
    assert!(bridge.handle.local_addr().ip().is_loopback());
    let response = bridge.paired(Method::GET, "/v1/ping").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        ORIGIN,
        "the page must be able to read the answer"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["ok"], true);
    assert_eq!(body["app"], "ucontact-agent-companion");
}

#[tokio::test]
async fn the_cti_as_the_portal_hands_it_reaches_the_app() {
    let mut bridge = start().await;
    let cti =
        json!({"Guid": "a1b2", "Campaign": "Ventas->", "Callerid": "098344484", "Answer": "FALSE"});
    // Portal forms keep the CTI as a JSON string.
    let (seen, origin, status, body) = bridge
        .exchange(
            "/v1/cti",
            json!({"CTI": cti.to_string()}),
            BridgeReply::done(),
        )
        .await;
    assert_eq!(seen, BridgeRequest::Cti(cti));
    assert_eq!(origin, ORIGIN);
    assert_eq!((status, body), (StatusCode::OK, json!({"ok": true})));
}

#[tokio::test]
async fn every_proxy_action_reaches_the_app_and_its_answer_reaches_the_page() {
    let mut bridge = start().await;
    let record =
        json!({"campaign": "Ventas->", "destination": "098124484", "retries": 0, "priority": 9999});

    let call = json!({"action": "call", "campaign": "Ventas->", "callerid": "1001", "destination": "098344484"});
    let (seen, _, status, body) = bridge
        .exchange("/v1/action", call, BridgeReply::call_placed("guid-77"))
        .await;
    assert_eq!(
        seen,
        BridgeRequest::Call {
            campaign: Some("Ventas->".into()),
            callerid: Some("1001".into()),
            destination: "098344484".into()
        }
    );
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({"ok": true, "guid": "guid-77"}))
    );

    let cases = [
        (json!({"action": "hangup"}), "hangup"),
        (
            json!({"action": "tag", "guid": "guid-77", "message": "sale"}),
            "tag",
        ),
        (
            json!({"action": "respool", "objetoRespool": record}),
            "respool",
        ),
        (
            json!({"action": "schedule", "callDate": "2026-12-02 15:00:00", "objectDialer": record}),
            "schedule",
        ),
        (json!({"action": "CTI", "CTI": {"Guid": "guid-77"}}), "CTI"),
    ];
    for (body, action) in cases {
        let (seen, _, status, answer) = bridge
            .exchange("/v1/action", body, BridgeReply::done())
            .await;
        assert_eq!(seen.action(), action);
        assert_eq!(
            (status, answer),
            (StatusCode::OK, json!({"ok": true})),
            "{action}"
        );
        match seen {
            BridgeRequest::Tag { guid, message } => {
                assert_eq!((guid.as_str(), message.as_str()), ("guid-77", "sale"))
            }
            BridgeRequest::Respool(got) => assert_eq!(got, record),
            BridgeRequest::Schedule { call_date, dialer } => {
                assert_eq!(call_date.to_string(), "2026-12-02 15:00:00");
                assert_eq!(dialer, record);
            }
            BridgeRequest::Cti(got) => assert_eq!(got, json!({"Guid": "guid-77"})),
            BridgeRequest::Hangup => {}
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn the_apps_refusal_reaches_the_page_with_its_code() {
    let mut bridge = start().await;
    let failure = AgentError::new(ErrorCode::NoCall, "there is no call to hang up");
    let (_, _, status, body) = bridge
        .exchange("/v1/action", json!({"action": "hangup"}), failure.into())
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({"error": "no_call", "message": "there is no call to hang up"})
    );
}

#[tokio::test]
async fn the_page_gets_504_when_the_app_does_not_answer_and_503_when_it_is_gone() {
    let limits = BridgeLimits {
        reply_timeout: Duration::from_millis(300),
        ..BridgeLimits::default()
    };
    let mut bridge = start_with(limits).await;
    let request = bridge
        .paired(Method::POST, "/v1/action")
        .json(&json!({"action": "hangup"}))
        .send();
    let app = &mut bridge.app;
    let (response, held) = tokio::join!(request, async { app.recv().await.unwrap() });
    refused(
        response.unwrap(),
        StatusCode::GATEWAY_TIMEOUT,
        "app_timeout",
    )
    .await;
    drop(held);

    let Running {
        handle,
        app,
        token,
        http,
    } = bridge;
    drop(app);
    let gone = http
        .post(format!("http://{}/v1/action", handle.local_addr()))
        .header("Origin", ORIGIN)
        .bearer_auth(token.expose())
        .json(&json!({"action": "hangup"}))
        .send()
        .await
        .unwrap();
    refused(gone, StatusCode::SERVICE_UNAVAILABLE, "app_unavailable").await;
}

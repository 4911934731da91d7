//! The browser bridge over real loopback HTTP: what a paired page gets through to the app, and every way an
//! unpaired or foreign page, or a broken body, is refused.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use agent::bridge::{
    Bridge, BridgeConfig, BridgeHandle, BridgeLimits, BridgeMessage, BridgeReply, BridgeRequest,
    PairingToken,
};
use agent::{AgentError, ErrorCode};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::sync::mpsc;

const ORIGIN: &str = "https://ucontact.example.com";

struct Running {
    handle: BridgeHandle,
    app: mpsc::Receiver<BridgeMessage>,
    token: PairingToken,
    http: reqwest::Client,
}

fn config(port: u16) -> BridgeConfig {
    BridgeConfig {
        enabled: true,
        port,
        allowed_origins: vec![format!("{ORIGIN}/")],
    }
}

async fn start_with(limits: BridgeLimits) -> Running {
    let token = PairingToken::generate().unwrap();
    let (tx, app) = mpsc::channel(4);
    let handle = Bridge::start_with(&config(0), token.clone(), tx, limits)
        .await
        .unwrap()
        .expect("an enabled bridge listens");
    // No proxy: a proxy from the environment would not reach the test's loopback listener.
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    Running {
        handle,
        app,
        token,
        http,
    }
}

async fn start() -> Running {
    start_with(BridgeLimits::default()).await
}

impl Running {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.handle.local_addr())
    }

    /// A request as the paired page sends it.
    fn paired(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path))
            .header("Origin", ORIGIN)
            .bearer_auth(self.token.expose())
    }

    /// Sends `body` to `path` as the paired page, has the app answer with `answer`, and returns what the app got
    /// (the request and the page's origin) and what the page got.
    async fn exchange(
        &mut self,
        path: &str,
        body: Value,
        answer: BridgeReply,
    ) -> (BridgeRequest, String, StatusCode, Value) {
        let request = self.paired(Method::POST, path).json(&body).send();
        let app = &mut self.app;
        let (response, (seen, origin)) = tokio::join!(request, async {
            let message = app.recv().await.expect("the request reaches the app");
            let seen = (message.request.clone(), message.origin.clone());
            message.answer(answer);
            seen
        });
        let response = response.unwrap();
        let status = response.status();
        (seen, origin, status, response.json().await.unwrap())
    }

    fn nothing_reached_the_app(&mut self) {
        assert!(
            self.app.try_recv().is_err(),
            "a refused request reached the app"
        );
    }
}

async fn refused(response: reqwest::Response, status: StatusCode, error: &str) -> Value {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], error, "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    body
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn refuses_connections(addr: SocketAddr) -> bool {
    TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err()
}

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

#[tokio::test]
async fn re_pairing_refuses_the_old_code_at_once() {
    let bridge = start().await;
    let new = PairingToken::generate().unwrap();
    bridge.handle.set_token(new.clone());
    let old = bridge.paired(Method::GET, "/v1/ping").send().await.unwrap();
    refused(old, StatusCode::UNAUTHORIZED, "wrong_token").await;
    let paired_again = bridge
        .http
        .get(bridge.url("/v1/ping"))
        .header("Origin", ORIGIN)
        .bearer_auth(new.expose())
        .send()
        .await
        .unwrap();
    assert_eq!(paired_again.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_disabled_bridge_listens_nowhere() {
    let port = free_port();
    let config = BridgeConfig {
        enabled: false,
        ..config(port)
    };
    let (tx, _rx) = mpsc::channel(1);
    let started = Bridge::start(&config, PairingToken::generate().unwrap(), tx)
        .await
        .unwrap();
    assert!(started.is_none());
    assert!(refuses_connections(SocketAddr::from((
        [127, 0, 0, 1],
        port
    ))));
}

#[tokio::test]
async fn a_port_in_use_is_named_in_the_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let (tx, _rx) = mpsc::channel(1);
    let err = Bridge::start(&config(port), PairingToken::generate().unwrap(), tx)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::BridgePortInUse);
    assert!(err.to_string().contains(&port.to_string()), "{err}");
}

#[tokio::test]
async fn an_enabled_bridge_without_allowed_origins_does_not_start() {
    let config = BridgeConfig {
        allowed_origins: Vec::new(),
        ..config(0)
    };
    let (tx, _rx) = mpsc::channel(1);
    let err = Bridge::start(&config, PairingToken::generate().unwrap(), tx)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidSettings);
}

#[tokio::test]
async fn stopping_or_dropping_the_handle_closes_the_port() {
    let bridge = start().await;
    let addr = bridge.handle.local_addr();
    let ping = bridge.paired(Method::GET, "/v1/ping").send().await.unwrap();
    assert_eq!(ping.status(), StatusCode::OK);
    bridge.handle.stop().await;
    assert!(refuses_connections(addr));
    let after = bridge
        .http
        .get(format!("http://{addr}/v1/ping"))
        .header("Origin", ORIGIN)
        .bearer_auth(bridge.token.expose())
        .send()
        .await;
    assert!(after.is_err_and(|err| err.is_connect()));

    let dropped = start().await;
    let addr = dropped.handle.local_addr();
    drop(dropped);
    // Dropping signals the server task, which closes the listener on its next turn.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !refuses_connections(addr) {
        assert!(
            Instant::now() < deadline,
            "the port stayed open after the handle was dropped"
        );
        tokio::task::yield_now().await;
    }
}

//! A running bridge on a free loopback port, the paired page's requests, and the checks every test shares.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use bridge::{
    Bridge, BridgeConfig, BridgeEvents, BridgeHandle, BridgeLimits, BridgeMessage, BridgeReply,
    BridgeRequest, PairingToken,
};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::sync::mpsc;

pub const ORIGIN: &str = "https://ucontact.example.com";

pub struct Running {
    pub handle: BridgeHandle,
    pub app: mpsc::Receiver<BridgeMessage>,
    pub token: PairingToken,
    pub http: reqwest::Client,
}

pub fn config(port: u16) -> BridgeConfig {
    BridgeConfig {
        enabled: true,
        port,
        allowed_origins: vec![format!("{ORIGIN}/")],
    }
}

pub async fn start_with(limits: BridgeLimits) -> Running {
    start_publishing(limits, BridgeEvents::new()).await
}

/// A bridge that publishes the call events of `events`.
pub async fn start_publishing(limits: BridgeLimits, events: BridgeEvents) -> Running {
    let token = PairingToken::generate().unwrap();
    let (tx, app) = mpsc::channel(4);
    let handle = Bridge::start_with_events(&config(0), token.clone(), tx, events, limits)
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

pub async fn start() -> Running {
    start_with(BridgeLimits::default()).await
}

impl Running {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.handle.local_addr())
    }

    /// A request as the paired page sends it.
    pub fn paired(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path))
            .header("Origin", ORIGIN)
            .bearer_auth(self.token.expose())
    }

    /// Sends `body` to `path` as the paired page, has the app answer with `answer`, and returns what the app got
    /// (the request and the page's origin) and what the page got.
    pub async fn exchange(
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

    pub fn nothing_reached_the_app(&mut self) {
        assert!(
            self.app.try_recv().is_err(),
            "a refused request reached the app"
        );
    }
}

pub async fn refused(response: reqwest::Response, status: StatusCode, error: &str) -> Value {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], error, "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    body
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn refuses_connections(addr: SocketAddr) -> bool {
    TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err()
}

//! Starting, re-pairing and stopping: when something listens on the port and when nothing does.

use std::net::{SocketAddr, TcpListener};
use std::time::{Duration, Instant};

use agent_error::ErrorCode;
use bridge::{Bridge, BridgeConfig, PairingToken};
use reqwest::{Method, StatusCode};
use tokio::sync::mpsc;

use crate::support::{config, free_port, refused, refuses_connections, start, ORIGIN};

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

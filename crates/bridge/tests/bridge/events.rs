//! `GET /v1/events`: the desk's call events reach a paired page in order, under the same checks as every route;
//! nothing else reaches it, and a stream ends when the bridge stops or the page's pairing code is replaced.
//!
//! These run on tokio's default test runtime, one thread: between two `publish` calls no stream can read, which
//! makes "fell behind" exact.

use std::time::{Duration, Instant};

use bridge::{BridgeEvent, BridgeEvents, BridgeLimits, PairingToken};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::sse::{EventReader, PATIENCE};
use crate::support::{refused, start, start_publishing, Running, ORIGIN};

fn desk_event(name: &str, guid: &str) -> Value {
    json!({
        "event": name,
        "at": "2026-12-06T22:10:00Z",
        "call": {"guid": guid, "number": "099555123", "campaign": "Ventas->", "direction": "outbound",
                 "agent": "alice", "extension": "1001", "cti": null},
    })
}

fn event(payload: &Value) -> BridgeEvent {
    BridgeEvent::from_value(payload).unwrap()
}

impl Running {
    async fn subscribe_with(&self, token: &str) -> reqwest::Response {
        self.http
            .get(self.url("/v1/events"))
            .header("Origin", ORIGIN)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// The paired page's stream, open (subscribed) once this returns.
    async fn subscribe(&self) -> EventReader {
        EventReader::open(self.subscribe_with(self.token.expose()).await)
    }
}

/// Waits (with a deadline) until `done`: the server notices a closed page on its own time.
async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_paired_page_gets_the_events_published_after_it_subscribed_in_order() {
    let bridge = start().await;
    // Nobody listens yet: not an error, and not kept for later.
    assert_eq!(
        bridge
            .handle
            .publish(event(&desk_event("ringing", "early"))),
        0
    );

    let mut page = bridge.subscribe().await;
    let filed = json!({"event": "filed", "at": "2026-12-06T22:14:00Z", "call": desk_event("x", "a1b2")["call"],
                       "disposition": "Venta / Tarjeta"});
    let brk = json!({"event": "break_started", "at": "2026-12-06T22:15:00Z", "call": null, "motive": "Almuerzo"});
    let sent = [desk_event("answered", "a1b2"), filed, brk];
    for payload in &sent {
        assert_eq!(bridge.handle.publish(event(payload)), 1);
    }
    for (n, payload) in sent.iter().enumerate() {
        let frame = page.event().await.expect("the event arrives");
        // Ids count every published event: the one before subscribing was 1.
        assert_eq!(frame.id, Some((n + 2).to_string()));
        assert_eq!(frame.event.as_deref(), payload["event"].as_str());
        assert_eq!(&frame.json(), payload);
    }
    assert!(
        !page.raw.contains("early"),
        "an event from before was replayed"
    );
    let answered = event(&sent[0]);
    let expected = format!("id: 2\nevent: answered\ndata: {}\n\n", answered.data());
    assert!(page.raw.contains(&expected), "{:?}", page.raw);
}

#[tokio::test]
async fn pages_without_the_pairing_or_from_other_origins_get_no_stream() {
    let bridge = start().await;
    let url = bridge.url("/v1/events");
    let wrong = bridge
        .subscribe_with(PairingToken::generate().unwrap().expose())
        .await;
    assert_eq!(wrong.headers()["access-control-allow-origin"], ORIGIN);
    refused(wrong, StatusCode::UNAUTHORIZED, "wrong_token").await;
    let none = bridge.http.get(&url).header("Origin", ORIGIN).send().await;
    refused(none.unwrap(), StatusCode::UNAUTHORIZED, "token_required").await;
    // The code in the address is not a pairing: addresses land in logs and history.
    let in_query = bridge
        .http
        .get(format!("{url}?token={}", bridge.token.expose()))
        .header("Origin", ORIGIN)
        .send()
        .await;
    refused(
        in_query.unwrap(),
        StatusCode::UNAUTHORIZED,
        "token_required",
    )
    .await;
    let foreign = bridge
        .http
        .get(&url)
        .header("Origin", "https://crm.evil.example")
        .bearer_auth(bridge.token.expose())
        .send()
        .await
        .unwrap();
    assert!(foreign
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    refused(foreign, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    let no_origin = bridge
        .http
        .get(&url)
        .bearer_auth(bridge.token.expose())
        .send();
    refused(
        no_origin.await.unwrap(),
        StatusCode::FORBIDDEN,
        "origin_required",
    )
    .await;
    // The refusals were whole answers, not streams: nobody listens.
    assert_eq!(bridge.handle.events().subscribers(), 0);
    assert_eq!(
        bridge.handle.publish(event(&desk_event("ringing", "a1b2"))),
        0
    );

    // The page's fetch with Authorization is preflighted: GET is allowed.
    let preflight = bridge
        .http
        .request(Method::OPTIONS, &url)
        .header("Origin", ORIGIN)
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), StatusCode::NO_CONTENT);
    assert!(preflight.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("GET"));
    let post = bridge
        .paired(Method::POST, "/v1/events")
        .send()
        .await
        .unwrap();
    refused(post, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
}

#[tokio::test]
async fn streams_are_capped_and_a_closed_page_frees_its_place() {
    let limits = BridgeLimits {
        max_subscribers: 2,
        // The usual 15 s keep-alive: the server notices a page has gone from the closed connection, not from a
        // failed write, so a reloading page gets its place back at once.
        ..BridgeLimits::default()
    };
    let bridge = start_publishing(limits, BridgeEvents::new()).await;
    let first = bridge.subscribe().await;
    let mut second = bridge.subscribe().await;
    let third = bridge.subscribe_with(bridge.token.expose()).await;
    assert_eq!(third.headers()["access-control-allow-origin"], ORIGIN);
    let answer = refused(third, StatusCode::TOO_MANY_REQUESTS, "too_many_subscribers").await;
    assert!(answer["message"].as_str().unwrap().contains('2'));

    drop(first);
    let events = bridge.handle.events();
    wait_until("the closed page's place is free", || {
        events.subscribers() < 2
    })
    .await;
    let mut again = bridge.subscribe().await;
    bridge.handle.publish(event(&desk_event("dialing", "c3")));
    for page in [&mut second, &mut again] {
        assert_eq!(
            page.event().await.unwrap().event.as_deref(),
            Some("dialing")
        );
    }
}

#[tokio::test]
async fn a_page_that_falls_behind_is_told_how_many_it_missed_and_goes_on() {
    let bridge = start_publishing(BridgeLimits::default(), BridgeEvents::with_buffer(2)).await;
    let mut page = bridge.subscribe().await;
    // Five in a row with no chance to read in between: only the last two are still buffered.
    for n in 1..=5 {
        bridge
            .handle
            .publish(event(&desk_event("ringing", &format!("c{n}"))));
    }
    let lagged = page.event().await.unwrap();
    assert_eq!(lagged.event.as_deref(), Some("lagged"));
    assert_eq!(lagged.id, None);
    assert_eq!(lagged.json(), json!({"missed": 3}));
    for n in 4..=5 {
        let frame = page.event().await.unwrap();
        assert_eq!(frame.id, Some(n.to_string()));
        assert_eq!(frame.json()["call"]["guid"], format!("c{n}"));
    }
    bridge.handle.publish(event(&desk_event("answered", "c5")));
    assert_eq!(page.event().await.unwrap().id.as_deref(), Some("6"));
}

#[tokio::test]
async fn stopping_the_bridge_ends_open_streams_cleanly_and_at_once() {
    let bridge = start().await;
    let mut page = bridge.subscribe().await;
    bridge.handle.publish(event(&desk_event("ringing", "a1b2")));
    assert!(page.event().await.is_some());
    let stopping = Instant::now();
    bridge.handle.stop().await;
    // An open stream does not hold the stop up until its grace runs out.
    assert!(
        stopping.elapsed() < Duration::from_secs(1),
        "{:?}",
        stopping.elapsed()
    );
    assert!(page.ends().await, "the stream went on after the stop");

    let dropped = start().await;
    let mut page = dropped.subscribe().await;
    drop(dropped);
    assert!(
        page.ends().await,
        "the stream went on after the handle was dropped"
    );
}

#[tokio::test]
async fn re_pairing_ends_the_streams_of_the_old_code() {
    let bridge = start().await;
    let mut page = bridge.subscribe().await;
    // Showing the same code again (no re-pairing) leaves the stream alone.
    bridge.handle.set_token(bridge.token.clone());
    bridge.handle.publish(event(&desk_event("ringing", "a1b2")));
    assert_eq!(
        page.event().await.unwrap().event.as_deref(),
        Some("ringing")
    );

    let new = PairingToken::generate().unwrap();
    bridge.handle.set_token(new.clone());
    bridge
        .handle
        .publish(event(&desk_event("answered", "a1b2")));
    assert!(page.ends().await, "the old code kept listening");
    let old = bridge.subscribe_with(bridge.token.expose()).await;
    refused(old, StatusCode::UNAUTHORIZED, "wrong_token").await;
    let mut paired_again = EventReader::open(bridge.subscribe_with(new.expose()).await);
    bridge.handle.publish(event(&desk_event("ended", "a1b2")));
    assert_eq!(
        paired_again.event().await.unwrap().event.as_deref(),
        Some("ended")
    );
}

#[tokio::test]
async fn a_publisher_made_before_start_outlives_a_restart() {
    let events = BridgeEvents::new();
    let first = start_publishing(BridgeLimits::default(), events.clone()).await;
    first.handle.stop().await;
    let second = start_publishing(BridgeLimits::default(), events.clone()).await;
    let mut page = second.subscribe().await;
    assert_eq!(events.publish(event(&desk_event("break_ended", "x"))), 1);
    assert_eq!(
        page.event().await.unwrap().event.as_deref(),
        Some("break_ended")
    );
}

//! The bridge page itself (`bridge-page/companion-bridge.js`), run in Node against the real bridge: what the
//! portal hands the framed page reaches the app, and the app's answer is what the page shows; the portal's call
//! events go in order and one the app did not take is sent again; the desk's events the app publishes reach the
//! window around the page.

use std::path::Path;
use std::process::{Command, Output};

use std::time::{Duration, Instant};

use bridge::{BridgeEvent, BridgeReply, BridgeRequest};
use serde_json::json;

use crate::support::{start, ORIGIN};

#[tokio::test]
async fn the_page_forwards_what_the_portal_hands_it_and_shows_the_answer() {
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!(
            "skipped: Node.js is not installed (the page check runs the page's script in Node)"
        );
        return;
    }
    let mut bridge = start().await;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let harness = root.join("tests/bridge/page_harness.mjs");
    let page = root.join("../../bridge-page/companion-bridge.js");
    let port = bridge.handle.local_addr().port().to_string();
    let mut node = Command::new("node");
    node.arg(harness)
        .arg(page)
        .arg(port)
        .arg(bridge.token.expose())
        .arg(ORIGIN);
    let mut run = tokio::task::spawn_blocking(move || node.output());
    // If the page check stops early, its output says why (instead of waiting here for ever).
    let ended = |output: Result<std::io::Result<Output>, tokio::task::JoinError>| -> String {
        match output {
            Ok(Ok(out)) => format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
            other => format!("{other:?}"),
        }
    };

    let cti = tokio::select! {
        message = bridge.app.recv() => message.expect("the bridge is running"),
        output = &mut run => panic!("the page sent no CTI: {}", ended(output)),
    };
    assert_eq!(
        cti.request,
        BridgeRequest::Cti(
            json!({"Guid": "a1b2", "Campaign": "Ventas->", "Callerid": "098344484"})
        )
    );
    assert_eq!(cti.origin, ORIGIN);
    cti.answer(BridgeReply::done());
    let call = tokio::select! {
        message = bridge.app.recv() => message.expect("the bridge is running"),
        output = &mut run => panic!("the page sent no call: {}", ended(output)),
    };
    assert_eq!(
        call.request,
        BridgeRequest::Call {
            campaign: Some("Ventas->".into()),
            callerid: None,
            destination: "098344484".into()
        }
    );
    call.answer(BridgeReply::call_placed("guid-9"));

    // The portal's events: the first is not taken (the app was busy restarting), so the page sends it again,
    // and only then the end of the call behind it.
    let mut events = Vec::new();
    for _ in 0..3 {
        let event = tokio::select! {
            message = bridge.app.recv() => message.expect("the bridge is running"),
            output = &mut run => panic!("the page sent no portal event: {}", ended(output)),
        };
        let BridgeRequest::Portal(portal) = &event.request else {
            panic!("not a portal event: {:?}", event.request)
        };
        events.push((portal.name.clone(), portal.guid.clone()));
        if events.len() == 1 {
            drop(event);
        } else {
            event.answer(BridgeReply::done());
        }
    }
    let in_1 = Some("in-1".to_string());
    assert_eq!(
        events,
        [
            ("gettingCall".to_string(), in_1.clone()),
            ("gettingCall".to_string(), in_1.clone()),
            ("finishedInteraction".to_string(), in_1),
        ]
    );

    // The page listens to the desk's events since it found itself paired; two of them, published once it does.
    let events = bridge.handle.events();
    let deadline = Instant::now() + Duration::from_secs(5);
    while events.subscribers() == 0 {
        assert!(
            Instant::now() < deadline,
            "the page did not listen to the desk's events"
        );
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(10)) => {}
            output = &mut run => panic!("the page stopped before listening: {}", ended(output)),
        }
    }
    let answered = json!({"event": "answered", "at": "2026-12-06T22:10:00Z",
        "call": {"guid": "in-1", "number": "099555123", "campaign": "Ventas->", "direction": "outbound",
                 "agent": "alice", "extension": "1001", "cti": null}});
    let on_break = json!({"event": "break_started", "at": "2026-12-06T22:15:00Z", "call": null, "motive": "Almuerzo"});
    for payload in [answered, on_break] {
        assert_eq!(
            events.publish(BridgeEvent::from_value(&payload).unwrap()),
            1
        );
    }

    let output = run.await;
    let passed = matches!(&output, Ok(Ok(out)) if out.status.success());
    assert!(passed, "{}", ended(output));
    assert!(
        bridge.app.try_recv().is_err(),
        "the page forwarded a message it should have ignored"
    );
}

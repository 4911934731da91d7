//! Calls between the phone and a far end no one here wrote (aiortc, through Debian's kamailio): the agent's own
//! dial answered by itself with the GUID the INVITE carries, media up both ways, digits both ways, hold from each
//! side on the same peer connection, BYE from each side, an inbound call that rings until answered, and a busy
//! answer to a second call.

mod support;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use phone::{CallEvent, EndedBy, Phone, PhoneState};
use serde_json::json;
use support::farend::FarEnd;
use support::{next_call_event, wait_for, CountingDevices, Kamailio};
use tokio::sync::broadcast;

const WITHIN: Duration = Duration::from_secs(10);

async fn registered_phone(kamailio: &Kamailio, user: &str) -> (Phone, Arc<CountingDevices>) {
    let devices = Arc::new(CountingDevices::default());
    let phone = Phone::start(kamailio.account(user), kamailio.trust(), devices.clone());
    let mut state = phone.state();
    wait_for(&mut state, WITHIN, "registered", |s| {
        matches!(s, PhoneState::Registered { .. })
    })
    .await;
    (phone, devices)
}

/// The agent's own dial to `user`, answered by the phone, with its media up.
async fn own_call_up(
    phone: &Phone,
    far: &mut FarEnd,
    events: &mut broadcast::Receiver<CallEvent>,
    user: &str,
) {
    phone.expect_own_call(Duration::from_secs(5));
    far.send(json!({"cmd": "call", "to": user}));
    next_call_event(events, "media connected", |e| {
        matches!(e, CallEvent::Connected { .. })
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agents_own_dial_is_answered_by_itself_and_carries_audio_digits_hold_and_bye() {
    let kamailio = Kamailio::start(5);
    let (phone, devices) = registered_phone(&kamailio, "9999").await;
    let mut events = phone.subscribe();
    let mut far = tokio::task::block_in_place(|| FarEnd::start(&kamailio, &[]));

    // AgentCall was sent: the server rings the agent's peer first, with the call's GUID.
    phone.expect_own_call(Duration::from_secs(5));
    far.send(json!({"cmd": "call", "to": "9999", "headers": {"X-Ucontact-Guid": "guid-42"}}));
    let answered = next_call_event(&mut events, "answered", |e| {
        matches!(e, CallEvent::Answered { .. })
    })
    .await;
    let CallEvent::Answered {
        own, guid, caller, ..
    } = answered
    else {
        unreachable!()
    };
    assert!(own, "no key was needed");
    assert_eq!(guid.as_deref(), Some("guid-42"));
    assert_eq!(caller.number, "asterisk");
    tokio::task::block_in_place(|| far.wait("answered", WITHIN));
    next_call_event(&mut events, "media connected", |e| {
        matches!(e, CallEvent::Connected { .. })
    })
    .await;
    support::eventually(WITHIN, "audio from the far end", || {
        devices.received.load(Ordering::Relaxed) > 20
    })
    .await;

    // Digits, both ways.
    phone.digits("5");
    let digit = tokio::task::block_in_place(|| far.wait("dtmf", WITHIN));
    assert_eq!(digit["digit"], "5");
    far.send(json!({"cmd": "dtmf", "digits": "7"}));
    let heard = next_call_event(&mut events, "a digit", |e| {
        matches!(e, CallEvent::Digit { .. })
    })
    .await;
    assert!(
        matches!(heard, CallEvent::Digit { digit: '7', .. }),
        "{heard:?}"
    );

    // Hold from the agent, then from the far end: the same ICE and DTLS, audio back after each.
    phone.hold(true);
    let reinvite = tokio::task::block_in_place(|| far.wait("reinvite", WITHIN));
    assert_eq!(reinvite["direction"], "sendonly", "{reinvite}");
    assert_eq!(reinvite["ice_restart"], false, "{reinvite}");
    assert_eq!(reinvite["dtls_changed"], false, "{reinvite}");
    next_call_event(&mut events, "held", |e| {
        matches!(
            e,
            CallEvent::Hold {
                held: true,
                by_agent: true,
                ..
            }
        )
    })
    .await;
    phone.hold(false);
    next_call_event(&mut events, "resumed", |e| {
        matches!(
            e,
            CallEvent::Hold {
                held: false,
                by_agent: true,
                ..
            }
        )
    })
    .await;
    far.send(json!({"cmd": "hold"}));
    next_call_event(&mut events, "held by the far end", |e| {
        matches!(
            e,
            CallEvent::Hold {
                held: true,
                by_agent: false,
                ..
            }
        )
    })
    .await;
    far.send(json!({"cmd": "resume"}));
    next_call_event(&mut events, "resumed by the far end", |e| {
        matches!(
            e,
            CallEvent::Hold {
                held: false,
                by_agent: false,
                ..
            }
        )
    })
    .await;
    let before = devices.received.load(Ordering::Relaxed);
    support::eventually(WITHIN, "audio again after hold", || {
        devices.received.load(Ordering::Relaxed) > before + 20
    })
    .await;

    // The far end hangs up.
    far.send(json!({"cmd": "hangup"}));
    let ended = next_call_event(&mut events, "ended", |e| {
        matches!(e, CallEvent::Ended { .. })
    })
    .await;
    assert!(
        matches!(
            ended,
            CallEvent::Ended {
                by: EndedBy::Remote,
                answered: true,
                ..
            }
        ),
        "{ended:?}"
    );
    phone.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inbound_call_rings_until_answered_a_second_is_busy_and_the_agent_hangs_up() {
    let kamailio = Kamailio::start(5);
    let (phone, _devices) = registered_phone(&kamailio, "9997").await;
    let mut events = phone.subscribe();
    let mut far = tokio::task::block_in_place(|| FarEnd::start(&kamailio, &[]));

    far.send(json!({"cmd": "call", "to": "9997"}));
    let ringing = next_call_event(&mut events, "ringing", |e| {
        matches!(e, CallEvent::Ringing { .. })
    })
    .await;
    assert!(
        matches!(&ringing, CallEvent::Ringing { guid: None, .. }),
        "{ringing:?}"
    );
    tokio::task::block_in_place(|| far.wait("ringing", WITHIN));
    phone.answer();
    let answered = next_call_event(&mut events, "answered", |e| {
        matches!(e, CallEvent::Answered { .. })
    })
    .await;
    assert!(matches!(answered, CallEvent::Answered { own: false, .. }));
    tokio::task::block_in_place(|| far.wait("answered", WITHIN));

    // A second caller while the call is up hears busy.
    let mut second =
        tokio::task::block_in_place(|| FarEnd::start(&kamailio, &["--user", "asterisk2"]));
    second.send(json!({"cmd": "call", "to": "9997"}));
    let rejected = tokio::task::block_in_place(|| second.wait("rejected", WITHIN));
    assert_eq!(rejected["code"], 486, "{rejected}");

    phone.hang_up();
    let ended = next_call_event(&mut events, "ended", |e| {
        matches!(e, CallEvent::Ended { .. })
    })
    .await;
    assert!(
        matches!(
            ended,
            CallEvent::Ended {
                by: EndedBy::Agent,
                answered: true,
                ..
            }
        ),
        "{ended:?}"
    );
    let far_ended = tokio::task::block_in_place(|| far.wait("ended", WITHIN));
    assert_eq!(far_ended["by"], "remote", "{far_ended}");
    phone.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_keeps_its_audio_through_a_dropped_websocket_and_can_still_be_ended() {
    let kamailio = Kamailio::start(5);
    let (phone, devices) = registered_phone(&kamailio, "9996").await;
    let mut events = phone.subscribe();
    let mut state = phone.state();
    let mut far = tokio::task::block_in_place(|| FarEnd::start(&kamailio, &[]));
    own_call_up(&phone, &mut far, &mut events, "9996").await;

    kamailio.drop_websockets();
    wait_for(&mut state, WITHIN, "the drop noticed", |s| {
        !matches!(s, PhoneState::Registered { .. })
    })
    .await;
    wait_for(&mut state, WITHIN, "registered again", |s| {
        matches!(s, PhoneState::Registered { .. })
    })
    .await;
    // The audio does not cross the WebSocket: it kept flowing.
    let before = devices.received.load(Ordering::Relaxed);
    support::eventually(WITHIN, "audio after the drop", || {
        devices.received.load(Ordering::Relaxed) > before + 25
    })
    .await;

    phone.hang_up();
    let ended = next_call_event(&mut events, "ended", |e| {
        matches!(e, CallEvent::Ended { .. })
    })
    .await;
    assert!(
        matches!(
            ended,
            CallEvent::Ended {
                by: EndedBy::Agent,
                answered: true,
                ..
            }
        ),
        "{ended:?}"
    );
    phone.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_servers_bye_the_phone_ends_the_call_itself_and_an_offer_without_g711_is_refused(
) {
    let kamailio = Kamailio::start(5);
    let (phone, _devices) = registered_phone(&kamailio, "9995").await;
    let mut events = phone.subscribe();
    let mut far = tokio::task::block_in_place(|| FarEnd::start(&kamailio, &[]));

    // Opus only: 488 before anything rings.
    far.send(json!({"cmd": "call", "to": "9995", "codecs": ["opus"]}));
    let refused = tokio::task::block_in_place(|| far.wait("rejected", WITHIN));
    assert_eq!(refused["code"], 488, "{refused}");

    // HungupPhone went to the server, whose BYE never comes: after the grace the phone sends its own.
    own_call_up(&phone, &mut far, &mut events, "9995").await;
    phone.end_after(Duration::from_millis(300));
    let ended = tokio::task::block_in_place(|| far.wait("ended", WITHIN));
    assert_eq!(ended["by"], "remote", "{ended}");
    let mine = next_call_event(&mut events, "ended", |e| {
        matches!(e, CallEvent::Ended { .. })
    })
    .await;
    assert!(
        matches!(
            mine,
            CallEvent::Ended {
                by: EndedBy::Agent,
                answered: true,
                ..
            }
        ),
        "{mine:?}"
    );
    phone.stop().await;
}

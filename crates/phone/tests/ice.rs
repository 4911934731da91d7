//! ICE servers against a STUN/TURN server no one here wrote (Debian's coturn, on loopback), in calls with the aiortc
//! far end through kamailio: the answer carries a server-reflexive candidate for each socket (through a NAT for
//! STUN, since a server on the same machine sees the socket's own address), coturn handled the Binding requests,
//! and the call carries audio and digits; a server that never answers costs the answer the gathering's bound and
//! nothing more.

mod support;

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use phone::{CallEvent, IceServer, Phone, PhoneState, TurnCredential};
use serde_json::{json, Value};
use support::coturn::{Coturn, StunNat, TURN_PASSWORD, TURN_USER};
use support::farend::FarEnd;
use support::{next_call_event, wait_for, CountingDevices, Kamailio};
use tokio::sync::broadcast;

const WITHIN: Duration = Duration::from_secs(10);

/// The bound on gathering (`media::gather::GATHER_BOUND`).
const GATHER_BOUND: Duration = Duration::from_millis(300);

async fn registered_phone(
    kamailio: &Kamailio,
    user: &str,
    ice_servers: &[String],
) -> (Phone, Arc<CountingDevices>) {
    registered_phone_with(kamailio, user, ice_servers, None).await
}

async fn registered_phone_with(
    kamailio: &Kamailio,
    user: &str,
    ice_servers: &[String],
    turn_credential: Option<TurnCredential>,
) -> (Phone, Arc<CountingDevices>) {
    let settings = phone::PhoneSettings {
        ice_servers: ice_servers.to_vec(),
        turn_username: TURN_USER.into(),
        ..Default::default()
    };
    settings.check().unwrap();
    let mut account = kamailio.account(user);
    account.ice_servers = settings.ice_servers().unwrap();
    account.turn_credential = turn_credential;
    let devices = Arc::new(CountingDevices::default());
    let phone = Phone::start(account, kamailio.trust(), devices.clone());
    let mut state = phone.state();
    wait_for(&mut state, WITHIN, "registered", |s| {
        matches!(s, PhoneState::Registered { .. })
    })
    .await;
    (phone, devices)
}

/// The agent's own dial, answered by the phone: the far end's `calling` and `answered` events.
async fn own_call(
    phone: &Phone,
    far: &mut FarEnd,
    events: &mut broadcast::Receiver<CallEvent>,
    user: &str,
) -> (Value, Value) {
    phone.expect_own_call(Duration::from_secs(5));
    far.send(json!({"cmd": "call", "to": user}));
    let calling = tokio::task::block_in_place(|| far.wait("calling", WITHIN));
    let answered = tokio::task::block_in_place(|| far.wait("answered", WITHIN));
    next_call_event(events, "media connected", |e| {
        matches!(e, CallEvent::Connected { .. })
    })
    .await;
    (calling, answered)
}

/// Audio both ways and a digit each way: the call works as every call does.
async fn audio_and_digits(
    phone: &Phone,
    devices: &CountingDevices,
    far: &mut FarEnd,
    events: &mut broadcast::Receiver<CallEvent>,
) {
    support::eventually(WITHIN, "audio from the far end", || {
        devices.received.load(Ordering::Relaxed) > 20
    })
    .await;
    phone.digits("5");
    let digit = tokio::task::block_in_place(|| far.wait("dtmf", WITHIN));
    assert_eq!(digit["digit"], "5");
    far.send(json!({"cmd": "dtmf", "digits": "7"}));
    let heard = next_call_event(events, "a digit", |e| matches!(e, CallEvent::Digit { .. })).await;
    assert!(
        matches!(heard, CallEvent::Digit { digit: '7', .. }),
        "{heard:?}"
    );
}

/// A candidate line of an SDP, read: (address, type, related address).
struct Candidate {
    address: SocketAddr,
    typ: String,
    related: Option<SocketAddr>,
}

fn candidates(sdp: &str) -> Vec<Candidate> {
    sdp.lines()
        .filter_map(|l| l.trim().strip_prefix("a=candidate:"))
        .map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let after = |key: &str| {
                words
                    .iter()
                    .position(|w| *w == key)
                    .and_then(|i| words.get(i + 1).copied())
            };
            let address = format!("{}:{}", words[4], words[5]).parse().unwrap();
            let related = after("raddr")
                .zip(after("rport"))
                .map(|(ip, port)| format!("{ip}:{port}").parse().unwrap());
            Candidate {
                address,
                typ: after("typ").unwrap_or_default().to_string(),
                related,
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_answer_offers_what_coturn_saw_through_a_nat_and_the_call_carries_audio_and_digits() {
    let coturn = Coturn::start();
    let nat = StunNat::start(coturn.address).await;
    let kamailio = Kamailio::start(5);
    // Through the NAT, and directly (coturn then sees each socket's own address: no candidate for that).
    let servers = [
        format!("stun:{}", nat.address),
        format!("turn:{}?transport=udp", coturn.address),
    ];
    let (phone, devices) = registered_phone(&kamailio, "9999", &servers).await;
    let mut events = phone.subscribe();
    let mut far = tokio::task::block_in_place(|| FarEnd::start(&kamailio, &[]));

    let (_, answered) = own_call(&phone, &mut far, &mut events, "9999").await;
    let sdp = answered["sdp"].as_str().unwrap();
    // Each candidate once (rtc writes a line for RTP's component and one for RTCP's, though RTCP is muxed).
    let mut offered = candidates(sdp);
    offered.sort_by_key(|c| (c.typ.clone(), c.address));
    offered.dedup_by_key(|c| (c.typ.clone(), c.address));
    let hosts: Vec<SocketAddr> = offered
        .iter()
        .filter(|c| c.typ == "host")
        .map(|c| c.address)
        .collect();
    let reflexive: Vec<&Candidate> = offered.iter().filter(|c| c.typ == "srflx").collect();
    assert!(!hosts.is_empty(), "{sdp}");
    // One server-reflexive candidate per socket: the NAT's outside address for it, related to the socket.
    let mappings = nat.mappings.lock().unwrap().clone();
    assert_eq!(reflexive.len(), hosts.len(), "{sdp}");
    for candidate in &reflexive {
        let base = candidate.related.expect("raddr and rport");
        assert!(hosts.contains(&base), "{base} is a host candidate: {sdp}");
        assert_eq!(mappings.get(&base), Some(&candidate.address), "{sdp}");
    }
    // coturn answered each socket twice over: through the NAT and directly (its log is written a moment later).
    support::eventually(WITHIN, "coturn's log of the Binding requests", || {
        coturn.bindings() >= 2 * hosts.len()
    })
    .await;
    audio_and_digits(&phone, &devices, &mut far, &mut events).await;
    phone.hang_up();
    tokio::task::block_in_place(|| far.wait("ended", WITHIN));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_never_answers_costs_the_answer_the_bound_and_the_call_still_connects() {
    let silent = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let kamailio = Kamailio::start(5);
    let server = IceServer::parse(&format!("stun:{}", silent.local_addr().unwrap())).unwrap();
    let (phone, devices) = registered_phone(&kamailio, "9999", &[server.to_string()]).await;
    let mut events = phone.subscribe();
    let mut far = tokio::task::block_in_place(|| FarEnd::start(&kamailio, &[]));

    let (calling, answered) = own_call(&phone, &mut far, &mut events, "9999").await;
    let took = answered["t"].as_f64().unwrap() - calling["t"].as_f64().unwrap();
    // The bound, plus the INVITE's and the 200's way through kamailio and the far end's own work on a shared
    // machine: without the bound a call is answered in well under a second.
    assert!(
        took >= GATHER_BOUND.as_secs_f64() && took < GATHER_BOUND.as_secs_f64() + 1.5,
        "INVITE to 200 OK took {took:.3} s"
    );
    let sdp = answered["sdp"].as_str().unwrap();
    let offered = candidates(sdp);
    assert!(
        offered.iter().all(|c| c.typ == "host"),
        "host candidates only: {sdp}"
    );
    let mut buffer = [0u8; 1500];
    let (_, from) = silent.try_recv_from(&mut buffer).expect("it was asked");
    assert!(
        offered.iter().any(|c| c.address == from),
        "asked from a media socket ({from}): {sdp}"
    );
    audio_and_digits(&phone, &devices, &mut far, &mut events).await;
    phone.hang_up();
    tokio::task::block_in_place(|| far.wait("ended", WITHIN));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_turn_server_allocates_a_relay_the_answer_offers_it_and_hang_up_releases_it() {
    let coturn = Coturn::start();
    let kamailio = Kamailio::start(5);
    let servers = [format!("turn:{}?transport=udp", coturn.address)];
    let credential = TurnCredential::new(TURN_USER, TURN_PASSWORD);
    let (phone, devices) =
        registered_phone_with(&kamailio, "9999", &servers, Some(credential)).await;
    let mut events = phone.subscribe();
    let mut far = tokio::task::block_in_place(|| FarEnd::start(&kamailio, &[]));

    let (_, answered) = own_call(&phone, &mut far, &mut events, "9999").await;
    let sdp = answered["sdp"].as_str().unwrap();
    let offered = candidates(sdp);
    let relay = offered
        .iter()
        .find(|c| c.typ == "relay")
        .unwrap_or_else(|| panic!("a relay candidate: {sdp}"));
    let base = relay.related.expect("raddr and rport");
    assert!(
        offered.iter().any(|c| c.typ == "host" && c.address == base),
        "related to a host socket: {sdp}"
    );
    assert_eq!(relay.address.ip(), coturn.address.ip(), "{sdp}");
    audio_and_digits(&phone, &devices, &mut far, &mut events).await;
    phone.hang_up();
    tokio::task::block_in_place(|| far.wait("ended", WITHIN));
    // coturn's own account: an allocation for the user (after the 401 that gives the realm and nonce), permissions
    // for the far end's address, and the allocation released at hang-up (a Refresh with lifetime 0).
    support::eventually(WITHIN, "coturn's log of the release", || {
        coturn
            .log()
            .contains("refreshed, realm=<test>, username=<agent>, lifetime=0")
    })
    .await;
    let log = coturn.log();
    for line in [
        "error 401: Unauthorized",
        "new, realm=<test>, username=<agent>",
        "incoming packet ALLOCATE processed, success",
        "incoming packet CREATE_PERMISSION processed, success",
    ] {
        assert!(log.contains(line), "{line}:\n{log}");
    }
}

//! The phone against a registrar no one here wrote (Debian's kamailio over WSS on loopback): it registers the
//! agent's peer with digest auth, answers the server's OPTIONS, un-registers when stopped, stops after a refused
//! password, tells a wrong certificate, a plain port and an unreachable server apart, and registers again after the
//! server drops the WebSocket.

mod support;

use std::time::Duration;

use phone::{PhoneError, PhoneState, SipAccount, SipPassword, TlsTrust};
use support::{eventually, wait_for, Kamailio};

const WITHIN: Duration = Duration::from_secs(10);

fn registered(state: &PhoneState) -> bool {
    matches!(state, PhoneState::Registered { .. })
}

#[tokio::test]
async fn the_agents_peer_registers_answers_options_and_unregisters_on_stop() {
    let kamailio = Kamailio::start(1);
    let phone = support::phone_for(kamailio.account("9999"), kamailio.trust());
    let mut state = phone.state();
    let PhoneState::Registered { expires } =
        wait_for(&mut state, WITHIN, "registered", registered).await
    else {
        unreachable!()
    };
    assert!(expires > Duration::ZERO);
    assert_eq!(
        kamailio.contacts_of("9999"),
        1,
        "{}",
        kamailio.kamcmd(&["ul.dump"])
    );

    // kamailio's keepalive OPTIONS every second: the phone answers them and stays registered.
    eventually(WITHIN, "an OPTIONS to the phone answered 200", || {
        kamailio
            .log()
            .lines()
            .any(|l| l.contains("SIP in  SIP/2.0 200") && l.contains("(OPTIONS)"))
    })
    .await;
    assert!(registered(&state.borrow()));

    phone.stop().await;
    assert_eq!(*state.borrow(), PhoneState::Stopped);
    eventually(WITHIN, "the contact removed", || {
        kamailio.contacts_of("9999") == 0
    })
    .await;
}

#[tokio::test]
async fn a_wrong_password_stops_after_one_refusal() {
    let kamailio = Kamailio::start(5);
    let account =
        SipAccount::new("9999", SipPassword::new("not-the-password"), &kamailio.wss).unwrap();
    let phone = support::phone_for(account, kamailio.trust());
    let mut state = phone.state();
    let stopped = wait_for(&mut state, WITHIN, "not connected", |s| {
        matches!(s, PhoneState::NotConnected { .. })
    })
    .await;
    let PhoneState::NotConnected { reason, retry_in } = stopped else {
        unreachable!()
    };
    assert!(
        matches!(reason, PhoneError::WrongPassword { code: 401, .. }),
        "{reason}"
    );
    assert_eq!(
        retry_in, None,
        "no retry storm: nothing is scheduled until the password changes"
    );
    assert!(
        reason
            .to_string()
            .contains("refused the SIP password of extension 9999"),
        "{reason}"
    );
    assert!(!reason.to_string().contains("not-the-password"));
    // The first REGISTER and the one with credentials, nothing after.
    // kamailio's log reaches its file through tee: wait for both lines, then see no third.
    let registers = || kamailio.log().matches("SIP in  REGISTER").count();
    eventually(WITHIN, "two REGISTERs in kamailio's log", || {
        registers() >= 2
    })
    .await;
    assert_eq!(registers(), 2, "{}", kamailio.log());
    assert_eq!(kamailio.contacts_of("9999"), 0);
    phone.stop().await;
}

#[tokio::test]
async fn a_wrong_certificate_a_plain_port_an_unknown_ca_and_a_closed_port_are_told_apart() {
    let kamailio = Kamailio::start(5);
    let attempt = |server: String, trust: TlsTrust| async move {
        let account = SipAccount::new("9999", SipPassword::new("sip-9999"), &server).unwrap();
        let phone = support::phone_for(account, trust);
        let mut state = phone.state();
        let end = wait_for(&mut state, Duration::from_secs(20), "not connected", |s| {
            matches!(s, PhoneState::NotConnected { .. })
        })
        .await;
        phone.stop().await;
        match end {
            PhoneState::NotConnected { reason, retry_in } => (reason, retry_in),
            _ => unreachable!(),
        }
    };

    let (reason, retry) = attempt(
        format!("wss://127.0.0.1:{}/ws", kamailio.wrong_host_port),
        kamailio.trust(),
    )
    .await;
    assert!(
        reason
            .to_string()
            .contains("certificate is for another host"),
        "{reason}"
    );
    assert_eq!(retry, None);

    let (reason, _) = attempt(
        format!("wss://127.0.0.1:{}/ws", kamailio.ws_port),
        kamailio.trust(),
    )
    .await;
    assert!(reason.to_string().contains("plain ws:// port"), "{reason}");

    let (reason, _) = attempt(kamailio.wss.clone(), TlsTrust::default()).await;
    assert!(reason.to_string().contains("does not trust"), "{reason}");

    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (reason, retry) = attempt(format!("wss://127.0.0.1:{closed}/ws"), kamailio.trust()).await;
    assert!(matches!(reason, PhoneError::Unreachable { .. }), "{reason}");
    assert!(
        retry.is_some(),
        "an unreachable server is tried again by itself"
    );
}

#[tokio::test]
async fn the_websocket_dropped_by_the_server_is_registered_again() {
    let kamailio = Kamailio::start(5);
    let phone = support::phone_for(kamailio.account("9998"), kamailio.trust());
    let mut state = phone.state();
    wait_for(&mut state, WITHIN, "registered", registered).await;

    kamailio.drop_websockets();
    wait_for(&mut state, WITHIN, "the drop noticed", |s| !registered(s)).await;
    wait_for(&mut state, WITHIN, "registered again", registered).await;
    eventually(WITHIN, "one live contact", || {
        kamailio.contacts_of("9998") >= 1
    })
    .await;
    phone.stop().await;
}

#[tokio::test]
async fn a_websocket_dropped_while_the_register_waits_for_its_answer_is_registered_again() {
    let kamailio = Kamailio::start(5);
    kamailio.kamcmd(&["pv.shvSet", "mute_register", "int", "1"]);
    let phone = support::phone_for(kamailio.account("9989"), kamailio.trust());
    let mut state = phone.state();
    eventually(WITHIN, "the REGISTER left unanswered", || {
        kamailio.log().contains("REGISTER of 9989 left unanswered")
    })
    .await;
    assert!(
        !registered(&state.borrow()),
        "no answer yet: {:?}",
        *state.borrow()
    );

    // The connection breaks while the phone waits for the registrar's answer.
    kamailio.kamcmd(&["pv.shvSet", "mute_register", "int", "0"]);
    kamailio.drop_websockets();
    wait_for(
        &mut state,
        WITHIN,
        "registered on a new connection",
        registered,
    )
    .await;
    eventually(WITHIN, "one live contact", || {
        kamailio.contacts_of("9989") == 1
    })
    .await;
    phone.stop().await;
}

#[tokio::test]
async fn through_the_configured_proxy_the_phone_registers_and_a_proxy_that_is_not_there_is_named() {
    let kamailio = Kamailio::start(5);
    let proxy = integra_sim::Tinyproxy::start(integra_sim::TinyproxyOptions::default())
        .await
        .expect("tinyproxy starts (scripts/setup-debian.sh installs it)");
    let mut account = kamailio.account("9994");
    account.proxy = phone::ProxyRoute::Explicit(phone::HttpProxy::new(&proxy.url(), None).unwrap());
    let phone = support::phone_for(account, kamailio.trust());
    let mut state = phone.state();
    wait_for(
        &mut state,
        WITHIN,
        "registered through the proxy",
        registered,
    )
    .await;
    assert!(
        proxy.log().contains("CONNECT"),
        "the tunnel went through tinyproxy: {}",
        proxy.log()
    );
    phone.stop().await;

    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut account = kamailio.account("9994");
    let gone = format!("http://127.0.0.1:{closed}");
    account.proxy = phone::ProxyRoute::Explicit(phone::HttpProxy::new(&gone, None).unwrap());
    let phone = support::phone_for(account, kamailio.trust());
    let mut state = phone.state();
    let failed = wait_for(&mut state, WITHIN, "not connected", |s| {
        matches!(s, PhoneState::NotConnected { .. })
    })
    .await;
    let PhoneState::NotConnected { reason, retry_in } = failed else {
        unreachable!()
    };
    assert!(matches!(reason, PhoneError::Proxy { .. }), "{reason}");
    assert!(
        reason.to_string().contains(&gone),
        "the proxy is named: {reason}"
    );
    assert!(retry_in.is_some(), "tried again by itself");
    phone.stop().await;
}

#[tokio::test]
async fn the_registration_is_refreshed_before_it_expires() {
    let kamailio = Kamailio::start(30);
    let mut account = kamailio.account("9993");
    // kamailio's shortest grant (min_expires = 10 s): the phone refreshes at four fifths of it.
    account.expires = Duration::from_secs(10);
    let phone = support::phone_for(account, kamailio.trust());
    let mut state = phone.state();
    let PhoneState::Registered { expires } =
        wait_for(&mut state, WITHIN, "registered", registered).await
    else {
        unreachable!()
    };
    assert_eq!(
        expires,
        Duration::from_secs(10),
        "the server's grant is read from our contact"
    );
    let registers = || kamailio.log().matches("SIP in  REGISTER").count();
    let first = registers();
    eventually(
        Duration::from_secs(15),
        "a refresh before the grant ends",
        || registers() > first,
    )
    .await;
    assert!(registered(&state.borrow()));
    assert_eq!(
        kamailio.contacts_of("9993"),
        1,
        "the same binding, refreshed"
    );
    phone.stop().await;
}

//! The probe `integra doctor` runs on the phone's address, against real servers on loopback: Debian's kamailio
//! over WSS (found, and named), its port with a certificate for another host, its plain WebSocket port, a closed
//! port, and a plain HTTPS server that is no WebSocket server (integra-sim's private-CA server).

mod support;

use phone::ProxyRoute;
use phone::{probe, ProbeReport, StepStatus, TlsTrust};
use support::Kamailio;

fn status(report: &ProbeReport, step: &str) -> StepStatus {
    report
        .steps
        .iter()
        .find(|s| s.name == step)
        .unwrap_or_else(|| panic!("no {step} step in\n{report}"))
        .status
}

/// The failed step's name and what it says.
fn failure(report: &ProbeReport) -> (&str, &str) {
    let failed = report
        .failure()
        .unwrap_or_else(|| panic!("nothing failed in\n{report}"));
    (failed.name, failed.detail.as_str())
}

#[tokio::test]
async fn kamailio_over_wss_is_found_and_named() {
    let kamailio = Kamailio::start(5);
    let report = probe(&kamailio.wss, &kamailio.trust(), &ProxyRoute::Direct).await;
    assert!(report.found, "{report}");
    for step in ["tcp", "tls", "websocket", "sip"] {
        assert_eq!(status(&report, step), StepStatus::Pass, "{report}");
    }
    let answer = report.answer.as_ref().unwrap();
    assert_eq!(answer.status_line, "SIP/2.0 200 OK", "{report}");
    assert!(
        answer
            .software
            .as_deref()
            .is_some_and(|s| s.contains("kamailio")),
        "{report}"
    );
    let shown = report.to_string();
    assert!(
        shown.starts_with(&format!(
            "{}: a SIP server answered (SIP/2.0 200 OK, uContact phone rig (kamailio))",
            kamailio.wss
        )),
        "{shown}"
    );
    assert!(
        shown.contains("verified (TLS 1.3): certificate for CN=127.0.0.1"),
        "{shown}"
    );
    assert!(
        shown.contains("the server took the sip subprotocol"),
        "{shown}"
    );
    // The OPTIONS reached kamailio as one (its log reaches the file through tee), and nothing registered.
    support::eventually(
        std::time::Duration::from_secs(10),
        "the OPTIONS in kamailio's log",
        || {
            kamailio
                .log()
                .contains("SIP in  OPTIONS sip:127.0.0.1 SIP/2.0")
        },
    )
    .await;
    assert!(!kamailio.log().contains("REGISTER"));

    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["found"], true);
    assert_eq!(json["steps"][3]["name"], "sip");
    assert_eq!(json["steps"][3]["status"], "pass");
}

#[tokio::test]
async fn a_certificate_for_another_host_a_plain_port_and_a_closed_port_are_told_apart() {
    let kamailio = Kamailio::start(5);
    let wrong = format!("wss://127.0.0.1:{}/ws", kamailio.wrong_host_port);
    let report = probe(&wrong, &kamailio.trust(), &ProxyRoute::Direct).await;
    assert!(!report.found);
    let (step, detail) = failure(&report);
    assert_eq!(step, "tls", "{report}");
    assert!(
        detail.contains("certificate is for another host (it names wrong.example)"),
        "{report}"
    );
    assert_eq!(status(&report, "tcp"), StepStatus::Pass);
    assert_eq!(status(&report, "sip"), StepStatus::Skip);

    let unknown_ca = probe(&kamailio.wss, &TlsTrust::default(), &ProxyRoute::Direct).await;
    let (step, detail) = failure(&unknown_ca);
    assert_eq!(step, "tls", "{unknown_ca}");
    assert!(detail.contains("does not trust"), "{unknown_ca}");
    assert!(
        !detail.contains("Settings"),
        "the app's advice is not the command line's: {detail}"
    );

    let plain = format!("wss://127.0.0.1:{}/ws", kamailio.ws_port);
    let report = probe(&plain, &kamailio.trust(), &ProxyRoute::Direct).await;
    let (step, detail) = failure(&report);
    assert_eq!(step, "tls", "{report}");
    assert!(detail.contains("plain ws:// port"), "{report}");

    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let report = probe(
        &format!("wss://127.0.0.1:{closed}/ws"),
        &kamailio.trust(),
        &ProxyRoute::Direct,
    )
    .await;
    let (step, detail) = failure(&report);
    assert_eq!(step, "tcp", "{report}");
    assert!(
        detail.starts_with(&format!("cannot connect to 127.0.0.1:{closed}: ")),
        "{report}"
    );
    assert!(report.to_string().contains(&format!(
        "no SIP server found: cannot connect to 127.0.0.1:{closed}"
    )));

    let report = probe(
        "ws://127.0.0.1:5066/ws",
        &kamailio.trust(),
        &ProxyRoute::Direct,
    )
    .await;
    let (step, detail) = failure(&report);
    assert_eq!(
        (step, detail.contains("must start with wss://")),
        ("address", true),
        "{report}"
    );
}

#[tokio::test]
async fn an_https_server_that_is_not_a_websocket_is_not_taken_for_sip() {
    let dir = tempfile::tempdir().unwrap();
    let web = integra_sim::PrivateCaServer::start(dir.path());
    let trust = TlsTrust::default()
        .with_pem(&std::fs::read(&web.ca).unwrap())
        .unwrap();
    let address = format!("{}/ws", web.url.replacen("https://", "wss://", 1));
    let report = probe(&address, &trust, &ProxyRoute::Direct).await;
    assert!(!report.found);
    let (step, detail) = failure(&report);
    assert_eq!(step, "websocket", "{report}");
    assert!(
        detail.starts_with("not a SIP-over-WebSocket server: "),
        "{report}"
    );
    assert_eq!(status(&report, "tls"), StepStatus::Pass, "{report}");
}

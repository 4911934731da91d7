//! Is there a SIP-over-WebSocket server at this address? The phone's own connection (TCP, TLS with the phone's
//! trust, the WebSocket upgrade asking for `sip`), then one `OPTIONS` and its answer: what `integra doctor` says
//! about the phone's address, step by step, before anyone types an extension and a password. Nothing is
//! registered and no credentials are sent.

mod certificate;
mod report;

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use rsipstack::sip::{HeadersExt, Response, SipMessage};
use tokio_tungstenite::tungstenite::Message;
use url::Url;

pub use report::{OptionsAnswer, ProbeReport, ProbeStep, StepStatus};

use crate::message::{self, Outgoing};
use crate::wire::{self, SipSocket};
use crate::{account, PhoneError, TlsTrust};

/// How long the probe waits for the answer to its `OPTIONS` once the WebSocket is up.
pub const PROBE_ANSWER_TIME: Duration = Duration::from_secs(5);

/// Connects to `server` (`wss://host:port/path`) as the phone would, sends `OPTIONS sip:<host>` and reports what
/// each step found. Never fails: what went wrong is in the report.
pub async fn probe(server: &str, trust: &TlsTrust, route: &crate::ProxyRoute) -> ProbeReport {
    let mut report = ProbeReport::new(server.trim());
    let url = match account::wss_url(server) {
        Ok(url) => url,
        Err(e) => {
            report.fail("address", e.to_string());
            return report;
        }
    };
    let place = format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or(443)
    );
    let socket = match wire::connect(&url, trust, route).await {
        Ok(socket) => socket,
        Err(PhoneError::Unreachable { detail, .. }) => {
            report.fail("tcp", format!("cannot connect to {place}: {detail}"));
            return report;
        }
        Err(PhoneError::Tls { detail, .. }) => {
            report.pass("tcp", format!("connected to {place}"));
            let detail = detail.replace(wire::UNKNOWN_CA_HINT, "");
            report.fail("tls", format!("the secure connection failed: {detail}"));
            return report;
        }
        Err(PhoneError::NotSip { detail, .. }) => {
            report.pass("tcp", format!("connected to {place}"));
            report.pass("tls", "verified".into());
            report.fail(
                "websocket",
                format!("not a SIP-over-WebSocket server: {detail}"),
            );
            return report;
        }
        Err(other) => {
            report.fail("address", other.to_string());
            return report;
        }
    };
    report.pass("tcp", connected(&socket, &place));
    report.pass("tls", verified(&socket));
    report.pass(
        "websocket",
        "upgraded; the server took the sip subprotocol".into(),
    );
    options(socket, &url, &mut report).await;
    report
}

fn connected(socket: &SipSocket, place: &str) -> String {
    match socket.get_ref().get_ref().0.peer_addr() {
        Ok(peer) if peer.to_string() != place => format!("connected to {place} ({peer})"),
        _ => format!("connected to {place}"),
    }
}

/// `verified (TLS 1.3): certificate for CN=…, issued by CN=…`.
fn verified(socket: &SipSocket) -> String {
    let tls = socket.get_ref().get_ref().1;
    let version = match tls.protocol_version() {
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLS 1.3".to_string(),
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLS 1.2".to_string(),
        Some(other) => format!("{other:?}"),
        None => "TLS".to_string(),
    };
    let names = tls
        .peer_certificates()
        .and_then(|chain| chain.first())
        .and_then(|leaf| certificate::subject_and_issuer(leaf));
    match names {
        Some((subject, issuer)) => {
            format!("verified ({version}): certificate for {subject}, issued by {issuer}")
        }
        None => format!("verified ({version})"),
    }
}

/// Sends the OPTIONS and waits for its final answer (provisional ones and anything else are skipped).
async fn options(mut socket: SipSocket, url: &Url, report: &mut ProbeReport) {
    let host = url.host_str().unwrap_or_default();
    let call_id = message::token(24);
    let request = Outgoing::new("OPTIONS", &format!("sip:{host}"))
        .header(
            "Via",
            format!(
                "SIP/2.0/WSS {}.invalid;branch={}",
                message::token(12),
                message::branch()
            ),
        )
        .header("Max-Forwards", 70)
        .header("To", format!("<sip:{host}>"))
        .header(
            "From",
            format!(
                "<sip:anonymous@anonymous.invalid>;tag={}",
                message::token(10)
            ),
        )
        .header("Call-ID", &call_id)
        .header("CSeq", "1 OPTIONS")
        .header("Accept", "application/sdp")
        .header("User-Agent", message::user_agent())
        .render();
    let sent = Instant::now();
    if let Err(e) = socket.send(Message::Text(request.into())).await {
        report.fail("sip", format!("the OPTIONS could not be sent: {e}"));
        return;
    }
    let waited = tokio::time::timeout(PROBE_ANSWER_TIME, answer(&mut socket, &call_id)).await;
    match waited {
        Ok(Ok(response)) => {
            let answer = OptionsAnswer::from_response(&response, sent.elapsed());
            report.answered(answer);
        }
        Ok(Err(why)) => report.fail("sip", why),
        Err(_) => report.fail(
            "sip",
            format!(
                "no answer to OPTIONS within {} s: the WebSocket is up but nothing answers SIP on it",
                PROBE_ANSWER_TIME.as_secs()
            ),
        ),
    }
    // A clean close, as the phone does; a server that does not take it in a second is left to drop the socket.
    let _ = tokio::time::timeout(Duration::from_secs(1), socket.close(None)).await;
}

/// The final answer with our Call-ID; the error says what came instead.
async fn answer(socket: &mut SipSocket, call_id: &str) -> Result<Response, String> {
    let mut not_sip = None;
    loop {
        let text = match socket.next().await {
            Some(Ok(Message::Text(text))) => text.to_string(),
            Some(Ok(Message::Binary(bytes))) => String::from_utf8_lossy(&bytes).into_owned(),
            Some(Ok(Message::Close(_))) | None => return Err(closed(not_sip)),
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(format!("the WebSocket failed before an answer: {e}")),
        };
        match message::parse(&text) {
            Ok(SipMessage::Response(response))
                if response
                    .call_id_header()
                    .is_ok_and(|c| c.value() == call_id)
                    && u16::from(response.status_code.clone()) >= 200 =>
            {
                return Ok(response)
            }
            Ok(_) => continue,
            Err(why) => not_sip = Some(why),
        }
    }
}

/// Why the answer never came, when the server closed the WebSocket.
fn closed(not_sip: Option<String>) -> String {
    match not_sip {
        Some(why) => {
            format!("the server sent something that is not SIP ({why}) and closed the WebSocket")
        }
        None => "the server closed the WebSocket without answering the OPTIONS".into(),
    }
}

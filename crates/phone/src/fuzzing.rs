//! The entry point for the `sip_message` fuzz target in `fuzz/` (the `fuzzing` feature): a WebSocket frame as the
//! phone receives it from the SIP server, through every reader the phone has for one — the log's redaction,
//! `message::parse`, the registrar's reading of a REGISTER answer (challenge, grant, refusal), the call's dialog
//! set-up from an INVITE, the answers the phone writes back, and the SDP readers (codec, direction, candidates, the
//! fix-up for the WebRTC stack and that stack's own SDP parser).
//!
//! Not a stable API and not part of the normal build. A malformed message must come out as an error, never as a
//! panic; what the phone writes in answer to a message it read must be a message it can read itself; the REGISTER
//! answer never grants more time than was asked; the SDP fix-up changes nothing the phone reads. The unit test
//! below replays the committed corpus and regression inputs.

use rsipstack::sip::{HeadersExt, Request, Response, SipMessage};

use crate::call::Call;
use crate::media::{candidates, dtmf, sdp};
use crate::registration::{Outcome, Registrar};
use crate::{message, redact, SipAccount, SipPassword};

/// A fuzz target: takes any bytes, panics only when a property is broken.
pub type Target = fn(&[u8]);

/// Every target of this crate by its `cargo fuzz` name.
pub const TARGETS: &[(&str, Target)] = &[("sip_message", sip_message)];

/// How long the fuzzed REGISTERs ask for.
const ASKED: u32 = 600;

/// One frame from the server (a binary frame is read as UTF-8 with replacements, as the session does), and the
/// same bytes as an RTP telephone-event payload.
pub fn sip_message(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    logged(&text);
    match message::parse(&text) {
        Ok(SipMessage::Request(request)) => on_request(request),
        Ok(SipMessage::Response(response)) => on_response(&response),
        Err(_) => {}
    }
    // A body is whatever the far end wrote: the SDP readers get any text.
    on_sdp(&text);
    if let Some((code, _end)) = dtmf::read(data) {
        let _ = dtmf::digit(code);
    }
}

/// What the session logs of every frame: the secrets are gone.
fn logged(text: &str) {
    let shown = redact::for_log(text);
    for line in shown.lines().map(|l| l.trim_end_matches('\r')) {
        let lower = line.to_ascii_lowercase();
        if lower.starts_with("authorization:") || lower.starts_with("proxy-authorization:") {
            assert!(line.ends_with(": Digest …"), "not redacted: {line:?}");
        }
        if lower.starts_with("a=ice-pwd:") {
            assert_eq!(line, "a=ice-pwd:…");
        }
    }
    let _ = redact::first_line(text);
}

/// A message the phone is about to send must be one it reads back (the server would refuse it otherwise).
fn readable(what: &str, sent: &str) {
    if let Err(why) = message::parse(sent) {
        panic!(
            "the phone would send {what} it cannot read itself ({why}):\n{}",
            redact::for_log(sent)
        );
    }
}

fn account() -> SipAccount {
    SipAccount::new(
        "9999",
        SipPassword::new("sip-9999"),
        "wss://127.0.0.1:25443/ws",
    )
    .expect("a valid account")
}

/// A response read as the answer to the registrar's outstanding REGISTER (and un-REGISTER), twice: the second
/// time the REGISTER carried credentials, which reads a challenge as a wrong password.
fn on_response(response: &Response) {
    let call_id = response
        .call_id_header()
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    let number = message::cseq(response).map_or(1, |(n, _)| n);
    for asked in [ASKED, 0] {
        let mut registrar = Registrar::new(account());
        readable("a REGISTER", &registrar.request(asked));
        for _ in 0..2 {
            registrar.expect(&call_id, number);
            match registrar.on_response(response) {
                Outcome::Send(request) => readable("a REGISTER", &request),
                Outcome::Registered { expires } => assert!(
                    expires.as_secs() <= u64::from(asked),
                    "granted {expires:?} for {asked} s asked"
                ),
                Outcome::Failed(e) | Outcome::Retry(e) => {
                    assert!(!e.to_string().contains("sip-9999"), "{e}")
                }
                Outcome::Unregistered | Outcome::Ignored => {}
            }
        }
    }
    // The answer to a hold re-INVITE: its body is the far end's SDP.
    on_sdp(&String::from_utf8_lossy(response.body()));
}

/// A request from the server: the answers the session gives any request, and for an INVITE the call's dialog.
fn on_request(request: Request) {
    let _ = message::cseq(&request);
    let allow = [format!("Allow: {}", message::ALLOW)];
    readable(
        "an answer",
        &message::response(&request, 200, "OK", Some("t1"), &allow),
    );
    let offer = String::from_utf8_lossy(request.body()).into_owned();
    let _ = crate::media::offers_g711(&offer);
    on_sdp(&offer);
    let Some(mut call) = Call::new(request.clone(), false) else {
        return;
    };
    assert!(call.owns(&request));
    let contact = "<sip:abc@x.invalid;transport=ws>";
    readable("a 180", &call.answer_invite(180, "Ringing", contact, None));
    readable(
        "a 200 with SDP",
        &call.answer_invite(200, "OK", contact, Some("v=0\r\n")),
    );
    // In-dialog requests go to the INVITE's Contact and Record-Route, whatever they say: no panic is all.
    let _ = call.request("BYE", "x.invalid", contact, None).render();
    let _ = call.request("ACK", "x.invalid", contact, Some(1)).render();
}

/// The SDP readers, and the WebRTC stack's parser on what the phone hands it.
fn on_sdp(text: &str) {
    let negotiated = sdp::negotiated(text);
    let direction = sdp::direction(text);
    let _ = candidates::remote_addresses(text);
    let for_rtc = sdp::for_rtc(text);
    assert_eq!(
        sdp::negotiated(&for_rtc),
        negotiated,
        "for_rtc changed the codecs"
    );
    assert_eq!(
        sdp::direction(&for_rtc),
        direction,
        "for_rtc changed the direction"
    );
    let _ = rtc::peer_connection::sdp::RTCSessionDescription::offer(for_rtc);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_seeds_and_crashes_pass() {
        replay_committed(TARGETS);
    }

    /// Every file of `fuzz/corpus/<target>/` (at least three) and `fuzz/regressions/<target>/` through its target.
    /// (integra's `replay_committed`, which the other crates use, would make this crate depend on the API client.)
    fn replay_committed(targets: &[(&str, Target)]) {
        let fuzz = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
        let inputs = |dir: std::path::PathBuf| {
            let mut files: Vec<_> = std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect();
            files.sort();
            files
        };
        for (name, target) in targets {
            let seeds = inputs(fuzz.join("corpus").join(name));
            assert!(
                seeds.len() >= 3,
                "fuzz/corpus/{name} needs a few realistic inputs"
            );
            for input in seeds
                .iter()
                .chain(&inputs(fuzz.join("regressions").join(name)))
            {
                let data = std::fs::read(input).unwrap();
                if std::panic::catch_unwind(|| target(&data)).is_err() {
                    panic!("{} fails", input.display());
                }
            }
        }
    }
}

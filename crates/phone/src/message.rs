//! Building the SIP text the phone sends, and reading what it receives. Requests are written as text (every
//! header rsipstack would give us is a string anyway); received messages are parsed by rsipstack.

// Without the `calls` feature only `probe` writes and reads messages: the answers and dialogs go unused.
#![cfg_attr(not(feature = "calls"), allow(dead_code))]

use rsipstack::sip::{Header, HeadersExt, Request, SipMessage};

/// A request being written.
pub(crate) struct Outgoing {
    start: String,
    headers: Vec<String>,
    body: Option<(String, String)>,
}

impl Outgoing {
    pub(crate) fn new(method: &str, uri: &str) -> Outgoing {
        Outgoing {
            start: format!("{method} {uri} SIP/2.0"),
            headers: Vec::new(),
            body: None,
        }
    }

    pub(crate) fn header(mut self, name: &str, value: impl std::fmt::Display) -> Outgoing {
        self.headers.push(format!("{name}: {value}"));
        self
    }

    pub(crate) fn sdp(mut self, sdp: &str) -> Outgoing {
        self.body = Some(("application/sdp".into(), sdp.into()));
        self
    }

    /// The message with Content-Length (and Content-Type when there is a body).
    pub(crate) fn render(self) -> String {
        render(&self.start, &self.headers, self.body.as_ref())
    }
}

fn render(start: &str, headers: &[String], body: Option<&(String, String)>) -> String {
    let mut text = String::with_capacity(512);
    text.push_str(start);
    text.push_str("\r\n");
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    match body {
        Some((content_type, body)) => {
            text.push_str(&format!(
                "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
                body.len()
            ));
            text.push_str(body);
        }
        None => text.push_str("Content-Length: 0\r\n\r\n"),
    }
    text
}

/// A response to `request`: its Via, From, Call-ID and CSeq copied, its To with `to_tag` added when it has none
/// (a tag is needed on every final answer), and `extra` headers after them.
pub(crate) fn response(
    request: &Request,
    code: u16,
    reason: &str,
    to_tag: Option<&str>,
    extra: &[String],
) -> String {
    let headers = response_headers(request, to_tag, extra, false);
    render(&format!("SIP/2.0 {code} {reason}"), &headers, None)
}

/// A response that sets up or belongs to the call's dialog: [`response`] plus the INVITE's Record-Route (RFC 3261
/// §12.1.1) and an SDP body when there is one.
pub(crate) fn dialog_response(
    request: &Request,
    code: u16,
    reason: &str,
    to_tag: &str,
    extra: &[String],
    sdp: Option<&str>,
) -> String {
    let headers = response_headers(request, Some(to_tag), extra, true);
    let body = sdp.map(|sdp| ("application/sdp".to_string(), sdp.to_string()));
    render(&format!("SIP/2.0 {code} {reason}"), &headers, body.as_ref())
}

fn response_headers(
    request: &Request,
    to_tag: Option<&str>,
    extra: &[String],
    record_route: bool,
) -> Vec<String> {
    let mut headers = Vec::new();
    for header in request.headers.iter() {
        match header {
            Header::Via(_) | Header::From(_) | Header::CallId(_) | Header::CSeq(_) => {
                headers.push(header.to_string())
            }
            Header::To(to) => {
                let tagged = to.value().to_ascii_lowercase().contains(";tag=");
                match to_tag {
                    Some(tag) if !tagged => headers.push(format!("To: {};tag={tag}", to.value())),
                    _ => headers.push(header.to_string()),
                }
            }
            Header::RecordRoute(_) if record_route => headers.push(header.to_string()),
            _ => {}
        }
    }
    headers.extend(extra.iter().cloned());
    headers.push(format!("User-Agent: {}", user_agent()));
    headers
}

pub(crate) fn user_agent() -> String {
    concat!("ucontact-agent-companion/", env!("CARGO_PKG_VERSION")).to_string()
}

/// The methods the phone takes (Allow).
pub(crate) const ALLOW: &str = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO";

/// Random letters and digits, for tags, Call-IDs, branches and the contact's user and host.
pub(crate) fn token(length: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = vec![0u8; length];
    getrandom::fill(&mut bytes).expect("the OS random number generator works");
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// A Via branch (RFC 3261's magic cookie first).
pub(crate) fn branch() -> String {
    format!("z9hG4bK{}", token(16))
}

/// Parses a received frame; the error says what was wrong without repeating the message.
pub(crate) fn parse(text: &str) -> Result<SipMessage, String> {
    let message = SipMessage::try_from(text).map_err(|e| e.to_string())?;
    // Every message the phone acts on needs these; one without them is dropped as malformed.
    let (call_id, cseq) = match &message {
        SipMessage::Request(r) => (r.call_id_header().is_ok(), r.cseq_header().is_ok()),
        SipMessage::Response(r) => (r.call_id_header().is_ok(), r.cseq_header().is_ok()),
    };
    if !call_id || !cseq {
        return Err("no Call-ID or CSeq".into());
    }
    Ok(message)
}

/// A response's reason phrase as the server wrote it (rsipstack keeps it only when it is not the standard one),
/// else the standard one for its code. (rsipstack's `reason_phrase()` is the `Reason:` header, another thing.)
pub(crate) fn reason(response: &rsipstack::sip::Response) -> &str {
    response
        .wire_reason
        .as_deref()
        .unwrap_or_else(|| response.status_code.text())
}

/// The CSeq's number and method, e.g. `(2, "REGISTER")`.
pub(crate) fn cseq(message: &impl HeadersExt) -> Option<(u32, String)> {
    let value = message.cseq_header().ok()?.value().to_string();
    let mut parts = value.split_whitespace();
    let number = parts.next()?.parse().ok()?;
    let method = parts.next()?.to_ascii_uppercase();
    Some((number, method))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_copies_the_transaction_and_tags_the_to() {
        let text = "OPTIONS sip:abc@x.invalid;transport=ws SIP/2.0\r\nVia: SIP/2.0/WSS 127.0.0.1:1;branch=z9hG4bKa\r\n\
                    Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKb\r\nFrom: <sip:pbx@127.0.0.1>;tag=f1\r\nTo: <sip:9999@127.0.0.1>\r\n\
                    Call-ID: c1\r\nCSeq: 7 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        let SipMessage::Request(request) = parse(text).unwrap() else {
            panic!("a request")
        };
        let answer = response(
            &request,
            200,
            "OK",
            Some("t9"),
            &[format!("Allow: {ALLOW}")],
        );
        assert!(answer.starts_with("SIP/2.0 200 OK\r\n"), "{answer}");
        for line in [
            "Via: SIP/2.0/WSS 127.0.0.1:1;branch=z9hG4bKa\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKb\r\n",
            "To: <sip:9999@127.0.0.1>;tag=t9\r\n",
            "CSeq: 7 OPTIONS\r\n",
            "Call-ID: c1\r\n",
        ] {
            assert!(answer.contains(line), "{line:?} not in {answer}");
        }
        assert!(parse(&answer).is_ok());
        assert_eq!(cseq(&request), Some((7, "OPTIONS".into())));
    }

    #[test]
    fn malformed_frames_are_refused_with_a_reason() {
        assert!(parse("hello").is_err());
        assert!(parse("SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n")
            .unwrap_err()
            .contains("Call-ID"));
    }
}

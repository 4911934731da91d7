//! One call's SIP dialog, the phone being the called side (the server rings the agent's peer for every call,
//! including the first leg of the agent's own two-step dial): the INVITE's answers, the in-dialog requests the
//! phone sends (BYE, re-INVITE for hold, ACK), and what it tells the shell.

use std::time::Duration;

use rsipstack::sip::{HeadersExt, Request};

use crate::media::MediaCall;
use crate::message::{self, Outgoing};

/// Who is calling, from P-Asserted-Identity when the server sends it, else From.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The number or user part, e.g. `0991234567`.
    pub number: String,
    /// The display name, when there is one.
    pub name: Option<String>,
}

/// What happened to the call, for the desk, the tray and the page.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallEvent {
    /// A call the agent did not place is ringing: answer or reject it.
    Ringing {
        /// The SIP Call-ID.
        call: String,
        /// Who calls.
        caller: Caller,
        /// The uContact call GUID, when the INVITE carries one.
        guid: Option<String>,
    },
    /// The phone answered: by itself for the agent's own dial (`own`), or because the agent answered.
    Answered {
        /// The SIP Call-ID.
        call: String,
        /// True for the first leg of the agent's own dial, answered without a key.
        own: bool,
        /// Who the other side is.
        caller: Caller,
        /// The uContact call GUID, when the INVITE carries one.
        guid: Option<String>,
    },
    /// Audio flows (ICE and DTLS are up).
    Connected {
        /// The SIP Call-ID.
        call: String,
    },
    /// Held (`held`) or resumed, by the agent (`by_agent`) or the far end.
    Hold {
        /// The SIP Call-ID.
        call: String,
        /// On hold now.
        held: bool,
        /// The agent asked (else the server did).
        by_agent: bool,
    },
    /// A keypad digit the far end sent.
    Digit {
        /// The SIP Call-ID.
        call: String,
        /// `0`–`9`, `*`, `#`, `A`–`D`.
        digit: char,
    },
    /// The call ended.
    Ended {
        /// The SIP Call-ID.
        call: String,
        /// Who ended it.
        by: EndedBy,
        /// Whether it had been answered (a missed call otherwise).
        answered: bool,
        /// Who the other side was.
        caller: Caller,
        /// Why, in words (a refusal's status, a media failure).
        reason: String,
    },
}

/// Who ended a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndedBy {
    /// The agent (hang-up, reject) or the app.
    Agent,
    /// The server or the far end (BYE, CANCEL).
    Remote,
}

/// Where the dialog is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// 180 sent; waiting for the agent.
    Ringing,
    /// 200 sent; waiting for the ACK.
    Answered,
    /// Up.
    Confirmed,
}

pub(crate) struct Call {
    pub id: String,
    pub invite: Request,
    pub local_tag: String,
    pub caller: Caller,
    pub guid: Option<String>,
    pub phase: Phase,
    pub media: Option<MediaCall>,
    /// Our re-INVITE waiting for its answer: its CSeq and whether it holds.
    pub reinvite: Option<(u32, bool)>,
    pub held_by_agent: bool,
    pub own: bool,
    local_cseq: u32,
    remote_target: String,
    route_set: Vec<String>,
    /// `To` as we send it in requests (the INVITE's From, with the caller's tag).
    remote: String,
    /// `From` as we send it (the INVITE's To, with our tag).
    local: String,
}

impl Call {
    /// A call for a fresh INVITE (no To tag). `None` when the INVITE lacks what a dialog needs.
    pub(crate) fn new(invite: Request, own: bool) -> Option<Call> {
        let id = invite.call_id_header().ok()?.value().to_string();
        let from = invite.from_header().ok()?.value().to_string();
        let to = invite.to_header().ok()?.value().to_string();
        let remote_target = invite
            .contact_header()
            .ok()
            .and_then(|c| angle_uri(c.value()))
            .unwrap_or_else(|| invite.uri.to_string());
        let route_set = invite
            .record_route_headers()
            .iter()
            .flat_map(|r| split_list(r.value()))
            .collect();
        let identity = invite
            .header_value("P-Asserted-Identity")
            .unwrap_or_else(|| from.clone());
        let local_tag = message::token(10);
        let guid = ["X-Ucontact-Guid", "X-Guid", "X-Call-Guid"]
            .iter()
            .find_map(|name| invite.header_value(name))
            .filter(|g| !g.is_empty());
        let own = own || auto_answer_asked(&invite);
        Some(Call {
            id,
            caller: caller(&identity),
            guid,
            local: format!("{to};tag={local_tag}"),
            remote: from,
            local_tag,
            invite,
            phase: Phase::Ringing,
            media: None,
            reinvite: None,
            held_by_agent: false,
            own,
            local_cseq: 0,
            remote_target,
            route_set,
        })
    }

    /// An in-dialog request of ours (BYE, INVITE, ACK), Route and all. `cseq` is given for an ACK (the INVITE's).
    pub(crate) fn request(
        &mut self,
        method: &str,
        via_host: &str,
        contact: &str,
        cseq: Option<u32>,
    ) -> Outgoing {
        let number = cseq.unwrap_or_else(|| {
            self.local_cseq = self.local_cseq.max(1) + 1;
            self.local_cseq
        });
        let mut request = Outgoing::new(method, &self.remote_target)
            .header(
                "Via",
                format!("SIP/2.0/WSS {via_host};branch={}", message::branch()),
            )
            .header("Max-Forwards", 70);
        for route in &self.route_set {
            request = request.header("Route", route);
        }
        request
            .header("From", &self.local)
            .header("To", &self.remote)
            .header("Call-ID", &self.id)
            .header("CSeq", format!("{number} {method}"))
            .header("Contact", contact)
            .header("User-Agent", message::user_agent())
    }

    /// An answer to the INVITE.
    pub(crate) fn answer_invite(
        &self,
        code: u16,
        reason: &str,
        contact: &str,
        sdp: Option<&str>,
    ) -> String {
        let mut extra = vec![
            format!("Contact: {contact}"),
            format!("Allow: {}", message::ALLOW),
        ];
        if sdp.is_some() {
            extra.push("Supported: replaces".into());
        }
        message::dialog_response(&self.invite, code, reason, &self.local_tag, &extra, sdp)
    }

    /// True when `request` belongs to this call (same Call-ID; an in-dialog request carries our tag in To).
    pub(crate) fn owns(&self, request: &Request) -> bool {
        request.call_id_header().is_ok_and(|c| c.value() == self.id)
    }
}

/// How long a call waits for the server's BYE after HungupPhone before sending its own.
pub const SERVER_BYE_GRACE: Duration = Duration::from_secs(2);

/// `<sip:…>` out of a name-addr (or the bare URI up to its parameters).
fn angle_uri(value: &str) -> Option<String> {
    match (value.find('<'), value.find('>')) {
        (Some(start), Some(end)) if end > start => Some(value[start + 1..end].to_string()),
        _ => value
            .split(';')
            .next()
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty()),
    }
}

/// A header value holding a comma-separated list of name-addrs (commas inside `<>` are kept).
fn split_list(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut depth = 0;
    let mut current = String::new();
    for c in value.chars() {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            ',' if depth == 0 => {
                items.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        items.push(current.trim().to_string());
    }
    items
}

/// The number and name of a name-addr such as `"Ana Ruiz" <sip:0991234567@pbx;user=phone>;tag=1`.
fn caller(value: &str) -> Caller {
    let name = value
        .split('<')
        .next()
        .map(|n| n.trim().trim_matches('"').trim().to_string())
        .filter(|n| !n.is_empty() && !n.contains(':'));
    let uri = angle_uri(value).unwrap_or_default();
    let user = uri
        .split_once(':')
        .map(|(_, rest)| rest)
        .unwrap_or(&uri)
        .split(['@', ';'])
        .next()
        .unwrap_or("")
        .to_string();
    Caller { number: user, name }
}

/// The server asks for auto-answer the ways Asterisk setups do: `Call-Info: …;answer-after=0` or
/// `Alert-Info: …;info=alert-autoanswer` / `Auto Answer`.
fn auto_answer_asked(invite: &Request) -> bool {
    let call_info = invite
        .header_value("Call-Info")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let alert = invite
        .header_value("Alert-Info")
        .unwrap_or_default()
        .to_ascii_lowercase();
    call_info.contains("answer-after=0")
        || alert.contains("autoanswer")
        || alert.contains("auto answer")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caller_is_read_from_a_name_addr() {
        assert_eq!(
            caller("\"Ana Ruiz\" <sip:0991234567@pbx.example;user=phone>;tag=a1"),
            Caller {
                number: "0991234567".into(),
                name: Some("Ana Ruiz".into())
            }
        );
        assert_eq!(
            caller("<sip:asterisk@127.0.0.1>;tag=x"),
            Caller {
                number: "asterisk".into(),
                name: None
            }
        );
        assert_eq!(
            caller("sip:100@h"),
            Caller {
                number: "100".into(),
                name: None
            }
        );
        assert_eq!(
            split_list("<sip:a;lr>, <sip:b,c;lr>"),
            vec!["<sip:a;lr>".to_string(), "<sip:b,c;lr>".to_string()]
        );
    }
}

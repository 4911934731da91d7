//! The registration as a state machine with no I/O: it writes REGISTER requests and reads their answers, deciding
//! whether the peer is registered (and for how long), whether to answer a digest challenge, or to stop. One
//! REGISTER is outstanding at a time, and the same Call-ID is kept across refreshes, as RFC 3261 §10.2.4 asks.

use std::time::Duration;

use rsipstack::sip::headers::auth::{Algorithm, AuthQop};
use rsipstack::sip::{HeadersExt, Method, Response, Uri};

use crate::message::{self, Outgoing};
use crate::{PhoneError, SipAccount};

/// What the caller does after an answer.
#[derive(Debug, PartialEq)]
pub(crate) enum Outcome {
    /// Registered for this long (the server's grant).
    Registered { expires: Duration },
    /// The un-registration was taken.
    Unregistered,
    /// Send this request now (the same REGISTER with credentials, or with a longer interval).
    Send(String),
    /// Stop: someone must change something (the password, the account) before trying again.
    Failed(PhoneError),
    /// Try again after a while.
    Retry(PhoneError),
    /// Not an answer to the outstanding REGISTER, or a provisional one.
    Ignored,
}

/// A digest challenge from the registrar (or a proxy on the way, 407).
#[derive(Debug, Clone)]
struct Challenge {
    realm: String,
    nonce: String,
    opaque: Option<String>,
    algorithm: Option<String>,
    qop_auth: bool,
    proxy: bool,
    /// Requests sent with this nonce (nc).
    uses: u8,
}

pub(crate) struct Registrar {
    account: SipAccount,
    call_id: String,
    from_tag: String,
    cseq: u32,
    /// The contact the server reaches the phone at: a random user at a random `.invalid` host (RFC 7118 §5.2).
    contact_user: String,
    contact_host: String,
    instance: String,
    challenge: Option<Challenge>,
    /// The outstanding REGISTER's CSeq and the expiry it asked, and whether it carried credentials.
    pending: Option<(u32, u32, bool)>,
}

impl Registrar {
    pub(crate) fn new(account: SipAccount) -> Registrar {
        Registrar {
            account,
            call_id: message::token(24),
            from_tag: message::token(10),
            cseq: 0,
            contact_user: message::token(8),
            contact_host: format!("{}.invalid", message::token(12)),
            instance: uuid::Uuid::new_v4().to_string(),
            challenge: None,
            pending: None,
        }
    }

    /// The host this phone names in its Via and Contact.
    pub(crate) fn contact_host(&self) -> &str {
        &self.contact_host
    }

    /// `<sip:user@host.invalid;transport=ws>`: where the server sends the phone's calls.
    pub(crate) fn contact_uri(&self) -> String {
        format!(
            "<sip:{}@{};transport=ws>",
            self.contact_user, self.contact_host
        )
    }

    /// A REGISTER asking for `expires` seconds (0 un-registers), with credentials when a challenge is known.
    pub(crate) fn request(&mut self, expires: u32) -> String {
        self.cseq += 1;
        let account = &self.account;
        let registrar = format!("sip:{}", account.domain);
        let aor = account.aor();
        let mut request = Outgoing::new("REGISTER", &registrar)
            .header(
                "Via",
                format!(
                    "SIP/2.0/WSS {};branch={}",
                    self.contact_host,
                    message::branch()
                ),
            )
            .header("Max-Forwards", 70)
            .header("To", format!("<{aor}>"))
            .header("From", format!("<{aor}>;tag={}", self.from_tag))
            .header("Call-ID", &self.call_id)
            .header("CSeq", format!("{} REGISTER", self.cseq))
            .header(
                "Contact",
                format!(
                    "{};+sip.ice;reg-id=1;+sip.instance=\"<urn:uuid:{}>\";expires={expires}",
                    self.contact_uri(),
                    self.instance
                ),
            )
            .header("Expires", expires)
            .header("Allow", message::ALLOW)
            .header("Supported", "path, outbound")
            .header("User-Agent", message::user_agent());
        let with_credentials = match self.authorization(&registrar) {
            Some((name, value)) => {
                request = request.header(name, value);
                true
            }
            None => false,
        };
        self.pending = Some((self.cseq, expires, with_credentials));
        request.render()
    }

    /// Takes the next answer with this Call-ID and CSeq number as the one to the outstanding REGISTER: the fuzz
    /// target's way past the check that ignores strangers, to what the registrar reads in an answer.
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn expect(&mut self, call_id: &str, cseq: u32) {
        self.call_id = call_id.to_string();
        if let Some(pending) = self.pending.as_mut() {
            pending.0 = cseq;
        }
    }

    /// Reads an answer; anything that is not the answer to the outstanding REGISTER is `Ignored`.
    pub(crate) fn on_response(&mut self, response: &Response) -> Outcome {
        let ours = response
            .call_id_header()
            .is_ok_and(|c| c.value() == self.call_id);
        let Some((number, method)) = message::cseq(response) else {
            return Outcome::Ignored;
        };
        let Some((pending, expires, with_credentials)) = self.pending else {
            return Outcome::Ignored;
        };
        if !ours || method != "REGISTER" || number != pending {
            return Outcome::Ignored;
        }
        let code = u16::from(response.status_code.clone());
        if code < 200 {
            return Outcome::Ignored;
        }
        self.pending = None;
        match code {
            200..=299 if expires == 0 => Outcome::Unregistered,
            // A registrar may shorten the interval, never lengthen it (RFC 3261 §10.3): a longer grant, up to the
            // 18446744073709551615 s that once overflowed the refresh timer, is taken as the interval asked.
            200..=299 => Outcome::Registered {
                expires: self
                    .granted(response)
                    .unwrap_or(Duration::MAX)
                    .min(Duration::from_secs(u64::from(expires))),
            },
            401 | 407 => self.on_challenge(response, code, with_credentials, expires),
            403 => Outcome::Failed(PhoneError::WrongPassword {
                user: self.account.user.clone(),
                code,
            }),
            423 => match header(response, "Min-Expires").and_then(|v| v.trim().parse::<u32>().ok())
            {
                Some(min) if min > expires => Outcome::Send(self.request(min)),
                _ => Outcome::Failed(self.refused(response, code)),
            },
            404 | 405 | 420 | 484 | 488 | 606 => Outcome::Failed(self.refused(response, code)),
            _ => Outcome::Retry(self.refused(response, code)),
        }
    }

    fn on_challenge(
        &mut self,
        response: &Response,
        code: u16,
        with_credentials: bool,
        expires: u32,
    ) -> Outcome {
        let name = if code == 401 {
            "WWW-Authenticate"
        } else {
            "Proxy-Authenticate"
        };
        let Some(challenge) = header(response, name).and_then(|v| parse_challenge(&v, code == 407))
        else {
            return Outcome::Failed(self.refused(response, code));
        };
        // Credentials already went with this request: a fresh challenge means they were wrong, unless the server
        // only says the nonce was stale. One try, no retry storm.
        let stale =
            header(response, name).is_some_and(|v| v.to_ascii_lowercase().contains("stale=true"));
        if with_credentials && !stale {
            self.challenge = None;
            return Outcome::Failed(PhoneError::WrongPassword {
                user: self.account.user.clone(),
                code,
            });
        }
        self.challenge = Some(challenge);
        Outcome::Send(self.request(expires))
    }

    fn authorization(&mut self, uri: &str) -> Option<(&'static str, String)> {
        let challenge = self.challenge.as_mut()?;
        challenge.uses = challenge.uses.saturating_add(1);
        let cnonce = message::token(16);
        let qop = challenge.qop_auth.then(|| AuthQop::Auth {
            cnonce: cnonce.clone(),
            nc: challenge.uses,
        });
        let algorithm = challenge
            .algorithm
            .as_deref()
            .and_then(|a| Algorithm::try_from(a).ok())
            .unwrap_or(Algorithm::Md5);
        let parsed_uri = Uri::try_from(uri).ok()?;
        let digest = rsipstack::sip::DigestGenerator {
            username: &self.account.user,
            password: self.account.password.expose(),
            nonce: &challenge.nonce,
            uri: &parsed_uri,
            realm: &challenge.realm,
            method: &Method::Register,
            qop: qop.as_ref(),
            algorithm,
        }
        .compute();
        let mut value = format!(
            "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{uri}\", response=\"{digest}\", algorithm={}",
            self.account.user,
            challenge.realm,
            challenge.nonce,
            challenge.algorithm.as_deref().unwrap_or("MD5")
        );
        if qop.is_some() {
            value.push_str(&format!(
                ", qop=auth, cnonce=\"{cnonce}\", nc={:08x}",
                challenge.uses
            ));
        }
        if let Some(opaque) = &challenge.opaque {
            value.push_str(&format!(", opaque=\"{opaque}\""));
        }
        let name = if challenge.proxy {
            "Proxy-Authorization"
        } else {
            "Authorization"
        };
        Some((name, value))
    }

    /// The expiry the server granted our contact: its `expires` parameter in the answer, else the Expires header.
    fn granted(&self, response: &Response) -> Option<Duration> {
        let ours = format!("sip:{}@{}", self.contact_user, self.contact_host);
        let from_contact = response
            .contact_headers()
            .iter()
            .flat_map(|c| c.value().split(','))
            .find(|c| c.contains(&ours))
            .and_then(|c| param(c, "expires"));
        let seconds = from_contact
            .or_else(|| header(response, "Expires").and_then(|v| v.trim().parse().ok()))?;
        Some(Duration::from_secs(seconds))
    }

    fn refused(&self, response: &Response, code: u16) -> PhoneError {
        PhoneError::Refused {
            user: self.account.user.clone(),
            code,
            reason: message::reason(response).to_string(),
        }
    }
}

/// A header's value by name (case-insensitive), whatever rsipstack typed it as.
fn header(response: &Response, name: &str) -> Option<String> {
    response.header_value(name)
}

fn param(contact: &str, name: &str) -> Option<u64> {
    contact.split(';').skip(1).find_map(|p| {
        let (key, value) = p.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().trim_matches('"').parse().ok())?
    })
}

/// `Digest realm="…", nonce="…", qop="auth,auth-int", opaque="…", algorithm=MD5`.
fn parse_challenge(value: &str, proxy: bool) -> Option<Challenge> {
    let rest = value
        .trim()
        .strip_prefix("Digest")
        .or_else(|| value.trim().strip_prefix("digest"))?;
    let mut fields = std::collections::HashMap::new();
    let mut chars = rest.trim();
    while !chars.is_empty() {
        let (key, after) = chars.split_once('=')?;
        let after = after.trim_start();
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted.find('"')?;
            (&quoted[..end], &quoted[end + 1..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim(), &after[end..])
        };
        fields.insert(key.trim().to_ascii_lowercase(), value.to_string());
        chars = next.trim_start().trim_start_matches(',').trim_start();
    }
    Some(Challenge {
        realm: fields.get("realm")?.clone(),
        nonce: fields.get("nonce")?.clone(),
        opaque: fields.get("opaque").cloned(),
        algorithm: fields.get("algorithm").cloned(),
        qop_auth: fields
            .get("qop")
            .is_some_and(|q| q.split(',').any(|q| q.trim().eq_ignore_ascii_case("auth"))),
        proxy,
        uses: 0,
    })
}

#[cfg(test)]
#[path = "registration_tests.rs"]
mod tests;

//! Reading the login answers: AgentLogin's SIP peer, getUserToken's token and UserLogin's list.
//!
//! They differ between uContact versions (integra-notes §2), so the parsers accept every shape public material
//! shows and refuse the rest with an error that never repeats the answer, since it may hold a token.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{body_for, Error, Result};
use crate::reply::looks_like_html;
use crate::secret::Token;
use crate::types::lenient_string;

pub(crate) const AGENT_LOGIN: &str = "auth/AgentLogin";
pub(crate) const GET_USER_TOKEN: &str = "auth/getUserToken";
pub(crate) const USER_LOGIN: &str = "auth/UserLogin";

/// The agent's SIP peer, as AgentLogin returns it. Fields may come as numbers or strings and may be missing
/// (they are then empty); unknown fields are ignored. `md5secret` is the session token and `secret` the plain SIP
/// password (for the app's phone): both redacted in `Debug` and never serialized.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct AgentRecord {
    /// Peer id.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub id: String,
    /// Peer name (usually the extension).
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub name: String,
    /// The agent's user name.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub accountcode: String,
    /// The agent's extension (the `phone` of AgentCall and HungupPhone).
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub callerid: String,
    /// Dialplan context, `agentes` or `agents` on most instances.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub context: String,
    /// Display name.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub fullname: String,
    /// Phone kind, e.g. `SoftPhone`.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub phonetype: String,
    /// SIP transport, e.g. `wss`.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub transport: String,
    /// The agent's e-mail.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub email: String,
    /// The peer's DID, when it has one.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub did: String,
    /// The peer's outbound proxy (a SIP URI), when the server routes the peer through one.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub outboundproxy: String,
    /// Media encryption, `yes` for a WebRTC peer (DTLS-SRTP).
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub encryption: String,
    /// The codecs the peer allows, e.g. `opus;ulaw;alaw`.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub allow: String,
    /// The SIP password (`secret`). Like `md5secret`, only parsed records carry it, and serde skips it both ways.
    #[serde(skip)]
    pub sip_secret: crate::SipSecret,
    /// The session token (base64 of `agent:uuid`). Only records from [`AgentRecord::parse`] or
    /// [`Client::agent_login`](crate::Client::agent_login) carry it; it is skipped by serde both ways.
    #[serde(skip)]
    pub md5secret: Token,
}

impl AgentRecord {
    /// Parses AgentLogin's answer: a JSON object (or a one-element array holding it). `0` is a rejection (wrong
    /// agent or password); `md5secret` is required.
    pub fn parse(body: &str) -> Result<Self> {
        let text = clean(body);
        if is_zero(text) {
            return Err(rejected(AGENT_LOGIN, text));
        }
        let value = json_or_unexpected(AGENT_LOGIN, body, "the agent's SIP peer as JSON")?;
        let object = match value {
            Value::Array(mut items) if items.len() == 1 => items.remove(0),
            other => other,
        };
        let expected = "the agent's SIP peer with an md5secret (the session token)";
        let Value::Object(fields) = &object else {
            return Err(unexpected(AGENT_LOGIN, body, expected));
        };
        let token = fields
            .get("md5secret")
            .and_then(Value::as_str)
            .and_then(token_text)
            .map(Token::new)
            .ok_or_else(|| unexpected(AGENT_LOGIN, body, expected))?;
        let sip_secret = fields
            .get("secret")
            .and_then(Value::as_str)
            .map(crate::SipSecret::new)
            .unwrap_or_default();
        let mut record: AgentRecord =
            serde_json::from_value(object).map_err(|_| unexpected(AGENT_LOGIN, body, expected))?;
        record.md5secret = token;
        record.sip_secret = sip_secret;
        Ok(record)
    }

    /// The session token to send with every later call.
    pub fn token(&self) -> Token {
        self.md5secret.clone()
    }

    /// The agent's extension: `callerid`, or the peer `name` when the server left `callerid` out.
    pub fn extension(&self) -> &str {
        match self.callerid.trim() {
            "" => self.name.trim(),
            callerid => callerid,
        }
    }

    /// The interface string AgentLogoff and breaks want, e.g. `SIP/1001`.
    pub fn interface(&self, tech: &str) -> String {
        format!("{}/{}", tech, self.extension())
    }
}

/// Parses getUserToken's answer (integra-notes §2.1), which differs between versions: a JSON array whose last
/// string element is the token, a JSON string, or bare text. `0` or `"0"` is a rejection.
pub fn parse_user_token(body: &str) -> Result<Token> {
    let text = clean(body);
    if is_zero(text) {
        return Err(rejected(GET_USER_TOKEN, text));
    }
    let expected = "a session token";
    let candidate = match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => items
            .iter()
            .rev()
            .find_map(Value::as_str)
            .map(str::to_string),
        Ok(Value::String(s)) => Some(s),
        Ok(_) => None,
        // Not JSON: bare text, possibly with stray quotes (one PHP client strips `"` before use).
        Err(_) if !looks_like_html(text) => Some(text.trim_matches('"').to_string()),
        Err(_) => None,
    };
    let candidate = candidate.ok_or_else(|| unexpected(GET_USER_TOKEN, body, expected))?;
    if is_zero(candidate.trim()) {
        return Err(rejected(GET_USER_TOKEN, "0"));
    }
    token_text(&candidate)
        .map(Token::new)
        .ok_or_else(|| unexpected(GET_USER_TOKEN, body, expected))
}

/// Parses UserLogin's answer (older servers, integra-notes §2.2): an array whose element `[2]` is the token for a
/// supervisor without a phone, or that holds an object with `md5secret` for one with a phone. `0` is a rejection.
pub fn parse_user_login(body: &str) -> Result<Token> {
    let text = clean(body);
    if is_zero(text) {
        return Err(rejected(USER_LOGIN, text));
    }
    let expected = "a list with the token at [2] or an object with md5secret";
    let value = json_or_unexpected(USER_LOGIN, body, expected)?;
    fn md5secret(v: &Value) -> Option<&str> {
        v.get("md5secret")
            .and_then(Value::as_str)
            .and_then(token_text)
    }
    let token = match &value {
        Value::Array(items) => match items.get(2).and_then(Value::as_str) {
            Some(third) => token_text(third),
            None => items.iter().find_map(md5secret),
        },
        Value::Object(_) => md5secret(&value),
        _ => None,
    };
    token
        .map(Token::new)
        .ok_or_else(|| unexpected(USER_LOGIN, body, expected))
}

/// A token as it may go into a header: visible ASCII, no quotes, not `0`, not a page.
fn token_text(text: &str) -> Option<&str> {
    let text = text.trim();
    let printable = text.bytes().all(|b| b.is_ascii_graphic() && b != b'"');
    (printable && !text.is_empty() && text != "0" && !text.starts_with('<')).then_some(text)
}

fn clean(body: &str) -> &str {
    body.trim_start_matches('\u{feff}').trim()
}

fn is_zero(text: &str) -> bool {
    matches!(text, "0" | "\"0\"")
}

fn rejected(endpoint: &'static str, body: &str) -> Error {
    Error::Rejected {
        endpoint,
        body: body.to_string(),
    }
}

fn unexpected(endpoint: &'static str, body: &str, expected: &'static str) -> Error {
    Error::UnexpectedBody {
        endpoint,
        status: 200,
        body: body_for(endpoint, body),
        expected,
    }
}

fn json_or_unexpected(endpoint: &'static str, body: &str, expected: &'static str) -> Result<Value> {
    let text = clean(body);
    if text.is_empty() || looks_like_html(text) {
        return Err(unexpected(endpoint, body, expected));
    }
    // serde_json's syntax errors name a position, never the text, so the source can be kept.
    serde_json::from_str(text).map_err(|source| Error::Decode {
        endpoint,
        body: body_for(endpoint, body),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_token_in_every_known_shape() {
        for body in [
            r#"["Admin", "Supervisor", "QWRtaW46OTgzNWM1"]"#,
            r#"["Admin", 3, {"x": 1}, "QWRtaW46OTgzNWM1", 7]"#,
            r#""QWRtaW46OTgzNWM1""#,
            "QWRtaW46OTgzNWM1\n",
            "\"QWRtaW46OTgzNWM1\"\r\n",
            "\u{feff}\"QWRtaW46OTgzNWM1\"",
            "  [\n \"QWRtaW46OTgzNWM1\" \n]  ",
        ] {
            assert_eq!(
                parse_user_token(body).unwrap().expose(),
                "QWRtaW46OTgzNWM1",
                "{body:?}"
            );
        }
    }

    #[test]
    fn user_token_zero_in_any_shape_is_a_rejection() {
        for body in ["0", "\"0\"", " 0\n", r#"["admin", "0"]"#] {
            assert!(
                matches!(
                    parse_user_token(body),
                    Err(Error::Rejected {
                        endpoint: GET_USER_TOKEN,
                        ..
                    })
                ),
                "{body:?}"
            );
        }
    }

    #[test]
    fn user_token_refuses_pages_empty_answers_and_odd_json() {
        for body in [
            "[]",
            "[1,2]",
            "<html>Error</html>",
            "",
            "{\"a\":1}",
            "null",
            "two words",
            "[\"a b\"]",
        ] {
            let err = parse_user_token(body).unwrap_err();
            assert!(
                matches!(err, Error::UnexpectedBody { .. }),
                "{body:?} gave {err:?}"
            );
        }
    }

    #[test]
    fn user_login_takes_the_third_item_or_an_md5secret() {
        assert_eq!(
            parse_user_login(r#"["a","b","VG9rZW4="]"#)
                .unwrap()
                .expose(),
            "VG9rZW4="
        );
        assert_eq!(
            parse_user_login(r#"["Santi", {"name":"9999","md5secret":"U2FudGk="}]"#)
                .unwrap()
                .expose(),
            "U2FudGk="
        );
        assert_eq!(
            parse_user_login(r#"{"md5secret":"U2FudGk="}"#)
                .unwrap()
                .expose(),
            "U2FudGk="
        );
        assert!(matches!(
            parse_user_login("0"),
            Err(Error::Rejected {
                endpoint: USER_LOGIN,
                ..
            })
        ));
        assert!(matches!(
            parse_user_login(r#"["a"]"#),
            Err(Error::UnexpectedBody { .. })
        ));
        assert!(matches!(
            parse_user_login(r#"["a","b",3]"#),
            Err(Error::UnexpectedBody { .. })
        ));
        assert!(matches!(
            parse_user_login("[oops"),
            Err(Error::Decode { .. })
        ));
    }

    const RECORD: &str = r#"{"id":12,"name":"1001","accountcode":"alice","callerid":1001,"context":"agentes",
        "fullname":"Alice Agent","md5secret":"YWxpY2U6OWQ0","secret":"sip-pass","phonetype":"SoftPhone",
        "limite":3,"transport":"wss","LogLevel":0,"unknown_new_field":{"nested":true}}"#;

    #[test]
    fn agent_record_tolerates_numbers_missing_and_unknown_fields() {
        let record = AgentRecord::parse(RECORD).unwrap();
        assert_eq!(record.extension(), "1001");
        assert_eq!(
            (record.id.as_str(), record.accountcode.as_str()),
            ("12", "alice")
        );
        assert_eq!(record.email, "", "missing fields are empty");
        assert_eq!(record.interface("SIP"), "SIP/1001");
        assert_eq!(record.token().expose(), "YWxpY2U6OWQ0");
        let wrapped = format!("\u{feff}[{RECORD}]\r\n");
        assert_eq!(
            AgentRecord::parse(&wrapped).unwrap().fullname,
            "Alice Agent"
        );
        let minimal = AgentRecord::parse(r#"{"name":"1002","md5secret":"Ym9i"}"#).unwrap();
        assert_eq!(
            minimal.extension(),
            "1002",
            "the peer name stands in for a missing callerid"
        );
    }

    #[test]
    fn agent_record_never_shows_or_serializes_secrets() {
        let record = AgentRecord::parse(RECORD).unwrap();
        let debug = format!("{record:?}");
        assert!(
            !debug.contains("YWxpY2U6OWQ0") && !debug.contains("sip-pass"),
            "{debug}"
        );
        let json = serde_json::to_string(&record).unwrap();
        assert!(
            !json.contains("YWxpY2U6OWQ0") && !json.contains("sip-pass"),
            "{json}"
        );
        let back: AgentRecord = serde_json::from_str(&json).unwrap();
        assert_eq!(back.fullname, "Alice Agent");
        assert!(back.token().is_empty(), "a stored record has no token");
        assert!(back.sip_secret.is_empty(), "nor a SIP password");
        assert_eq!(
            record.sip_secret.expose(),
            "sip-pass",
            "the parsed one keeps it for the phone"
        );
    }

    #[test]
    fn agent_record_requires_a_token_and_hides_the_answer_in_errors() {
        for body in [
            r#"{"callerid":"1001"}"#,
            r#"{"callerid":"1001","md5secret":""}"#,
            r#"{"callerid":"1001","md5secret":"has space"}"#,
            r#"["a","b"]"#,
            r#""YWxpY2U6OWQ0""#,
        ] {
            let err = AgentRecord::parse(body).unwrap_err();
            assert!(
                matches!(err, Error::UnexpectedBody { .. }),
                "{body:?} gave {err:?}"
            );
        }
        let err = AgentRecord::parse(r#"{"md5secret": 12, "secret":"sip-pass"}"#).unwrap_err();
        assert!(!err.to_string().contains("sip-pass"), "{err}");
        assert!(matches!(
            AgentRecord::parse("0"),
            Err(Error::Rejected {
                endpoint: AGENT_LOGIN,
                ..
            })
        ));
        assert!(matches!(
            AgentRecord::parse("not json"),
            Err(Error::Decode { .. })
        ));
        let page = AgentRecord::parse("<html><h1>Service Unavailable</h1></html>").unwrap_err();
        assert!(
            page.to_string().contains("Service Unavailable"),
            "error pages are kept: {page}"
        );
    }
}

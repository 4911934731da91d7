//! Signing in and out: AgentLogin, getUserToken (with the UserLogin fallback), EndSession, AgentLogoff and breaks.

use serde::{Deserialize, Serialize};

use crate::client::{Auth, Client};
use crate::error::{Error, Result};
use crate::form::{required, Form};
use crate::secret::{Password, Token};
use crate::types::lenient_string;

/// The agent's SIP peer, as AgentLogin returns it. `md5secret` is the session token and is kept out of `Debug`
/// and serialization; `secret` (the SIP password) is not kept at all.
#[derive(Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct AgentRecord {
    /// Peer name (usually the extension).
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub name: String,
    /// The agent's user name.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub accountcode: String,
    /// The agent's extension (the `phone` of AgentCall and HungupPhone).
    #[serde(deserialize_with = "lenient_string::deserialize")]
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
    /// Session token (base64 `agent:uuid`).
    #[serde(skip_serializing, deserialize_with = "token_from_string")]
    md5secret: Option<Token>,
}

fn token_from_string<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Token>, D::Error> {
    let text = lenient_string::deserialize(d)?;
    Ok((!text.trim().is_empty()).then(|| Token::new(text.trim())))
}

impl std::fmt::Debug for AgentRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgentRecord")
            .field("accountcode", &self.accountcode)
            .field("callerid", &self.callerid)
            .field("context", &self.context)
            .field("fullname", &self.fullname)
            .field("md5secret", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl AgentRecord {
    /// Parses AgentLogin's answer. Numbers may come as numbers or strings; unknown fields are ignored; the token
    /// (`md5secret`) and the extension (`callerid`) are required.
    pub fn parse(body: &str) -> std::result::Result<Self, String> {
        let value: serde_json::Value =
            serde_json::from_str(body.trim()).map_err(|e| e.to_string())?;
        // Some versions wrap the peer in a one-element array.
        let object = match value {
            serde_json::Value::Array(mut items) if items.len() == 1 => items.remove(0),
            other => other,
        };
        let record: AgentRecord = serde_json::from_value(object).map_err(|e| e.to_string())?;
        if record.md5secret.is_none() {
            return Err("the answer has no md5secret (session token)".into());
        }
        if record.callerid.trim().is_empty() {
            return Err("the answer has no callerid (extension)".into());
        }
        Ok(record)
    }

    /// The session token to send with every later call.
    pub fn token(&self) -> Token {
        self.md5secret.clone().expect("parse() guarantees a token")
    }

    /// The agent's extension.
    pub fn extension(&self) -> &str {
        self.callerid.trim()
    }

    /// The interface string AgentLogoff and breaks want, e.g. `SIP/1001`.
    pub fn interface(&self, tech: &str) -> String {
        format!("{}/{}", tech, self.extension())
    }
}

/// Parses getUserToken's answer, which differs between uContact versions: a JSON array whose last string is the
/// token, a JSON string, or bare text. `0` in any of these shapes is a rejection.
pub fn parse_user_token(body: &str) -> std::result::Result<Token, String> {
    let text = body.trim().trim_start_matches('\u{feff}');
    let token = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Array(items)) => items
            .iter()
            .rev()
            .find_map(|v| v.as_str().map(str::to_string))
            .ok_or_else(|| "the JSON array holds no token string".to_string())?,
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Number(n)) => n.to_string(),
        Ok(other) => return Err(format!("unexpected JSON {other}")),
        Err(_) => text.trim_matches('"').to_string(),
    };
    let token = token.trim();
    if token.is_empty() || token == "0" {
        return Err("no token in the answer".into());
    }
    if token.starts_with('<') || token.contains(char::is_whitespace) {
        return Err("the answer is not a token".into());
    }
    Ok(Token::new(token))
}

/// UserLogin's answer (older servers): an array whose third element is the token, or holding an object with
/// `md5secret` for supervisors with a phone.
fn parse_user_login(body: &str) -> std::result::Result<Token, String> {
    let value: serde_json::Value = serde_json::from_str(body.trim()).map_err(|e| e.to_string())?;
    let items = value.as_array().ok_or("expected a JSON array")?;
    if let Some(token) = items.get(2).and_then(|v| v.as_str()) {
        return parse_user_token(&serde_json::Value::String(token.into()).to_string());
    }
    items
        .iter()
        .find_map(|v| v.get("md5secret").and_then(|s| s.as_str()))
        .map(|s| Token::new(s.trim()))
        .ok_or_else(|| "no token at [2] and no md5secret".into())
}

/// AgentLogoff's parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentLogoff {
    /// Agent user name.
    pub agent: String,
    /// `SIP/<extension>`.
    pub interface: String,
    /// Optional note, saved in the queue log.
    pub message: String,
}

/// AgentBreak / AgentUnBreak parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentPause {
    /// Agent user name.
    pub agent: String,
    /// `SIP/<extension>`.
    pub interface: String,
    /// Name of a break configured in uContact.
    pub motive: String,
    /// Optional note, saved in the queue log.
    pub message: String,
}

impl Client {
    /// Signs an agent in (AgentLogin). This also logs the agent in on the telephony side. The caller decides
    /// whether to use the returned token: `client.set_token(Some(record.token()))`.
    pub async fn agent_login(&self, agent: &str, password: &Password) -> Result<AgentRecord> {
        const EP: &str = "auth/AgentLogin";
        required("agent", agent)?;
        let form = Form::new()
            .field("agent", agent.trim())
            .field("password", password.expose());
        let (body, endpoint) = self.post_form(EP, form, Auth::None).await?.expect_body()?;
        AgentRecord::parse(&body).map_err(|why| unexpected(endpoint, &body, why))
    }

    /// Gets an API (supervisor) user's token with getUserToken, falling back to UserLogin on servers that answer 404.
    pub async fn user_token(&self, user: &str, password: &Password) -> Result<Token> {
        required("user", user)?;
        let form = || {
            Form::new()
                .field("user", user.trim())
                .field("password", password.expose())
        };
        match self
            .post_form("auth/getUserToken", form(), Auth::None)
            .await
        {
            Ok(reply) => {
                let (body, endpoint) = reply.expect_body()?;
                parse_user_token(&body).map_err(|why| unexpected(endpoint, &body, why))
            }
            Err(Error::NotFound { .. }) => {
                let (body, endpoint) = self
                    .post_form("auth/UserLogin", form(), Auth::None)
                    .await?
                    .expect_body()?;
                parse_user_login(&body).map_err(|why| unexpected(endpoint, &body, why))
            }
            Err(other) => Err(other),
        }
    }

    /// Ends the session of `user` and disables `token` on the server (EndSession). Sends the fields and the
    /// Authorization header, as every known client does.
    pub async fn end_session(&self, user: &str, token: &Token) -> Result<()> {
        let form = Form::new()
            .field("user", user)
            .field("token", token.expose());
        let previous = self.token();
        if previous.as_ref() != Some(token) {
            self.set_token(Some(token.clone()));
        }
        let result = self.post_form("auth/EndSession", form, Auth::Token).await;
        if previous.as_ref() != Some(token) {
            self.set_token(previous);
        }
        result?.expect_ack()
    }

    /// Logs the agent off the telephony side (AgentLogoff).
    pub async fn agent_logoff(&self, req: &AgentLogoff) -> Result<()> {
        required("agent", &req.agent)?;
        let form = Form::new()
            .field("agent", &req.agent)
            .field("interface", &req.interface)
            .field("message", &req.message);
        self.post_form("api/AgentLogoff", form, Auth::Token)
            .await?
            .expect_ack()
    }

    /// Puts the agent on a break (AgentBreak; the path is inferred from AgentUnBreak, see the notes).
    pub async fn agent_break(&self, req: &AgentPause) -> Result<()> {
        self.pause("api/AgentBreak", req).await
    }

    /// Ends the agent's break (AgentUnBreak).
    pub async fn agent_unbreak(&self, req: &AgentPause) -> Result<()> {
        self.pause("api/AgentUnBreak", req).await
    }

    async fn pause(&self, endpoint: &'static str, req: &AgentPause) -> Result<()> {
        required("agent", &req.agent)?;
        let form = Form::new()
            .field("agent", &req.agent)
            .field("interface", &req.interface)
            .field("motive", &req.motive)
            .field("message", &req.message);
        self.post_form(endpoint, form, Auth::Token)
            .await?
            .expect_ack()
    }
}

/// A login answer that does not fit. Neither the parser's reason nor the body is kept verbatim: a malformed login
/// answer can still contain a token, and serde's messages quote the values they choke on.
fn unexpected(endpoint: &'static str, body: &str, _why: String) -> Error {
    Error::UnexpectedBody {
        endpoint,
        status: 200,
        body: crate::error::clip(&redact_tokenish(body)),
        expected: "a login answer with a session token",
    }
}

/// Login answers carry tokens: keep an HTML error page (useful, and token-free), hide anything else.
fn redact_tokenish(body: &str) -> String {
    if body.trim_start().starts_with('<') {
        return body.to_string();
    }
    format!(
        "<{} bytes, not shown: login answers may contain credentials>",
        body.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_token_in_every_known_shape() {
        for body in [
            r#"["Admin", 3, "QWRtaW46OTgzNWM1"]"#,
            r#""QWRtaW46OTgzNWM1""#,
            "QWRtaW46OTgzNWM1\n",
            "\u{feff}\"QWRtaW46OTgzNWM1\"",
            r#"[{"x":1}, "QWRtaW46OTgzNWM1", 7]"#,
        ] {
            assert_eq!(
                parse_user_token(body).unwrap().expose(),
                "QWRtaW46OTgzNWM1",
                "{body:?}"
            );
        }
    }

    #[test]
    fn user_token_refuses_zero_html_and_empty_arrays() {
        for body in [
            "0",
            "\"0\"",
            "[]",
            "[1,2]",
            "<html>Error</html>",
            "",
            "{\"a\":1}",
        ] {
            assert!(
                parse_user_token(body).is_err(),
                "{body:?} must not give a token"
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
            parse_user_login(r#"[{"md5secret":"U2FudGk="}]"#)
                .unwrap()
                .expose(),
            "U2FudGk="
        );
        assert!(parse_user_login(r#"["a"]"#).is_err());
    }

    const RECORD: &str = r#"{"id":12,"name":"1001","accountcode":"alice","callerid":1001,"context":"agentes",
        "fullname":"Alice Agent","md5secret":"YWxpY2U6OWQ0","secret":"sip-pass","phonetype":"SoftPhone",
        "limite":3,"transport":"wss","unknown_new_field":{"nested":true}}"#;

    #[test]
    fn agent_record_tolerates_numbers_as_numbers_and_unknown_fields() {
        let record = AgentRecord::parse(RECORD).unwrap();
        assert_eq!(record.extension(), "1001");
        assert_eq!(record.accountcode, "alice");
        assert_eq!(record.interface("SIP"), "SIP/1001");
        assert_eq!(record.token().expose(), "YWxpY2U6OWQ0");
        let wrapped = format!("[{RECORD}]");
        assert_eq!(
            AgentRecord::parse(&wrapped).unwrap().fullname,
            "Alice Agent"
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
    }

    #[test]
    fn agent_record_requires_token_and_extension() {
        assert!(AgentRecord::parse(r#"{"callerid":"1001"}"#)
            .unwrap_err()
            .contains("md5secret"));
        assert!(AgentRecord::parse(r#"{"md5secret":"x","callerid":""}"#)
            .unwrap_err()
            .contains("callerid"));
        assert!(AgentRecord::parse("not json").is_err());
    }
}

//! What a paired page asks for, in the portal proxy's vocabulary, and what the app answers.
//!
//! The page forwards what the uContact portal's window proxy hands it, so the bodies keep the proxy's names
//! (`objetoRespool`, `callDate`, `objectDialer`, `CTI`). CTI and dialer objects stay JSON here: the CTI module
//! turns them into typed records, with the dialer's rules.

use chrono::NaiveDateTime;
use serde_json::{Map, Value};
use tokio::sync::oneshot;

use agent_error::{AgentError, IpcError};

use super::portal::{self, PortalEvent};

/// The date format of `schedule`'s `callDate` (the one uContact's `ScheduleDialerCall` takes).
pub const CALL_DATE_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// One request from a paired page.
#[derive(Debug, Clone, PartialEq)]
pub enum BridgeRequest {
    /// The portal's CTI for the current call (`POST /v1/cti`, or the action `CTI`): always a JSON object, already
    /// unwrapped from `{"CTI": …}` and from a JSON string holding it.
    Cti(Value),
    /// Dial (`call`). Empty fields are `None`: the app then uses the agent's own campaign and caller ID.
    Call {
        /// The outbound campaign (`campaign`), e.g. `Ventas->`.
        campaign: Option<String>,
        /// The number the call goes out with (`callerid`).
        callerid: Option<String>,
        /// The number to dial (`destination`), as the page sent it; the app normalizes it.
        destination: String,
    },
    /// Hang up the current call (`hangup`).
    Hangup,
    /// Tag the recording of a call (`tag`).
    Tag {
        /// The call's id (`guid`).
        guid: String,
        /// The text of the tag (`message`).
        message: String,
    },
    /// Put a number back on the dialer's spool (`respool`, `objetoRespool`): a JSON object.
    Respool(Value),
    /// Schedule a dialer call (`schedule`).
    Schedule {
        /// When to call (`callDate`, `YYYY-MM-DD HH:MM:SS`, the server's local time).
        call_date: NaiveDateTime,
        /// The dialer record to call (`objectDialer`): a JSON object.
        dialer: Value,
    },
    /// A call event of the portal (`POST /v1/event`): rang, ended, disposed in the portal.
    Portal(PortalEvent),
}

impl BridgeRequest {
    /// The proxy's name of the request, for logs and the page's display.
    pub fn action(&self) -> &'static str {
        match self {
            Self::Cti(_) => "CTI",
            Self::Call { .. } => "call",
            Self::Hangup => "hangup",
            Self::Tag { .. } => "tag",
            Self::Respool(_) => "respool",
            Self::Schedule { .. } => "schedule",
            Self::Portal(_) => "event",
        }
    }
}

/// The app's answer to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BridgeReply {
    /// Done; `guid` is the new call's id for `call`.
    Done {
        /// The call's id, for `call`.
        guid: Option<String>,
    },
    /// Refused or failed: the page shows the message.
    Failed(IpcError),
}

impl BridgeReply {
    /// Done, nothing to hand back.
    pub fn done() -> Self {
        Self::Done { guid: None }
    }

    /// The call was placed and has this id.
    pub fn call_placed(guid: impl Into<String>) -> Self {
        Self::Done {
            guid: Some(guid.into()),
        }
    }
}

impl From<AgentError> for BridgeReply {
    fn from(err: AgentError) -> Self {
        Self::Failed(err.to_ipc())
    }
}

impl From<&AgentError> for BridgeReply {
    fn from(err: &AgentError) -> Self {
        Self::Failed(err.to_ipc())
    }
}

/// A request on its way to the app, with the way back. The page waits for [`BridgeMessage::answer`] (up to the
/// bridge's reply timeout).
#[derive(Debug)]
pub struct BridgeMessage {
    /// What the page asks for.
    pub request: BridgeRequest,
    /// The origin of the page that sent it (one of the allowed origins).
    pub origin: String,
    /// Where the answer goes.
    pub reply: oneshot::Sender<BridgeReply>,
}

impl BridgeMessage {
    /// Answers the page. A page that gave up waiting (timeout, closed tab) is not an error.
    pub fn answer(self, reply: impl Into<BridgeReply>) {
        let _ = self.reply.send(reply.into());
    }
}

/// Why a body is not a request; each kind is its own `400` error name for the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestError {
    /// The body is not JSON.
    Malformed(String),
    /// `action` names nothing the bridge does.
    UnknownAction(String),
    /// A known action with missing or wrong fields.
    Invalid(String),
}

type Parsed = std::result::Result<BridgeRequest, RequestError>;

/// `POST /v1/cti`: a CTI object, `{"CTI": …}` as the proxy hands it, or either as a JSON string.
pub fn parse_cti(body: &[u8]) -> Parsed {
    let value = parse_json(body)?;
    let value = match value {
        Value::Object(mut map) if map.contains_key("CTI") => map.remove("CTI").unwrap_or_default(),
        other => other,
    };
    cti(value)
}

/// `POST /v1/action`: `{"action": …, …}` in the proxy's vocabulary.
pub fn parse_action(body: &[u8]) -> Parsed {
    let Value::Object(mut map) = parse_json(body)? else {
        return Err(invalid("the body must be a JSON object with an \"action\""));
    };
    let action = match map.get("action") {
        Some(Value::String(action)) => action.trim().to_owned(),
        Some(_) => return Err(invalid("\"action\" must be a string")),
        None => return Err(invalid("the body has no \"action\"")),
    };
    match action.to_ascii_lowercase().as_str() {
        "cti" => cti(map.remove("CTI").unwrap_or_default()),
        "call" => Ok(BridgeRequest::Call {
            campaign: text(&map, "campaign")?,
            callerid: text(&map, "callerid")?,
            destination: required_text(&map, "destination", "call")?,
        }),
        "hangup" => Ok(BridgeRequest::Hangup),
        "tag" => Ok(BridgeRequest::Tag {
            guid: required_text(&map, "guid", "tag")?,
            message: required_text(&map, "message", "tag")?,
        }),
        "respool" => Ok(BridgeRequest::Respool(object(
            map.remove("objetoRespool"),
            "respool needs \"objetoRespool\", the dialer record to put back on the spool",
        )?)),
        "schedule" => {
            let date = required_text(&map, "callDate", "schedule")?;
            let call_date =
                NaiveDateTime::parse_from_str(&date, CALL_DATE_FORMAT).map_err(|_| {
                    invalid(format!(
                        "\"callDate\" '{date}' is not a date and time written YYYY-MM-DD HH:MM:SS"
                    ))
                })?;
            let dialer = object(
                map.remove("objectDialer"),
                "schedule needs \"objectDialer\", the dialer record to call",
            )?;
            Ok(BridgeRequest::Schedule { call_date, dialer })
        }
        "callwithphone" => Err(RequestError::UnknownAction(
            "callWithPhone dials with the portal's own phone; send \"call\" to dial from the app"
                .into(),
        )),
        _ => Err(RequestError::UnknownAction(format!(
            "unknown action '{}'; the bridge does call, hangup, tag, respool, schedule and CTI",
            shorten(&action)
        ))),
    }
}

/// `POST /v1/event`: one of the portal's call events, `{"event": …, "data": …}` or `{"action": …, "params": …}`.
pub fn parse_event(body: &[u8]) -> Parsed {
    portal::parse_event(parse_json(body)?).map(BridgeRequest::Portal)
}

fn parse_json(body: &[u8]) -> std::result::Result<Value, RequestError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(RequestError::Malformed(
            "the body is empty; send a JSON object".into(),
        ));
    }
    serde_json::from_slice(body)
        .map_err(|err| RequestError::Malformed(format!("the body is not valid JSON ({err})")))
}

fn cti(value: Value) -> Parsed {
    let value = object(
        Some(value),
        "there is no CTI: send the CTI object, or {\"CTI\": …}",
    )?;
    if value.as_object().is_some_and(Map::is_empty) {
        return Err(invalid("the CTI is empty"));
    }
    Ok(BridgeRequest::Cti(value))
}

/// A JSON object, or a JSON string holding one (how portal forms keep the CTI).
fn object(value: Option<Value>, missing: &str) -> std::result::Result<Value, RequestError> {
    match value {
        Some(Value::Object(map)) => Ok(Value::Object(map)),
        Some(Value::String(text)) if !text.trim().is_empty() => {
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(map)) => Ok(Value::Object(map)),
                Ok(_) => Err(invalid("the text holds JSON, but not a JSON object")),
                Err(err) => Err(RequestError::Malformed(format!(
                    "the text meant to hold a JSON object is not valid JSON ({err})"
                ))),
            }
        }
        None | Some(Value::Null) => Err(invalid(missing)),
        Some(Value::String(_)) => Err(invalid(missing)),
        Some(_) => Err(invalid(format!("{missing} (a JSON object)"))),
    }
}

/// A text field; numbers are taken as their digits (pages often keep phone numbers as numbers). Empty is `None`.
fn text(map: &Map<String, Value>, name: &str) -> std::result::Result<Option<String>, RequestError> {
    let text = match map.get(name) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(text)) => text.trim().to_owned(),
        Some(Value::Number(number)) => number.to_string(),
        Some(_) => return Err(invalid(format!("\"{name}\" must be text"))),
    };
    Ok((!text.is_empty()).then_some(text))
}

fn required_text(
    map: &Map<String, Value>,
    name: &str,
    action: &str,
) -> std::result::Result<String, RequestError> {
    text(map, name)?.ok_or_else(|| invalid(format!("{action} needs \"{name}\"")))
}

fn invalid(message: impl Into<String>) -> RequestError {
    RequestError::Invalid(message.into())
}

/// An action name as the page sent it, cut short so a long one cannot flood the answer.
pub(crate) fn shorten(text: &str) -> String {
    if text.chars().count() <= 40 {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(40).collect::<String>())
    }
}

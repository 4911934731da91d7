//! The uContact portal's own call events, as a paired page forwards them (`POST /v1/event`): a call rang, ended
//! or was disposed in the portal, although the app did not place it.
//!
//! Two vocabularies say the same three things. The v6 web phone (uPhone's window proxy) posts
//! `{action, params}`: `gettingCall`, `finishedCall`, `sentDispositions`. The newer portal (Events API) posts
//! `{event, data}`: `assignedInteraction`, `finishedInteraction`, `sentDisposition`. Only some payload fields are
//! documented (see docs/user-guide.md, Portal events), so every field is read leniently: several spellings,
//! numbers taken as their digits, a payload sent as JSON text, fields missing. What cannot be read is refused naming the field;
//! it is never guessed into another call.

use serde_json::{Map, Value};

use super::request::RequestError;

/// What happened to the call, in either vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortalEventKind {
    /// The call reached the agent (`gettingCall`, `assignedInteraction`).
    Ringing,
    /// The call ended (`finishedCall`, `finishedInteraction`).
    Finished,
    /// The agent filed the call's disposition in the portal (`sentDispositions`, `sentDisposition`).
    Disposed,
}

/// Inbound or outbound, when the event says so (or the vocabulary implies it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallDirection {
    /// The customer called in.
    Inbound,
    /// The call went out (a dialer, or a call the agent placed).
    Outbound,
}

/// One portal event, read from either vocabulary. Text fields are trimmed; empty is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalEvent {
    /// What happened.
    pub kind: PortalEventKind,
    /// The event's name as the portal spelled it (`gettingCall`, `sentDisposition`…), for logs and answers.
    pub name: String,
    /// The call's id (`guid`). Required for a ringing call; the others may leave it out (the call on the desk).
    pub guid: Option<String>,
    /// The campaign (`campaign`, `queue`).
    pub campaign: Option<String>,
    /// The customer's number (`number`, `callerid`, `callerIdNum`, `phone`, `destination`).
    pub number: Option<String>,
    /// Inbound or outbound: the `direction` field, else what the event implies (`gettingCall` is inbound).
    pub direction: Option<CallDirection>,
    /// The newer portal's channel (`channel`: telephony, whatsapp…), as sent.
    pub channel: Option<String>,
}

/// The names of each vocabulary, matched without regard to case; what the page may forward.
pub const EVENT_NAMES: [(&str, PortalEventKind); 6] = [
    ("gettingCall", PortalEventKind::Ringing),
    ("finishedCall", PortalEventKind::Finished),
    ("sentDispositions", PortalEventKind::Disposed),
    ("assignedInteraction", PortalEventKind::Ringing),
    ("finishedInteraction", PortalEventKind::Finished),
    ("sentDisposition", PortalEventKind::Disposed),
];

const GUID: &[&str] = &["guid", "callGuid", "uniqueid"];
const CAMPAIGN: &[&str] = &["campaign", "queue"];
const NUMBER: &[&str] = &["number", "callerid", "callerIdNum", "phone", "destination"];
const DIRECTION: &[&str] = &["direction"];
const CHANNEL: &[&str] = &["channel"];

/// Reads one event: `{"action": name, "params": {…}}` (uPhone) or `{"event": name, "data": {…}}` (newer portal).
/// The payload may be an object, JSON text holding one, or absent.
pub fn parse_event(value: Value) -> Result<PortalEvent, RequestError> {
    let Value::Object(mut map) = value else {
        return Err(invalid(
            "the body must be a JSON object: {\"event\": …, \"data\": {…}} or {\"action\": …, \"params\": {…}}",
        ));
    };
    let (name, payload) = match (map.get("event"), map.get("action")) {
        (Some(Value::String(name)), _) => (name.trim().to_owned(), map.remove("data")),
        (None, Some(Value::String(name))) => (name.trim().to_owned(), map.remove("params")),
        (Some(_), _) => return Err(invalid("\"event\" must be a string")),
        (None, Some(_)) => return Err(invalid("\"action\" must be a string")),
        (None, None) => {
            return Err(invalid(
                "the body names no event: send {\"event\": …} or uPhone's {\"action\": …}",
            ))
        }
    };
    let Some(kind) = EVENT_NAMES
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(&name))
        .map(|(_, kind)| *kind)
    else {
        return Err(RequestError::UnknownAction(format!(
            "unknown portal event '{}'; the bridge takes gettingCall, finishedCall, sentDispositions, \
             assignedInteraction, finishedInteraction and sentDisposition",
            super::request::shorten(&name)
        )));
    };
    let payload = payload_object(payload, &name)?;
    let guid = text(&payload, GUID, &name)?;
    if kind == PortalEventKind::Ringing && guid.is_none() {
        return Err(invalid(format!(
            "{name} has no call guid: without it the call cannot be disposed"
        )));
    }
    // A direction word not known is left unknown rather than refused: the field is not documented.
    let direction = match text(&payload, DIRECTION, &name)?.and_then(|w| direction(&w)) {
        Some(direction) => Some(direction),
        // uPhone tells an outbound start (makeCall) from an inbound ring (gettingCall) by the name alone.
        None if name.eq_ignore_ascii_case("gettingCall") => Some(CallDirection::Inbound),
        None => None,
    };
    Ok(PortalEvent {
        kind,
        guid,
        campaign: text(&payload, CAMPAIGN, &name)?,
        number: text(&payload, NUMBER, &name)?,
        direction,
        channel: text(&payload, CHANNEL, &name)?,
        name,
    })
}

/// The payload as an object; absent or `null` is an empty one (only the name is known).
fn payload_object(payload: Option<Value>, name: &str) -> Result<Map<String, Value>, RequestError> {
    match payload {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map),
        Some(Value::String(text)) if text.trim().is_empty() => Ok(Map::new()),
        Some(Value::String(text)) => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(invalid(format!(
                "{name}: the payload text holds JSON, but not a JSON object"
            ))),
            Err(err) => Err(RequestError::Malformed(format!(
                "{name}: the payload text is not valid JSON ({err})"
            ))),
        },
        Some(_) => Err(invalid(format!(
            "{name}: the payload (data or params) must be a JSON object"
        ))),
    }
}

/// The first of `names` present (any case), as text: strings trimmed, numbers as their digits; empty is `None`.
fn text(
    map: &Map<String, Value>,
    names: &[&str],
    event: &str,
) -> Result<Option<String>, RequestError> {
    let found = names.iter().find_map(|name| {
        map.iter()
            .find(|(key, value)| key.eq_ignore_ascii_case(name) && !value.is_null())
    });
    let Some((key, value)) = found else {
        return Ok(None);
    };
    let text = match value {
        Value::String(text) => text.trim().to_owned(),
        Value::Number(number) => number.to_string(),
        _ => return Err(invalid(format!("{event}: \"{key}\" must be text"))),
    };
    Ok((!text.is_empty()).then_some(text))
}

fn direction(word: &str) -> Option<CallDirection> {
    match word.to_ascii_lowercase().as_str() {
        "inbound" | "in" | "incoming" | "entrante" => Some(CallDirection::Inbound),
        "outbound" | "out" | "outgoing" | "saliente" | "dialer" | "preview" => {
            Some(CallDirection::Outbound)
        }
        _ => None,
    }
}

fn invalid(message: impl Into<String>) -> RequestError {
    RequestError::Invalid(message.into())
}

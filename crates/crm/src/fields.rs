//! What the CRM may learn about a call: its GUID, the customer's number, the campaign, the direction, the agent and
//! the extension, and the CTI record the portal or the dialer pushed. One struct, [`CallFields`], feeds both the
//! screen-pop templates (each [`Field`] is one placeholder) and the hooks' environment, so the two never disagree
//! about what a call is.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which way the call goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The customer called (the portal's ring, an inbound queue).
    Inbound,
    /// The agent or the dialer called the customer.
    Outbound,
}

impl Direction {
    /// The word settings, templates and hooks use: `inbound` or `outbound`.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One call as the CRM sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallFields {
    /// uContact's call GUID (empty until the server names the call).
    pub guid: String,
    /// The customer's number, as the desk shows it.
    pub number: String,
    /// The campaign (queue) the call belongs to.
    pub campaign: String,
    /// Inbound or outbound.
    pub direction: Direction,
    /// The signed-in agent's user name.
    pub agent: String,
    /// The agent's extension.
    pub extension: String,
    /// The call's CTI record (a JSON object), `null` when the call has none.
    pub cti: Value,
}

impl CallFields {
    /// A made-up call for the Settings preview: its values need encoding (`>` in the campaign, a space and an
    /// accent in the CTI contact) so the preview shows what a real call's URL looks like.
    pub fn sample() -> Self {
        CallFields {
            guid: "5f2c1e9a-0b7d-4c3e-9a61-2d8f0e4b7c13".to_string(),
            number: "+598 99 123 456".to_string(),
            campaign: "Ventas->".to_string(),
            direction: Direction::Inbound,
            agent: "alice".to_string(),
            extension: "1001".to_string(),
            cti: serde_json::json!({"contact": "Ana Pérez", "data": {"customer_id": "C-42"}}),
        }
    }

    /// A field's raw value (not encoded). A CTI path walks the record's objects: a string is taken as it is, a
    /// number or a boolean as its JSON text; a missing key, `null`, an array or an object give the empty string.
    pub fn value(&self, field: &Field) -> String {
        match field {
            Field::Number => self.number.clone(),
            Field::Guid => self.guid.clone(),
            Field::Campaign => self.campaign.clone(),
            Field::Direction => self.direction.name().to_string(),
            Field::Agent => self.agent.clone(),
            Field::Extension => self.extension.clone(),
            Field::Cti(path) => cti_value(&self.cti, path),
        }
    }
}

/// The scalar at `path` in `cti`, as text; empty when there is none.
fn cti_value(cti: &Value, path: &[String]) -> String {
    let mut at = cti;
    for key in path {
        match at.as_object().and_then(|object| object.get(key)) {
            Some(next) => at = next,
            None => return String::new(),
        }
    }
    match at {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null | Value::Array(_) | Value::Object(_) => String::new(),
    }
}

/// One thing a template or a hook can ask of a call.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    /// `{number}`
    Number,
    /// `{guid}`
    Guid,
    /// `{campaign}`
    Campaign,
    /// `{direction}`: `inbound` or `outbound`.
    Direction,
    /// `{agent}`
    Agent,
    /// `{extension}`
    Extension,
    /// `{cti.a.b}`: the keys from the CTI record's top, each `[A-Za-z0-9_-]+`.
    Cti(Vec<String>),
}

/// The placeholders, as the "known" list of an error names them.
pub const KNOWN_FIELDS: &str = "number, guid, campaign, direction, agent, extension, cti.<field>";

/// Why a placeholder's name is not a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldNameError {
    /// Not one of [`KNOWN_FIELDS`].
    Unknown,
    /// `cti.` followed by something that is not dot-separated `[A-Za-z0-9_-]+` keys.
    BadCtiPath,
}

impl Field {
    /// The field a placeholder names (`number`, `cti.data.customer_id`, …).
    pub fn parse(name: &str) -> Result<Field, FieldNameError> {
        Ok(match name {
            "number" => Field::Number,
            "guid" => Field::Guid,
            "campaign" => Field::Campaign,
            "direction" => Field::Direction,
            "agent" => Field::Agent,
            "extension" => Field::Extension,
            _ => {
                let Some(path) = name.strip_prefix("cti.") else {
                    return Err(FieldNameError::Unknown);
                };
                let keys: Vec<String> = path.split('.').map(str::to_string).collect();
                let good = |k: &String| {
                    !k.is_empty()
                        && k.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                };
                if !keys.iter().all(good) {
                    return Err(FieldNameError::BadCtiPath);
                }
                Field::Cti(keys)
            }
        })
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Number => f.write_str("number"),
            Field::Guid => f.write_str("guid"),
            Field::Campaign => f.write_str("campaign"),
            Field::Direction => f.write_str("direction"),
            Field::Agent => f.write_str("agent"),
            Field::Extension => f.write_str("extension"),
            Field::Cti(path) => write!(f, "cti.{}", path.join(".")),
        }
    }
}

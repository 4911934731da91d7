//! Small domain types shared by the endpoint modules.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A campaign (queue) name. Outbound and dialer campaigns end in `->`, inbound ones in `<-`; the client always
/// percent-encodes them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(transparent)]
pub struct Campaign(String);

impl Campaign {
    /// Wraps a campaign name as given (surrounding blanks removed).
    pub fn new(name: impl Into<String>) -> Self {
        Self(name.into().trim().to_string())
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `*`: every campaign (blacklist entries).
    pub fn all() -> Self {
        Self("*".into())
    }

    /// True for outbound/dialer campaigns (`->`).
    pub fn is_outbound(&self) -> bool {
        self.0.ends_with("->")
    }
}

impl fmt::Display for Campaign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Campaign {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

/// The unique id of a call (and of its recording), returned by AgentCall.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CallGuid(String);

impl CallGuid {
    /// Wraps a GUID.
    pub fn new(guid: impl Into<String>) -> Self {
        Self(guid.into())
    }

    /// The GUID text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CallGuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads a JSON string or number as text: uContact is not consistent about quoting numbers.
pub(crate) mod lenient_string {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => s,
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        })
    }
}

/// Reads a JSON number or a numeric string as i64 (empty or null → 0).
pub(crate) mod lenient_i64 {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().map(|f| f as i64))
                .ok_or_else(|| serde::de::Error::custom("number out of range")),
            serde_json::Value::String(s) if s.trim().is_empty() => Ok(0),
            serde_json::Value::String(s) => s.trim().parse().map_err(serde::de::Error::custom),
            serde_json::Value::Null => Ok(0),
            other => Err(serde::de::Error::custom(format!(
                "expected a number, got {other}"
            ))),
        }
    }
}

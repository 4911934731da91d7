//! Small domain types shared by the endpoint modules, and lenient readers for the numbers uContact sometimes
//! quotes and sometimes does not.

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

    /// True for inbound campaigns (`<-`).
    pub fn is_inbound(&self) -> bool {
        self.0.ends_with("<-")
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

impl From<String> for Campaign {
    fn from(value: String) -> Self {
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

impl From<String> for CallGuid {
    fn from(value: String) -> Self {
        Self(value)
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
                // `as` would turn 1e300 into i64::MAX silently: only whole numbers that fit are read.
                .or_else(|| {
                    n.as_f64()
                        .filter(|f| f.fract() == 0.0 && f.abs() < 9.2e18)
                        .map(|f| f as i64)
                })
                .ok_or_else(|| {
                    serde::de::Error::custom(format!("{n} is not a whole number of a usable size"))
                }),
            serde_json::Value::String(s) if s.trim().is_empty() => Ok(0),
            serde_json::Value::String(s) => s.trim().parse().map_err(serde::de::Error::custom),
            serde_json::Value::Null => Ok(0),
            other => Err(serde::de::Error::custom(format!(
                "expected a number, got {other}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Row {
        #[serde(deserialize_with = "lenient_string::deserialize")]
        text: String,
        #[serde(deserialize_with = "lenient_i64::deserialize")]
        number: i64,
    }

    fn row(json: &str) -> Result<Row, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn numbers_and_strings_are_read_either_way() {
        let a = row(r#"{"text": 1001, "number": "42"}"#).unwrap();
        assert_eq!((a.text.as_str(), a.number), ("1001", 42));
        let b = row(r#"{"text": null, "number": " "}"#).unwrap();
        assert_eq!((b.text.as_str(), b.number), ("", 0));
        let c = row(r#"{"text": true, "number": 3.0}"#).unwrap();
        assert_eq!((c.text.as_str(), c.number), ("true", 3));
        assert!(row(r#"{"text": "", "number": "many"}"#).is_err());
        assert!(row(r#"{"text": "", "number": [1]}"#).is_err());
        assert!(
            row(r#"{"text": "", "number": 1e300}"#).is_err(),
            "too large is an error, not i64::MAX"
        );
        assert_eq!(
            row(r#"{"text": "", "number": -2e3}"#).unwrap().number,
            -2000
        );
    }

    #[test]
    fn campaign_direction_comes_from_its_arrow() {
        let out = Campaign::new(" Ventas-> ");
        assert_eq!(out.as_str(), "Ventas->");
        assert!(out.is_outbound() && !out.is_inbound());
        assert!(Campaign::from("Soporte<-".to_string()).is_inbound());
        assert_eq!(Campaign::all().to_string(), "*");
    }
}

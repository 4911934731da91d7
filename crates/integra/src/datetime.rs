//! uContact's date-time format, `YYYY-MM-DD HH:MM:SS`, used by schedules, dialer tasks and recording filters.
//!
//! The server wants exactly that shape; the parser is more forgiving about what people type (`T` separator, no
//! seconds) and what Java servers print (`2016-01-18 10:00:00.0`), so a value read anywhere can be sent back.

use chrono::NaiveDateTime;

use crate::error::{Error, Result};

/// A local date-time as uContact uses it (no time zone: the server's).
pub type DateTime = NaiveDateTime;

/// The format string for [`chrono`].
pub const FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// Formats a date-time as uContact expects it.
pub fn format_datetime(value: &NaiveDateTime) -> String {
    value.format(FORMAT).to_string()
}

/// Parses `YYYY-MM-DD HH:MM:SS` (also `T` as the separator, a missing `:SS` and fractional seconds).
pub fn parse_datetime(text: &str) -> Result<NaiveDateTime> {
    parse_datetime_as("date-time", text)
}

/// [`parse_datetime`], naming `field` in the error (e.g. `schedule`).
pub fn parse_datetime_as(field: &'static str, text: &str) -> Result<NaiveDateTime> {
    let text = text.trim();
    for format in [
        FORMAT,
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(value) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(value);
        }
    }
    Err(Error::invalid(
        field,
        format!("{text:?} is not a date-time like 2025-03-01 15:30:00"),
    ))
}

/// Serde adapter for optional date-times in uContact's format (`null` when absent).
pub mod optional {
    use super::*;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serializes `Some` as `YYYY-MM-DD HH:MM:SS`, `None` as null.
    pub fn serialize<S: Serializer>(
        value: &Option<NaiveDateTime>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_str(&format_datetime(v)),
            None => s.serialize_none(),
        }
    }

    /// Reads null, an empty string or a date-time.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) if s.trim().is_empty() => Ok(None),
            Some(s) => parse_datetime(&s)
                .map(Some)
                .map_err(serde::de::Error::custom),
        }
    }
}

/// Serde adapter for required date-times in uContact's format.
pub mod mandatory {
    use super::*;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serializes as `YYYY-MM-DD HH:MM:SS`.
    pub fn serialize<S: Serializer>(value: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_datetime(value))
    }

    /// Reads a date-time string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        let text = String::deserialize(d)?;
        parse_datetime(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_the_documented_shape() {
        let value = parse_datetime("2025-10-11 15:00:00").unwrap();
        assert_eq!(format_datetime(&value), "2025-10-11 15:00:00");
        for typed in [
            "2025-10-11T15:00",
            " 2025-10-11 15:00 ",
            "2025-10-11 15:00:00.0",
        ] {
            assert_eq!(
                format_datetime(&parse_datetime(typed).unwrap()),
                "2025-10-11 15:00:00",
                "{typed:?}"
            );
        }
    }

    #[test]
    fn refuses_other_shapes_naming_the_field() {
        let err = parse_datetime_as("schedule", "11/10/2025 3pm").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid schedule: \"11/10/2025 3pm\" is not a date-time like 2025-03-01 15:30:00"
        );
        assert!(
            parse_datetime("2025-02-30 10:00:00").is_err(),
            "no 30th of February"
        );
        assert!(
            parse_datetime("2025-10-11").is_err(),
            "a date alone is not a date-time"
        );
        assert!(matches!(
            parse_datetime("").unwrap_err(),
            Error::InvalidInput {
                field: "date-time",
                ..
            }
        ));
    }

    #[test]
    fn serde_adapters_use_the_wire_format() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Row {
            #[serde(with = "optional")]
            when: Option<NaiveDateTime>,
            #[serde(with = "mandatory")]
            at: NaiveDateTime,
        }
        let at = parse_datetime("2030-01-02 03:04:05").unwrap();
        let json = serde_json::to_string(&Row { when: None, at }).unwrap();
        assert_eq!(json, r#"{"when":null,"at":"2030-01-02 03:04:05"}"#);
        let back: Row = serde_json::from_str(r#"{"when":"","at":"2030-01-02 03:04:05"}"#).unwrap();
        assert_eq!(back, Row { when: None, at });
        assert!(
            serde_json::from_str::<Row>(r#"{"when":"soon","at":"2030-01-02 03:04:05"}"#).is_err()
        );
    }
}

//! uContact's date-time format, `YYYY-MM-DD HH:MM:SS`, used by schedules, dialer tasks and recording filters.

use chrono::NaiveDateTime;

use crate::error::{Error, Result};

/// The format string for [`chrono`].
pub const FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// Formats a date-time as uContact expects it.
pub fn format_datetime(value: &NaiveDateTime) -> String {
    value.format(FORMAT).to_string()
}

/// Parses `YYYY-MM-DD HH:MM:SS` (also accepts `T` as the separator and a missing `:SS`), naming `field` on error.
pub fn parse_datetime(field: &'static str, text: &str) -> Result<NaiveDateTime> {
    let text = text.trim();
    for format in [
        FORMAT,
        "%Y-%m-%dT%H:%M:%S",
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
            Some(s) => parse_datetime("date", &s)
                .map(Some)
                .map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_the_documented_shape() {
        let value = parse_datetime("schedule", "2025-10-11 15:00:00").unwrap();
        assert_eq!(format_datetime(&value), "2025-10-11 15:00:00");
        assert_eq!(
            format_datetime(&parse_datetime("x", "2025-10-11T15:00").unwrap()),
            "2025-10-11 15:00:00"
        );
    }

    #[test]
    fn refuses_other_shapes_naming_the_field() {
        let err = parse_datetime("schedule", "11/10/2025 3pm").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid schedule: \"11/10/2025 3pm\" is not a date-time like 2025-03-01 15:30:00"
        );
        assert!(
            parse_datetime("x", "2025-02-30 10:00:00").is_err(),
            "no 30th of February"
        );
    }
}

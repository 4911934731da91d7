//! Readers for single CTI fields in a JSON object, each refusing a bad value with a message that names the field.
//!
//! uContact quotes numbers in some places and not in others (`"status":"1"` and `"status":1`), and phone numbers
//! arrive as strings or bare JSON numbers, so text fields accept numbers and number fields accept numeric strings.

use serde_json::{Map, Value};

use agent_error::{AgentError, ErrorCode, Phrase, Result};

/// An `InvalidCti` error.
/// Invalid CTI, worded by key: `message` is `phrase` in English.
pub(crate) fn refused(phrase: Phrase, message: impl Into<String>) -> AgentError {
    AgentError::phrased(ErrorCode::InvalidCti, phrase, message)
}

/// A text field: a string (trimmed) or a JSON number written out; `None` when absent or null.
pub(crate) fn text(obj: &Map<String, Value>, key: &str) -> Result<Option<String>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(refused(
            Phrase::new("error.cti_text.not_text")
                .with("key", key)
                .with("kind", kind(other)),
            format!("'{key}' must be text, got {}", kind(other)),
        )),
    }
}

/// A whole-number field: a JSON integer or a numeric string; `None` when absent, null or empty.
pub(crate) fn integer(obj: &Map<String, Value>, key: &str) -> Result<Option<i64>> {
    let not_whole = |shown: &str| {
        refused(
            Phrase::new("error.cti_text.not_whole")
                .with("key", key)
                .with("value", shown),
            format!("'{key}' must be a whole number, got {shown}"),
        )
    };
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| not_whole(&n.to_string())),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| not_whole(&format!("'{}'", s.trim()))),
        Some(other) => Err(not_whole(kind(other))),
    }
}

/// A portal boolean: exactly the string `"TRUE"` or `"FALSE"`; `None` when absent, null or empty (portal forms
/// leave flags they do not use empty).
pub(crate) fn flag(obj: &Map<String, Value>, key: &str) -> Result<Option<bool>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) if s == "TRUE" => Ok(Some(true)),
        Some(Value::String(s)) if s == "FALSE" => Ok(Some(false)),
        Some(Value::String(s)) => Err(refused(
            Phrase::new("error.cti_text.flag")
                .with("key", key)
                .with("value", s.as_str()),
            format!("'{key}' must be \"TRUE\" or \"FALSE\", got '{s}'"),
        )),
        Some(other) => Err(refused(
            Phrase::new("error.cti_text.flag_kind")
                .with("key", key)
                .with("kind", kind(other)),
            format!(
                "'{key}' must be the text \"TRUE\" or \"FALSE\", got {}",
                kind(other)
            ),
        )),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a JSON boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn numbers_may_be_quoted_or_not() {
        let o = obj(json!({"a": 3, "b": " 4 ", "c": "", "d": null}));
        assert_eq!(integer(&o, "a").unwrap(), Some(3));
        assert_eq!(integer(&o, "b").unwrap(), Some(4));
        assert_eq!(integer(&o, "c").unwrap(), None);
        assert_eq!(integer(&o, "d").unwrap(), None);
        assert_eq!(integer(&o, "missing").unwrap(), None);
    }

    #[test]
    fn fractions_words_and_lists_are_not_whole_numbers() {
        let o = obj(json!({"a": 1.5, "b": "two", "c": [1]}));
        for (key, shown) in [("a", "1.5"), ("b", "'two'"), ("c", "a list")] {
            assert_eq!(
                integer(&o, key).unwrap_err().to_string(),
                format!("'{key}' must be a whole number, got {shown}")
            );
        }
    }

    #[test]
    fn flags_are_the_strings_true_and_false_only() {
        let o = obj(json!({"a": "TRUE", "b": "FALSE", "c": "yes", "d": true, "e": ""}));
        assert_eq!(flag(&o, "a").unwrap(), Some(true));
        assert_eq!(
            flag(&o, "e").unwrap(),
            None,
            "an empty flag is an absent one"
        );
        assert_eq!(flag(&o, "b").unwrap(), Some(false));
        assert_eq!(
            flag(&o, "c").unwrap_err().to_string(),
            "'c' must be \"TRUE\" or \"FALSE\", got 'yes'"
        );
        assert!(flag(&o, "d")
            .unwrap_err()
            .to_string()
            .contains("a JSON boolean"));
    }

    #[test]
    fn text_accepts_bare_numbers_but_not_objects() {
        let o = obj(json!({"a": 17410632, "b": " x ", "c": {}}));
        assert_eq!(text(&o, "a").unwrap().as_deref(), Some("17410632"));
        assert_eq!(text(&o, "b").unwrap().as_deref(), Some("x"));
        assert_eq!(
            text(&o, "c").unwrap_err().code(),
            agent_error::ErrorCode::InvalidCti
        );
    }
}

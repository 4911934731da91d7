//! Form bodies exactly as uContact expects them.
//!
//! Values are percent-encoded as UTF-8 with `application/x-www-form-urlencoded` rules (the `form_urlencoded`
//! crate, the same rules browsers use), so campaign names such as `Ventas->` travel as `Ventas-%3E` and comments in
//! any language survive. JSON objects (callspool, callschedule…) travel as the value of one field.

use serde::Serialize;

use crate::error::{Error, Result};

/// A form body under construction. Field order is kept, which keeps requests readable in server logs.
#[derive(Default, Clone)]
pub(crate) struct Form {
    pairs: Vec<(&'static str, String)>,
}

/// Field names only: values include passwords and tokens.
impl std::fmt::Debug for Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.pairs.iter().map(|(k, _)| k))
            .finish()
    }
}

impl Form {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a field.
    pub fn field(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.pairs.push((name, value.into()));
        self
    }

    /// Adds a field whose value is `value` serialized as JSON.
    pub fn json(self, name: &'static str, value: &impl Serialize) -> Result<Self> {
        let json = serde_json::to_string(value).map_err(|e| Error::invalid(name, e.to_string()))?;
        Ok(self.field(name, json))
    }

    /// The encoded body.
    pub fn finish(self) -> String {
        encode(self.pairs.iter().map(|(k, v)| (*k, v.as_str())))
    }
}

/// Encodes pairs as `application/x-www-form-urlencoded`.
pub fn encode<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        serializer.append_pair(k, v);
    }
    serializer.finish()
}

/// Percent-encodes one value the way [`encode`] does (used to stream a value too large to hold).
pub fn encode_value(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Requires a value that is not blank, naming the field otherwise.
pub(crate) fn required(field: &'static str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        Err(Error::invalid(field, "must not be empty"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn campaign_arrows_are_percent_encoded() {
        let body = Form::new()
            .field("outqueue", "Ventas->")
            .field("queue", "Soporte<-")
            .finish();
        assert_eq!(body, "outqueue=Ventas-%3E&queue=Soporte%3C-");
        assert_eq!(encode_value("Ventas->"), "Ventas-%3E");
    }

    #[test]
    fn unicode_comments_and_reserved_characters_survive() {
        let body = Form::new()
            .field("comment", "Llamar mañana & pedir 50% (señora Núñez) ✓ 電話")
            .finish();
        assert_eq!(
            body,
            "comment=Llamar+ma%C3%B1ana+%26+pedir+50%25+%28se%C3%B1ora+N%C3%BA%C3%B1ez%29+%E2%9C%93+%E9%9B%BB%E8%A9%B1"
        );
    }

    #[test]
    fn json_fields_and_base64_are_encoded_as_values() {
        let body = Form::new()
            .json(
                "black",
                &serde_json::json!({"phone": "099", "campaign": "*"}),
            )
            .unwrap()
            .field("fileb64", "a+b/c==")
            .finish();
        assert_eq!(
            body,
            "black=%7B%22campaign%22%3A%22*%22%2C%22phone%22%3A%22099%22%7D&fileb64=a%2Bb%2Fc%3D%3D"
        );
    }

    #[test]
    fn debug_shows_field_names_never_values() {
        let form = Form::new()
            .field("agent", "alice")
            .field("password", "hunter2");
        assert_eq!(format!("{form:?}"), r#"["agent", "password"]"#);
    }

    #[test]
    fn blank_required_values_name_the_field() {
        assert_eq!(
            required("destination", "  ").unwrap_err().to_string(),
            "invalid destination: must not be empty"
        );
        assert!(required("destination", "099").is_ok());
    }

    proptest! {
        #[test]
        fn any_unicode_value_round_trips(campaign in "\\PC{0,40}", comment in "\\PC{0,80}") {
            let body = Form::new().field("campaign", campaign.clone()).field("comment", comment.clone()).finish();
            let decoded: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes()).into_owned().collect();
            prop_assert_eq!(decoded, vec![("campaign".to_string(), campaign), ("comment".to_string(), comment)]);
        }

        #[test]
        fn any_string_even_with_controls_round_trips_and_encodes_alike(value in any::<String>()) {
            let body = Form::new().field("comment", value.clone()).finish();
            prop_assert_eq!(&body, &format!("comment={}", encode_value(&value)));
            prop_assert!(body.bytes().all(|b| b.is_ascii_graphic()), "{}", body);
            let decoded: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes()).into_owned().collect();
            prop_assert_eq!(decoded, vec![("comment".to_string(), value)]);
        }

        #[test]
        fn json_fields_round_trip(campaign in "\\PC{0,30}", phone in "[+0-9 ]{0,20}") {
            let object = serde_json::json!({"campaign": campaign, "phone": phone});
            let body = Form::new().json("black", &object).unwrap().field("Random", "1").finish();
            let decoded: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes()).into_owned().collect();
            prop_assert_eq!(decoded.len(), 2);
            let back: serde_json::Value = serde_json::from_str(&decoded[0].1).unwrap();
            prop_assert_eq!(back, object);
        }
    }
}

//! Reading CTI text (pasted by the agent or pushed by a bridge) into its portal and dialer parts. The accepted
//! shapes are listed in the [module doc](super).

use serde_json::{Map, Value};

use super::dialer::{self, DialerCti};
use super::fields::refused;
use super::portal::{self, PortalCti};
use agent_error::{Phrase, Result};

/// The largest CTI text accepted, in bytes. A real CTI is well under 2 KiB; the limit keeps a mistaken paste
/// (a whole log file) from being parsed and stored.
pub const MAX_CTI_BYTES: usize = 64 * 1024;

const NESTING: &[&str] = &["portal", "dialer"];

/// Parses CTI text into its parts; at least one part is present.
pub(crate) fn parse_parts(text: &str) -> Result<(Option<PortalCti>, Option<DialerCti>)> {
    if text.len() > MAX_CTI_BYTES {
        let (size, max) = (text.len().div_ceil(1024), MAX_CTI_BYTES / 1024);
        return Err(refused(
            Phrase::new("error.cti_text.too_large")
                .with("size", size.to_string())
                .with("max", max.to_string()),
            format!("the CTI text is too large ({size} KiB); at most {max} KiB is accepted"),
        ));
    }
    if text.trim().is_empty() {
        return Err(refused(
            Phrase::new("error.cti_text.empty"),
            "the CTI text is empty; paste the CTI JSON first",
        ));
    }
    let mut value = json(text)?;
    // Portal forms hold the CTI as a JSON string, so a pasted copy may be that string, quoted once more.
    if let Value::String(inner) = &value {
        value = json(inner)?;
    }
    let Value::Object(top) = value else {
        return Err(refused(
            Phrase::new("error.cti_text.not_object").with("kind", kind(&value)),
            format!(
                "the CTI text must be a JSON object ({{…}}), got {}",
                kind(&value)
            ),
        ));
    };
    let portal_src = nested(&top, "portal")?.unwrap_or(&top);
    let dialer_src = nested(&top, "dialer")?.unwrap_or(&top);
    let has_any =
        |obj: &Map<String, Value>, keys: &[&str]| keys.iter().any(|k| obj.contains_key(*k));
    let portal = if has_any(portal_src, portal::KEYS) {
        let ignore: Vec<&str> = dialer::KEYS.iter().chain(NESTING).copied().collect();
        Some(PortalCti::from_object(portal_src, &ignore)?)
    } else {
        None
    };
    let dialer = if has_any(dialer_src, dialer::KEYS) {
        Some(DialerCti::from_object(dialer_src)?)
    } else {
        None
    };
    if portal.is_none() && dialer.is_none() {
        return Err(refused(
            Phrase::new("error.cti_text.no_fields"),
            "no CTI fields found: expected the portal's Guid, Campaign, Callerid… or the dialer's campaign, \
             destination, dialerbase…",
        ));
    }
    Ok((portal, dialer))
}

fn json(text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| {
        refused(
            Phrase::new("error.cti_text.not_json").with("detail", e.to_string()),
            format!("the CTI text is not JSON: {e}"),
        )
    })
}

fn nested<'a>(top: &'a Map<String, Value>, key: &str) -> Result<Option<&'a Map<String, Value>>> {
    match top.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(obj)) => Ok(Some(obj)),
        Some(other) => Err(refused(
            Phrase::new("error.cti_text.part_not_object")
                .with("key", key)
                .with("kind", kind(other)),
            format!("'{key}' must be an object ({{…}}), got {}", kind(other)),
        )),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "a list",
        Value::String(_) => "text",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PORTAL: &str = r#"{"Guid":"g-1","Screen":"FALSE","Form":"f","Campaign":"SalienteTest->","Callerid":"17410632","ParAndValues":"","Beep":"FALSE","Answer":"FALSE"}"#;
    const DIALER: &str = r#"{"campaign":"Ventas->","destination":"098344484","dialerbase":"basetest","status":1,"data":"Par1=Val1:Par2=Val2","alternatives":"098124484","contact":222,"retries":0,"priority":9999,"agentphone":"1001"}"#;

    #[test]
    fn each_shape_gives_its_parts() {
        let (p, d) = parse_parts(PORTAL).unwrap();
        assert_eq!((p.unwrap().callerid.as_str(), d), ("17410632", None));
        let (p, d) = parse_parts(DIALER).unwrap();
        assert_eq!((p, d.unwrap().dialerbase()), (None, "basetest"));
        let merged = format!("{},{}", &PORTAL[..PORTAL.len() - 1], &DIALER[1..]);
        let (p, d) = parse_parts(&merged).unwrap();
        let p = p.unwrap();
        assert!(
            p.extra.is_empty(),
            "dialer keys are not portal extras: {p:?}"
        );
        assert_eq!(
            (p.guid.as_str(), d.unwrap().campaign()),
            ("g-1", "Ventas->")
        );
        let nested = format!(r#"{{"portal":{PORTAL},"dialer":{DIALER}}}"#);
        let (p, d) = parse_parts(&nested).unwrap();
        assert_eq!(
            (p.unwrap().campaign.as_str(), d.unwrap().contact()),
            ("SalienteTest->", 222)
        );
    }

    #[test]
    fn a_json_string_holding_the_cti_is_read() {
        let quoted = serde_json::to_string(PORTAL).unwrap();
        assert_eq!(parse_parts(&quoted).unwrap().0.unwrap().guid, "g-1");
    }

    #[test]
    fn bad_text_is_refused_with_where_and_why() {
        let err = parse_parts("{\"Guid\": \"x\",\n \"Answer\" }").unwrap_err();
        assert!(
            err.to_string().starts_with("the CTI text is not JSON: "),
            "{err}"
        );
        assert!(err.to_string().contains("line 2"), "{err}");
        assert_eq!(
            parse_parts("[1]").unwrap_err().to_string(),
            "the CTI text must be a JSON object ({…}), got a list"
        );
        assert_eq!(
            parse_parts("  ").unwrap_err().to_string(),
            "the CTI text is empty; paste the CTI JSON first"
        );
        assert!(parse_parts(r#"{"foo":1}"#)
            .unwrap_err()
            .to_string()
            .starts_with("no CTI fields found"));
        assert_eq!(
            parse_parts(r#"{"dialer":"x"}"#).unwrap_err().to_string(),
            "'dialer' must be an object ({…}), got text"
        );
    }

    #[test]
    fn text_over_the_limit_is_refused_before_parsing() {
        let padding = " ".repeat(MAX_CTI_BYTES);
        let err = parse_parts(&format!("{PORTAL}{padding}")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the CTI text is too large (65 KiB); at most 64 KiB is accepted"
        );
        let just_fits = format!("{PORTAL}{}", " ".repeat(MAX_CTI_BYTES - PORTAL.len()));
        assert!(parse_parts(&just_fits).is_ok());
    }

    proptest! {
        #[test]
        fn any_text_parses_or_fails_with_invalid_cti(text in "\\PC{0,200}") {
            if let Err(err) = parse_parts(&text) {
                prop_assert_eq!(err.code(), agent_error::ErrorCode::InvalidCti);
            }
        }
    }
}

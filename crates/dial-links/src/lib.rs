//! Click-to-dial: `tel:` and `callto:` links (from the browser, the CRM, the OS) and the launch arguments that
//! carry them. The number in a link is checked exactly like a typed number ([`phone_number::normalize`]).
//!
//! Accepted: `tel:+598-99-123-456`, `tel:099123456;phone-context=example.com` (parameters are dropped),
//! `callto:099123456`, `callto://099123456`, `tel:%2B59899123456` (percent-encoded), any case of the scheme.
//! Launch arguments: the first `tel:`/`callto:` argument, or `--dial NUMBER` / `--dial=NUMBER`; `--hidden` and
//! `--profile-dir DIR` belong to the shell and are skipped.

use agent_error::{AgentError, ErrorCode, Phrase, Result};
use phone_number::PhoneNumber;

const SCHEMES: &[&str] = &["tel", "callto"];

fn refused(phrase: Phrase, message: impl Into<String>) -> AgentError {
    AgentError::phrased(ErrorCode::InvalidLink, phrase, message)
}

/// The scheme of `text` when it starts like a URI (`name:`); one-letter names are Windows drives, not schemes.
fn scheme(text: &str) -> Option<(&str, &str)> {
    let (name, rest) = text.split_once(':')?;
    let mut chars = name.chars();
    let starts = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let valid = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (starts && valid && name.len() > 1).then_some((name, rest))
}

/// The number in a `tel:` or `callto:` link.
pub fn parse_link(link: &str) -> Result<PhoneNumber> {
    let link = link.trim();
    if link.is_empty() {
        return Err(refused(
            Phrase::new("error.link.empty"),
            "the link is empty",
        ));
    }
    let Some((name, rest)) = scheme(link) else {
        return Err(refused(
            Phrase::new("error.link.not_phone").with("link", link),
            format!("'{link}' is not a tel: or callto: link"),
        ));
    };
    if !SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(name)) {
        return Err(refused(
            Phrase::new("error.link.scheme").with("scheme", name),
            format!("'{name}:' links are not phone links; only tel: and callto: links are dialed"),
        ));
    }
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    // Parameters (`;phone-context=…`, `?…`) are cut before decoding, so an encoded `%3B` stays part of the text.
    let number = rest.split([';', '?']).next().unwrap_or_default();
    let number = percent_decode(number).ok_or_else(|| {
        refused(
            Phrase::new("error.link.escape").with("link", link),
            format!("the link '{link}' has a broken %-escape"),
        )
    })?;
    if number.trim().trim_matches('/').is_empty() {
        return Err(refused(
            Phrase::new("error.link.no_number").with("link", link),
            format!("the link '{link}' has no number"),
        ));
    }
    phone_number::normalize(number.trim_end_matches('/')).map_err(|e| {
        AgentError::phrased(
            ErrorCode::InvalidNumber,
            Phrase::new("error.link.bad_number")
                .with("link", link)
                .with("problem", e.to_string()),
            format!("the link '{link}' has no valid number: {e}"),
        )
    })
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The dial request in a launch's arguments (`args[0]` is the program path): `None` when there is none, else
/// the number or why it was refused. The first request wins.
pub fn dial_request<S: AsRef<str>>(args: &[S]) -> Option<Result<PhoneNumber>> {
    let mut args = args.iter().map(AsRef::as_ref).skip(1);
    while let Some(arg) = args.next() {
        match arg {
            "--hidden" => {}
            "--profile-dir" => {
                args.next();
            }
            "--dial" => return Some(dial_value(args.next().unwrap_or_default())),
            _ if arg.starts_with("--profile-dir=") => {}
            _ => {
                if let Some(value) = arg.strip_prefix("--dial=") {
                    return Some(dial_value(value));
                }
                if scheme(arg).is_some() {
                    return Some(parse_link(arg));
                }
            }
        }
    }
    None
}

fn dial_value(value: &str) -> Result<PhoneNumber> {
    if value.trim().is_empty() {
        return Err(refused(
            Phrase::new("error.link.dial_empty"),
            "--dial needs a number, e.g. --dial 099123456",
        ));
    }
    if scheme(value).is_some() {
        return parse_link(value);
    }
    phone_number::normalize(value).map_err(|e| {
        AgentError::phrased(
            ErrorCode::InvalidNumber,
            Phrase::new("error.link.dial_number").with("problem", e.to_string()),
            format!("the number to dial is not valid: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_usual_link_spellings_give_the_number() {
        for (link, expected) in [
            ("tel:+598-99-123-456", "+59899123456"),
            ("tel:099123456;phone-context=example.com", "099123456"),
            ("callto:099123456", "099123456"),
            ("callto://099123456", "099123456"),
            ("callto://099123456/", "099123456"),
            ("tel:%2B59899123456", "+59899123456"),
            ("tel:099%20123%20456", "099123456"),
            ("TEL:099123456", "099123456"),
            ("CallTo:099123456", "099123456"),
        ] {
            assert_eq!(parse_link(link).unwrap().as_str(), expected, "{link}");
        }
    }

    #[test]
    fn each_bad_link_says_what_is_wrong() {
        let case = |link: &str| {
            let err = parse_link(link).unwrap_err();
            (err.code(), err.to_string())
        };
        assert_eq!(
            case("sip:1001@pbx"),
            (
                ErrorCode::InvalidLink,
                "'sip:' links are not phone links; only tel: and callto: links are dialed".into()
            )
        );
        assert_eq!(
            case("099123456"),
            (
                ErrorCode::InvalidLink,
                "'099123456' is not a tel: or callto: link".into()
            )
        );
        assert_eq!(case(" ").1, "the link is empty");
        assert_eq!(case("tel:").1, "the link 'tel:' has no number");
        assert_eq!(case("callto://").1, "the link 'callto://' has no number");
        assert_eq!(case("tel:%2").1, "the link 'tel:%2' has a broken %-escape");
        assert_eq!(
            case("tel:099-CALL-NOW"),
            (
                ErrorCode::InvalidNumber,
                "the link 'tel:099-CALL-NOW' has no valid number: letters are not allowed in a phone number: 'CALLNOW'"
                    .into()
            )
        );
    }

    #[test]
    fn launch_arguments_carry_at_most_one_dial_request() {
        let dial = |args: &[&str]| {
            dial_request(args).map(|r| r.map(|n| n.to_string()).map_err(|e| e.to_string()))
        };
        assert_eq!(dial(&["/usr/bin/agent"]), None);
        assert_eq!(dial(&["app", "--hidden", "--profile-dir", "/tmp/p"]), None);
        assert_eq!(
            dial(&["C:\\Apps\\agent.exe", "tel:099123456"])
                .unwrap()
                .unwrap(),
            "099123456"
        );
        assert_eq!(
            dial(&["app", "--hidden", "--dial", "099 123 456"])
                .unwrap()
                .unwrap(),
            "099123456"
        );
        assert_eq!(
            dial(&["app", "--dial=callto:099123456", "tel:098000000"])
                .unwrap()
                .unwrap(),
            "099123456"
        );
        // A profile folder that looks like a link is the shell's, not a dial request.
        assert_eq!(dial(&["app", "--profile-dir", "tel:x", "--hidden"]), None);
        assert_eq!(dial(&["app", "--profile-dir=D:\\p"]), None);
    }

    #[test]
    fn a_bad_dial_request_is_reported_not_ignored() {
        let err = |args: &[&str]| dial_request(args).unwrap().unwrap_err().to_string();
        assert_eq!(
            err(&["app", "--dial"]),
            "--dial needs a number, e.g. --dial 099123456"
        );
        assert_eq!(
            err(&["app", "--dial=12"]),
            "the number to dial is not valid: '12' is too short for a phone number"
        );
        assert!(err(&["app", "mailto:ana@example.com"]).starts_with("'mailto:' links"));
    }

    proptest! {
        #[test]
        fn a_link_dials_exactly_what_typing_its_number_would(number in "\\+?[0-9 ()-]{0,22}", prefix in "(tel:|TEL:|callto:|callto://)") {
            let typed = phone_number::normalize(&number);
            let linked = parse_link(&format!("{prefix}{number}"));
            match (typed, linked) {
                (Ok(t), Ok(l)) => prop_assert_eq!(t, l),
                (Err(_), Err(_)) => {}
                (t, l) => prop_assert!(false, "typed {:?} but linked {:?}", t, l),
            }
        }
    }
}

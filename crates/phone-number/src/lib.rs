//! Phone numbers as agents paste them: "099 123-456", "(099) 123.456", "+598 99 123 456".
//!
//! Spaces, dashes, dots, slashes and brackets are dropped; a leading `+` is kept; letters are refused with a
//! message that quotes them, so "099-CALL-NOW" does not silently become "099".

use serde::{Deserialize, Serialize};

#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;

use agent_error::{AgentError, ErrorCode, Phrase, Result};

/// Digits with an optional leading `+`, 3 to 20 digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// The number as dialed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

const SEPARATORS: &[char] = &[' ', '-', '.', '/', '(', ')', '[', ']', '\u{a0}', '\t'];

/// Normalizes what the agent typed or pasted.
pub fn normalize(input: &str) -> Result<PhoneNumber> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(bad(
            Phrase::new("error.number.empty"),
            "type or paste a phone number first".into(),
        ));
    }
    let (plus, rest) = match trimmed.strip_prefix('+') {
        Some(rest) => ("+", rest),
        None => ("", trimmed),
    };
    let letters: String = rest.chars().filter(|c| c.is_alphabetic()).collect();
    if !letters.is_empty() {
        return Err(bad(
            Phrase::new("error.number.letters").with("letters", letters.as_str()),
            format!("letters are not allowed in a phone number: '{letters}'"),
        ));
    }
    let mut digits = String::with_capacity(rest.len());
    for c in rest.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !SEPARATORS.contains(&c) {
            return Err(bad(
                Phrase::new("error.number.character").with("character", c.to_string()),
                format!("'{c}' is not allowed in a phone number"),
            ));
        }
    }
    match digits.len() {
        0..=2 => Err(bad(
            Phrase::new("error.number.too_short").with("number", trimmed),
            format!("'{trimmed}' is too short for a phone number"),
        )),
        3..=20 => Ok(PhoneNumber(format!("{plus}{digits}"))),
        _ => Err(bad(
            Phrase::new("error.number.too_long").with("number", trimmed),
            format!("'{trimmed}' is too long for a phone number"),
        )),
    }
}

/// Not a phone number: `phrase` in the agent's language, `english` its words in English.
fn bad(phrase: Phrase, english: String) -> AgentError {
    AgentError::phrased(ErrorCode::InvalidNumber, phrase, english)
}

/// The first phone-number-looking run in copied text ("Call Ana at (099) 123-456 today" → 099123456), for the
/// dial hotkey when the number field is empty.
pub fn extract_from_clipboard(text: &str) -> Option<PhoneNumber> {
    let mut run = String::new();
    let mut candidates = Vec::new();
    for c in text.chars().chain(std::iter::once('\n')) {
        let continues = c.is_ascii_digit()
            || (c == '+' && run.trim().is_empty())
            || (SEPARATORS.contains(&c) && c != '\t' && !run.is_empty());
        if continues {
            run.push(c);
        } else if !run.is_empty() {
            candidates.push(std::mem::take(&mut run));
        }
    }
    candidates.iter().find_map(|c| {
        normalize(c.trim_end_matches(SEPARATORS))
            .ok()
            .filter(|p| p.as_str().trim_start_matches('+').len() >= 6)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pasted_formats_become_digits() {
        for (input, expected) in [
            ("099 123-456", "099123456"),
            ("(099) 123.456", "099123456"),
            ("+598 99 123 456", "+59899123456"),
            (" 099/123\u{a0}456 ", "099123456"),
        ] {
            assert_eq!(normalize(input).unwrap().as_str(), expected, "{input:?}");
        }
    }

    #[test]
    fn letters_and_symbols_are_refused_by_name() {
        let err = normalize("099-CALL-NOW").unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidNumber);
        assert_eq!(
            err.to_string(),
            "letters are not allowed in a phone number: 'CALLNOW'"
        );
        assert_eq!(
            normalize("099#123").unwrap_err().to_string(),
            "'#' is not allowed in a phone number"
        );
        assert!(
            normalize("12").is_err()
                && normalize("").is_err()
                && normalize("1".repeat(21).as_str()).is_err()
        );
    }

    #[test]
    fn clipboard_text_gives_the_first_phone_number() {
        assert_eq!(
            extract_from_clipboard("Call Ana at (099) 123-456 today")
                .unwrap()
                .as_str(),
            "099123456"
        );
        assert_eq!(
            extract_from_clipboard("+598 99 123 456").unwrap().as_str(),
            "+59899123456"
        );
        assert_eq!(
            extract_from_clipboard("order 42, call 099123456")
                .unwrap()
                .as_str(),
            "099123456"
        );
        assert_eq!(extract_from_clipboard("no number here"), None);
    }

    proptest! {
        #[test]
        fn normalized_numbers_are_digits_with_an_optional_plus(input in "\\PC{0,30}") {
            if let Ok(number) = normalize(&input) {
                let digits = number.as_str().strip_prefix('+').unwrap_or(number.as_str());
                prop_assert!(digits.chars().all(|c| c.is_ascii_digit()));
                prop_assert!((3..=20).contains(&digits.len()));
            }
        }

        #[test]
        fn separators_never_change_the_digits(digits in "[0-9]{3,15}", sep in "[ .()-]{0,3}") {
            let spaced: String = digits.chars().flat_map(|c| std::iter::once(c).chain(sep.chars())).collect();
            let normalized = normalize(&spaced).unwrap();
            prop_assert_eq!(normalized.as_str(), digits.as_str());
        }
    }
}

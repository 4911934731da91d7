//! The entry point for the `phone` fuzz target in `fuzz/` (the `fuzzing` feature): what the agent types or pastes
//! as a number, and clipboard text for the dial hotkey. Not a stable API and not part of the normal build; the
//! unit test below replays the committed corpus and regression inputs.

use crate::{extract_from_clipboard, normalize};

/// A fuzz target: takes any bytes, panics only when a property is broken.
pub type Target = fn(&[u8]);

/// Every target of this crate by its `cargo fuzz` name.
pub const TARGETS: &[(&str, Target)] = &[("phone", phone)];

/// What the agent types or pastes as a number, and clipboard text for the dial hotkey.
pub fn phone(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match normalize(&text) {
        Ok(number) => {
            let number = number.as_str();
            let digits = number.strip_prefix('+').unwrap_or(number);
            assert!(digits.bytes().all(|b| b.is_ascii_digit()) && (3..=20).contains(&digits.len()));
            let typed: String = text.chars().filter(char::is_ascii_digit).collect();
            assert_eq!(digits, typed, "digits were lost or invented");
            assert_eq!(
                normalize(number)
                    .expect("normalized numbers stay valid")
                    .as_str(),
                number
            );
        }
        Err(err) => {
            let rest = text.trim();
            let rest = rest.strip_prefix('+').unwrap_or(rest);
            let letters: String = rest.chars().filter(|c| c.is_alphabetic()).collect();
            if !letters.is_empty() {
                assert!(err.to_string().contains(&format!("'{letters}'")), "{err}");
            }
        }
    }
    if let Some(found) = extract_from_clipboard(&text) {
        let found = found.as_str();
        assert_eq!(
            normalize(found)
                .expect("an extracted number is valid")
                .as_str(),
            found
        );
        assert!(found.trim_start_matches('+').len() >= 6);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_seeds_and_crashes_pass() {
        integra::fuzzing::replay_committed(TARGETS);
    }
}

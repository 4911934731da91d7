//! The pairing token: 256 random bits the agent pastes once into the bridge page, kept in the OS keychain and
//! nowhere else (the `agent` crate keeps it there: `agent::pairing::pairing_token`). Pages send it as
//! `Authorization: Bearer <token>`; the bridge compares it in constant time so the time an answer takes says
//! nothing about how much of a guess was right.

use std::fmt;

use subtle::ConstantTimeEq;

use agent_error::{AgentError, ErrorCode, Phrase, Result};

/// Random bytes in a token; shown as twice as many hex digits.
const TOKEN_BYTES: usize = 32;

/// The shared secret between the app and the paired pages. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct PairingToken(String);

impl fmt::Debug for PairingToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PairingToken(<redacted>)")
    }
}

impl PairingToken {
    /// A new token from the OS's random source.
    pub fn generate() -> Result<Self> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes).map_err(|err| {
            AgentError::phrased(
                ErrorCode::BridgeUnavailable,
                Phrase::new("error.bridge.no_randomness").with("detail", err.to_string()),
                format!(
                    "the system's random source failed ({err}), so no pairing code can be made"
                ),
            )
        })?;
        Ok(Self(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    /// A token read back from storage, if it has the shape [`PairingToken::generate`] gives (so a damaged or
    /// hand-edited entry is replaced rather than trusted).
    pub fn parse(stored: &str) -> Option<Self> {
        let well_formed = stored.len() == TOKEN_BYTES * 2
            && stored
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        well_formed.then(|| Self(stored.to_owned()))
    }

    /// The token's text: what the app shows the agent as the pairing code. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether `presented` is this token, in time that does not depend on where they differ.
    pub fn matches(&self, presented: &str) -> bool {
        // Lengths are not secret (every token has the same one); the bytes are compared without early exit.
        self.0.as_bytes().ct_eq(presented.as_bytes()).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_token_matches() {
        let token = PairingToken::generate().unwrap();
        assert!(token.matches(token.expose()));
        assert!(!token.matches(""));
        assert!(!token.matches(&token.expose()[..63]));
        assert!(!token.matches(&token.expose().to_uppercase()));
        assert!(!token.matches(&format!("{}0", token.expose())));
    }

    #[test]
    fn debug_output_does_not_show_the_token() {
        let token = PairingToken::generate().unwrap();
        assert!(!format!("{token:?}").contains(token.expose()));
    }
}

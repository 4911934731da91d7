//! Payloads are stored sealed: the outbox file holds numbers, comments and customer data, which must not sit on
//! disk in the clear. The outbox only needs "seal" and "open"; the app plugs in its AES-256-GCM sealer (key in the
//! keychain), tests plug in [`TestSeal`].

use agent_error::{AgentError, ErrorCode, Result};

/// Turns a payload into stored text and back. Implementations must authenticate what they open (a tampered or
/// foreign payload is an error, never garbage).
pub trait PayloadSeal: Send + Sync {
    /// The sealed form of `plain`, as text for a SQLite column.
    fn seal(&self, plain: &[u8]) -> String;
    /// The plain bytes of `sealed`.
    fn open(&self, sealed: &str) -> Result<Vec<u8>>;
}

/// A stand-in for tests and the chaos worker: XOR with a key stream and a checksum, hex-encoded. It keeps the text
/// out of the file's bytes (which is what the tests check) but is **not encryption**; the app must use its sealer.
#[derive(Debug, Clone)]
pub struct TestSeal {
    key: u8,
}

impl TestSeal {
    /// A seal whose stream starts from `key`.
    pub fn new(key: u8) -> Self {
        Self { key }
    }

    fn stream(&self, i: usize) -> u8 {
        self.key.wrapping_add((i as u8).wrapping_mul(31)) ^ 0x5a
    }
}

fn checksum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0x17u8, |acc, b| acc.rotate_left(3) ^ b)
}

impl PayloadSeal for TestSeal {
    fn seal(&self, plain: &[u8]) -> String {
        let mut out = String::with_capacity(plain.len() * 2 + 2);
        for (i, b) in plain.iter().chain([checksum(plain)].iter()).enumerate() {
            out.push_str(&format!("{:02x}", b ^ self.stream(i)));
        }
        out
    }

    fn open(&self, sealed: &str) -> Result<Vec<u8>> {
        let broken = || AgentError::new(ErrorCode::Storage, "an outbox item cannot be unsealed");
        if sealed.len() % 2 != 0 || sealed.len() < 2 {
            return Err(broken());
        }
        let mut bytes = Vec::with_capacity(sealed.len() / 2);
        for (i, pair) in sealed.as_bytes().chunks(2).enumerate() {
            let text = std::str::from_utf8(pair).map_err(|_| broken())?;
            let b = u8::from_str_radix(text, 16).map_err(|_| broken())?;
            bytes.push(b ^ self.stream(i));
        }
        let sum = bytes.pop().ok_or_else(broken)?;
        if checksum(&bytes) != sum {
            return Err(broken());
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_text_opens_to_the_same_bytes_and_hides_them() {
        let seal = TestSeal::new(7);
        let sealed = seal.seal("mañana 099123456".as_bytes());
        assert!(!sealed.contains("099123456"));
        assert_eq!(seal.open(&sealed).unwrap(), "mañana 099123456".as_bytes());
        assert!(TestSeal::new(8).open(&sealed).is_err(), "another key fails");
    }
}

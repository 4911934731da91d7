//! Entry points for the fuzz targets in `fuzz/` (the `fuzzing` feature): CTI JSON as pages push it or the agent
//! pastes it, and the portal's encrypted CTI blobs. Each checks the promise its parser makes, not only "no panic".
//! Not a stable API and not part of the normal build; the unit test below replays the committed corpus and
//! regression inputs.

use agent_error::ErrorCode;

use crate::crypto::{CtiSecret, SecretText};
use crate::{Cti, CtiSource, DialerCti, RespoolDraft};

/// A fuzz target: takes any bytes, panics only when a property is broken.
pub type Target = fn(&[u8]);

/// Every target of this crate by its `cargo fuzz` name.
pub const TARGETS: &[(&str, Target)] = &[("cti_blob", cti_blob), ("cti_json", cti_json)];

/// Pasted or pushed CTI text: what parses converts to the Respool object and back unchanged, and a draft of it
/// never offers the spooled number; what does not parse says so with the CTI code.
pub fn cti_json(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match Cti::parse(&text, CtiSource::Pasted) {
        Ok(cti) => {
            serde_json::to_string(&cti).expect("a CTI serializes for the card");
            if let Some(dialer) = &cti.dialer {
                let respool = dialer.to_respool();
                let again = DialerCti::from_respool(&respool).expect("a parsed record reads back");
                assert_eq!(&again, dialer, "the Respool object changed the record");
                let draft = RespoolDraft::new(dialer, [dialer.destination()]);
                if let Ok(sent) = draft.submit() {
                    assert!(
                        !draft.is_spooled(&sent.destination),
                        "respooled a spooled number"
                    );
                }
            }
        }
        Err(err) => assert_eq!(err.code(), ErrorCode::InvalidCti, "{err}"),
    }
}

/// An encrypted CTI blob under both schemes: never a panic, never plaintext that is not text, and only the blob
/// error codes.
pub fn cti_blob(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let secrets = [
        CtiSecret::Passphrase(SecretText::new("s3cret-portal")),
        CtiSecret::KeyIv {
            key: SecretText::new("000102030405060708090a0b0c0d0e0f"),
            iv: SecretText::new("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"),
        },
    ];
    for secret in secrets {
        let decryptor = secret.decryptor().expect("a valid test secret");
        match decryptor.decrypt(&text) {
            Ok(plain) => {
                let _ = Cti::parse(&plain, CtiSource::Pasted);
            }
            Err(err) => assert!(
                matches!(
                    err.code(),
                    ErrorCode::CtiNotBase64
                        | ErrorCode::CtiNotSalted
                        | ErrorCode::CtiTruncated
                        | ErrorCode::CtiWrongKey
                        | ErrorCode::CtiBadPadding
                ),
                "{err}"
            ),
        }
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

//! CTI as the agent pastes or drops it, or as a paired page pushes it: JSON in one of the shapes [`Cti::parse`]
//! accepts, or the encrypted blob the portal keeps in its local storage, read with the configured decryptor and
//! the secret from the keychain. Which one it is is decided by the text itself: anything that is a JSON object
//! (or a JSON string holding one) is CTI JSON; anything else is taken for a blob.

use serde_json::Value;

use super::{Cti, CtiSource};
use crate::crypto::{self, CtiCryptoConfig};
use agent_error::Result;
use keychain::SecretStore;

fn is_cti_json(text: &str) -> bool {
    match serde_json::from_str::<Value>(text.trim()) {
        Ok(Value::Object(_)) => true,
        Ok(Value::String(inner)) => {
            matches!(serde_json::from_str::<Value>(&inner), Ok(Value::Object(_)))
        }
        _ => false,
    }
}

/// Reads pasted, dropped or pushed CTI text: JSON as it is, a blob through the configured decryptor.
pub fn read_cti(
    text: &str,
    source: CtiSource,
    config: &CtiCryptoConfig,
    secrets: &dyn SecretStore,
) -> Result<Cti> {
    if is_cti_json(text) || text.trim_start().starts_with('{') {
        return Cti::parse(text, source);
    }
    let plain = crypto::decryptor(config, secrets)?.decrypt(text)?;
    Cti::parse(&plain, source)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{save_cti_secret, CtiSecret, SecretText};
    use agent_error::ErrorCode;
    use keychain::MemoryStore;

    const PORTAL: &str = r#"{"Guid":"g-1","Screen":"FALSE","Form":"f","Campaign":"Ventas->","Callerid":"099123456","ParAndValues":"","Answer":"FALSE"}"#;

    #[test]
    fn json_is_read_as_it_is_even_without_a_secret() {
        let cti = read_cti(
            PORTAL,
            CtiSource::Pasted,
            &CtiCryptoConfig::default(),
            &MemoryStore::default(),
        )
        .unwrap();
        assert_eq!(cti.portal.unwrap().guid, "g-1");
        // Broken JSON is reported as JSON, not as a blob that fails to decrypt.
        let err = read_cti(
            "{\"Guid\":",
            CtiSource::Pasted,
            &CtiCryptoConfig::default(),
            &MemoryStore::default(),
        )
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidCti);
    }

    #[test]
    fn a_blob_needs_the_saved_secret_and_then_reads_like_json() {
        let store = MemoryStore::default();
        // The tool-made vectors (crypto-js and openssl enc; tests/vectors/make-vectors.sh).
        let vectors: Value =
            serde_json::from_str(include_str!("../tests/vectors/cti-vectors.json")).unwrap();
        let good = vectors["vectors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| {
                v["scheme"] == "cryptojs_passphrase"
                    && v["plaintext"]
                        .as_str()
                        .is_some_and(|p| p.contains("7f3c2a9e"))
            })
            .expect("a passphrase vector with portal CTI");
        let blob = good["blob"].as_str().unwrap();
        let err =
            read_cti(blob, CtiSource::Pasted, &CtiCryptoConfig::default(), &store).unwrap_err();
        assert_eq!(err.code(), ErrorCode::CtiSecretMissing);
        let passphrase = good["passphrase"].as_str().unwrap();
        save_cti_secret(&store, &CtiSecret::Passphrase(SecretText::new(passphrase))).unwrap();
        let cti = read_cti(blob, CtiSource::Bridge, &CtiCryptoConfig::default(), &store).unwrap();
        assert_eq!(cti.source, CtiSource::Bridge);
        assert_eq!(
            cti.portal.unwrap().guid,
            "7f3c2a9e-1b4d-4e8f-9a0c-2d5e6f708192"
        );
    }
}

//! The CTI secret and its keychain entries. The passphrase is kept as typed under [`CTI_PASSPHRASE_KEY`]; the
//! raw key and IV under [`CTI_KEY_IV_KEY`] as lowercase hex `key:iv`. One entry per scheme, so switching the
//! scheme back and forth loses nothing.

use super::decryptor::{CtiDecryptor, CtiScheme};
use super::passphrase::PassphraseDecryptor;
use super::raw_key::RawKeyDecryptor;
use super::secret_text::SecretText;
use agent_error::{AgentError, ErrorCode, Phrase, Result};
use keychain::SecretStore;

/// Keychain key of the CTI passphrase (the passphrase scheme).
pub const CTI_PASSPHRASE_KEY: &str = "cti-passphrase";
/// Keychain key of the CTI raw key and IV, stored as lowercase hex `key:iv`.
pub const CTI_KEY_IV_KEY: &str = "cti-key-iv";

/// The secret of a scheme. Debug shows no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CtiSecret {
    /// The portal's passphrase.
    Passphrase(SecretText),
    /// The raw AES key and IV, each hex or base64.
    KeyIv {
        /// 16, 24 or 32 bytes.
        key: SecretText,
        /// 16 bytes.
        iv: SecretText,
    },
}

impl CtiSecret {
    /// The scheme this secret is for.
    pub fn scheme(&self) -> CtiScheme {
        match self {
            Self::Passphrase(_) => CtiScheme::Passphrase,
            Self::KeyIv { .. } => CtiScheme::RawKeyIv,
        }
    }

    /// A decryptor with this secret (to try a secret on a blob before saving it). `CtiKeySize` for a bad key.
    pub fn decryptor(&self) -> Result<Box<dyn CtiDecryptor>> {
        Ok(match self {
            Self::Passphrase(passphrase) => Box::new(PassphraseDecryptor::new(passphrase.clone())),
            Self::KeyIv { key, iv } => Box::new(RawKeyDecryptor::new(key, iv)?),
        })
    }
}

fn entry(scheme: CtiScheme) -> &'static str {
    match scheme {
        CtiScheme::Passphrase => CTI_PASSPHRASE_KEY,
        CtiScheme::RawKeyIv => CTI_KEY_IV_KEY,
    }
}

/// Saves the secret in the keychain (replacing the one of its scheme). Checked first: an empty passphrase is
/// `InvalidInput`, a bad key or IV `CtiKeySize`; nothing is saved then.
pub fn save_cti_secret(store: &dyn SecretStore, secret: &CtiSecret) -> Result<()> {
    match secret {
        CtiSecret::Passphrase(passphrase) => {
            if passphrase.expose().is_empty() {
                return Err(AgentError::phrased(
                    ErrorCode::InvalidInput,
                    Phrase::new("error.cti_crypto.passphrase_empty"),
                    "the CTI passphrase is empty",
                ));
            }
            store.set(CTI_PASSPHRASE_KEY, passphrase.expose())
        }
        CtiSecret::KeyIv { key, iv } => {
            let checked = RawKeyDecryptor::new(key, iv)?;
            store.set(CTI_KEY_IV_KEY, &checked.to_stored())
        }
    }
}

/// The saved secret of `scheme`, if any. A damaged key + IV entry is `CtiKeySize`.
pub fn load_cti_secret(store: &dyn SecretStore, scheme: CtiScheme) -> Result<Option<CtiSecret>> {
    let Some(stored) = store.get(entry(scheme))?.map(SecretText::new) else {
        return Ok(None);
    };
    match scheme {
        CtiScheme::Passphrase => Ok(Some(CtiSecret::Passphrase(stored))),
        CtiScheme::RawKeyIv => {
            let (key, iv) = stored.expose().split_once(':').ok_or_else(|| {
                AgentError::phrased(
                    ErrorCode::CtiKeySize,
                    Phrase::new("error.cti_crypto.saved_key_damaged"),
                    "the CTI key saved in the keychain is damaged; enter the key and IV again",
                )
            })?;
            Ok(Some(CtiSecret::KeyIv {
                key: SecretText::new(key),
                iv: SecretText::new(iv),
            }))
        }
    }
}

/// Forgets the saved secret of `scheme`; forgetting a missing one is fine.
pub fn forget_cti_secret(store: &dyn SecretStore, scheme: CtiScheme) -> Result<()> {
    store.delete(entry(scheme))
}

#[cfg(test)]
mod tests {
    use super::*;
    use keychain::MemoryStore;

    #[test]
    fn secrets_round_trip_per_scheme_and_are_forgotten() {
        let store = MemoryStore::default();
        let passphrase = CtiSecret::Passphrase("portal pass ñ".into());
        save_cti_secret(&store, &passphrase).unwrap();
        // Base64 key and IV in, canonical hex out.
        let key_iv = CtiSecret::KeyIv {
            key: "AAECAwQFBgcICQoLDA0ODw==".into(),
            iv: "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff".into(),
        };
        save_cti_secret(&store, &key_iv).unwrap();
        assert_eq!(
            load_cti_secret(&store, CtiScheme::Passphrase).unwrap(),
            Some(passphrase)
        );
        assert_eq!(
            store.get(CTI_KEY_IV_KEY).unwrap().as_deref(),
            Some("000102030405060708090a0b0c0d0e0f:f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")
        );
        let loaded = load_cti_secret(&store, CtiScheme::RawKeyIv)
            .unwrap()
            .unwrap();
        assert_eq!(loaded.scheme(), CtiScheme::RawKeyIv);
        forget_cti_secret(&store, CtiScheme::RawKeyIv).unwrap();
        forget_cti_secret(&store, CtiScheme::RawKeyIv).unwrap();
        assert_eq!(load_cti_secret(&store, CtiScheme::RawKeyIv).unwrap(), None);
        assert!(load_cti_secret(&store, CtiScheme::Passphrase)
            .unwrap()
            .is_some());
    }

    #[test]
    fn a_bad_secret_is_refused_before_it_is_saved() {
        let store = MemoryStore::default();
        let short = CtiSecret::KeyIv {
            key: "00112233".into(),
            iv: "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff".into(),
        };
        let err = save_cti_secret(&store, &short).unwrap_err();
        assert_eq!(err.code(), ErrorCode::CtiKeySize);
        assert!(!err.to_string().contains("00112233"), "{err}");
        let err = save_cti_secret(&store, &CtiSecret::Passphrase("".into())).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert_eq!(store.get(CTI_KEY_IV_KEY).unwrap(), None);
        assert_eq!(store.get(CTI_PASSPHRASE_KEY).unwrap(), None);
    }

    #[test]
    fn a_damaged_entry_and_a_missing_one_have_their_own_codes() {
        let store = MemoryStore::default();
        store.set(CTI_KEY_IV_KEY, "no separator").unwrap();
        let err = crate::crypto::decryptor(
            &crate::crypto::CtiCryptoConfig {
                scheme: CtiScheme::RawKeyIv,
            },
            &store,
        )
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::CtiKeySize);
        let err = crate::crypto::decryptor(&Default::default(), &store).unwrap_err();
        assert_eq!(err.code(), ErrorCode::CtiSecretMissing);
    }
}

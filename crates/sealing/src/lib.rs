//! Personal data at rest (numbers, comments, CTI in the outbox) sealed with AES-256-GCM under the app's data key.
//!
//! The data key is 32 random bytes, created on first use and kept in the OS keychain as base64 under
//! [`DATA_KEY`]; it never leaves the keychain and this process. Without a usable keychain there is no [`Sealer`],
//! so there is no way to write the data: the app never falls back to plain text.
//!
//! Sealed text (for a SQLite TEXT column) is `v1:` + base64 (standard, padded) of
//! `key id (4) ‖ nonce (12) ‖ ciphertext ‖ tag (16)`, with a fresh random 96-bit nonce each time. The key id is
//! the first 4 bytes of AES-256(data key, zero block), a key check value: it tells "sealed with another key"
//! from "altered", which GCM alone cannot. `v1` and the key id are authenticated as associated data.
//!
//! A crate of its own, apart from the CTI decryptors (`cti::crypto`): what it depends on is the keychain (the data
//! key) and the outbox (it is the outbox's [`outbox::PayloadSeal`]), and what depends on it is every store of
//! personal data (the outbox, callbacks, history, the wrap-up clock's file), not CTI.

use std::fmt;

use aes::cipher::BlockEncrypt;
use aes_gcm::aead::rand_core::RngCore;
use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use zeroize::Zeroizing;

use agent_error::{AgentError, ErrorCode, Phrase, Result};
use keychain::SecretStore;

/// Keychain key of the data key (base64 of 32 bytes).
pub const DATA_KEY: &str = "data-key";

const PREFIX: &str = "v1:";
const KID: usize = 4;
const NONCE: usize = 12;
const TAG: usize = 16;

/// Seals and opens data at rest. Debug shows no key.
#[derive(Clone)]
pub struct Sealer {
    cipher: Aes256Gcm,
    kid: [u8; KID],
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealer")
            .field("key", &"<redacted>")
            .finish()
    }
}

fn no_keychain(err: AgentError) -> AgentError {
    AgentError::phrased(
        err.code(),
        Phrase::new("error.sealing.no_keychain").with("detail", err.to_string()),
        format!("the app cannot keep its data key in the system keychain, and it never writes personal data unencrypted, so nothing can be saved until the keychain works (details: {err})"),
    )
}

impl Sealer {
    /// The sealer of the data key in `store`, creating the key on first use. `KeychainUnavailable` (or the
    /// store's own code) when the keychain cannot be used or does not keep the new key; `DataKeyInvalid` when
    /// the entry is not base64 of 32 bytes (it is left alone: data sealed under it would be lost otherwise).
    pub fn from_store(store: &dyn SecretStore) -> Result<Sealer> {
        let key = match store.get(DATA_KEY).map_err(no_keychain)? {
            Some(stored) => {
                let bytes = Zeroizing::new(STANDARD.decode(stored.trim()).unwrap_or_default());
                if bytes.len() != 32 {
                    return Err(AgentError::phrased(
                        ErrorCode::DataKeyInvalid,
                        Phrase::new("error.sealing.key_damaged").with("entry", DATA_KEY),
                        format!("the app's data key in the system keychain (entry \"{DATA_KEY}\") is damaged; data saved with it cannot be read"),
                    ));
                }
                let mut key = Zeroizing::new([0u8; 32]);
                key.copy_from_slice(&bytes);
                key
            }
            None => {
                let mut key = Zeroizing::new([0u8; 32]);
                OsRng.fill_bytes(&mut key[..]);
                let encoded = Zeroizing::new(STANDARD.encode(&key[..]));
                store.set(DATA_KEY, &encoded).map_err(no_keychain)?;
                // A store that accepts and forgets (a mock keyring) would make everything sealed unreadable
                // after a restart: read the key back before using it.
                if store.get(DATA_KEY).map_err(no_keychain)?.as_deref() != Some(encoded.as_str()) {
                    return Err(AgentError::phrased(
                        ErrorCode::KeychainUnavailable,
                        Phrase::new("error.sealing.key_not_kept"),
                        "the system keychain did not keep the app's new data key, and the app never writes personal data unencrypted, so nothing can be saved until the keychain works",
                    ));
                }
                key
            }
        };
        let key = Key::<Aes256Gcm>::from_slice(&key[..]);
        Ok(Sealer {
            cipher: Aes256Gcm::new(key),
            kid: key_id(key),
        })
    }

    /// `plain` sealed as text: `v1:` + base64(key id ‖ nonce ‖ ciphertext ‖ tag), a fresh random nonce each time.
    pub fn seal(&self, plain: &[u8]) -> String {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: &self.aad(),
                },
            )
            // AES-GCM refuses only messages over 64 GiB.
            .expect("AES-GCM seals any message that fits in memory");
        let mut bytes = Vec::with_capacity(KID + NONCE + sealed.len());
        bytes.extend_from_slice(&self.kid);
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&sealed);
        format!("{PREFIX}{}", STANDARD.encode(bytes))
    }

    /// The plaintext of text made by [`Sealer::seal`]. `NotSealed` when it is not sealed text at all,
    /// `SealedOtherKey` when it was sealed with another data key, `SealedTampered` when it was altered or damaged.
    pub fn open(&self, sealed: &str) -> Result<Vec<u8>> {
        let Some(body) = sealed.strip_prefix(PREFIX) else {
            return Err(AgentError::phrased(
                ErrorCode::NotSealed,
                Phrase::new("error.sealing.not_sealed"),
                "the stored data is not sealed by the app (no \"v1:\" prefix); it is not read as plain text",
            ));
        };
        let tampered = || {
            AgentError::phrased(
                ErrorCode::SealedTampered,
                Phrase::new("error.sealing.tampered"),
                "the stored data was altered or damaged: it fails the integrity check and cannot be read",
            )
        };
        let bytes = STANDARD.decode(body).map_err(|_| tampered())?;
        if bytes.len() < KID + NONCE + TAG {
            return Err(tampered());
        }
        if bytes[..KID] != self.kid {
            return Err(AgentError::phrased(
                ErrorCode::SealedOtherKey,
                Phrase::new("error.sealing.other_key"),
                "the stored data was saved with another data key (another installation, or the keychain entry was replaced) and cannot be read with this one",
            ));
        }
        let nonce = Nonce::from_slice(&bytes[KID..KID + NONCE]);
        self.cipher
            .decrypt(
                nonce,
                Payload {
                    msg: &bytes[KID + NONCE..],
                    aad: &self.aad(),
                },
            )
            .map_err(|_| tampered())
    }

    fn aad(&self) -> [u8; 2 + KID] {
        let mut aad = [0u8; 2 + KID];
        aad[..2].copy_from_slice(b"v1");
        aad[2..].copy_from_slice(&self.kid);
        aad
    }
}

/// The key check value: the first bytes of the zero block encrypted under the key.
fn key_id(key: &Key<Aes256Gcm>) -> [u8; KID] {
    let mut block = aes::Block::default();
    aes::Aes256::new(key).encrypt_block(&mut block);
    let mut kid = [0u8; KID];
    kid.copy_from_slice(&block[..KID]);
    kid
}

/// The outbox keeps its payloads sealed with the app's data key.
impl outbox::PayloadSeal for Sealer {
    fn seal(&self, plain: &[u8]) -> String {
        Sealer::seal(self, plain)
    }

    fn open(&self, sealed: &str) -> Result<Vec<u8>> {
        Sealer::open(self, sealed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keychain::{Keychain, MemoryStore};

    /// A keychain that cannot be used (no Secret Service, locked, denied).
    struct NoKeychain;

    impl SecretStore for NoKeychain {
        fn get(&self, _: &str) -> Result<Option<String>> {
            Err(AgentError::new(
                ErrorCode::KeychainUnavailable,
                "no Secret Service on the session bus",
            ))
        }
        fn set(&self, _: &str, _: &str) -> Result<()> {
            self.get("").map(|_| ())
        }
        fn delete(&self, _: &str) -> Result<()> {
            self.get("").map(|_| ())
        }
    }

    /// A store that accepts a secret and forgets it (keyring's mock store does this).
    struct Forgetful;

    impl SecretStore for Forgetful {
        fn get(&self, _: &str) -> Result<Option<String>> {
            Ok(None)
        }
        fn set(&self, _: &str, _: &str) -> Result<()> {
            Ok(())
        }
        fn delete(&self, _: &str) -> Result<()> {
            Ok(())
        }
    }

    const PLAIN: &[u8] = "099123456 · José Pérez: llamar después de las 18".as_bytes();

    #[test]
    fn sealed_data_opens_to_the_same_bytes_and_hides_them() {
        let sealer = Sealer::from_store(&MemoryStore::default()).unwrap();
        let sealed = sealer.seal(PLAIN);
        assert!(sealed.starts_with("v1:"), "{sealed}");
        assert!(!sealed.contains("099123456"));
        assert_eq!(sealer.open(&sealed).unwrap(), PLAIN);
        assert_eq!(sealer.open(&sealer.seal(b"")).unwrap(), b"");
    }

    #[test]
    fn each_seal_uses_a_fresh_nonce() {
        let sealer = Sealer::from_store(&MemoryStore::default()).unwrap();
        let nonce =
            |sealed: &str| STANDARD.decode(&sealed[3..]).unwrap()[KID..KID + NONCE].to_vec();
        let (a, b) = (sealer.seal(PLAIN), sealer.seal(PLAIN));
        assert_ne!(a, b);
        assert_ne!(nonce(&a), nonce(&b));
    }

    #[test]
    fn every_altered_byte_is_refused() {
        let sealer = Sealer::from_store(&MemoryStore::default()).unwrap();
        let bytes = STANDARD.decode(&sealer.seal(PLAIN)[3..]).unwrap();
        // The key id first: altering it reads as another key; every other byte as tampering.
        for i in KID..bytes.len() {
            let mut altered = bytes.clone();
            altered[i] ^= 0x01;
            let err = sealer
                .open(&format!("v1:{}", STANDARD.encode(&altered)))
                .unwrap_err();
            assert_eq!(err.code(), ErrorCode::SealedTampered, "byte {i}");
        }
        let mut other_id = bytes.clone();
        other_id[0] ^= 0x01;
        let err = sealer
            .open(&format!("v1:{}", STANDARD.encode(&other_id)))
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::SealedOtherKey);
        let cut = format!("v1:{}", STANDARD.encode(&bytes[..bytes.len() - 1]));
        assert_eq!(
            sealer.open(&cut).unwrap_err().code(),
            ErrorCode::SealedTampered
        );
        assert_eq!(
            sealer.open("v1:not base64!").unwrap_err().code(),
            ErrorCode::SealedTampered
        );
        assert_eq!(
            sealer.open("v1:").unwrap_err().code(),
            ErrorCode::SealedTampered
        );
    }

    #[test]
    fn data_sealed_with_another_key_is_refused_as_such() {
        let mine = Sealer::from_store(&MemoryStore::default()).unwrap();
        let theirs = Sealer::from_store(&MemoryStore::default()).unwrap();
        let err = mine.open(&theirs.seal(PLAIN)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::SealedOtherKey);
    }

    #[test]
    fn plain_text_is_not_read_as_sealed() {
        let sealer = Sealer::from_store(&MemoryStore::default()).unwrap();
        let err = sealer.open("099123456").unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotSealed);
        assert!(!err.to_string().contains("099123456"), "{err}");
    }

    #[test]
    fn the_key_is_created_once_then_reused() {
        let store = MemoryStore::default();
        assert_eq!(store.get(DATA_KEY).unwrap(), None);
        let first = Sealer::from_store(&store).unwrap();
        let key = store.get(DATA_KEY).unwrap().expect("the key was saved");
        assert_eq!(STANDARD.decode(&key).unwrap().len(), 32);
        let sealed = first.seal(PLAIN);
        // The next run: same key, old data opens.
        let next = Sealer::from_store(&store).unwrap();
        assert_eq!(store.get(DATA_KEY).unwrap(), Some(key));
        assert_eq!(next.open(&sealed).unwrap(), PLAIN);
    }

    #[test]
    fn without_a_keychain_there_is_no_sealer_and_no_plain_text() {
        let err = Sealer::from_store(&NoKeychain).unwrap_err();
        assert_eq!(err.code(), ErrorCode::KeychainUnavailable);
        assert!(
            err.to_string()
                .contains("never writes personal data unencrypted"),
            "{err}"
        );
        let err = Sealer::from_store(&Forgetful).unwrap_err();
        assert_eq!(err.code(), ErrorCode::KeychainUnavailable);
    }

    #[test]
    fn a_damaged_key_entry_is_refused_and_left_alone() {
        let store = MemoryStore::default();
        store.set(DATA_KEY, "c2hvcnQ=").unwrap();
        let err = Sealer::from_store(&store).unwrap_err();
        assert_eq!(err.code(), ErrorCode::DataKeyInvalid);
        assert_eq!(store.get(DATA_KEY).unwrap().as_deref(), Some("c2hvcnQ="));
    }

    #[test]
    fn debug_shows_no_key() {
        let store = MemoryStore::default();
        let sealer = Sealer::from_store(&store).unwrap();
        let key = store.get(DATA_KEY).unwrap().unwrap();
        let shown = format!("{sealer:?}");
        assert!(
            !shown.contains(&key) && shown.contains("redacted"),
            "{shown}"
        );
    }

    /// The real keychain, under a test-only entry name; CI runs it inside a D-Bus session with an unlocked
    /// gnome-keyring.
    #[test]
    fn the_data_key_lives_in_the_real_keychain_when_a_secret_service_is_there() {
        if std::env::var("UCAC_TEST_KEYRING").as_deref() != Ok("1") {
            eprintln!(
                "skipped: set UCAC_TEST_KEYRING=1 inside a D-Bus session with a Secret Service"
            );
            return;
        }
        /// The keychain with entry names of this test run only, so the app's real data key is never touched.
        struct TestEntries(String);
        impl SecretStore for TestEntries {
            fn get(&self, key: &str) -> Result<Option<String>> {
                Keychain.get(&format!("{}{key}", self.0))
            }
            fn set(&self, key: &str, value: &str) -> Result<()> {
                Keychain.set(&format!("{}{key}", self.0), value)
            }
            fn delete(&self, key: &str) -> Result<()> {
                Keychain.delete(&format!("{}{key}", self.0))
            }
        }
        let store = TestEntries(format!("test:{}:", std::process::id()));
        let sealed = Sealer::from_store(&store).unwrap().seal(PLAIN);
        let reopened = Sealer::from_store(&store).unwrap();
        assert_eq!(reopened.open(&sealed).unwrap(), PLAIN);
        store.delete(DATA_KEY).unwrap();
        assert_eq!(store.get(DATA_KEY).unwrap(), None);
    }
}

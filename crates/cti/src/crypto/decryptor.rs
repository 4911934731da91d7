//! The pluggable CTI decryptor: the trait, the schemes, the (secret-free) config, and building the configured
//! decryptor with its secret from the keychain.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::cti_secret::load_cti_secret;
use agent_error::{AgentError, ErrorCode, Phrase, Result};
use keychain::SecretStore;

/// Turns an encrypted CTI blob, as copied from the portal's local storage, into its plaintext (CTI JSON text).
/// Errors: `CtiNotBase64`, `CtiNotSalted`, `CtiTruncated`, `CtiWrongKey`, `CtiBadPadding` (see the module doc
/// of `crypto` for how a wrong key is told from bad padding). Debug never shows the secret.
pub trait CtiDecryptor: Send + Sync + fmt::Debug {
    /// The scheme this decryptor implements.
    fn scheme(&self) -> CtiScheme;
    /// The plaintext of `blob`. Blanks, line breaks and surrounding double quotes from copying are ignored.
    fn decrypt(&self, blob: &str) -> Result<String>;
}

/// How the portal encrypts CTI.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CtiScheme {
    /// CryptoJS / OpenSSL passphrase format (`Salted__`, EVP_BytesToKey MD5, AES-256-CBC). The secret is a
    /// passphrase.
    #[default]
    #[serde(rename = "cryptojs_passphrase")]
    Passphrase,
    /// AES-128/192/256-CBC, PKCS7, with a raw key and IV (hex or base64).
    #[serde(rename = "raw_key_iv")]
    RawKeyIv,
}

/// The CTI decryption settings (for `settings.toml`: no secret here; the secret is in the keychain).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CtiCryptoConfig {
    /// The scheme the portal uses.
    pub scheme: CtiScheme,
}

/// The decryptor of the configured scheme with its secret from the keychain. `CtiSecretMissing` when none is
/// saved, `KeychainUnavailable` when the keychain cannot be used, `CtiKeySize` when the saved key is damaged.
pub fn decryptor(
    config: &CtiCryptoConfig,
    store: &dyn SecretStore,
) -> Result<Box<dyn CtiDecryptor>> {
    match load_cti_secret(store, config.scheme)? {
        Some(secret) => secret.decryptor(),
        None => Err(match config.scheme {
            CtiScheme::Passphrase => AgentError::phrased(
                ErrorCode::CtiSecretMissing,
                Phrase::new("error.cti_crypto.no_passphrase"),
                "no CTI passphrase is saved; enter the portal's passphrase in Settings",
            ),
            CtiScheme::RawKeyIv => AgentError::phrased(
                ErrorCode::CtiSecretMissing,
                Phrase::new("error.cti_crypto.no_key"),
                "no CTI key and IV are saved; enter the portal's key and IV in Settings",
            ),
        }),
    }
}

//! The raw key + IV scheme: AES-CBC with PKCS7 under a 16-, 24- or 32-byte key (AES-128/192/256) and a 16-byte
//! IV, both given as hex or base64; the blob in base64 or hex (the rule is in `encoding`).

use std::fmt;

use zeroize::Zeroizing;

use super::aes_cbc::{self, BLOCK};
use super::decryptor::{CtiDecryptor, CtiScheme};
use super::encoding;
use super::secret_text::SecretText;
use agent_error::{AgentError, ErrorCode, Phrase, Result};

/// Decrypts with a raw key and IV. Debug shows the key size only.
#[derive(Clone)]
pub struct RawKeyDecryptor {
    key: Zeroizing<Vec<u8>>,
    iv: Zeroizing<[u8; BLOCK]>,
}

impl RawKeyDecryptor {
    /// A decryptor from a key and IV in hex or base64. `CtiKeySize` when the key is not 16, 24 or 32 bytes, the
    /// IV not 16 bytes, or either is neither hex nor base64; the message never contains them.
    pub fn new(key: &SecretText, iv: &SecretText) -> Result<Self> {
        let key_bytes = Zeroizing::new(encoding::hex_or_base64(key.expose()).ok_or_else(|| {
            AgentError::phrased(
                ErrorCode::CtiKeySize,
                Phrase::new("error.cti_crypto.key_encoding"),
                "the CTI key is neither hex nor base64",
            )
        })?);
        if !matches!(key_bytes.len(), 16 | 24 | 32) {
            return Err(aes_cbc::key_size(key_bytes.len()));
        }
        let iv_bytes = Zeroizing::new(encoding::hex_or_base64(iv.expose()).ok_or_else(|| {
            AgentError::phrased(
                ErrorCode::CtiKeySize,
                Phrase::new("error.cti_crypto.iv_encoding"),
                "the CTI IV is neither hex nor base64",
            )
        })?);
        let iv: [u8; BLOCK] = iv_bytes.as_slice().try_into().map_err(|_| {
            AgentError::phrased(
                ErrorCode::CtiKeySize,
                Phrase::new("error.cti_crypto.iv_size").with("bytes", iv_bytes.len().to_string()),
                format!(
                    "the CTI IV is {} bytes long; an AES-CBC IV is 16 bytes (32 hex digits)",
                    iv_bytes.len()
                ),
            )
        })?;
        Ok(Self {
            key: key_bytes,
            iv: Zeroizing::new(iv),
        })
    }

    /// The AES key size in bits: 128, 192 or 256.
    pub fn key_bits(&self) -> usize {
        self.key.len() * 8
    }

    /// The key and IV as lowercase hex, `key:iv`: the form kept in the keychain.
    pub(crate) fn to_stored(&self) -> Zeroizing<String> {
        Zeroizing::new(format!(
            "{}:{}",
            hex::encode(&self.key[..]),
            hex::encode(&self.iv[..])
        ))
    }
}

impl fmt::Debug for RawKeyDecryptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawKeyDecryptor")
            .field("key_bits", &self.key_bits())
            .field("key", &"<redacted>")
            .finish()
    }
}

impl CtiDecryptor for RawKeyDecryptor {
    fn scheme(&self) -> CtiScheme {
        CtiScheme::RawKeyIv
    }

    fn decrypt(&self, blob: &str) -> Result<String> {
        let blob = encoding::unwrap_pasted(blob);
        let bytes = encoding::hex_or_base64(&blob).ok_or_else(|| {
            AgentError::phrased(
                ErrorCode::CtiNotBase64,
                Phrase::new("error.cti_crypto.not_base64_hex"),
                "the encrypted CTI is neither base64 nor hex text; copy the value the portal stored",
            )
        })?;
        let salted = bytes.starts_with(b"Salted__");
        let bits = self.key_bits().to_string();
        aes_cbc::decrypt(&self.key, &self.iv, &bytes, || {
            let message = format!(
                "the CTI could not be decrypted with the saved AES-{bits} key and IV: they are not the ones the portal uses"
            );
            if salted {
                AgentError::phrased(
                    ErrorCode::CtiWrongKey,
                    Phrase::new("error.cti_crypto.wrong_key_salted").with("bits", bits.as_str()),
                    format!("{message} (this blob is in the passphrase format: choose the passphrase scheme)"),
                )
            } else {
                AgentError::phrased(
                    ErrorCode::CtiWrongKey,
                    Phrase::new("error.cti_crypto.wrong_key").with("bits", bits.as_str()),
                    message,
                )
            }
        })
    }
}

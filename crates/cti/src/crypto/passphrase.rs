//! The CryptoJS / OpenSSL passphrase format: base64 of `Salted__` + 8-byte salt + AES-256-CBC ciphertext, key and
//! IV from OpenSSL's `EVP_BytesToKey` with MD5 and one iteration (`CryptoJS.AES.encrypt(text, "passphrase")`,
//! `openssl enc -aes-256-cbc -md md5 -salt -base64`). The passphrase is used as its UTF-8 bytes, as both tools do.

use md5::{Digest, Md5};
use zeroize::Zeroizing;

use super::aes_cbc::{self, BLOCK};
use super::decryptor::{CtiDecryptor, CtiScheme};
use super::encoding;
use super::secret_text::SecretText;
use agent_error::{AgentError, ErrorCode, Phrase, Result};

const MAGIC: &[u8; 8] = b"Salted__";
const HEADER: usize = 16;

/// Decrypts the passphrase format. Debug shows no passphrase.
#[derive(Debug, Clone)]
pub struct PassphraseDecryptor {
    passphrase: SecretText,
}

impl PassphraseDecryptor {
    /// A decryptor with this passphrase.
    pub fn new(passphrase: SecretText) -> Self {
        Self { passphrase }
    }
}

impl CtiDecryptor for PassphraseDecryptor {
    fn scheme(&self) -> CtiScheme {
        CtiScheme::Passphrase
    }

    fn decrypt(&self, blob: &str) -> Result<String> {
        let blob = encoding::unwrap_pasted(blob);
        let bytes = encoding::base64(&blob).ok_or_else(|| {
            AgentError::phrased(
                ErrorCode::CtiNotBase64,
                Phrase::new("error.cti_crypto.not_base64"),
                "the encrypted CTI is not base64 text; copy the value the portal stored",
            )
        })?;
        if bytes.len() < HEADER && MAGIC.starts_with(&bytes[..bytes.len().min(MAGIC.len())]) {
            return Err(AgentError::phrased(
                ErrorCode::CtiTruncated,
                Phrase::new("error.cti_crypto.short_header").with("bytes", bytes.len().to_string()),
                format!(
                    "the encrypted CTI is cut short: {} bytes, shorter than its 16-byte header",
                    bytes.len()
                ),
            ));
        }
        if !bytes.starts_with(MAGIC) {
            return Err(AgentError::phrased(
                ErrorCode::CtiNotSalted,
                Phrase::new("error.cti_crypto.not_salted"),
                "the encrypted CTI does not start with \"Salted__\" (\"U2FsdGVkX1\" in base64): it is not in the passphrase format; try the raw key + IV scheme",
            ));
        }
        let salt: &[u8; 8] = bytes[MAGIC.len()..HEADER]
            .try_into()
            .expect("the header length was checked");
        let (key, iv) = evp_bytes_to_key(self.passphrase.expose().as_bytes(), salt);
        aes_cbc::decrypt(&key[..], &iv, &bytes[HEADER..], || {
            AgentError::phrased(
                    ErrorCode::CtiWrongKey,
                    Phrase::new("error.cti_crypto.wrong_passphrase"),
                    "the CTI could not be decrypted with the saved passphrase: it is not the one the portal uses",
                )
        })
    }
}

/// OpenSSL's `EVP_BytesToKey` with MD5, one iteration, for AES-256-CBC: D₁ = MD5(pass ‖ salt),
/// Dᵢ = MD5(Dᵢ₋₁ ‖ pass ‖ salt); key ‖ IV = the first 48 bytes of D₁ ‖ D₂ ‖ D₃.
pub(crate) fn evp_bytes_to_key(
    passphrase: &[u8],
    salt: &[u8; 8],
) -> (Zeroizing<[u8; 32]>, [u8; BLOCK]) {
    let mut derived = Zeroizing::new([0u8; 48]);
    let mut previous: Option<[u8; 16]> = None;
    for chunk in derived.chunks_mut(16) {
        let mut md5 = Md5::new();
        if let Some(previous) = previous {
            md5.update(previous);
        }
        md5.update(passphrase);
        md5.update(salt);
        let digest: [u8; 16] = md5.finalize().into();
        chunk.copy_from_slice(&digest);
        previous = Some(digest);
    }
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(&derived[..32]);
    let mut iv = [0u8; BLOCK];
    iv.copy_from_slice(&derived[32..]);
    (key, iv)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `openssl enc -aes-256-cbc -md md5 -S <salt> -P` prints the key and IV it derives; the vectors keep them.
    #[test]
    fn the_key_derivation_is_openssls() {
        let vectors: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/vectors/cti-vectors.json")).unwrap();
        let kdf = vectors["kdf"].as_array().unwrap();
        assert!(!kdf.is_empty());
        for v in kdf {
            let salt: [u8; 8] = hex::decode(v["salt"].as_str().unwrap())
                .unwrap()
                .try_into()
                .unwrap();
            let (key, iv) = evp_bytes_to_key(v["passphrase"].as_str().unwrap().as_bytes(), &salt);
            assert_eq!(
                hex::encode(&key[..]),
                v["key"].as_str().unwrap(),
                "{}",
                v["made_with"]
            );
            assert_eq!(
                hex::encode(iv),
                v["iv"].as_str().unwrap(),
                "{}",
                v["made_with"]
            );
        }
    }
}

//! AES-CBC decryption with PKCS7, and the verdict when it fails: truncated, wrong key or bad padding (the
//! heuristic is described in the module doc of `crypto`).

use aes::cipher::block_padding::NoPadding;
use aes::cipher::{BlockDecryptMut, KeyIvInit};

use agent_error::{AgentError, ErrorCode, Phrase, Result};

/// The AES block size.
pub(crate) const BLOCK: usize = 16;

/// Decrypts `ciphertext` and checks the result is plausible CTI text. `wrong_key` is the error for a wrong
/// secret (it names the passphrase or the key, never its value).
pub(crate) fn decrypt(
    key: &[u8],
    iv: &[u8; BLOCK],
    ciphertext: &[u8],
    wrong_key: impl Fn() -> AgentError,
) -> Result<String> {
    if ciphertext.is_empty() {
        return Err(AgentError::phrased(
            ErrorCode::CtiTruncated,
            Phrase::new("error.cti_crypto.no_data"),
            "the encrypted CTI is cut short: there is no encrypted data in it",
        ));
    }
    if ciphertext.len() % BLOCK != 0 {
        return Err(AgentError::phrased(
            ErrorCode::CtiTruncated,
            Phrase::new("error.cti_crypto.not_blocks").with("bytes", ciphertext.len().to_string()),
            format!(
                "the encrypted CTI is cut short: {} bytes of encrypted data is not a whole number of 16-byte blocks; copy the whole value again",
                ciphertext.len()
            ),
        ));
    }
    let mut plain = zeroize::Zeroizing::new(ciphertext.to_vec());
    cbc_decrypt(key, iv, &mut plain)?;
    let wrong = wrong_key;
    match pkcs7_len(&plain) {
        Some(len) => {
            let text = &plain[..len];
            if plausible_cti(text, true) {
                String::from_utf8(text.to_vec()).map_err(|_| wrong())
            } else {
                Err(wrong())
            }
        }
        None => {
            let judged = if plain.len() > BLOCK {
                &plain[..plain.len() - BLOCK]
            } else {
                &plain[..]
            };
            if plausible_cti(judged, false) {
                Err(AgentError::phrased(
                    ErrorCode::CtiBadPadding,
                    Phrase::new("error.cti_crypto.padding"),
                    "the encrypted CTI decrypts, but its end is damaged or missing (invalid padding); copy the whole value again",
                ))
            } else {
                Err(wrong())
            }
        }
    }
}

fn cbc_decrypt(key: &[u8], iv: &[u8; BLOCK], buf: &mut [u8]) -> Result<()> {
    let done = match key.len() {
        16 => cbc::Decryptor::<aes::Aes128>::new(key.into(), iv.into())
            .decrypt_padded_mut::<NoPadding>(buf)
            .is_ok(),
        24 => cbc::Decryptor::<aes::Aes192>::new(key.into(), iv.into())
            .decrypt_padded_mut::<NoPadding>(buf)
            .is_ok(),
        32 => cbc::Decryptor::<aes::Aes256>::new(key.into(), iv.into())
            .decrypt_padded_mut::<NoPadding>(buf)
            .is_ok(),
        n => return Err(key_size(n)),
    };
    // NoPadding on whole blocks cannot fail; the length was checked above.
    debug_assert!(done);
    Ok(())
}

/// The key-size error, naming the size only.
pub(crate) fn key_size(bytes: usize) -> AgentError {
    AgentError::phrased(
        ErrorCode::CtiKeySize,
        Phrase::new("error.cti_crypto.key_size").with("bytes", bytes.to_string()),
        format!("the CTI key is {bytes} bytes long; an AES key is 16, 24 or 32 bytes (32, 48 or 64 hex digits)"),
    )
}

/// The length without its PKCS7 padding, if the padding is valid.
fn pkcs7_len(plain: &[u8]) -> Option<usize> {
    let pad = *plain.last()? as usize;
    if pad == 0 || pad > BLOCK || pad > plain.len() {
        return None;
    }
    plain[plain.len() - pad..]
        .iter()
        .all(|&b| b as usize == pad)
        .then_some(plain.len() - pad)
}

/// Plausible CTI text: UTF-8, no control characters but tab, CR and LF, JSON first character. When `complete`
/// is false the bytes are the blocks before the last, and may end inside a character.
fn plausible_cti(bytes: &[u8], complete: bool) -> bool {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) if !complete && e.error_len().is_none() => {
            // A multi-byte character cut at the block boundary; `valid_up_to` is a char boundary.
            match std::str::from_utf8(&bytes[..e.valid_up_to()]) {
                Ok(text) => text,
                Err(_) => return false,
            }
        }
        Err(_) => return false,
    };
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
    {
        return false;
    }
    match text
        .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .chars()
        .next()
    {
        Some(first) => matches!(first, '{' | '[' | '"'),
        None => complete && text.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkcs7_accepts_only_well_formed_padding() {
        let mut block = [b'x'; 16];
        block[15] = 1;
        assert_eq!(pkcs7_len(&block), Some(15));
        block[14..].copy_from_slice(&[2, 2]);
        assert_eq!(pkcs7_len(&block), Some(14));
        block[14] = 3;
        assert_eq!(pkcs7_len(&block), None);
        assert_eq!(pkcs7_len(&[16; 16]), Some(0));
        assert_eq!(pkcs7_len(&[0; 16]), None);
        assert_eq!(pkcs7_len(&[17; 16]), None);
    }

    #[test]
    fn plausible_cti_is_json_text_and_allows_a_cut_character_only_before_the_last_block() {
        assert!(plausible_cti(br#"{"a":"b"}"#, true));
        assert!(plausible_cti(" \n[1]".as_bytes(), true));
        assert!(plausible_cti(b"", true));
        assert!(!plausible_cti(b"", false));
        assert!(!plausible_cti(b"plain words", true));
        assert!(!plausible_cti(b"{\x00\x01}", true));
        let cut = &"{\"n\":\"ñ\"}".as_bytes()[..7]; // ends inside "ñ"
        assert!(plausible_cti(cut, false));
        assert!(!plausible_cti(cut, true));
    }

    #[test]
    fn random_blocks_are_almost_never_plausible() {
        // A fixed xorshift stream stands in for what a wrong key decrypts to.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut passed = 0;
        for _ in 0..200_000 {
            let mut block = [0u8; 16];
            for b in &mut block {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *b = (state >> 24) as u8;
            }
            passed += usize::from(plausible_cti(&block, false));
        }
        assert_eq!(passed, 0, "random blocks taken for CTI text");
    }
}

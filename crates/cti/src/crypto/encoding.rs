//! Text to bytes for blobs, keys and IVs: base64 (standard or URL-safe, padded or not, line breaks allowed) or
//! hex. One fixed rule tells them apart: text made only of hex digits, of even length, is hex; anything else is
//! base64. (Base64 of a 16- or 32-byte key ends in `=` and so is never taken for hex.)

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

/// A pasted blob without what copying adds around it: blanks, line breaks, and the quotes of a copied JSON
/// string (`"U2FsdGVk…"` from the browser's storage inspector).
pub(crate) fn unwrap_pasted(text: &str) -> String {
    let trimmed = text.trim();
    let unquoted = trimmed
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(trimmed);
    unquoted.split_whitespace().collect()
}

/// True when the text is hex by the rule above.
pub(crate) fn is_hex(text: &str) -> bool {
    !text.is_empty() && text.len() % 2 == 0 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Base64 bytes (whitespace inside is ignored), or `None`.
pub(crate) fn base64(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.split_whitespace().collect();
    STANDARD
        .decode(&compact)
        .or_else(|_| URL_SAFE.decode(&compact))
        .ok()
}

/// Hex or base64 bytes by the rule above, or `None`.
pub(crate) fn hex_or_base64(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.split_whitespace().collect();
    if is_hex(&compact) {
        hex::decode(&compact).ok()
    } else {
        base64(&compact)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_base64_are_told_apart_by_the_rule() {
        assert_eq!(hex_or_base64("00ff10").unwrap(), vec![0x00, 0xff, 0x10]);
        // Base64 of the same 16 bytes as the hex, with and without padding, URL-safe too.
        let bytes = hex::decode("fbff0102030405060708090a0b0c0d0e").unwrap();
        assert_eq!(hex_or_base64("+/8BAgMEBQYHCAkKCwwNDg==").unwrap(), bytes);
        assert_eq!(hex_or_base64("-_8BAgMEBQYHCAkKCwwNDg").unwrap(), bytes);
        assert_eq!(hex_or_base64("not hex, not base64!"), None);
    }

    #[test]
    fn what_copying_adds_is_removed() {
        assert_eq!(unwrap_pasted("  \"U2Fs\nZGVk\"\n"), "U2FsZGVk");
        assert_eq!(unwrap_pasted("U2Fs ZGVk"), "U2FsZGVk");
    }
}

//! Reading the portal's encrypted CTI: the decryptors and their secret in the keychain. (Sealing the app's own
//! data at rest is the `sealing` crate's.)
//!
//! **CTI blobs.** The uContact portal keeps CTI encrypted in its local storage with a scheme that is not
//! public, so decryption is pluggable ([`CtiDecryptor`]) with two schemes built in ([`CtiScheme`]):
//! - [`PassphraseDecryptor`]: the CryptoJS / OpenSSL passphrase format, what `CryptoJS.AES.encrypt(text,
//!   "passphrase")` and `openssl enc -aes-256-cbc -md md5 -salt -base64` produce: base64 of `Salted__` + an
//!   8-byte salt + ciphertext; key and IV from OpenSSL's `EVP_BytesToKey` (MD5, one iteration); AES-256-CBC,
//!   PKCS7.
//! - [`RawKeyDecryptor`]: AES-128/192/256-CBC with PKCS7 under a raw key (16, 24 or 32 bytes) and IV (16 bytes),
//!   given as hex or base64; the blob in base64 or hex.
//!
//! The secret (passphrase, or key + IV) lives only in the OS keychain ([`save_cti_secret`], [`load_cti_secret`],
//! [`forget_cti_secret`], under [`CTI_PASSPHRASE_KEY`] and [`CTI_KEY_IV_KEY`]); in memory it is a
//! [`SecretText`], redacted in Debug and never in an error or a log.
//!
//! **Telling a wrong key from bad padding.** CBC has no authentication: a wrong key (or IV) does not fail by
//! itself, it decrypts to random bytes, which nearly always end in invalid PKCS7 padding — the same symptom as a
//! blob whose end was damaged, cut at a block boundary, or encrypted without padding. The verdict looks at the
//! decrypted text:
//! - padding valid, and the text is plausible CTI → the plaintext;
//! - padding valid, but the text is not plausible CTI (not UTF-8, control characters, not JSON) → `CtiWrongKey`
//!   (random bytes end in a valid padding about once in 256);
//! - padding invalid, and every whole block but the last (the only block, when there is one) is plausible
//!   CTI → `CtiBadPadding`: the key is right, since CBC decrypts each block from its own ciphertext and the
//!   previous one, so damage at the end leaves the blocks before it readable;
//! - padding invalid, and the text is not plausible → `CtiWrongKey`.
//!
//! "Plausible CTI" means: valid UTF-8 (a character cut at the block boundary is allowed when judging blocks
//! before the last), no control characters but tab, CR and LF, and the first character after blanks is `{`,
//! `[` or `"` (the CTI is JSON); an empty plaintext with a valid padding is accepted. Random bytes pass this with
//! a probability well under 10⁻⁶ per 16-byte block. A wrong IV only garbles the first block, which is enough.
//! Structural problems are told before any of this: `CtiNotBase64`, `CtiNotSalted`, `CtiTruncated` (empty,
//! shorter than the header, or not a whole number of blocks), `CtiKeySize`.

mod aes_cbc;
mod cti_secret;
mod decryptor;
mod encoding;
mod passphrase;
mod raw_key;
mod secret_text;

pub use cti_secret::{
    forget_cti_secret, load_cti_secret, save_cti_secret, CtiSecret, CTI_KEY_IV_KEY,
    CTI_PASSPHRASE_KEY,
};
pub use decryptor::{decryptor, CtiCryptoConfig, CtiDecryptor, CtiScheme};
pub use passphrase::PassphraseDecryptor;
pub use raw_key::RawKeyDecryptor;
pub use secret_text::SecretText;

//! The CTI decryptors against vectors made by the real tools (crypto-js 4 and `openssl enc`; see
//! `vectors/make-vectors.sh`). The vectors are files: no tool is needed to run these tests.

use agent_error::{ErrorCode, Result};
use cti::crypto::{
    decryptor, save_cti_secret, CtiCryptoConfig, CtiDecryptor, CtiScheme, CtiSecret,
};
use keychain::MemoryStore;
use serde_json::Value;

const VECTORS: &str = include_str!("vectors/cti-vectors.json");

fn vectors() -> Value {
    serde_json::from_str(VECTORS).expect("cti-vectors.json is JSON")
}

fn field<'a>(v: &'a Value, name: &str) -> &'a str {
    v[name]
        .as_str()
        .unwrap_or_else(|| panic!("{} has no {name}", v["name"]))
}

fn secret(v: &Value) -> CtiSecret {
    match field(v, "scheme") {
        "cryptojs_passphrase" => CtiSecret::Passphrase(field(v, "passphrase").into()),
        "raw_key_iv" => CtiSecret::KeyIv {
            key: field(v, "key").into(),
            iv: field(v, "iv").into(),
        },
        other => panic!("unknown scheme {other}"),
    }
}

/// Builds the decryptor of the vector's secret and decrypts its blob (a bad key fails at the first step).
fn decrypt(v: &Value) -> Result<String> {
    secret(v).decryptor()?.decrypt(field(v, "blob"))
}

/// Every failure vector expecting `code` fails with exactly that code, and its message shows no secret.
fn assert_failures(code: ErrorCode) -> usize {
    let expected = serde_json::to_value(code).unwrap();
    let all = vectors();
    let cases: Vec<&Value> = all["failures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["expect"] == expected)
        .collect();
    assert!(!cases.is_empty(), "no failure vector for {expected}");
    for v in &cases {
        let err = decrypt(v).expect_err(field(v, "name"));
        assert_eq!(err.code(), code, "{}: {err}", v["name"]);
        for secret_field in ["passphrase", "key", "iv"] {
            if let Some(s) = v[secret_field].as_str() {
                assert!(
                    !err.to_string().contains(s),
                    "{}: the message shows the {secret_field}",
                    v["name"]
                );
            }
        }
    }
    cases.len()
}

#[test]
fn every_vector_of_both_tools_decrypts_to_its_plaintext() {
    let all = vectors();
    let vectors = all["vectors"].as_array().unwrap();
    for v in vectors {
        assert_eq!(decrypt(v).unwrap(), field(v, "plaintext"), "{}", v["name"]);
    }
    // Both schemes, each from both tools, and all three AES key sizes.
    for (scheme, tool) in [
        ("cryptojs_passphrase", "crypto-js"),
        ("cryptojs_passphrase", "OpenSSL"),
        ("raw_key_iv", "crypto-js"),
        ("raw_key_iv", "OpenSSL"),
    ] {
        assert!(
            vectors
                .iter()
                .any(|v| v["scheme"] == scheme && field(v, "tool").starts_with(tool)),
            "no {scheme} vector made by {tool}"
        );
    }
    let mut bits: Vec<usize> = vectors
        .iter()
        .filter(|v| v["scheme"] == "raw_key_iv")
        .map(|v| match secret(v) {
            CtiSecret::KeyIv { key, iv } => cti::crypto::RawKeyDecryptor::new(&key, &iv)
                .unwrap()
                .key_bits(),
            CtiSecret::Passphrase(_) => unreachable!(),
        })
        .collect();
    bits.sort();
    bits.dedup();
    assert_eq!(bits, [128, 192, 256]);
}

#[test]
fn the_decrypted_cti_is_the_json_the_portal_stored_with_its_unicode() {
    let all = vectors();
    let v = all["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "cryptojs-passphrase-unicode")
        .unwrap();
    let cti: Value = serde_json::from_str(&decrypt(v).unwrap()).unwrap();
    assert_eq!(cti["Campaign"], "Cobranzas→Ñandú");
    assert!(cti["ParAndValues"]
        .as_str()
        .unwrap()
        .ends_with("después 🙂"));
}

#[test]
fn a_blob_copied_with_quotes_and_line_breaks_still_decrypts() {
    let all = vectors();
    let v = &all["vectors"][0];
    let blob = field(v, "blob");
    let pasted = format!("  \"{}\n{}\"\n", &blob[..20], &blob[20..]);
    let plain = secret(v).decryptor().unwrap().decrypt(&pasted).unwrap();
    assert_eq!(plain, field(v, "plaintext"));
}

#[test]
fn the_configured_scheme_decrypts_with_the_secret_saved_in_the_keychain() {
    let all = vectors();
    for scheme in [CtiScheme::Passphrase, CtiScheme::RawKeyIv] {
        let store = MemoryStore::default();
        let config = CtiCryptoConfig { scheme };
        let err = decryptor(&config, &store).unwrap_err();
        assert_eq!(err.code(), ErrorCode::CtiSecretMissing);
        let scheme_name = serde_json::to_value(scheme).unwrap();
        for v in all["vectors"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["scheme"] == scheme_name)
        {
            save_cti_secret(&store, &secret(v)).unwrap();
            let d: Box<dyn CtiDecryptor> = decryptor(&config, &store).unwrap();
            assert_eq!(d.scheme(), scheme);
            assert_eq!(
                d.decrypt(field(v, "blob")).unwrap(),
                field(v, "plaintext"),
                "{}",
                v["name"]
            );
            let shown = format!("{d:?}");
            if let Some(p) = v["passphrase"].as_str() {
                assert!(!shown.contains(p), "{shown}");
            }
            if let Some(k) = v["key"].as_str() {
                assert!(!shown.contains(k), "{shown}");
            }
        }
    }
}

#[test]
fn config_names_the_schemes_as_settings_would() {
    let config: CtiCryptoConfig = toml::from_str("scheme = \"raw_key_iv\"").unwrap();
    assert_eq!(config.scheme, CtiScheme::RawKeyIv);
    let default: CtiCryptoConfig = toml::from_str("").unwrap();
    assert_eq!(default.scheme, CtiScheme::Passphrase);
}

#[test]
fn a_wrong_passphrase_key_or_iv_is_cti_wrong_key() {
    // Wrong passphrase (one and several blocks), wrong AES-256 and AES-128 keys, wrong IV.
    assert!(assert_failures(ErrorCode::CtiWrongKey) >= 5);
}

#[test]
fn a_truncated_blob_is_cti_truncated() {
    // Not a whole number of blocks (both schemes), cut inside the header, a header with no ciphertext.
    assert!(assert_failures(ErrorCode::CtiTruncated) >= 4);
    let d = CtiSecret::Passphrase("x".into()).decryptor().unwrap();
    assert_eq!(d.decrypt("").unwrap_err().code(), ErrorCode::CtiTruncated);
}

#[test]
fn bad_padding_under_the_right_key_is_cti_bad_padding() {
    // `openssl enc -nopad` (several blocks, a single block, the passphrase format), a blob cut at a block boundary.
    assert!(assert_failures(ErrorCode::CtiBadPadding) >= 4);
}

#[test]
fn text_that_is_not_base64_is_cti_not_base64() {
    assert!(assert_failures(ErrorCode::CtiNotBase64) >= 2);
}

#[test]
fn a_blob_without_the_salted_header_is_cti_not_salted() {
    assert!(assert_failures(ErrorCode::CtiNotSalted) >= 1);
}

#[test]
fn a_key_or_iv_of_the_wrong_size_is_cti_key_size() {
    assert!(assert_failures(ErrorCode::CtiKeySize) >= 2);
}

#[test]
fn every_failure_vector_is_covered_by_one_of_the_tests_above() {
    let covered = [
        ErrorCode::CtiWrongKey,
        ErrorCode::CtiTruncated,
        ErrorCode::CtiBadPadding,
        ErrorCode::CtiNotBase64,
        ErrorCode::CtiNotSalted,
        ErrorCode::CtiKeySize,
    ]
    .map(|c| serde_json::to_value(c).unwrap());
    for v in vectors()["failures"].as_array().unwrap() {
        assert!(
            covered.contains(&v["expect"]),
            "{} expects {}",
            v["name"],
            v["expect"]
        );
    }
}

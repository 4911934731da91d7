//! The one thing `diagnose` reads from the server's certificate: when it expires (`notAfter`). A few lines of DER
//! walking instead of an X.509 crate: the certificate was already verified by rustls, this only finds a date.
//!
//! Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer,
//! validity SEQUENCE { notBefore Time, notAfter Time }, … }, … }; Time is UTCTime (`YYMMDDHHMMSSZ`) or
//! GeneralizedTime (`YYYYMMDDHHMMSSZ`).

use chrono::{NaiveDateTime, TimeZone, Utc};

/// One DER element: its tag, its content, and what follows it.
fn element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let len = rest[..count]
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, &rest[count..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

const SEQUENCE: u8 = 0x30;
const VERSION: u8 = 0xa0;

/// When the DER certificate `der` stops being valid, or `None` if it cannot be read.
pub(crate) fn not_after(der: &[u8]) -> Option<chrono::DateTime<Utc>> {
    let (SEQUENCE, certificate, _) = element(der)? else {
        return None;
    };
    let (SEQUENCE, tbs, _) = element(certificate)? else {
        return None;
    };
    let mut rest = tbs;
    let (tag, _, after) = element(rest)?;
    if tag == VERSION {
        rest = after;
    }
    // serialNumber, signature algorithm, issuer.
    for _ in 0..3 {
        rest = element(rest)?.2;
    }
    let (SEQUENCE, validity, _) = element(rest)? else {
        return None;
    };
    let (_, _, after_not_before) = element(validity)?;
    let (tag, time, _) = element(after_not_before)?;
    let text = std::str::from_utf8(time).ok()?;
    let full = match tag {
        // UTCTime: years 50–99 are 19xx (RFC 5280 §4.1.2.5.1).
        0x17 if text.len() == 13 => {
            let century = if text[..2].parse::<u8>().ok()? >= 50 {
                "19"
            } else {
                "20"
            };
            format!("{century}{text}")
        }
        0x18 if text.len() == 15 => text.to_string(),
        _ => return None,
    };
    let naive = NaiveDateTime::parse_from_str(full.trim_end_matches('Z'), "%Y%m%d%H%M%S").ok()?;
    Some(Utc.from_utc_datetime(&naive))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    /// The self-signed test CA of `client/builder.rs` (EC P-256, notAfter 2126-10-31 21:31:29 as GeneralizedTime).
    const TEST_CA: &str = "MIIBijCCATGgAwIBAgIUYsz24NUvQNFCp3kcHQGA0n7CxEQwCgYIKoZIzj0EAwIw\
GjEYMBYGA1UEAwwPaW50ZWdyYSB0ZXN0IENBMCAXDTI2MTEyNDIxMzEyOVoYDzIx\
MjYxMDMxMjEzMTI5WjAaMRgwFgYDVQQDDA9pbnRlZ3JhIHRlc3QgQ0EwWTATBgcq\
hkjOPQIBBggqhkjOPQMBBwNCAAQtpm+c0PX2EEEmSzPx3oQTsiM8HLVehFXSucYm\
oicVQ1o0PgAuQd5tHpHxD+owgIj0MvXlMC1Ss9igAe3QxR5Xo1MwUTAdBgNVHQ4E\
FgQUYTafQOgZeloAp9KM7sqqWmS43howHwYDVR0jBBgwFoAUYTafQOgZeloAp9KM\
7sqqWmS43howDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiADETbY\
+gLsvrB3Lj0FMUUbT7eieOHn43z2ySqIu7mGggIgXPBPxejDqd77dpq7gtjuGw03\
Cigl4eShfIulmGOmPTE=";

    #[test]
    fn reads_not_after_and_refuses_what_is_not_a_certificate() {
        let der = base64::engine::general_purpose::STANDARD
            .decode(TEST_CA)
            .unwrap();
        assert_eq!(
            not_after(&der).unwrap().to_rfc3339(),
            "2126-10-31T21:31:29+00:00"
        );
        assert_eq!(not_after(b""), None);
        assert_eq!(not_after(&der[..40]), None);
        assert_eq!(not_after(b"\x30\x03\x02\x01\x05"), None);
    }
}

//! Who the server's certificate names and who signed it, for the probe's `tls` line: the common name (else the
//! organisation) of its subject and issuer. A few lines of DER walking instead of an X.509 crate: rustls already
//! verified the certificate, this only reads two names from it (integra's `diagnose` reads its date the same way).
//!
//! Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer Name,
//! validity, subject Name, … }, … }; Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value string }.

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
const SET: u8 = 0x31;
const VERSION: u8 = 0xa0;
const OID: u8 = 0x06;
/// id-at-commonName (2.5.4.3) and id-at-organizationName (2.5.4.10).
const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
const ORGANIZATION: &[u8] = &[0x55, 0x04, 0x0a];

/// `(subject, issuer)` as `CN=…` (or `O=…`), or `None` when the certificate cannot be read.
pub(crate) fn subject_and_issuer(der: &[u8]) -> Option<(String, String)> {
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
    // serialNumber, signature algorithm.
    for _ in 0..2 {
        rest = element(rest)?.2;
    }
    let (SEQUENCE, issuer, after_issuer) = element(rest)? else {
        return None;
    };
    let (_, _, after_validity) = element(after_issuer)?;
    let (SEQUENCE, subject, _) = element(after_validity)? else {
        return None;
    };
    Some((name(subject)?, name(issuer)?))
}

/// The common name of a Name, else its organisation.
fn name(mut rdns: &[u8]) -> Option<String> {
    let mut organization = None;
    while !rdns.is_empty() {
        let (SET, mut set, after) = element(rdns)? else {
            return None;
        };
        rdns = after;
        while !set.is_empty() {
            let (SEQUENCE, pair, after) = element(set)? else {
                return None;
            };
            set = after;
            let (OID, oid, value) = element(pair)? else {
                return None;
            };
            let (_, text, _) = element(value)?;
            let text = String::from_utf8_lossy(text).into_owned();
            if oid == COMMON_NAME {
                return Some(format!("CN={text}"));
            }
            if oid == ORGANIZATION {
                organization = Some(format!("O={text}"));
            }
        }
    }
    organization
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A DER element with a short length.
    fn der(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag, u8::try_from(content.len()).unwrap()];
        out.extend_from_slice(content);
        out
    }

    fn name_of(pairs: &[(&[u8], &str)]) -> Vec<u8> {
        let mut rdns = Vec::new();
        for (oid, text) in pairs {
            let pair = [der(OID, oid), der(0x0c, text.as_bytes())].concat();
            rdns.extend(der(SET, &der(SEQUENCE, &pair)));
        }
        der(SEQUENCE, &rdns)
    }

    #[test]
    fn the_subject_and_issuer_names_are_read_and_garbage_is_none() {
        let tbs = [
            der(VERSION, &der(0x02, &[2])),
            der(0x02, &[1]),
            der(SEQUENCE, &der(OID, &[1, 2, 3])),
            name_of(&[(ORGANIZATION, "Acme"), (COMMON_NAME, "Acme CA")]),
            der(SEQUENCE, &[]),
            name_of(&[(ORGANIZATION, "Acme")]),
        ]
        .concat();
        let certificate = der(SEQUENCE, &der(SEQUENCE, &tbs));
        assert_eq!(
            subject_and_issuer(&certificate),
            Some(("O=Acme".to_string(), "CN=Acme CA".to_string()))
        );
        for cut in 0..certificate.len() {
            let _ = subject_and_issuer(&certificate[..cut]);
        }
        assert_eq!(subject_and_issuer(b"not a certificate"), None);
    }
}

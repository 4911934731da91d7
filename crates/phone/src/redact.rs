//! A SIP message made fit for a log or a support report: the digest response and nonce-bound values of
//! Authorization headers, ICE passwords and SDES keys are replaced. Everything else (who called whom, the codecs,
//! the candidates) stays, because that is what support needs to read.

/// The message with its secrets replaced by `…`.
pub fn for_log(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for line in message.split_inclusive('\n') {
        let (content, ending) = split_ending(line);
        let lower = content.to_ascii_lowercase();
        if lower.starts_with("authorization:") || lower.starts_with("proxy-authorization:") {
            let name_end = content.find(':').unwrap_or(content.len());
            out.push_str(&content[..name_end]);
            out.push_str(": Digest …");
        } else if lower.starts_with("a=ice-pwd:") {
            out.push_str("a=ice-pwd:…");
        } else if lower.starts_with("a=crypto:") {
            out.push_str("a=crypto:…");
        } else {
            out.push_str(content);
        }
        out.push_str(ending);
    }
    out
}

/// The first line of a message (its request line or status line), for one-line logs.
pub fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or("")
}

fn split_ending(line: &str) -> (&str, &str) {
    let trimmed = line.trim_end_matches(['\r', '\n']);
    (trimmed, &line[trimmed.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_and_keys_are_taken_out_and_the_rest_stays() {
        let message = "REGISTER sip:pbx SIP/2.0\r\nAuthorization: Digest username=\"9999\", response=\"0123abcd\"\r\n\
                       proxy-authorization: Digest response=\"ffff\"\r\nCall-ID: abc\r\n\r\nv=0\r\na=ice-pwd:s3cretpwd\r\n\
                       a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:KEYKEYKEY\r\na=rtpmap:0 PCMU/8000\r\n";
        let shown = for_log(message);
        for secret in ["0123abcd", "ffff", "s3cretpwd", "KEYKEYKEY"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        for kept in [
            "REGISTER sip:pbx SIP/2.0\r\n",
            "Call-ID: abc\r\n",
            "a=rtpmap:0 PCMU/8000\r\n",
            "Authorization: Digest …\r\n",
        ] {
            assert!(shown.contains(kept), "{kept:?} missing from {shown}");
        }
        assert_eq!(first_line(message), "REGISTER sip:pbx SIP/2.0");
    }
}

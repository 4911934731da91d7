//! The sign-in screen's first question: is this address a uContact server? Asked before the password, so a typo
//! in the address is said as such instead of as a failed sign-in.
//!
//! One GET, without credentials and without side effects, on the Integra endpoint the sign-in will POST to
//! (`Integra/resources/auth/AgentLogin`). A uContact server (Tomcat + JAX-RS) has the resource, so it answers
//! anything but a 404 there — usually 405 (the resource takes POST only); a web site that is not uContact answers
//! 404, or its own HTML page for any path.

use std::path::Path;
use std::time::Duration;

use agent_error::{AgentError, ErrorCode, Phrase, Result};

/// The path below the server root that every uContact version has (the agent sign-in).
const PROBE: &str = "Integra/resources/auth/AgentLogin";

/// What the answer to the probe says about the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The Integra API is there.
    Ucontact,
    /// The server answers, but has no Integra API at that address.
    NotUcontact,
    /// The server is there but failing (5xx).
    Failing,
}

/// Judges the probe's answer by its status and content type.
pub fn judge(status: u16, content_type: &str) -> Verdict {
    match status {
        404 => Verdict::NotUcontact,
        // A 200 web page for an API path is a site that answers every path (a portal, a router's page).
        200..=299 if content_type.starts_with("text/html") => Verdict::NotUcontact,
        500..=599 => Verdict::Failing,
        _ => Verdict::Ucontact,
    }
}

/// The address the agent typed as a server root (`https://host`, with or without a path or `/Integra/resources`).
pub fn root(raw: &str) -> Result<url::Url> {
    let invalid = |phrase, message| AgentError::phrased(ErrorCode::InvalidInput, phrase, message);
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(invalid(
            Phrase::new("error.server_check.empty"),
            "type the address of your uContact server, for example https://acme.ucontactcloud.com"
                .into(),
        ));
    }
    let mut url = url::Url::parse(trimmed).map_err(|_| {
        invalid(
            Phrase::new("error.server_check.not_address").with("address", trimmed),
            format!("{trimmed} is not a web address; it looks like https://acme.ucontactcloud.com"),
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(invalid(
            Phrase::new("error.server_check.not_web").with("address", trimmed),
            format!("{trimmed} is not a web address; it starts with https:// and a server name"),
        ));
    }
    let path = url.path().trim_end_matches('/');
    let path = path.strip_suffix("/Integra/resources").unwrap_or(path);
    url.set_path(&format!("{path}/"));
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

fn unreachable(host: &str, err: &reqwest::Error) -> AgentError {
    let debug = format!("{err:?}").to_lowercase();
    let (phrase, why) = if err.is_timeout() {
        (
            Phrase::new("error.server_check.timeout").with("host", host),
            "it did not answer within 5 seconds",
        )
    } else if debug.contains("certificate") {
        (
            Phrase::new("error.server_check.certificate").with("host", host),
            "its security certificate is not trusted (an on-premise server may need its CA certificate in Settings)",
        )
    } else if debug.contains("dns") {
        (
            Phrase::new("error.server_check.unknown_name").with("host", host),
            "that name is not known (check the spelling)",
        )
    } else {
        (
            Phrase::new("error.server_check.nothing_answers").with("host", host),
            "nothing answers there (check the address and your network)",
        )
    };
    AgentError::phrased(
        ErrorCode::ServerUnreachable,
        phrase,
        format!("cannot reach the uContact server {host}: {why}"),
    )
}

/// Checks the address (through the configured proxy, trusting the configured CA); `Ok` says what was found, in
/// plain words.
pub async fn check(
    url: &str,
    ca_certificate: Option<&Path>,
    proxy: &integra::ProxyConfig,
) -> Result<String> {
    let root = root(url)?;
    let host = root.host_str().unwrap_or_default().to_string();
    let mut http = reqwest::Client::builder()
        .use_rustls_tls()
        .timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none());
    http = proxy.apply(http)?;
    if let Some(ca) = ca_certificate {
        let pem = std::fs::read(ca).map_err(|e| {
            AgentError::phrased(
                ErrorCode::InvalidInput,
                Phrase::new("error.session.ca_unreadable")
                    .with("path", ca.display().to_string())
                    .with("detail", e.to_string()),
                format!("cannot read the CA certificate {}: {e}", ca.display()),
            )
        })?;
        for cert in reqwest::Certificate::from_pem_bundle(&pem).unwrap_or_default() {
            http = http.add_root_certificate(cert);
        }
    }
    // Neither fails with a rustls client and a root URL: their words are the library's.
    let http = http
        .build()
        .map_err(|e| AgentError::new(ErrorCode::InvalidInput, e.to_string()))?;
    let probe = root
        .join(PROBE)
        .map_err(|e| AgentError::new(ErrorCode::InvalidInput, e.to_string()))?;
    let answer = http
        .get(probe)
        .send()
        .await
        .map_err(|e| unreachable(&host, &e))?;
    let status = answer.status().as_u16();
    let content_type = answer
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    match judge(status, &content_type) {
        Verdict::Ucontact => Ok(format!("uContact server found at {host}.")),
        Verdict::NotUcontact => Err(AgentError::phrased(
            ErrorCode::ServerError,
            Phrase::new("error.server_check.not_ucontact").with("host", host.as_str()),
            format!(
                "{host} answers, but it is not a uContact server (it has no Integra API). Check the address with your supervisor."
            ),
        )),
        Verdict::Failing => Err(AgentError::phrased(
            ErrorCode::ServerError,
            Phrase::new("error.server_check.failing")
                .with("host", host.as_str())
                .with("status", status.to_string()),
            format!("the uContact server {host} answers with an error (HTTP {status}); try again in a minute."),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_becomes_the_server_root_whatever_the_agent_pasted() {
        for raw in [
            "https://acme.example",
            "https://acme.example/",
            " https://acme.example/Integra/resources/ ",
            "https://acme.example/Integra/resources?x=1#top",
        ] {
            assert_eq!(
                root(raw).unwrap().as_str(),
                "https://acme.example/",
                "{raw}"
            );
        }
        assert_eq!(
            root("http://10.0.0.5:8080/pbx").unwrap().as_str(),
            "http://10.0.0.5:8080/pbx/"
        );
    }

    #[test]
    fn what_is_not_a_web_address_is_said_in_plain_words() {
        assert!(root("")
            .unwrap_err()
            .to_string()
            .contains("type the address"));
        assert!(root("acme.ucontactcloud.com")
            .unwrap_err()
            .to_string()
            .contains("is not a web address"));
        assert!(root("ftp://acme.example")
            .unwrap_err()
            .to_string()
            .contains("starts with https://"));
    }

    #[test]
    fn the_answer_says_whether_integra_is_there() {
        assert_eq!(judge(405, "text/html"), Verdict::Ucontact);
        assert_eq!(judge(401, ""), Verdict::Ucontact);
        assert_eq!(judge(200, "text/plain"), Verdict::Ucontact);
        assert_eq!(judge(404, "text/html"), Verdict::NotUcontact);
        assert_eq!(judge(200, "text/html; charset=utf-8"), Verdict::NotUcontact);
        assert_eq!(judge(503, "text/html"), Verdict::Failing);
    }
}

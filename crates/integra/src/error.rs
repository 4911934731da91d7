//! The one error type of the client.
//!
//! Every variant names the endpoint it came from, and server replies that do not fit keep their HTTP status and
//! body (shortened), so an agent or admin can tell "the server said no" from "the server is down" from "the server
//! answered something we do not understand". Messages never contain a token or a password: the client never puts
//! request data into an error, and the answers of the login endpoints (which carry tokens) are replaced by their
//! length unless they are an HTML error page.

use crate::proxy::ProxyProblem;

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Longest server body kept in an error, in characters.
pub(crate) const BODY_LIMIT: usize = 512;

/// Why a call to the Integra API did not succeed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered `0`, uContact's way of saying a parameter was missing or invalid, or the action failed.
    #[error("{endpoint}: the server rejected the request (it answered {body:?})")]
    Rejected {
        /// Endpoint path below `Integra/resources/`.
        endpoint: &'static str,
        /// What the server answered (normally `0`).
        body: String,
    },
    /// HTTP 401: the session token is missing, expired or was ended.
    #[error(
        "{endpoint}: not authorized (HTTP 401): the session token is missing, expired or was ended"
    )]
    Unauthorized {
        /// Endpoint path below `Integra/resources/`.
        endpoint: &'static str,
    },
    /// HTTP 404: this server does not have the endpoint (older uContact versions lack some), or the file is not
    /// where it was looked for.
    #[error("{endpoint}: not found on this server (HTTP 404)")]
    NotFound {
        /// Endpoint path below `Integra/resources/`.
        endpoint: &'static str,
    },
    /// Any other HTTP status that is not a success.
    #[error("{endpoint}: the server answered HTTP {status}: {body}")]
    Status {
        /// Endpoint path below `Integra/resources/`.
        endpoint: &'static str,
        /// HTTP status code.
        status: u16,
        /// The start of the body.
        body: String,
    },
    /// A body of the wrong shape: an HTML page (from a proxy or the application server), nothing where a value
    /// was expected, or text where JSON was expected. `status` may be a success or an error status.
    #[error("{endpoint}: unexpected reply (HTTP {status}, expected {expected}): {body:?}")]
    UnexpectedBody {
        /// Endpoint path below `Integra/resources/`.
        endpoint: &'static str,
        /// HTTP status code.
        status: u16,
        /// The start of the body.
        body: String,
        /// What the client expected, in words.
        expected: &'static str,
    },
    /// JSON that does not fit the typed reply.
    #[error("{endpoint}: could not read the server's JSON ({source}): {body:?}")]
    Decode {
        /// Endpoint path below `Integra/resources/`.
        endpoint: &'static str,
        /// The start of the body.
        body: String,
        /// The decoder's complaint.
        #[source]
        source: serde_json::Error,
    },
    /// No complete answer within the configured timeout.
    #[error("{endpoint}: the server did not answer in time")]
    Timeout {
        /// Endpoint path below `Integra/resources/`.
        endpoint: &'static str,
    },
    /// The server could not be reached (refused, DNS, TLS handshake).
    #[error("{endpoint}: cannot reach the server: {detail}")]
    Connect {
        /// Endpoint path below `Integra/resources/`.
        endpoint: &'static str,
        /// The transport's explanation.
        detail: String,
    },
    /// The connection broke while sending or receiving.
    #[error("{endpoint}: the connection failed: {detail}")]
    Transport {
        /// Endpoint path below `Integra/resources/`.
        endpoint: &'static str,
        /// The transport's explanation.
        detail: String,
    },
    /// The proxy between the client and the server refused or failed the request (see [`crate::proxy`]); the
    /// server itself was not reached.
    #[error("{endpoint}: {proxy} {problem}")]
    Proxy {
        /// Endpoint path below `Integra/resources/`.
        endpoint: &'static str,
        /// Which proxy, e.g. `the configured proxy http://proxy.acme.example:3128/` (never with credentials).
        proxy: String,
        /// What went wrong, with what to do about it.
        problem: ProxyProblem,
    },
    /// The caller passed a value the API cannot take; nothing was sent.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The parameter at fault.
        field: &'static str,
        /// Why it is refused.
        reason: String,
    },
    /// A local file (a dialer base) could not be read.
    #[error("cannot read the file: {detail}")]
    Io {
        /// The file and the operating system's explanation.
        detail: String,
    },
}

impl Error {
    /// True for failures where sending the same *idempotent* request again may succeed: timeouts, connection
    /// failures and 5xx answers (also 5xx HTML pages from a proxy). Never true for `Rejected`, `Unauthorized`, 4xx
    /// or input errors. AgentCall must not be retried even when this is true: see [`crate::Client::agent_call`].
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Timeout { .. } | Error::Connect { .. } | Error::Transport { .. } => true,
            Error::Status { status, .. } | Error::UnexpectedBody { status, .. } => *status >= 500,
            Error::Proxy { problem, .. } => problem.is_transient(),
            _ => false,
        }
    }

    /// The endpoint the error came from, when it came from the server or the network.
    pub fn endpoint(&self) -> Option<&'static str> {
        match self {
            Error::Rejected { endpoint, .. }
            | Error::Unauthorized { endpoint }
            | Error::NotFound { endpoint }
            | Error::Status { endpoint, .. }
            | Error::UnexpectedBody { endpoint, .. }
            | Error::Decode { endpoint, .. }
            | Error::Timeout { endpoint }
            | Error::Connect { endpoint, .. }
            | Error::Transport { endpoint, .. }
            | Error::Proxy { endpoint, .. } => Some(endpoint),
            Error::InvalidInput { .. } | Error::Io { .. } => None,
        }
    }

    /// Builds an `InvalidInput` error.
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            reason: reason.into(),
        }
    }

    pub(crate) fn from_reqwest(endpoint: &'static str, err: reqwest::Error) -> Self {
        // reqwest's own Display repeats the URL; keep the root cause only ("connection refused", "tls handshake…").
        // Neither carries request data, so no credential can get in here.
        let detail = root_cause(&err);
        if err.is_timeout() {
            Error::Timeout { endpoint }
        } else if err.is_connect() {
            Error::Connect { endpoint, detail }
        } else {
            Error::Transport { endpoint, detail }
        }
    }
}

/// The TLS failure behind a connection error, if it was one (rustls's own error, which reqwest wraps in an
/// `io::Error`; `io::Error::source` skips the wrapped error itself, hence `get_ref`).
pub(crate) fn tls_failure(err: &(dyn std::error::Error + 'static)) -> Option<rustls::Error> {
    let mut cause = Some(err);
    while let Some(current) = cause {
        if let Some(tls) = current.downcast_ref::<rustls::Error>() {
            return Some(tls.clone());
        }
        if let Some(tls) = current
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Some(tls.clone());
        }
        // The wrapped error is not always reachable by type; rustls's Display of a refused certificate is stable.
        if let Some(kind) = current
            .to_string()
            .strip_prefix("invalid peer certificate: ")
        {
            use rustls::CertificateError as C;
            let certificate = match kind {
                k if k.starts_with("UnknownIssuer") => Some(C::UnknownIssuer),
                k if k.starts_with("certificate expired") || k.starts_with("Expired") => {
                    Some(C::Expired)
                }
                k if k.starts_with("certificate not valid yet") || k.starts_with("NotValidYet") => {
                    Some(C::NotValidYet)
                }
                k if k.contains("not valid for name") || k.starts_with("NotValidForName") => {
                    Some(C::NotValidForName)
                }
                _ => None,
            };
            return Some(rustls::Error::InvalidCertificate(
                certificate.unwrap_or(C::BadEncoding),
            ));
        }
        cause = current.source();
    }
    None
}

pub(crate) fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// Shortens a server body for an error message without splitting a character.
pub(crate) fn clip(body: &str) -> String {
    let trimmed = body.trim();
    match trimmed.char_indices().nth(BODY_LIMIT) {
        Some((cut, _)) => format!("{}…", &trimmed[..cut]),
        None => trimmed.to_string(),
    }
}

/// Endpoints whose answers carry a session token.
const CREDENTIAL_ENDPOINTS: [&str; 3] = ["auth/AgentLogin", "auth/getUserToken", "auth/UserLogin"];

/// The body to keep in an error about `endpoint`: clipped, and for the login endpoints hidden unless it is an HTML
/// page or a bare `0`, because a login answer that does not fit may still hold a token.
pub(crate) fn body_for(endpoint: &str, body: &str) -> String {
    let trimmed = body.trim();
    if CREDENTIAL_ENDPOINTS.contains(&endpoint)
        && !(trimmed.starts_with('<') || trimmed == "0" || trimmed.is_empty())
    {
        return format!(
            "<{} bytes not shown: login answers may contain credentials>",
            body.len()
        );
    }
    clip(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_keeps_short_bodies_and_cuts_long_ones_on_a_char_boundary() {
        assert_eq!(clip("  0 \n"), "0");
        let long = "é".repeat(BODY_LIMIT + 10);
        let clipped = clip(&long);
        assert_eq!(clipped.chars().count(), BODY_LIMIT + 1);
        assert!(clipped.ends_with('…'));
    }

    #[test]
    fn login_answers_are_hidden_but_error_pages_are_kept() {
        let body = r#"{"md5secret":"YWxpY2U6OWQ0","secret":"sip"}"#;
        let kept = body_for("auth/AgentLogin", body);
        assert!(!kept.contains("YWxpY2U6OWQ0"), "{kept}");
        assert!(kept.contains(&body.len().to_string()), "{kept}");
        assert_eq!(
            body_for("auth/getUserToken", "<h1>Bad Gateway</h1>"),
            "<h1>Bad Gateway</h1>"
        );
        assert_eq!(body_for("auth/UserLogin", " 0 "), "0");
        assert_eq!(
            body_for("Supervisor/queuesummary", body),
            body,
            "other answers are kept"
        );
    }

    #[test]
    fn only_transport_failures_and_5xx_are_transient() {
        let status = |status| Error::Status {
            endpoint: "x",
            status,
            body: String::new(),
        };
        assert!(Error::Timeout { endpoint: "x" }.is_transient());
        assert!(status(503).is_transient());
        assert!(!status(400).is_transient());
        assert!(Error::UnexpectedBody {
            endpoint: "x",
            status: 502,
            body: "<html>".into(),
            expected: "JSON"
        }
        .is_transient());
        assert!(!Error::Rejected {
            endpoint: "x",
            body: "0".into()
        }
        .is_transient());
        assert!(!Error::Unauthorized { endpoint: "x" }.is_transient());
        assert!(!Error::invalid("phone", "empty").is_transient());
    }

    #[test]
    fn messages_name_the_endpoint_and_the_reason() {
        let err = Error::Rejected {
            endpoint: "Agents/AgentCall",
            body: "0".into(),
        };
        assert_eq!(
            err.to_string(),
            "Agents/AgentCall: the server rejected the request (it answered \"0\")"
        );
        assert_eq!(err.endpoint(), Some("Agents/AgentCall"));
        assert_eq!(
            Error::invalid("destination", "must not be empty").to_string(),
            "invalid destination: must not be empty"
        );
    }
}

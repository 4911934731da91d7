//! The one error type of the client.
//!
//! Every variant names the endpoint it came from, and server replies that do not fit keep their HTTP status and
//! body (shortened), so an agent or admin can tell "the server said no" from "the server is down" from "the server
//! answered something we do not understand". Messages never contain a token or a password: the client never puts
//! request data into an error, only what the server answered.

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Longest server body kept in an error, in characters.
pub(crate) const BODY_LIMIT: usize = 512;

/// Why a call to the Integra API did not succeed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered `0`, uContact's way of saying a parameter was missing or invalid, or the action failed.
    #[error("{endpoint}: the server rejected the request (it answered \"{body}\")")]
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
    /// HTTP 404: this server does not have the endpoint (older uContact versions lack some).
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
    /// A success status with a body of the wrong shape: an HTML page, nothing, or text where JSON was expected.
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
    /// No answer within the configured timeout.
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
    /// The caller passed a value the API cannot take; nothing was sent.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The parameter at fault.
        field: &'static str,
        /// Why it is refused.
        reason: String,
    },
    /// A local file (a dialer base) could not be read.
    #[error("cannot read {path}: {detail}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's explanation.
        detail: String,
    },
}

impl Error {
    /// True for failures where sending the same idempotent request again may succeed: timeouts, connection
    /// failures and 5xx answers. Never true for `Rejected`, `Unauthorized` or input errors.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Timeout { .. } | Error::Connect { .. } | Error::Transport { .. } => true,
            Error::Status { status, .. } => *status >= 500,
            Error::UnexpectedBody { status, .. } => *status >= 500,
            _ => false,
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
        // reqwest's Display includes the URL; ours has no credentials in it, but keep only the root cause text.
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

fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
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
    fn only_transport_failures_and_5xx_are_transient() {
        assert!(Error::Timeout { endpoint: "x" }.is_transient());
        assert!(Error::Status {
            endpoint: "x",
            status: 503,
            body: String::new()
        }
        .is_transient());
        assert!(!Error::Status {
            endpoint: "x",
            status: 400,
            body: String::new()
        }
        .is_transient());
        assert!(!Error::Rejected {
            endpoint: "x",
            body: "0".into()
        }
        .is_transient());
        assert!(!Error::Unauthorized { endpoint: "x" }.is_transient());
    }
}

//! `integra`'s errors as the agent's: each variant's code (what the window acts on) and its words by key
//! (`error.server.*`), the server's own words kept as parameters.

use crate::{AgentError, ErrorCode, Phrase};

impl From<integra::Error> for AgentError {
    fn from(err: integra::Error) -> Self {
        use integra::Error as E;
        let code = match &err {
            E::Rejected { .. } => ErrorCode::ServerRejected,
            E::Unauthorized { .. } => ErrorCode::Unauthorized,
            E::Timeout { .. } | E::Connect { .. } | E::Transport { .. } | E::Proxy { .. } => {
                ErrorCode::ServerUnreachable
            }
            E::InvalidInput { .. } => ErrorCode::InvalidInput,
            _ => ErrorCode::ServerError,
        };
        match integra_phrase(&err) {
            Some(phrase) => Self::phrased(code, phrase, err.to_string()),
            None => Self::new(code, err.to_string()),
        }
    }
}

/// The words of an `integra` error by key (`error.server.*`), with the same parameters as its English text
/// (`Display`); the server's own words (a body, a transport's explanation) stay as they are, untranslated. `None`
/// for a variant `integra` adds later.
pub fn integra_phrase(err: &integra::Error) -> Option<Phrase> {
    use integra::Error as E;
    use integra::ProxyProblem as P;
    Some(match err {
        E::Rejected { endpoint, body } => Phrase::new("error.server.rejected")
            .with("endpoint", *endpoint)
            .with("body", format!("{body:?}")),
        E::Unauthorized { endpoint } => {
            Phrase::new("error.server.unauthorized").with("endpoint", *endpoint)
        }
        E::NotFound { endpoint } => {
            Phrase::new("error.server.not_found").with("endpoint", *endpoint)
        }
        E::Status {
            endpoint,
            status,
            body,
        } => Phrase::new("error.server.status")
            .with("endpoint", *endpoint)
            .with("status", status.to_string())
            .with("body", body.as_str()),
        E::UnexpectedBody {
            endpoint,
            status,
            body,
            expected,
        } => Phrase::new("error.server.unexpected")
            .with("endpoint", *endpoint)
            .with("status", status.to_string())
            .with("expected", *expected)
            .with("body", format!("{body:?}")),
        E::Decode {
            endpoint,
            body,
            source,
        } => Phrase::new("error.server.decode")
            .with("endpoint", *endpoint)
            .with("detail", source.to_string())
            .with("body", format!("{body:?}")),
        E::Timeout { endpoint } => Phrase::new("error.server.timeout").with("endpoint", *endpoint),
        E::Connect { endpoint, detail } => Phrase::new("error.server.connect")
            .with("endpoint", *endpoint)
            .with("detail", detail.as_str()),
        E::Transport { endpoint, detail } => Phrase::new("error.server.transport")
            .with("endpoint", *endpoint)
            .with("detail", detail.as_str()),
        E::Proxy {
            endpoint,
            proxy,
            problem,
        } => match problem {
            P::Unreachable(detail) => Phrase::new("error.server.proxy_unreachable")
                .with("endpoint", *endpoint)
                .with("proxy", proxy.as_str())
                .with("detail", detail.as_str()),
            P::AuthRequired => Phrase::new("error.server.proxy_auth_required")
                .with("endpoint", *endpoint)
                .with("proxy", proxy.as_str()),
            P::CredentialsRefused => Phrase::new("error.server.proxy_credentials_refused")
                .with("endpoint", *endpoint)
                .with("proxy", proxy.as_str()),
            P::TunnelRefused => Phrase::new("error.server.proxy_tunnel_refused")
                .with("endpoint", *endpoint)
                .with("proxy", proxy.as_str()),
            _ => return None,
        },
        E::InvalidInput { field, reason } => Phrase::new("error.server.invalid_input")
            .with("field", *field)
            .with("reason", reason.as_str()),
        E::Io { detail } => Phrase::new("error.server.io").with("detail", detail.as_str()),
        _ => return None,
    })
}

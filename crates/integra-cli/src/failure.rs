//! Why a run failed, as the command line reports it: one plain sentence on stderr and an exit code a script can
//! act on (the table is in `integra --help`).

use integra::Error;

/// A failed run.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The server has no such thing (a recording in none of its places). Exit 1, like a rejection.
    #[error("{0}")]
    Refused(String),
    /// Bad usage or input (a flag, a file, a date); the request was not sent. Exit 2.
    #[error("{0}")]
    Usage(String),
    /// No usable session: not signed in, wrong user or password, an expired session, or no keychain. Exit 3.
    #[error("{0}")]
    Credentials(String),
    /// The server could not be reached or did not answer in time. Exit 4.
    #[error("{what} (server {server}){}", timeout_hint(.what))]
    Unreachable {
        /// The client's explanation, naming the endpoint.
        what: Error,
        /// The server root, so a wrong --server shows at once.
        server: String,
    },
    /// A request to the server failed in another way: rejected (exit 1), unexpected answer (exit 5), invalid input
    /// caught by the client (exit 2), or a 401 (exit 3).
    #[error("{}", api_message(.0))]
    Api(#[from] Error),
    /// `integra doctor` found problems (listed on stdout); the exit code is that of the first one's kind.
    #[error("{summary}")]
    Checkup {
        /// Which checks failed.
        summary: String,
        /// 4 for the network (proxy, DNS, TCP, TLS), 3 for the sign-in, 5 for an answer that is not uContact's
        /// or a clock that is off.
        code: u8,
    },
    /// [`Failure::Api`] with a word on what to check; same exit code.
    #[error("{}; {hint}", api_message(.source))]
    Hinted {
        /// The client's error.
        source: Error,
        /// What to check, in the command's terms.
        hint: String,
    },
}

impl Failure {
    /// The exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Refused(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Credentials(_) => 3,
            Failure::Unreachable { .. } => 4,
            Failure::Checkup { code, .. } => *code,
            Failure::Api(err) | Failure::Hinted { source: err, .. } => match err {
                Error::Rejected { .. } => 1,
                Error::InvalidInput { .. } | Error::Io { .. } => 2,
                Error::Unauthorized { .. } => 3,
                Error::Timeout { .. }
                | Error::Connect { .. }
                | Error::Transport { .. }
                | Error::Proxy { .. } => 4,
                _ => 5,
            },
        }
    }

    /// Adds `hint` when the server rejected the request (answered `0`), which says nothing about why.
    pub fn hint_if_rejected(self, hint: impl Into<String>) -> Self {
        match self {
            Failure::Api(source @ Error::Rejected { .. }) => Failure::Hinted {
                source,
                hint: hint.into(),
            },
            other => other,
        }
    }

    /// True when the request never got an answer (the server is down or the network failed).
    pub fn is_network(&self) -> bool {
        matches!(self, Failure::Unreachable { .. })
            || matches!(
                self,
                Failure::Api(
                    Error::Timeout { .. }
                        | Error::Connect { .. }
                        | Error::Transport { .. }
                        | Error::Proxy { .. }
                )
            )
    }

    /// Names the server in network failures, which is what a wrong --server or a down server looks like.
    pub fn at_server(self, server: &str) -> Self {
        match self {
            Failure::Api(
                what @ (Error::Timeout { .. } | Error::Connect { .. } | Error::Transport { .. }),
            ) => Failure::Unreachable {
                what,
                server: server.to_string(),
            },
            other => other,
        }
    }

    /// True when the server said the session token is not (or no longer) valid.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Failure::Api(Error::Unauthorized { .. }))
    }

    /// A usage failure for a file the user named.
    pub fn file(path: &std::path::Path, err: impl std::fmt::Display) -> Self {
        Failure::Usage(format!("{}: {err}", path.display()))
    }
}

/// The client's message, plus what to do about it where that is not obvious.
fn api_message(err: &Error) -> String {
    match err {
        Error::Unauthorized { .. } => {
            format!("{err}; sign in again with `integra login` (or pass --password-stdin)")
        }
        _ => format!("{err}{}", timeout_hint(err)),
    }
}

fn timeout_hint(err: &Error) -> &'static str {
    match err {
        Error::Timeout { .. } => "; a longer --timeout may help",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_kind_of_failure() {
        let cases = [
            (
                Failure::from(Error::Rejected {
                    endpoint: "Agents/AgentCall",
                    body: "0".into(),
                }),
                1,
            ),
            (Failure::from(Error::invalid("schedule", "bad")), 2),
            (Failure::Usage("x".into()), 2),
            (
                Failure::from(Error::Unauthorized {
                    endpoint: "Supervisor/queuesummary",
                }),
                3,
            ),
            (
                Failure::from(Error::Timeout {
                    endpoint: "Supervisor/queuesummary",
                })
                .at_server("http://x"),
                4,
            ),
            (
                Failure::from(Error::Status {
                    endpoint: "Supervisor/queuesummary",
                    status: 500,
                    body: String::new(),
                }),
                5,
            ),
        ];
        for (failure, code) in cases {
            assert_eq!(failure.exit_code(), code, "{failure}");
        }
    }

    #[test]
    fn unreachable_names_the_server() {
        let failure = Failure::from(Error::Connect {
            endpoint: "auth/AgentLogin",
            detail: "connection refused".into(),
        })
        .at_server("http://127.0.0.1:9");
        assert_eq!(
            failure.to_string(),
            "auth/AgentLogin: cannot reach the server: connection refused (server http://127.0.0.1:9)"
        );
    }
}

//! Errors as the command line reports them: a plain sentence on stderr and an exit code scripts can act on.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done |
//! | 1 | the server rejected the request (it answered `0`) |
//! | 2 | usage or invalid input: nothing was sent |
//! | 3 | not signed in, wrong credentials, or the session expired |
//! | 4 | the server could not be reached or did not answer in time |
//! | 5 | the server answered something unexpected, or a local failure |

use integra::Error;

/// A failed run.
#[derive(Debug)]
pub struct Failure {
    /// Exit code.
    pub code: u8,
    /// What to tell the user.
    pub message: String,
}

impl Failure {
    /// Usage or input error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }

    /// Credentials problem (exit 3).
    pub fn auth(message: impl Into<String>) -> Self {
        Self {
            code: 3,
            message: message.into(),
        }
    }

    /// Local failure (exit 5).
    pub fn local(message: impl Into<String>) -> Self {
        Self {
            code: 5,
            message: message.into(),
        }
    }
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        let code = match &err {
            Error::Rejected { .. } => 1,
            Error::InvalidInput { .. } => 2,
            Error::Unauthorized { .. } => 3,
            Error::Timeout { .. } | Error::Connect { .. } | Error::Transport { .. } => 4,
            _ => 5,
        };
        let hint = match code {
            3 => " (sign in again with `integra login`)",
            _ => "",
        };
        Self {
            code,
            message: format!("{err}{hint}"),
        }
    }
}

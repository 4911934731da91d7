//! A file in the agent's folders that could not be read, created or written: one `storage` error, worded by key
//! (`error.file.*`), for every store that keeps a file of its own (breaks, the wrap-up countdown, the window's
//! state, the SQLite files' folder).

use std::path::Path;

use crate::{AgentError, ErrorCode, Phrase};

/// What was done to the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileOp {
    /// Reading it.
    Read,
    /// Creating it (or its folder).
    Create,
    /// Writing it.
    Write,
}

/// `op` on `path` failed with `err`: "cannot write {path}: {detail}", code `storage`.
pub fn file_error(op: FileOp, path: &Path, err: &std::io::Error) -> AgentError {
    let (shown, detail) = (path.display().to_string(), err.to_string());
    let (phrase, verb) = match op {
        FileOp::Read => (
            Phrase::new("error.file.cannot_read")
                .with("path", shown)
                .with("detail", detail),
            "read",
        ),
        FileOp::Create => (
            Phrase::new("error.file.cannot_create")
                .with("path", shown)
                .with("detail", detail),
            "create",
        ),
        FileOp::Write => (
            Phrase::new("error.file.cannot_write")
                .with("path", shown)
                .with("detail", detail),
            "write",
        ),
    };
    AgentError::phrased(
        ErrorCode::Storage,
        phrase,
        format!("cannot {verb} {}: {err}", path.display()),
    )
}

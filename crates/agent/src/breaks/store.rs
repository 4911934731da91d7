//! The break status on disk: one small JSON file in the data folder, replaced atomically (temporary file, fsync,
//! rename) before any request leaves, so a restart, a crash or a power cut never forgets that the agent is on a
//! break. It holds a state, a motive name and a time: nothing personal, so it is not sealed.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::rules::BreakStatus;
use agent_error::{file_error, AgentError, ErrorCode, FileOp, Phrase, Result};

/// The file's name in the data folder.
pub const FILE_NAME: &str = "breaks.json";

fn storage(phrase: Phrase, message: String) -> AgentError {
    AgentError::phrased(ErrorCode::Storage, phrase, message)
}

/// Where the status is kept.
#[derive(Debug, Clone)]
pub struct BreakFile {
    path: PathBuf,
}

impl BreakFile {
    /// The file at `path` (created on the first save).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved status; none saved yet means available. A damaged file is an error naming it, not "available":
    /// the app must not silently forget a break.
    pub fn load(&self) -> Result<BreakStatus> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BreakStatus::default()),
            Err(e) => return Err(file_error(FileOp::Read, &self.path, &e)),
        };
        serde_json::from_str(&text).map_err(|e| {
            storage(
                Phrase::new("error.breaks.damaged")
                    .with("path", self.path.display().to_string())
                    .with("detail", e.to_string()),
                format!(
                    "{} is damaged ({e}); the break status cannot be read",
                    self.path.display()
                ),
            )
        })
    }

    /// Replaces the saved status; durable when it returns.
    pub fn save(&self, status: &BreakStatus) -> Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| file_error(FileOp::Create, dir, &e))?;
        let text = serde_json::to_vec_pretty(status)
            .map_err(|e| AgentError::new(ErrorCode::Storage, e.to_string()))?;
        let tmp = self.path.with_extension("json.tmp");
        let write = || -> std::io::Result<()> {
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(&text)?;
            file.sync_all()?;
            std::fs::rename(&tmp, &self.path)?;
            // The rename itself is durable only once the folder is synced.
            if let Ok(folder) = std::fs::File::open(dir) {
                let _ = folder.sync_all();
            }
            Ok(())
        };
        write().map_err(|e| file_error(FileOp::Write, &self.path, &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaks::rules::BreakState;

    #[test]
    fn a_saved_break_is_read_back_and_a_missing_file_means_available() {
        let dir = tempfile::tempdir().unwrap();
        let file = BreakFile::new(dir.path().join("sub").join(FILE_NAME));
        assert_eq!(file.load().unwrap(), BreakStatus::default());
        let status = BreakStatus {
            state: BreakState::OnBreak,
            motive: Some("Almuerzo".into()),
            since: Some(1_700_000_000_000),
            last_motive: Some("Almuerzo".into()),
        };
        file.save(&status).unwrap();
        assert_eq!(BreakFile::new(file.path()).load().unwrap(), status);
    }

    #[test]
    fn a_damaged_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "{ not json").unwrap();
        let err = BreakFile::new(&path).load().unwrap_err();
        assert_eq!(err.code(), ErrorCode::Storage);
        assert!(err.to_string().contains(FILE_NAME), "{err}");
    }
}

//! The countdown on disk: one sealed file in the data folder (it holds the number and what the agent typed),
//! replaced atomically (temporary file, fsync, rename), so a restart finds the countdown where it was.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::rules::Countdown;
use crate::desk::DispositionForm;
use agent_error::{file_error, AgentError, FileOp, Result};
use outbox::PayloadSeal;

/// The file's name in the data folder.
pub const FILE_NAME: &str = "wrapup.sealed";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Saved {
    pub(super) countdown: Countdown,
    pub(super) note: DispositionForm,
}

pub(super) struct Store {
    pub(super) file: PathBuf,
    pub(super) seal: Arc<dyn PayloadSeal>,
}

impl Store {
    pub(super) fn load(&self) -> Option<Saved> {
        let text = std::fs::read_to_string(&self.file).ok()?;
        let opened = self.seal.open(text.trim()).map_err(|err| {
            tracing::error!(%err, file = %self.file.display(), "saved wrap-up countdown unreadable");
        });
        serde_json::from_slice(&opened.ok()?).ok()
    }

    pub(super) fn save(&self, saved: &Saved) -> Result<()> {
        let plain = serde_json::to_vec(saved).map_err(|e| AgentError::invalid(e.to_string()))?;
        write_atomically(&self.file, self.seal.seal(&plain).as_bytes())
    }

    pub(super) fn clear(&self) {
        let _ = std::fs::remove_file(&self.file);
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let storage = |e: std::io::Error| file_error(FileOp::Write, path, &e);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(storage)?;
    }
    let tmp = path.with_extension("tmp");
    let mut file = std::fs::File::create(&tmp).map_err(storage)?;
    file.write_all(bytes).map_err(storage)?;
    file.sync_all().map_err(storage)?;
    std::fs::rename(&tmp, path).map_err(storage)
}

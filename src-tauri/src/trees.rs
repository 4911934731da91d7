//! Reloading disposition trees when a file in the folder changes: checked whenever the form asks for a tree, and
//! cheap (a directory listing), so no watcher thread is needed.

use std::sync::{Mutex, OnceLock};

use agent::tree::{folder_stamp, TreeSet};

use crate::state::AppState;

type Stamp = Vec<(std::path::PathBuf, u64, Option<std::time::SystemTime>)>;

fn last() -> &'static Mutex<Option<Stamp>> {
    static LAST: OnceLock<Mutex<Option<Stamp>>> = OnceLock::new();
    LAST.get_or_init(|| Mutex::new(None))
}

/// Reloads the trees if the folder changed since the last look.
pub fn reload_if_changed(state: &AppState) {
    let dir = state.paths.trees_dir();
    let now = folder_stamp(&dir);
    let mut seen = last().lock().unwrap_or_else(|p| p.into_inner());
    if seen.as_ref() == Some(&now) {
        return;
    }
    let trees = TreeSet::load_dir(&dir);
    for problem in &trees.problems {
        tracing::warn!(%problem, "disposition tree refused");
    }
    *state.trees.write().unwrap_or_else(|p| p.into_inner()) = trees;
    *seen = Some(now);
}

//! The window's own state, kept across restarts in `ui-state.json` next to `settings.toml`: the text size (window
//! geometry is the window-state plugin's, in `window-state.json` beside it). It is not a setting an administrator presets or locks, so it stays out of `settings.toml`;
//! a missing or damaged file gives the defaults (it only holds comfort, never work).

use std::path::{Path, PathBuf};

use agent_error::{file_error, AgentError, ErrorCode, FileOp, IpcError, Phrase};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::state::AppState;

/// The largest and smallest text size the layout is made for (1 = 100 %).
pub const ZOOM_RANGE: std::ops::RangeInclusive<f64> = 0.8..=2.0;

/// What the window remembers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UiState {
    /// Text size, 1 = 100 %.
    pub zoom: f64,
}

impl Default for UiState {
    fn default() -> Self {
        Self { zoom: 1.0 }
    }
}

impl UiState {
    /// The file under a config folder.
    pub fn file(config_dir: &Path) -> PathBuf {
        config_dir.join("ui-state.json")
    }

    /// Reads the file; defaults when it is missing or unreadable (logged).
    pub fn load(path: &Path) -> Self {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str::<Self>(&text)
                .ok()
                .filter(|s| s.validate().is_ok())
                .unwrap_or_else(|| {
                    tracing::warn!(path = %path.display(), "ui-state.json unreadable: defaults used");
                    Self::default()
                }),
            Err(_) => Self::default(),
        }
    }

    /// Refuses a text size the layout is not made for.
    pub fn validate(&self) -> Result<(), AgentError> {
        if !self.zoom.is_finite() || !ZOOM_RANGE.contains(&self.zoom) {
            let size = (self.zoom * 100.0).round();
            let (low, high) = (ZOOM_RANGE.start() * 100.0, ZOOM_RANGE.end() * 100.0);
            return Err(AgentError::phrased(
                ErrorCode::InvalidSettings,
                Phrase::new("error.ui.text_size")
                    .with("size", size.to_string())
                    .with("low", low.to_string())
                    .with("high", high.to_string()),
                format!("text size {size} % is out of range: {low} % to {high} %"),
            ));
        }
        Ok(())
    }

    /// Writes the file atomically (a crash mid-write keeps the old one).
    pub fn save(&self, path: &Path) -> Result<(), AgentError> {
        self.validate()?;
        let fail = |e: std::io::Error| file_error(FileOp::Write, path, &e);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let tmp = path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(self).unwrap_or_default();
        std::fs::write(&tmp, text).map_err(fail)?;
        std::fs::rename(&tmp, path).map_err(fail)
    }
}

/// The window's remembered state.
#[tauri::command]
pub async fn ui_state(state: State<'_, AppState>) -> Result<UiState, IpcError> {
    Ok(UiState::load(&UiState::file(&state.paths.config_dir)))
}

/// Remembers the window's state.
#[tauri::command]
pub async fn save_ui_state(state: State<'_, AppState>, ui: UiState) -> Result<(), IpcError> {
    Ok(ui.save(&UiState::file(&state.paths.config_dir))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_a_missing_or_damaged_file_gives_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = UiState::file(dir.path());
        assert_eq!(UiState::load(&path), UiState::default());
        let state = UiState { zoom: 1.5 };
        state.save(&path).unwrap();
        assert_eq!(UiState::load(&path), state);
        std::fs::write(&path, "{ not json").unwrap();
        assert_eq!(UiState::load(&path), UiState::default());
        std::fs::write(&path, r#"{"zoom": 9}"#).unwrap();
        assert_eq!(UiState::load(&path).zoom, 1.0, "out of range is not kept");
    }

    #[test]
    fn a_text_size_outside_100_to_200_percent_and_a_bit_less_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = UiState::file(dir.path());
        for bad in [0.0, 0.5, 2.5, f64::NAN] {
            let err = UiState { zoom: bad }.save(&path).unwrap_err();
            assert!(err.to_string().contains("text size"), "{err}");
        }
        assert!(!path.exists(), "nothing written");
    }
}

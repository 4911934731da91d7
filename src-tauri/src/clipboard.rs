//! The system clipboard. On X11 the app that copied must keep serving the text, so one clipboard handle lives as
//! long as the app instead of one per use. Both calls block (a round trip to the display server): run them with
//! `commands::blocking`, never on an async worker.

use std::sync::{Arc, OnceLock};

use agent_error::{AgentError, ErrorCode, Phrase};
use parking_lot::Mutex;

/// The app's clipboard handle, managed by the app (created in `setup`, opened at first use: it starts a thread and
/// a display connection of its own). Cloning shares the one handle.
#[derive(Clone, Default)]
pub struct Clipboard {
    handle: Arc<OnceLock<Mutex<Option<arboard::Clipboard>>>>,
}

fn unavailable(detail: impl std::fmt::Display) -> AgentError {
    AgentError::phrased(
        ErrorCode::ClipboardUnavailable,
        Phrase::new("error.clipboard.unavailable").with("detail", detail.to_string()),
        format!("the clipboard is not available: {detail}"),
    )
}

impl Clipboard {
    fn with<T>(
        &self,
        work: impl FnOnce(&mut arboard::Clipboard) -> Result<T, AgentError>,
    ) -> Result<T, AgentError> {
        let mut guard = self
            .handle
            .get_or_init(|| Mutex::new(arboard::Clipboard::new().ok()))
            .lock();
        let clipboard = guard
            .as_mut()
            .ok_or_else(|| unavailable("this session has none"))?;
        work(clipboard)
    }

    /// The text on the clipboard; empty when it holds no text.
    pub fn read(&self) -> Result<String, AgentError> {
        self.with(|clipboard| match clipboard.get_text() {
            Ok(text) => Ok(text),
            Err(arboard::Error::ContentNotAvailable) => Ok(String::new()),
            Err(err) => Err(unavailable(err)),
        })
    }

    /// Puts `text` on the clipboard.
    pub fn write(&self, text: String) -> Result<(), AgentError> {
        self.with(|clipboard| clipboard.set_text(text).map_err(unavailable))
    }
}

/// Puts text on the clipboard (the GUID's copy button).
#[tauri::command]
pub async fn copy_text(
    clipboard: tauri::State<'_, Clipboard>,
    text: String,
) -> crate::commands::CommandResult<()> {
    let clipboard = clipboard.inner().clone();
    Ok(crate::commands::blocking(move || clipboard.write(text)).await?)
}

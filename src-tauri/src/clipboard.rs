//! The system clipboard. On X11 the app that copied must keep serving the text, so one clipboard handle lives as
//! long as the app instead of one per use. Both calls block (a round trip to the display server): run them with
//! `commands::blocking`, never on an async worker.

use std::sync::{Mutex, OnceLock};

use agent_error::{AgentError, ErrorCode};

fn handle() -> &'static Mutex<Option<arboard::Clipboard>> {
    static CLIPBOARD: OnceLock<Mutex<Option<arboard::Clipboard>>> = OnceLock::new();
    CLIPBOARD.get_or_init(|| Mutex::new(arboard::Clipboard::new().ok()))
}

fn unavailable(detail: impl std::fmt::Display) -> AgentError {
    AgentError::new(
        ErrorCode::ClipboardUnavailable,
        format!("the clipboard is not available: {detail}"),
    )
}

/// The text on the clipboard; empty when it holds no text.
pub fn read() -> Result<String, AgentError> {
    let mut guard = handle().lock().unwrap_or_else(|p| p.into_inner());
    let clipboard = guard
        .as_mut()
        .ok_or_else(|| unavailable("this session has none"))?;
    match clipboard.get_text() {
        Ok(text) => Ok(text),
        Err(arboard::Error::ContentNotAvailable) => Ok(String::new()),
        Err(err) => Err(unavailable(err)),
    }
}

/// Puts `text` on the clipboard.
pub fn write(text: String) -> Result<(), AgentError> {
    let mut guard = handle().lock().unwrap_or_else(|p| p.into_inner());
    let clipboard = guard
        .as_mut()
        .ok_or_else(|| unavailable("this session has none"))?;
    clipboard.set_text(text).map_err(unavailable)
}

//! The system clipboard. On X11 the app that copied must keep serving the text, so one clipboard handle lives as
//! long as the app instead of one per use.

use std::sync::{Mutex, OnceLock};

fn handle() -> &'static Mutex<Option<arboard::Clipboard>> {
    static CLIPBOARD: OnceLock<Mutex<Option<arboard::Clipboard>>> = OnceLock::new();
    CLIPBOARD.get_or_init(|| Mutex::new(arboard::Clipboard::new().ok()))
}

/// The text on the clipboard (empty when there is none or no clipboard).
pub fn read() -> String {
    let mut guard = handle().lock().unwrap_or_else(|p| p.into_inner());
    guard
        .as_mut()
        .and_then(|c| c.get_text().ok())
        .unwrap_or_default()
}

/// Puts `text` on the clipboard.
pub fn write(text: String) -> Result<(), String> {
    let mut guard = handle().lock().unwrap_or_else(|p| p.into_inner());
    match guard.as_mut() {
        Some(c) => c.set_text(text).map_err(|e| e.to_string()),
        None => Err("no clipboard is available".into()),
    }
}

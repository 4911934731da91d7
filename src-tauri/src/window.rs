//! Showing, hiding and focusing the main window (closing it only hides it: the app lives in the tray).

use tauri::{AppHandle, Manager};

use crate::events;

/// Shows, unminimizes and focuses the window.
pub fn show(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
        // A window that was hidden can only take the focus once the display server has mapped it; asking too
        // early is silently ignored (X11 without a window manager, slow compositors). Ask again until it has it.
        tauri::async_runtime::spawn(async move {
            for _ in 0..40 {
                if window.is_focused().unwrap_or(true) {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                let _ = window.set_focus();
            }
        });
    }
}

/// Hides a visible window, shows a hidden one.
pub fn toggle(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        if window.is_visible().unwrap_or(false) {
            let _ = window.hide();
        } else {
            show(app);
        }
    }
}

/// Brings the window up on the disposition form with the first level focused (after a hang-up by hotkey).
pub fn focus_disposition(app: &AppHandle) {
    show(app);
    events::emit(app, events::FOCUS_DISPOSITION, ());
}

//! Showing, hiding and focusing the main window (closing it only hides it: the app lives in the tray), and its
//! size and place kept across restarts.

use agent::settings::Paths;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

use crate::events;

/// What is kept of a window: size, place, maximized. Not whether it is shown (autostart starts hidden) and not
/// its decorations.
fn kept() -> StateFlags {
    StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED
}

/// The window-state plugin, keeping `window-state.json` in the profile's config folder (next to `settings.toml`,
/// so `--profile-dir` keeps it too). A saved place on a monitor that is gone is not restored: the plugin only
/// moves the window to a place that intersects a monitor there now, else the window manager places it.
pub fn geometry_plugin<R: Runtime>(paths: &Paths) -> tauri::plugin::TauriPlugin<R> {
    // The plugin joins the name to the app's config folder; an absolute path replaces that folder.
    let file = paths.config_dir.join("window-state.json");
    tauri_plugin_window_state::Builder::new()
        .with_filename(file.to_string_lossy())
        .with_state_flags(kept())
        // The compact bar keeps its place per screen itself (crate::bar_places).
        .with_denylist(&[crate::compact::LABEL])
        .build()
}

/// Writes the windows' size and place now (the plugin writes only at a clean exit; hiding to the tray is the
/// usual end of a day's use of the window, and a killed app keeps what was written here).
pub fn remember_geometry<R: Runtime>(app: &AppHandle<R>) {
    if let Err(err) = app.save_window_state(kept()) {
        tracing::warn!(%err, "cannot keep the window's size and place");
    }
}

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

/// WebKitGTK without accelerated compositing, unless `UCAC_GPU_COMPOSITING=1` (a driver that draws badly
/// without it). By default the web process keeps GPU (or, under Xvfb and on many office desktops, software GL)
/// layers and their buffers for the page, about 70 MiB of its memory for a page that repaints a few lines of text
/// (measured in BENCHMARKS.md). WebKit reads this from the environment, in this process and in the web process it
/// starts, so it is set first thing, before any thread exists. (Switching the webview's hardware-acceleration
/// policy once the page is up crashed the web process when the window was then moved back from a monitor that is
/// gone.) An administrator's own `WEBKIT_DISABLE_COMPOSITING_MODE` is left as it is.
pub fn without_gpu_compositing() {
    #[cfg(target_os = "linux")]
    {
        let gpu = std::env::var("UCAC_GPU_COMPOSITING").is_ok_and(|v| v == "1");
        if !gpu && std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
            std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
        }
    }
}

/// WebKitGTK's caches sized for what the window is: one local page, no browsing. The default cache model is a web
/// browser's (a memory cache of decoded resources and a page cache meant for many sites and back/forward
/// navigation); the document-viewer model keeps next to nothing, which a page whose few files are in the binary
/// does not miss. Measured in BENCHMARKS.md (the shift).
pub fn lean_webview(window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    let _ = window.with_webview(|webview| {
        use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
        if let Some(context) = webview.inner().context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
    });
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

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

/// WebKitGTK set up for one local page of forms, first thing in `main`: WebKit reads these from the environment,
/// in this process and in the web process it starts, so they are set before any thread exists. (Switching the
/// webview's hardware-acceleration policy once the page was up crashed the web process when the window was then
/// moved back from a monitor that is gone.) BENCHMARKS.md, Decisions: no accelerated compositing; no JIT.
pub fn lean_engine() {
    #[cfg(target_os = "linux")]
    for (name, value) in engine_environment(|name| std::env::var(name).ok()) {
        std::env::set_var(name, value);
    }
}

/// What [`lean_engine`] sets, given the environment it starts in. An administrator's own setting of either
/// variable is left as it is.
/// - No accelerated compositing, unless `UCAC_GPU_COMPOSITING=1` (a driver that draws badly without it): the web
///   process kept GPU (or, under Xvfb and on many office desktops, software GL) layers and their buffers, about
///   70 MiB, for a page that repaints a few lines of text.
/// - No JavaScript JIT, unless `UCAC_JIT=1`: the page runs a few handlers per call, which the interpreter runs as
///   fast as the agent can see (the dial hotkey's p99 within a shift was 8.8 ms without it), and the JIT's code
///   and its data were ~9 MiB of the web process at sign-in and ~13 MiB after 300 calls. It also takes
///   executable memory written at run time out of the process that renders server-provided text.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))] // WebKitGTK's variables: Linux only
pub fn engine_environment(
    var: impl Fn(&str) -> Option<String>,
) -> Vec<(&'static str, &'static str)> {
    let on = |name: &str| var(name).is_some_and(|v| v == "1");
    let mut set = Vec::new();
    if !on("UCAC_GPU_COMPOSITING") && var("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        set.push(("WEBKIT_DISABLE_COMPOSITING_MODE", "1"));
    }
    if !on("UCAC_JIT") && var("JSC_useJIT").is_none() {
        set.push(("JSC_useJIT", "false"));
    }
    set
}

/// WebKitGTK's caches sized for what the window is: one local page, no browsing. The default cache model is a web
/// browser's (a memory cache of decoded resources and a page cache meant for many sites and back/forward
/// navigation); the document-viewer model keeps next to nothing, which a page whose few files are in the binary
/// does not miss. BENCHMARKS.md, Decisions: document-viewer cache model.
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

#[cfg(test)]
mod tests {
    use super::engine_environment;

    fn with(vars: &[(&str, &str)]) -> Vec<(&'static str, &'static str)> {
        engine_environment(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn by_default_the_page_runs_without_gpu_layers_and_without_the_jit() {
        assert_eq!(
            with(&[]),
            [
                ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
                ("JSC_useJIT", "false")
            ]
        );
    }

    #[test]
    fn each_can_be_brought_back_alone() {
        assert_eq!(
            with(&[("UCAC_JIT", "1")]),
            [("WEBKIT_DISABLE_COMPOSITING_MODE", "1")]
        );
        assert_eq!(
            with(&[("UCAC_GPU_COMPOSITING", "1")]),
            [("JSC_useJIT", "false")]
        );
        assert_eq!(with(&[("UCAC_JIT", "0")]).len(), 2, "only 1 brings it back");
    }

    #[test]
    fn an_administrators_own_setting_is_left_as_it_is() {
        assert!(with(&[
            ("JSC_useJIT", "true"),
            ("WEBKIT_DISABLE_COMPOSITING_MODE", "0")
        ])
        .is_empty());
    }
}

//! Click-to-dial from anywhere: `tel:` and `callto:` links and a number given on the command line. The OS starts a
//! second copy of the app with the link as its argument; the single-instance plugin hands that argument list to
//! the running copy, which validates it like a typed number. By default the number is put in the dial field and
//! the agent confirms with Enter (a link on a web page must not ring a customer by itself); the setting
//! `dial_links_at_once` dials straight away.

use tauri::{AppHandle, Manager};

use crate::state::AppState;
use crate::{events, notify, window};

/// The schemes the app registers with the OS (also declared in tauri.conf.json for the bundles).
pub const SCHEMES: &[&str] = &["tel", "callto"];

/// Looks for a dial request in a launch's arguments (the first launch's, or a second launch's handed over).
pub fn handle_args(app: &AppHandle, args: &[String]) {
    match dial_links::dial_request(args) {
        None => {}
        Some(Ok(number)) => dial_link(app, number.as_str().to_string()),
        Some(Err(err)) => {
            tracing::warn!(%err, "dial link refused");
            notify::tell_error(app, "notify.link_not_dialed", &err);
            window::show(app);
            events::emit(app, events::ACTION_ERROR, err.to_ipc());
        }
    }
}

fn dial_link(app: &AppHandle, number: String) {
    let state = app.state::<AppState>();
    let at_once = state.settings().dial_links_at_once;
    window::show(app);
    if !at_once {
        // The link's number becomes the dial draft (so the dial hotkey would dial it too); the window shows it
        // with the question.
        state.draft.lock().number = number.clone();
        events::emit(app, events::DIAL_LINK, &number);
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        if let Err(err) = state.dial(&number, None).await {
            events::emit(&app, events::ACTION_ERROR, err.to_ipc());
        }
    });
}

/// Registers the schemes with the OS where that is done at run time (Linux, Windows); macOS takes them from the
/// bundle. A failure is logged, not fatal: dialing from the app still works.
pub fn register(app: &AppHandle) {
    #[cfg(any(target_os = "linux", target_os = "windows"))]
    {
        use tauri_plugin_deep_link::DeepLinkExt;
        for scheme in SCHEMES {
            if let Err(err) = app.deep_link().register(*scheme) {
                tracing::warn!(scheme, %err, "link scheme not registered");
            }
        }
    }
    #[cfg(target_os = "macos")]
    {
        use tauri_plugin_deep_link::DeepLinkExt;
        let handle = app.clone();
        app.deep_link().on_open_url(move |event| {
            let args: Vec<String> = event.urls().iter().map(|u| u.to_string()).collect();
            handle_args(&handle, &args);
        });
    }
}

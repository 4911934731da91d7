//! Global hotkeys: registered from the settings, working while another window (the CRM) has the focus. A
//! combination that cannot be registered is reported by name; repeated presses within 600 ms count once.
//! Wayland sessions without X11 cannot grab keys: the app says so, and the same combinations still work inside
//! the window.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use agent::hotkeys::HotkeyAction;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_global_shortcut::{GlobalShortcutExt, Shortcut, ShortcutEvent, ShortcutState};

use crate::state::{AppState, HotkeyStatus};
use crate::{notify, window};

fn actions() -> &'static Mutex<HashMap<u32, HotkeyAction>> {
    static ACTIONS: OnceLock<Mutex<HashMap<u32, HotkeyAction>>> = OnceLock::new();
    ACTIONS.get_or_init(|| Mutex::new(HashMap::new()))
}

/// True where global key grabs cannot work: a Wayland session with no X11 display.
pub fn wayland_only() -> bool {
    std::env::var_os("WAYLAND_DISPLAY").is_some() && std::env::var_os("DISPLAY").is_none()
}

/// (Re-)registers every binding; answers how each went and tells the window.
pub fn register_all(app: &AppHandle) -> Vec<HotkeyStatus> {
    let state = app.state::<AppState>();
    let bindings = state.settings().hotkeys;
    let manager = app.global_shortcut();
    let _ = manager.unregister_all();
    let mut map = actions().lock().unwrap_or_else(|p| p.into_inner());
    map.clear();
    let mut report = Vec::new();
    let parsed = match bindings.parsed() {
        Ok(parsed) => parsed,
        Err(err) => {
            notify::show("Hotkeys not set", &err.to_string());
            return report;
        }
    };
    for (action, hotkey) in parsed {
        let combo = hotkey.to_string();
        let problem = if wayland_only() {
            Some("this Wayland session does not let apps use global hotkeys; they work while the window has the focus".to_string())
        } else {
            match combo.parse::<Shortcut>() {
                Ok(shortcut) => match manager.register(shortcut) {
                    Ok(()) => {
                        map.insert(shortcut.id(), action);
                        None
                    }
                    Err(err) => Some(format!("{combo} could not be registered: another application may be using it ({err})")),
                },
                Err(err) => Some(format!("{combo} is not supported here ({err})")),
            }
        };
        report.push(HotkeyStatus {
            action,
            combo,
            registered: problem.is_none(),
            problem,
        });
    }
    drop(map);
    let failed: Vec<String> = report.iter().filter_map(|s| s.problem.clone()).collect();
    if !failed.is_empty() {
        tracing::warn!(?failed, "hotkeys not registered");
        notify::show("Some hotkeys do not work", &failed.join("\n"));
    }
    *state.hotkeys.lock().unwrap_or_else(|p| p.into_inner()) = report.clone();
    let _ = app.emit("hotkeys", &report);
    report
}

/// The plugin's handler: one press of a registered combination.
pub fn on_shortcut(app: &AppHandle, shortcut: &Shortcut, event: ShortcutEvent) {
    if event.state() != ShortcutState::Pressed {
        return;
    }
    let Some(action) = actions()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&shortcut.id())
        .copied()
    else {
        return;
    };
    run(app, action);
}

/// Runs an action from a hotkey or the tray, debounced.
pub fn run(app: &AppHandle, action: HotkeyAction) {
    let state = app.state::<AppState>();
    if !state
        .debounce
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .accept(action, Instant::now())
    {
        tracing::debug!(?action, "repeated press ignored");
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let result = match action {
            HotkeyAction::Dial => dial(&app).await,
            HotkeyAction::HangUp => hang_up(&app).await,
            HotkeyAction::OpenDisposition => {
                window::focus_disposition(&app);
                Ok(())
            }
            HotkeyAction::ToggleWindow => {
                window::toggle(&app);
                Ok(())
            }
            HotkeyAction::ToggleBreak => crate::breaks::toggle(&app).await,
            HotkeyAction::ToggleCompact => crate::compact::toggle(&app),
        };
        if let Err(err) = result {
            let _ = app.emit("action-error", err.to_ipc());
            notify::show("Not done", &err.to_string());
        }
    });
}

async fn dial(app: &AppHandle) -> Result<(), agent::AgentError> {
    let state = app.state::<AppState>();
    // Waits for the automatic sign-in, and says "sign in first" before the clipboard is read.
    state.desk().await?;
    let draft = state
        .draft
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let number = if draft.number.trim().is_empty() {
        let text = tauri::async_runtime::spawn_blocking(crate::clipboard::read)
            .await
            .unwrap_or_default();
        agent::phone::extract_from_clipboard(&text)
            .ok_or_else(|| {
                agent::AgentError::new(
                    agent::ErrorCode::InvalidNumber,
                    "nothing to dial: type a number or copy one first",
                )
            })?
            .to_string()
    } else {
        draft.number
    };
    match state.dial(&number, Some(&draft.campaign)).await {
        // On a break: the window comes up asking "end the break and dial?" (Enter / Esc).
        Err(err) if err.code() == agent::ErrorCode::OnBreak => {
            window::show(app);
            let ask = serde_json::json!({ "number": number, "campaign": draft.campaign, "message": err.to_string() });
            let _ = app.emit("break-dial", ask);
            Ok(())
        }
        other => other.map(|_| ()),
    }
}

async fn hang_up(app: &AppHandle) -> Result<(), agent::AgentError> {
    let desk = app.state::<AppState>().desk().await?;
    // Tells the window a wrap-up is coming, so keys typed right after the hotkey are kept for the form.
    let _ = app.emit("hanging-up", ());
    desk.hang_up().await?;
    window::focus_disposition(app);
    Ok(())
}

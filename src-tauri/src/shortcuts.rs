//! Global hotkeys: registered from the settings, working while another window (the CRM) has the focus. A
//! combination that cannot be registered is reported by name; repeated presses within 600 ms count once.
//! Wayland sessions without X11 cannot grab keys: the app says so, and the same combinations still work inside
//! the window.
//!
//! The dial path is traced: with `UCAC_LOG=debug` the spans `hotkey` → `desk` → `clipboard` → `dial` (and the
//! desk's `agent_call` with the client's request and answer) log their times when they close.

use std::collections::HashMap;
use std::future::Future;
use std::time::{Duration, Instant};

use agent_error::{AgentError, ErrorCode, IpcError, Phrase};
use hotkeys::{Debounce, HotkeyAction};
use parking_lot::Mutex;
use serde::Serialize;
use tauri::{AppHandle, Manager};
use tauri_plugin_global_shortcut::{GlobalShortcutExt, Shortcut, ShortcutEvent, ShortcutState};
use tracing::Instrument;

use crate::clipboard::Clipboard;
use crate::commands::{blocking, CommandResult};
use crate::state::AppState;
use crate::{events, notify, window};

/// How one hotkey registration went, for the settings screen and the status line.
#[derive(Debug, Clone, Serialize)]
pub struct HotkeyStatus {
    /// The action.
    pub action: HotkeyAction,
    /// The combination, canonical.
    pub combo: String,
    /// True when it works system-wide.
    pub registered: bool,
    /// Why not.
    pub problem: Option<IpcError>,
}

/// The hotkey registry, managed by the app (created in `setup`): which registered shortcut runs which action, how
/// the last registration went, and the double-press guard shared by hotkeys and the tray.
pub struct HotkeyRegistry {
    actions: Mutex<HashMap<u32, HotkeyAction>>,
    report: Mutex<Vec<HotkeyStatus>>,
    debounce: Mutex<Debounce>,
}

impl Default for HotkeyRegistry {
    fn default() -> Self {
        Self {
            actions: Mutex::default(),
            report: Mutex::default(),
            debounce: Mutex::new(Debounce::new(Duration::from_millis(600))),
        }
    }
}

impl HotkeyRegistry {
    /// How each binding registered, as last tried.
    pub fn report(&self) -> Vec<HotkeyStatus> {
        self.report.lock().clone()
    }

    /// True when a binding could not be registered last time (a save tries them again).
    pub fn any_failed(&self) -> bool {
        self.report.lock().iter().any(|s| !s.registered)
    }
}

/// True where global key grabs cannot work: a Wayland session with no X11 display.
pub fn wayland_only() -> bool {
    std::env::var_os("WAYLAND_DISPLAY").is_some() && std::env::var_os("DISPLAY").is_none()
}

/// (Re-)registers every binding; answers how each went and tells the window.
pub fn register_all(app: &AppHandle) -> Vec<HotkeyStatus> {
    let settings = app.state::<AppState>().settings();
    let bindings = settings.hotkeys;
    let registry = app.state::<HotkeyRegistry>();
    let manager = app.global_shortcut();
    let _ = manager.unregister_all();
    let mut map = registry.actions.lock();
    map.clear();
    let mut report = Vec::new();
    let parsed = match bindings.parsed() {
        Ok(parsed) => parsed,
        Err(err) => {
            notify::tell_error(app, "notify.hotkeys_not_set", &err);
            return report;
        }
    };
    // The phone's keys only while the app is the phone: otherwise they would take keys for nothing.
    let parsed = parsed
        .into_iter()
        .filter(|(action, _)| settings.phone.enabled || !action.is_phone());
    for (action, hotkey) in parsed {
        let combo = hotkey.to_string();
        let problem = if wayland_only() {
            Some(problem(
                ErrorCode::HotkeysUnavailable,
                Phrase::new("error.shortcuts.wayland"),
                "this Wayland session does not let apps use global hotkeys; they work while the window has the focus".to_string(),
            ))
        } else {
            match combo.parse::<Shortcut>() {
                Ok(shortcut) => match manager.register(shortcut) {
                    Ok(()) => {
                        map.insert(shortcut.id(), action);
                        None
                    }
                    Err(err) => Some(problem(
                        ErrorCode::HotkeyInUse,
                        Phrase::new("error.shortcuts.in_use")
                            .with("hotkey", combo.as_str())
                            .with("detail", err.to_string()),
                        format!("{combo} could not be registered: another application may be using it ({err})"),
                    )),
                },
                Err(err) => Some(problem(
                    ErrorCode::InvalidHotkey,
                    Phrase::new("error.shortcuts.unsupported")
                        .with("hotkey", combo.as_str())
                        .with("detail", err.to_string()),
                    format!("{combo} is not supported here ({err})"),
                )),
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
    let failed: Vec<String> = report
        .iter()
        .filter_map(|s| s.problem.as_ref().map(|p| p.message.clone()))
        .collect();
    if !failed.is_empty() {
        tracing::warn!(?failed, "hotkeys not registered");
        notify::tell(app, "notify.hotkeys_failed", &failed.join("\n"));
    }
    *registry.report.lock() = report.clone();
    events::emit(app, events::HOTKEYS, &report);
    report
}

fn problem(code: ErrorCode, phrase: Phrase, message: String) -> IpcError {
    AgentError::phrased(code, phrase, message).into()
}

/// The plugin's handler: one press of a registered combination.
pub fn on_shortcut(app: &AppHandle, shortcut: &Shortcut, event: ShortcutEvent) {
    if event.state() != ShortcutState::Pressed {
        return;
    }
    let Some(action) = app
        .state::<HotkeyRegistry>()
        .actions
        .lock()
        .get(&shortcut.id())
        .copied()
    else {
        return;
    };
    run(app, action);
}

/// Runs an action from a hotkey or the tray, debounced.
pub fn run(app: &AppHandle, action: HotkeyAction) {
    let task = app.clone();
    debounced(app, action, async move {
        match action {
            HotkeyAction::Dial => dial(&task, DialFrom::Draft).await,
            HotkeyAction::HangUp => hang_up(&task).await,
            HotkeyAction::OpenDisposition => {
                window::focus_disposition(&task);
                Ok(())
            }
            HotkeyAction::ToggleWindow => {
                window::toggle(&task);
                Ok(())
            }
            HotkeyAction::ToggleBreak => crate::breaks::toggle(&task).await,
            HotkeyAction::ToggleCompact => crate::compact::toggle(&task),
            HotkeyAction::Answer | HotkeyAction::ToggleMute | HotkeyAction::ToggleHold => {
                crate::phone::hotkey(&task, action).await
            }
        }
    });
}

/// The tray's *Dial from clipboard*: the clipboard's number whatever the number field holds (the draft stays as
/// the agent typed it). Debounced with the dial hotkey.
pub fn dial_from_clipboard(app: &AppHandle) {
    let task = app.clone();
    debounced(app, HotkeyAction::Dial, async move {
        dial(&task, DialFrom::Clipboard).await
    });
}

/// Runs `work` unless `action` ran within the debounce window; a failure is shown and notified.
fn debounced(
    app: &AppHandle,
    action: HotkeyAction,
    work: impl Future<Output = Result<(), AgentError>> + Send + 'static,
) {
    if !app
        .state::<HotkeyRegistry>()
        .debounce
        .lock()
        .accept(action, Instant::now())
    {
        tracing::debug!(?action, "repeated press ignored");
        return;
    }
    let app = app.clone();
    let span = tracing::debug_span!("hotkey", ?action);
    tauri::async_runtime::spawn(
        async move {
            if let Err(err) = work.await {
                events::emit(&app, events::ACTION_ERROR, err.to_ipc());
                notify::tell_error(&app, "notify.not_done", &err);
            }
        }
        .instrument(span),
    );
}

/// The dial hotkey pressed during a break: the window asks "end the break and dial?".
#[derive(Debug, Clone, serde::Serialize)]
struct BreakDial {
    /// What the dial would dial.
    number: String,
    /// In which campaign (empty for the default one).
    campaign: String,
    /// Why it did not: `on_break`.
    problem: IpcError,
}

/// Where the dial hotkey takes the number from.
#[derive(Debug, Clone, Copy)]
enum DialFrom {
    /// The number field when it holds one, else the clipboard.
    Draft,
    /// The clipboard only.
    Clipboard,
}

async fn dial(app: &AppHandle, from: DialFrom) -> Result<(), AgentError> {
    let state = app.state::<AppState>();
    // Waits for the automatic sign-in, and says "sign in first" before the clipboard is read; the desk found here
    // is the one the call goes to.
    let live = state
        .signed_in()
        .instrument(tracing::debug_span!("desk"))
        .await?;
    let draft = state.draft();
    let typed = match from {
        DialFrom::Draft if !draft.number.trim().is_empty() => Some(draft.number.clone()),
        _ => None,
    };
    let number = match typed {
        Some(number) => number,
        None => {
            let clipboard = app.state::<Clipboard>().inner().clone();
            let text = blocking(move || clipboard.read())
                .instrument(tracing::debug_span!("clipboard"))
                .await?;
            phone_number::extract_from_clipboard(&text)
                .ok_or_else(|| {
                    AgentError::phrased(
                        ErrorCode::InvalidNumber,
                        Phrase::new("error.shortcuts.nothing_to_dial"),
                        "nothing to dial: type a number or copy one first",
                    )
                })?
                .to_string()
        }
    };
    let dialed = state
        .dial_on(&live, &number, Some(&draft.campaign))
        .instrument(tracing::debug_span!("dial", from = "hotkey"))
        .await;
    match dialed {
        // On a break: the window comes up asking "end the break and dial?" (Enter / Esc).
        Err(err) if err.code() == ErrorCode::OnBreak => {
            window::show(app);
            let ask = BreakDial {
                number,
                campaign: draft.campaign,
                problem: err.into(),
            };
            events::emit(app, events::BREAK_DIAL, ask);
            Ok(())
        }
        other => other.map(|_| ()),
    }
}

async fn hang_up(app: &AppHandle) -> Result<(), AgentError> {
    // A call ringing in the app (the app as the phone): the hang-up key rejects it.
    if crate::phone::reject_ringing(app).await {
        return Ok(());
    }
    let desk = app.state::<AppState>().desk().await?;
    // Tells the window a wrap-up is coming, so keys typed right after the hotkey are kept for the form.
    events::emit(app, events::HANGING_UP, ());
    desk.hang_up().await?;
    window::focus_disposition(app);
    Ok(())
}

/// How the hotkeys registered.
#[tauri::command]
pub async fn hotkey_status(
    registry: tauri::State<'_, HotkeyRegistry>,
) -> CommandResult<Vec<HotkeyStatus>> {
    Ok(registry.report())
}

/// Runs a hotkey's action from inside the window (where global hotkeys are unavailable).
#[tauri::command]
pub async fn run_hotkey(app: AppHandle, action: HotkeyAction) -> CommandResult<()> {
    run(&app, action);
    Ok(())
}

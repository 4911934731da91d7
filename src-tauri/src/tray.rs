//! The tray icon: state in the tooltip, a dot when something waits in the outbox, and a menu (show, dial from
//! clipboard, hang up, break on/off, compact bar, sign out, quit).

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use agent::desk::{CallState, CallView};
use agent::hotkeys::HotkeyAction;
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::AppHandle;

use crate::{events, shortcuts, window};

const TRAY_ID: &str = "main";

/// Builds the tray icon and its menu.
pub fn build(app: &AppHandle) -> tauri::Result<()> {
    let show = MenuItem::with_id(app, "show", "Show", true, None::<&str>)?;
    let dial = MenuItem::with_id(app, "dial", "Dial from clipboard", true, None::<&str>)?;
    let hang_up = MenuItem::with_id(app, "hang_up", "Hang up", true, None::<&str>)?;
    let pause = MenuItem::with_id(app, "break", "Break on / off", true, None::<&str>)?;
    let report = MenuItem::with_id(app, "report", "Save a support report", true, None::<&str>)?;
    let compact = MenuItem::with_id(app, "compact", "Compact bar on / off", true, None::<&str>)?;
    let sign_out = MenuItem::with_id(app, "sign_out", "Sign out", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(
        app,
        &[
            &show, &dial, &hang_up, &pause, &compact, &report, &sign_out, &quit,
        ],
    )?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(include_bytes!("../../icons/tray.png"))?)
        .tooltip("uContact Agent Companion")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "show" => window::show(app),
            // What the menu says: the clipboard's number, whatever the number field holds.
            "dial" => shortcuts::dial_from_clipboard(app),
            "hang_up" => shortcuts::run(app, HotkeyAction::HangUp),
            "break" => shortcuts::run(app, HotkeyAction::ToggleBreak),
            "compact" => shortcuts::run(app, HotkeyAction::ToggleCompact),
            "sign_out" => {
                window::show(app);
                events::emit(app, events::REQUEST_SIGN_OUT, ());
            }
            "report" => {
                let app = app.clone();
                tauri::async_runtime::spawn(async move {
                    match crate::report::save(&app).await {
                        Ok(path) => crate::notify::show("Support report saved", &path),
                        Err(err) => {
                            crate::notify::show("Support report not saved", &err.to_string())
                        }
                    }
                });
            }
            "quit" => crate::quit(app),
            _ => {}
        })
        .build(app)?;
    Ok(())
}

/// Shows the call state in the tooltip, and the waiting dot on the icon.
pub fn show_state(app: &AppHandle, view: &CallView) {
    if app.tray_by_id(TRAY_ID).is_none() {
        return;
    }
    let state = match view.state {
        CallState::Idle => "ready".to_string(),
        CallState::Dialing => format!("dialing {}", view.number.as_deref().unwrap_or("")),
        CallState::InCall => format!("in call with {}", view.number.as_deref().unwrap_or("")),
        CallState::WrapUp => "wrap-up".to_string(),
    };
    // What waits in the outbox is the connection light's to say.
    *CALL_LINE.lock().unwrap_or_else(|p| p.into_inner()) = state;
    refresh(app);
    // Only when the dot comes or goes: on Linux each set_icon writes a new PNG and hands the indicator a new path.
    // It comes only for what is still waiting a moment later: every disposition passes through the outbox for the
    // milliseconds its request takes, and a dot that blinked at each call would say nothing.
    let pending = view.pending_outbox > 0;
    PENDING.store(pending, Ordering::Relaxed);
    if !pending {
        show_icon(app, ICON_PLAIN);
        return;
    }
    if SHOWN_ICON.load(Ordering::Relaxed) == ICON_PENDING {
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(DOT_AFTER).await;
        if PENDING.load(Ordering::Relaxed) {
            show_icon(&app, ICON_PENDING);
        }
    });
}

/// How long something waits in the outbox before the tray's dot says so.
const DOT_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

/// Whether the last view had something in the outbox.
static PENDING: AtomicBool = AtomicBool::new(false);

fn show_icon(app: &AppHandle, icon: u8) {
    if SHOWN_ICON.swap(icon, Ordering::Relaxed) == icon {
        return;
    }
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let bytes: &[u8] = if icon == ICON_PENDING {
        include_bytes!("../../icons/tray-pending.png")
    } else {
        include_bytes!("../../icons/tray.png")
    };
    if let Ok(image) = Image::from_bytes(bytes) {
        let _ = tray.set_icon(Some(image));
    }
}

/// The shift's figures, the tooltip's second line ([`set_shift`]).
static SHIFT_LINE: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

/// Puts the shift's figures ("calls 12 · talk …") on the tooltip's second line.
pub fn set_shift(app: &AppHandle, line: String) {
    *SHIFT_LINE.lock().unwrap_or_else(|p| p.into_inner()) = line;
    refresh(app);
}

/// The call's part of the tooltip ("ready", "in call with …"), kept for [`refresh`].
static CALL_LINE: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

/// Sets the tooltip from the call, the break and the connection light: "uContact Agent Companion: ready —
/// connected".
pub fn refresh(app: &AppHandle) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let call = CALL_LINE.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let call = if call.is_empty() {
        "ready".to_string()
    } else {
        call
    };
    let on_break = crate::breaks::tooltip_suffix();
    let light = crate::connection::view().tooltip();
    let shift = SHIFT_LINE.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let shift = if shift.is_empty() {
        String::new()
    } else {
        format!("\nToday: {shift}")
    };
    let _ = tray.set_tooltip(Some(format!(
        "uContact Agent Companion: {call}{on_break} — {light}{shift}"
    )));
}

/// The icon the tray shows: the plain one from `build`, or the one with the waiting dot.
static SHOWN_ICON: AtomicU8 = AtomicU8::new(ICON_PLAIN);
const ICON_PLAIN: u8 = 0;
const ICON_PENDING: u8 = 1;

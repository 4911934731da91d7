//! The tray icon: state in the tooltip, a dot when something waits in the outbox, and a menu (show, dial from
//! clipboard, hang up, break on/off, compact bar, sign out, quit).

use agent::desk::{CallState, CallView};
use agent::hotkeys::HotkeyAction;
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager};

use crate::{shortcuts, window};

const TRAY_ID: &str = "main";

/// Builds the tray icon and its menu.
pub fn build(app: &AppHandle) -> tauri::Result<()> {
    let show = MenuItem::with_id(app, "show", "Show", true, None::<&str>)?;
    let dial = MenuItem::with_id(app, "dial", "Dial from clipboard", true, None::<&str>)?;
    let hang_up = MenuItem::with_id(app, "hang_up", "Hang up", true, None::<&str>)?;
    let pause = MenuItem::with_id(app, "break", "Break on / off", true, None::<&str>)?;
    let compact = MenuItem::with_id(app, "compact", "Compact bar on / off", true, None::<&str>)?;
    let sign_out = MenuItem::with_id(app, "sign_out", "Sign out", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(
        app,
        &[&show, &dial, &hang_up, &pause, &compact, &sign_out, &quit],
    )?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(include_bytes!("../../icons/tray.png"))?)
        .tooltip("uContact Agent Companion")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "show" => window::show(app),
            // The number field may hold a typed number: clear the draft so the clipboard is used, as the menu says.
            "dial" => {
                if let Some(state) = app.try_state::<crate::state::AppState>() {
                    state
                        .draft
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .number
                        .clear();
                }
                shortcuts::run(app, HotkeyAction::Dial)
            }
            "hang_up" => shortcuts::run(app, HotkeyAction::HangUp),
            "break" => shortcuts::run(app, HotkeyAction::ToggleBreak),
            "compact" => shortcuts::run(app, HotkeyAction::ToggleCompact),
            "sign_out" => {
                window::show(app);
                let _ = app.emit("request-sign-out", ());
            }
            "quit" => crate::quit(app),
            _ => {}
        })
        .build(app)?;
    Ok(())
}

/// Shows the call state in the tooltip, and the waiting dot on the icon.
pub fn show_state(app: &AppHandle, view: &CallView) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let state = match view.state {
        CallState::Idle => "ready".to_string(),
        CallState::Dialing => format!("dialing {}", view.number.as_deref().unwrap_or("")),
        CallState::InCall => format!("in call with {}", view.number.as_deref().unwrap_or("")),
        CallState::WrapUp => "wrap-up".to_string(),
    };
    let waiting = if view.pending_outbox > 0 {
        format!(" — {} waiting to be sent", view.pending_outbox)
    } else {
        String::new()
    };
    let on_break = crate::breaks::tooltip_suffix();
    let _ = tray.set_tooltip(Some(format!(
        "uContact Agent Companion: {state}{on_break}{waiting}"
    )));
    let icon: &[u8] = if view.pending_outbox > 0 {
        include_bytes!("../../icons/tray-pending.png")
    } else {
        include_bytes!("../../icons/tray.png")
    };
    if let Ok(image) = Image::from_bytes(icon) {
        let _ = tray.set_icon(Some(image));
    }
}

//! The tray icon: state in the tooltip, a dot when something waits in the outbox, and a menu (show, dial from
//! clipboard, hang up, break on/off, compact bar, sign out, quit).

mod model;

use agent::desk::CallView;
use agent::hotkeys::HotkeyAction;
use parking_lot::Mutex;
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};

use crate::connection::ConnectionLight;
use crate::{events, shortcuts, window};
use model::{Icon, TrayModel};

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
        .icon(Image::from_bytes(include_bytes!(
            "../../../icons/tray.png"
        ))?)
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

/// The tray's model, managed by the app (created in `setup`): the one owner of what the tray says.
#[derive(Default)]
pub struct Tray {
    model: Mutex<TrayModel>,
}

/// Shows the call state in the tooltip, and the waiting dot on the icon.
pub fn show_state(app: &AppHandle, view: &CallView) {
    if app.tray_by_id(TRAY_ID).is_none() {
        return;
    }
    // What waits in the outbox is the connection light's to say.
    let tray = app.state::<Tray>();
    let (pending, shown) = {
        let mut model = tray.model.lock();
        (model.set_call(view), model.shown_icon())
    };
    refresh(app);
    // Only when the dot comes or goes: on Linux each set_icon writes a new PNG and hands the indicator a new path.
    // It comes only for what is still waiting a moment later: every disposition passes through the outbox for the
    // milliseconds its request takes, and a dot that blinked at each call would say nothing.
    if !pending {
        show_icon(app, Icon::Plain);
        return;
    }
    if shown == Icon::Pending {
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(DOT_AFTER).await;
        if app.state::<Tray>().model.lock().pending() {
            show_icon(&app, Icon::Pending);
        }
    });
}

/// How long something waits in the outbox before the tray's dot says so.
const DOT_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

fn show_icon(app: &AppHandle, icon: Icon) {
    if !app.state::<Tray>().model.lock().show_icon(icon) {
        return;
    }
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let bytes: &[u8] = match icon {
        Icon::Pending => include_bytes!("../../../icons/tray-pending.png"),
        Icon::Plain => include_bytes!("../../../icons/tray.png"),
    };
    if let Ok(image) = Image::from_bytes(bytes) {
        let _ = tray.set_icon(Some(image));
    }
}

/// Puts the shift's figures ("calls 12 · talk …") on the tooltip's second line.
pub fn set_shift(app: &AppHandle, line: String) {
    app.state::<Tray>().model.lock().set_shift(line);
    refresh(app);
}

/// Puts the break's words (" — on a break (Almuerzo) since 12:30", empty when available) in the tooltip.
pub fn set_break(app: &AppHandle, words: String) {
    app.state::<Tray>().model.lock().set_break(words);
    refresh(app);
}

/// Sets the tooltip from the call, the break, the connection light and the shift.
pub fn refresh(app: &AppHandle) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let light = app.state::<ConnectionLight>().view().tooltip();
    let tooltip = app.state::<Tray>().model.lock().tooltip(&light);
    let _ = tray.set_tooltip(Some(tooltip));
}

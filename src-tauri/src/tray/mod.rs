//! The tray icon: state in the tooltip, a dot when something waits in the outbox, and a menu (show, dial from
//! clipboard, hang up, open in the CRM, break on/off, compact bar, sign out, quit), all in the agent's language (`crate::words`).

mod model;

use agent::breaks::BreakStatus;
use agent::desk::CallView;
use call_history::Figures;
use hotkeys::HotkeyAction;
use parking_lot::Mutex;
use tauri::image::Image;
use tauri::menu::{IsMenuItem, Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};

use crate::connection::ConnectionLight;
use crate::words::Words;
use crate::{events, notify, shortcuts, window};
use model::{Icon, TrayModel};

const TRAY_ID: &str = "main";

/// The menu's items: id and the key of its words, in menu order.
const ITEMS: [(&str, &str); 9] = [
    ("show", "tray.show"),
    ("dial", "tray.dial_clipboard"),
    ("hang_up", "tray.hang_up"),
    ("open_crm", "tray.open_crm"),
    ("break", "tray.break"),
    ("compact", "tray.compact"),
    ("report", "tray.report"),
    ("sign_out", "tray.sign_out"),
    ("quit", "tray.quit"),
];

/// Builds the tray icon and its menu, in the agent's language.
pub fn build(app: &AppHandle) -> tauri::Result<()> {
    let words = app.state::<Words>();
    let items = ITEMS
        .iter()
        .map(|(id, key)| MenuItem::with_id(app, *id, words.t(key, &[]), true, None::<&str>))
        .collect::<tauri::Result<Vec<_>>>()?;
    let refs: Vec<&dyn IsMenuItem<tauri::Wry>> = items
        .iter()
        .map(|i| i as &dyn IsMenuItem<tauri::Wry>)
        .collect();
    let menu = Menu::with_items(app, &refs)?;
    *app.state::<Tray>().items.lock() = items;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(include_bytes!(
            "../../../icons/tray.png"
        ))?)
        .tooltip("uContact Agent Companion")
        .menu(&menu)
        .on_menu_event(|app, event| on_menu(app, event.id().as_ref()))
        .build(app)?;
    Ok(())
}

fn on_menu(app: &AppHandle, id: &str) {
    match id {
        "show" => window::show(app),
        // What the menu says: the clipboard's number, whatever the number field holds.
        "dial" => shortcuts::dial_from_clipboard(app),
        "hang_up" => shortcuts::run(app, HotkeyAction::HangUp),
        "open_crm" => crate::crm_link::open_from_tray(app),
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
                    Ok(path) => notify::tell(&app, "notify.report_saved", &path),
                    Err(err) => notify::tell_error(&app, "notify.report_not_saved", &err),
                }
            });
        }
        "quit" => crate::quit(app),
        _ => {}
    }
}

/// Words the menu and the tooltip again after a change of language.
pub fn relabel(app: &AppHandle) {
    let words = app.state::<Words>();
    for (item, (_, key)) in app.state::<Tray>().items.lock().iter().zip(ITEMS) {
        let _ = item.set_text(words.t(key, &[]));
    }
    refresh(app);
}

/// The tray's model, managed by the app (created in `setup`): the one owner of what the tray says.
#[derive(Default)]
pub struct Tray {
    model: Mutex<TrayModel>,
    /// The menu's items, in [`ITEMS`]' order, to word them again.
    items: Mutex<Vec<MenuItem<tauri::Wry>>>,
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

/// Puts the shift's figures ("Today: calls 12 · talk …") on the tooltip's second line.
pub fn set_shift(app: &AppHandle, figures: Figures) {
    app.state::<Tray>().model.lock().set_shift(figures);
    refresh(app);
}

/// Puts the break (" — on a break (Lunch) since 12:30", nothing when available) in the tooltip.
pub fn set_break(app: &AppHandle, status: &BreakStatus) {
    app.state::<Tray>().model.lock().set_break(status);
    refresh(app);
}

/// Sets the tooltip from the call, the break, the connection light and the shift, in the agent's language.
pub fn refresh(app: &AppHandle) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let light = app.state::<ConnectionLight>().view();
    let model = app.state::<Tray>();
    let tooltip = app
        .state::<Words>()
        .with(|words| model.model.lock().tooltip(words, &light));
    let _ = tray.set_tooltip(Some(tooltip));
}

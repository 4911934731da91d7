//! The compact bar: a small always-on-top window (360×64) with the call's state, number, timer, hang-up, and in
//! wrap-up a disposition picker, for agents whose CRM fills the screen. Turned on and off by a hotkey and the
//! tray. It opens without taking the focus from the CRM, at the place it had on that screen ([`crate::bar_places`]:
//! per monitor, so docked and undocked each keep theirs). Dragged by its background (`compact_drag`).

use agent_error::{AgentError, ErrorCode, Phrase};
use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};

use crate::bar_places::{Places, Screen};

use crate::commands::CommandResult;

/// The bar's window label (its capability, `capabilities/compact.json`, names it).
pub const LABEL: &str = "compact";
const SIZE: (f64, f64) = (360.0, 64.0);

fn failed(err: tauri::Error) -> AgentError {
    AgentError::phrased(
        ErrorCode::WindowUnavailable,
        Phrase::new("error.compact.cannot_open").with("detail", err.to_string()),
        format!("the compact bar cannot open: {err}"),
    )
}

/// Where a first bar goes: the top right corner of the main window's monitor (or the primary one), inside it.
fn first_place(app: &AppHandle) -> (f64, f64) {
    let monitor = app
        .get_webview_window("main")
        .and_then(|w| w.current_monitor().ok().flatten())
        .or_else(|| app.primary_monitor().ok().flatten());
    match monitor {
        Some(m) => {
            let scale = m.scale_factor();
            let (x, y) = (m.position().x as f64 / scale, m.position().y as f64 / scale);
            let width = m.size().width as f64 / scale;
            ((x + width - SIZE.0 - 16.0).max(x), y + 16.0)
        }
        None => (16.0, 16.0),
    }
}

fn places_file(app: &AppHandle) -> std::path::PathBuf {
    Places::file(&app.state::<crate::state::AppState>().paths.config_dir)
}

fn screens(app: &AppHandle) -> Vec<Screen> {
    app.available_monitors()
        .unwrap_or_default()
        .iter()
        .map(Screen::of)
        .collect()
}

/// Keeps the bar's place for the screen it is on now (called when it moves and before it closes: it is moved
/// rarely, by hand, and a place written at once survives the app being killed).
pub fn remember_place(bar: &tauri::WebviewWindow) {
    let (Ok(at), Ok(scale)) = (bar.outer_position(), bar.scale_factor()) else {
        return;
    };
    let app = bar.app_handle();
    let file = places_file(app);
    let mut places = Places::load(&file);
    let before = places.clone();
    places.remember((at.x as f64 / scale, at.y as f64 / scale), &screens(app));
    if places != before {
        if let Err(err) = places.save(&file) {
            tracing::warn!(%err, "cannot keep the compact bar's place");
        }
    }
}

/// Opens the bar, or closes it when open.
pub fn toggle(app: &AppHandle) -> Result<(), AgentError> {
    if let Some(bar) = app.get_webview_window(LABEL) {
        // The plugin writes at exit only; the bar's place is written before it goes. On the main thread: the
        // plugin holds its lock while it asks the windows where they are, and its move handler (main thread)
        // takes the same lock, so asking from here could wait for each other forever.
        let handle = app.clone();
        app.run_on_main_thread(move || {
            crate::window::remember_geometry(&handle);
            remember_place(&bar);
            let _ = bar.destroy();
        })
        .map_err(failed)?;
        return Ok(());
    }
    let (x, y) = Places::load(&places_file(app))
        .place(&screens(app), SIZE)
        .unwrap_or_else(|| first_place(app));
    let bar = WebviewWindowBuilder::new(app, LABEL, WebviewUrl::App("compact.html".into()))
        .title("uContact Agent Companion bar")
        .inner_size(SIZE.0, SIZE.1)
        // Fixed by its size limits, not by `resizable(false)`: GTK makes a non-resizable window as tall as the
        // webview's natural height (200 px), whatever size was asked.
        .min_inner_size(SIZE.0, SIZE.1)
        .max_inner_size(SIZE.0, SIZE.1)
        .position(x, y)
        .decorations(false)
        .always_on_top(true)
        .skip_taskbar(true)
        // Appearing must not take the keyboard from the CRM; a click on the bar still focuses it.
        .focused(false)
        .build()
        .map_err(failed)?;
    crate::window::lean_webview(&bar);
    Ok(())
}

/// Opens or closes the bar; closed from the bar's own button, the full window comes up in its place.
#[tauri::command]
pub async fn toggle_compact(app: AppHandle) -> CommandResult<()> {
    let closing = app.get_webview_window(LABEL).is_some();
    toggle(&app)?;
    if closing {
        crate::window::show(&app);
    }
    Ok(())
}

/// Starts moving the bar with the mouse (it has no title bar to drag).
#[tauri::command]
pub async fn compact_drag(window: tauri::WebviewWindow) -> CommandResult<()> {
    window.start_dragging().map_err(|e| {
        AgentError::phrased(
            ErrorCode::WindowUnavailable,
            Phrase::new("error.compact.cannot_move").with("detail", e.to_string()),
            format!("cannot move the bar: {e}"),
        )
        .into()
    })
}

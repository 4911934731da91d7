//! The desktop shell of the uContact Agent Companion: window, tray, global hotkeys, notifications, autostart and
//! single instance around the `agent` crate. Commands are thin adapters (see `commands`).

mod autostart;
mod bar_places;
#[cfg(test)]
mod boundary_tests;
mod breaks;
mod bridge;
mod callbacks;
mod clipboard;
mod commands;
mod compact;
mod connection;
mod crm_link;
mod desk;
mod disposition_trees;
mod events;
mod history;
mod links;
mod notify;
#[cfg(test)]
mod payload_types;
mod phone;
mod report;
mod server_check;
mod session;
mod settings;
mod shortcuts;
mod state;
mod tray;
mod ui_state;
mod updater;
mod wake;
mod window;
mod words;
#[cfg(test)]
mod words_tests;
mod wrap_up;

use std::time::Duration;

use agent::session::Session;
use agent::settings::Paths;
use tauri::{AppHandle, Manager, WindowEvent};

use state::AppState;

/// Starts the app.
pub fn run() {
    window::lean_engine();
    let paths = profile_dir()
        .map(|dir| Paths::under(&dir))
        .unwrap_or_else(Paths::from_env);
    let _log_guard = init_logging(&paths);
    // Autostart launches with --hidden: the app starts in the tray.
    let launched_hidden = std::env::args().any(|a| a == "--hidden");

    tauri::Builder::default()
        // First, so a second launch hands over to this one before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            tracing::info!("second launch: focusing this window");
            window::show(app);
            // `tel:`/`callto:` links and `--dial NUMBER` arrive here as the second launch's arguments.
            links::handle_args(app, &argv);
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(window::geometry_plugin(&paths))
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec!["--hidden"]),
        ))
        .plugin(tauri_plugin_updater::Builder::new().build())
        // Screen pop: the CRM opens in the default browser (from Rust only: the page gets no opener permission).
        .plugin(
            tauri_plugin_opener::Builder::new()
                .open_js_links_on_click(false)
                .build(),
        )
        .plugin(
            tauri_plugin_global_shortcut::Builder::new()
                .with_handler(shortcuts::on_shortcut)
                .build(),
        )
        .setup(move |app| {
            let state = AppState::load(paths.clone()).map_err(|e| e.to_string())?;
            let hidden = launched_hidden || state.settings().start_hidden;
            // Mark the automatic sign-in as under way before anything can ask for the desk.
            state.restoring.send_replace(true);
            let words = words::Words::for_setting(&state.settings().language);
            app.manage(state);
            app.manage(words);
            // The shell's other owners, one each (docs/architecture.md, "Who owns which state").
            app.manage(tray::Tray::default());
            app.manage(connection::ConnectionLight::default());
            app.manage(phone::PhoneLine::default());
            app.manage(crm_link::CrmLink::default());
            app.manage(bridge::CallEvents::default());
            app.manage(shortcuts::HotkeyRegistry::default());
            app.manage(clipboard::Clipboard::default());
            if let Some(main) = app.get_webview_window("main") {
                window::lean_webview(&main);
            }
            tray::build(app.handle())?;
            shortcuts::register_all(app.handle());
            if hidden {
                if let Some(window) = app.get_webview_window("main") {
                    let _ = window.hide();
                }
            }
            links::register(app.handle());
            end_with_the_os_session(app.handle());
            wake::watch(app.handle());
            bridge::start(app.handle());
            updater::start(app.handle());
            disposition_trees::watch(app.handle());
            callbacks::start(app.handle());
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                restore(&handle).await;
                // A link that started the app is offered once the desk is there.
                let args: Vec<String> = std::env::args().collect();
                links::handle_args(&handle, &args);
            });
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing hides: the app keeps running in the tray for the whole shift. (The compact bar just closes.)
            if window.label() == compact::LABEL {
                if let (WindowEvent::Moved(_), Some(bar)) = (
                    event,
                    window.app_handle().get_webview_window(compact::LABEL),
                ) {
                    compact::remember_place(&bar);
                }
                return;
            }
            if let WindowEvent::CloseRequested { api, .. } = event {
                api.prevent_close();
                window::remember_geometry(window.app_handle());
                let _ = window.hide();
            }
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .expect("the app runs");
}

/// Signs in by itself with the password kept in the keychain.
async fn restore(app: &AppHandle) {
    let state = app.state::<AppState>();
    let settings = state.settings();
    state.restoring.send_replace(true);
    connection::signing_in(app, true);
    let result = Session::restore_trusting(
        &settings.server_url,
        settings.ca_certificate_path().as_deref(),
        &settings.proxy,
        &settings.agent_user,
        &settings.identity,
        &*state.secrets,
    )
    .await;
    let result = match result {
        // The benchmark's "signed in and ready" marker (scripts/bench-app.sh): the desk is live and the window has
        // been told; the hotkeys were registered during setup, before this.
        Ok(Some(session)) => crate::session::going_live::go_live(app, session)
            .await
            .map(|()| tracing::info!("ready: signed in, desk live, hotkeys registered")),
        Ok(None) => Ok(()),
        Err(err) => Err(err),
    };
    state.restoring.send_replace(false);
    connection::signing_in(app, false);
    match result {
        Ok(()) => {}
        Err(err) => {
            tracing::warn!(code = ?err.code(), %err, "automatic sign-in failed");
            notify::tell_error(app, "notify.sign_in_lost", &err);
            events::emit(app, events::RESTORE_FAILED, err.to_ipc());
        }
    }
}

/// Logging out of the computer or shutting down sends SIGTERM (or SIGHUP when the terminal goes): the app signs
/// off on the server (AgentLogoff, EndSession), bounded like Quit, instead of dying with the session open.
fn end_with_the_os_session(app: &AppHandle) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            let (Ok(mut term), Ok(mut hup)) = (
                signal(SignalKind::terminate()),
                signal(SignalKind::hangup()),
            ) else {
                return;
            };
            tokio::select! {
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
            tracing::info!("the OS session is ending: signing off");
            quit(&app);
        });
    }
    #[cfg(not(unix))]
    let _ = app;
}

/// Quits: ends the session on the server when it answers within a short bound, keeps the password so the next
/// start signs in by itself.
pub(crate) fn quit(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        phone::stop(&app).await;
        let live = app.state::<AppState>().signed_in.read().await.clone();
        if let Some(live) = live {
            live.session
                .end_on_server(Duration::from_secs(2), "quit the Agent Companion")
                .await;
        }
        app.exit(0);
    });
}

/// `--profile-dir DIR` (or `--profile-dir=DIR`): keep settings, data and logs under DIR.
fn profile_dir() -> Option<std::path::PathBuf> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .enumerate()
        .find_map(|(i, a)| match a.strip_prefix("--profile-dir=") {
            Some(dir) => Some(dir.into()),
            None if a == "--profile-dir" => args.get(i + 1).map(Into::into),
            None => None,
        })
}

fn init_logging(paths: &Paths) -> Option<()> {
    std::fs::create_dir_all(&paths.log_dir).ok()?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(paths.log_dir.join("companion.log"))
        .ok()?;
    let filter = tracing_subscriber::EnvFilter::try_from_env("UCAC_LOG")
        // zbus logs every D-Bus handshake and name watch as an info span: noise in an agent's log.
        .unwrap_or_else(|_| "info,tao=warn,wry=warn,zbus=warn".into());
    // With UCAC_LOG=debug each span (hotkey → desk → AgentCall → answer) logs its time when it closes.
    tracing_subscriber::fmt()
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()
}

//! Updates through tauri-plugin-updater, on the contact center's terms (`agent::update`): the feed and pin come
//! from the `[update]` settings; a check runs at start and every few hours, but only while the desk is between
//! calls with nothing waiting in the outbox. A found update is downloaded and its minisign signature verified
//! against the public key in tauri.conf.json at once (a tampered package or a wrong signature is refused here,
//! named in the status, and the running version goes on); it is installed only when the agent picks
//! "Restart now" between calls. The UI side is `ui/js/update.js`.

use std::time::Duration;

use agent::desk::CallState;
use agent_error::{AgentError, ErrorCode, Phrase};
use parking_lot::Mutex;
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};
use update_terms::{self as update, Busy, UpdateSettings, UpdateSource, READY_MESSAGE};

use crate::commands::CommandResult;
use crate::state::AppState;

/// How often a check that is due looks again whether the desk is between calls.
const BUSY_POLL: Duration = Duration::from_secs(20);

/// What the UI shows about updates.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum UpdateStatus {
    /// `[update] source = "off"`.
    Off,
    /// Waiting for the next check.
    Idle {
        /// The running version.
        current: String,
    },
    /// A check or download is under way.
    Checking,
    /// Downloaded and verified: restart to install.
    Ready {
        /// The version waiting.
        version: String,
        /// What the agent reads.
        message: String,
    },
    /// The last check, download or install failed; the running version goes on.
    Failed {
        /// What went wrong, in plain words.
        message: String,
    },
}

/// The updater's state: its status and the verified package waiting for a restart.
pub struct Updater {
    status: Mutex<UpdateStatus>,
    ready: Mutex<Option<(Update, Vec<u8>)>>,
    wake: tokio::sync::Notify,
}

/// Starts the updater loop; call once from `setup`.
pub fn start(app: &AppHandle) {
    // The version that runs, in the log: what a support person (and the update test) looks for after a restart.
    tracing::info!(version = %app.package_info().version, "app started");
    app.manage(Updater {
        status: Mutex::new(UpdateStatus::Checking),
        ready: Mutex::new(None),
        wake: tokio::sync::Notify::new(),
    });
    let app = app.clone();
    tauri::async_runtime::spawn(async move { run(app).await });
}

/// Looks again now (the settings changed).
pub fn settings_changed(app: &AppHandle) {
    if let Some(updater) = app.try_state::<Updater>() {
        updater.wake.notify_one();
    }
}

fn set_status<R: Runtime>(app: &AppHandle<R>, status: UpdateStatus) {
    if let Some(updater) = app.try_state::<Updater>() {
        *updater.status.lock() = status.clone();
    }
    crate::events::emit(app, crate::events::UPDATE, &status);
}

async fn run(app: AppHandle) {
    loop {
        let settings = app.state::<AppState>().settings().update;
        let already_ready = app.state::<Updater>().ready.lock().is_some();
        match settings.source() {
            Ok(UpdateSource::Off) => set_status(&app, UpdateStatus::Off),
            Err(err) => set_status(
                &app,
                UpdateStatus::Failed {
                    message: err.to_string(),
                },
            ),
            Ok(UpdateSource::Feed(_)) if already_ready => {}
            Ok(UpdateSource::Feed(feed)) => {
                wait_until_between_calls(&app).await;
                check(&app, &settings, feed).await;
            }
        }
        let updater = app.state::<Updater>();
        let _ = tokio::time::timeout(settings.interval(), updater.wake.notified()).await;
    }
}

/// What keeps the desk from updating now, if anything.
async fn busy_now(app: &AppHandle) -> Option<Busy> {
    let state = app.state::<AppState>();
    let call = match state.signed_in.read().await.clone() {
        Some(live) => live.desk.snapshot().await.state,
        None => CallState::Idle,
    };
    let waiting = state
        .outbox
        .as_ref()
        .ok()
        .and_then(|o| o.counts().ok())
        .map(|c| c.total())
        .unwrap_or(0);
    let desk = match call {
        CallState::Idle => update::DeskActivity::Idle,
        CallState::Dialing | CallState::InCall => update::DeskActivity::Call,
        CallState::WrapUp => update::DeskActivity::WrapUp,
    };
    update::busy(desk, waiting)
}

async fn wait_until_between_calls(app: &AppHandle) {
    while let Some(reason) = busy_now(app).await {
        tracing::debug!(%reason, "update check postponed");
        tokio::time::sleep(BUSY_POLL).await;
    }
}

async fn check(app: &AppHandle, settings: &UpdateSettings, feed: tauri::Url) {
    set_status(app, UpdateStatus::Checking);
    match find_and_verify(app, settings, feed).await {
        Ok(Some((update, bytes))) => {
            let version = update.version.clone();
            tracing::info!(%version, "update downloaded and its signature verified");
            *app.state::<Updater>().ready.lock() = Some((update, bytes));
            set_status(
                app,
                UpdateStatus::Ready {
                    version: version.clone(),
                    message: READY_MESSAGE.into(),
                },
            );
            let words = app.state::<crate::words::Words>();
            crate::notify::show(
                &words.t("notify.update_ready", &[("version", &version)]),
                &words.t("update.ready", &[]),
            );
        }
        Ok(None) => set_status(
            app,
            UpdateStatus::Idle {
                current: app.package_info().version.to_string(),
            },
        ),
        Err(message) => {
            tracing::warn!(%message, "update refused");
            set_status(app, UpdateStatus::Failed { message });
        }
    }
}

/// Checks the feed and downloads what it offers; the plugin verifies the signature before handing the bytes.
async fn find_and_verify(
    app: &AppHandle,
    settings: &UpdateSettings,
    feed: tauri::Url,
) -> Result<Option<(Update, Vec<u8>)>, String> {
    let rules = settings.clone();
    let builder = app
        .updater_builder()
        .endpoints(vec![feed.clone()])
        .map_err(|e| format!("Update feed {feed}: {e}"))?
        .version_comparator(move |current, offered| {
            rules.wants(&current.to_string(), &offered.version.to_string())
        });
    let builder = test_public_key(builder);
    // The same proxy as the API client (`[proxy]`).
    let state = app.state::<crate::state::AppState>();
    let (proxy, secrets) = (state.settings().proxy, state.secrets.clone());
    let route = crate::commands::blocking(move || proxy.route(&*secrets))
        .await
        .map_err(|e| format!("Updates cannot be checked: {e}"))?;
    let builder = match route {
        proxy_settings::ProxyRoute::System => builder,
        proxy_settings::ProxyRoute::Direct => builder.no_proxy(),
        proxy_settings::ProxyRoute::Via(url) => builder.proxy(url),
    };
    let updater = builder
        .build()
        .map_err(|e| format!("Updates cannot be checked: {e}"))?;
    let Some(update) = updater
        .check()
        .await
        .map_err(|e| format!("Update feed {feed} could not be read: {e}"))?
    else {
        return Ok(None);
    };
    let bytes = update.download(|_, _| {}, || {}).await.map_err(|e| {
        format!(
            "Update {} refused: the package is not the one the publisher signed ({e}). Version {} keeps running.",
            update.version, update.current_version
        )
    })?;
    Ok(Some((update, bytes)))
}

/// Debug builds only: the end-to-end test signs its packages with a throwaway key and passes its public half in
/// `UCAC_UPDATE_PUBKEY`. Release builds trust the key in tauri.conf.json and nothing else.
fn test_public_key(
    builder: tauri_plugin_updater::UpdaterBuilder,
) -> tauri_plugin_updater::UpdaterBuilder {
    #[cfg(debug_assertions)]
    if let Ok(key) = std::env::var("UCAC_UPDATE_PUBKEY") {
        return builder.pubkey(key);
    }
    builder
}

/// The update status for the UI.
#[tauri::command]
pub fn update_status(app: AppHandle) -> UpdateStatus {
    app.state::<Updater>().status.lock().clone()
}

/// At sign-out, when `[update] install_at_sign_out` asks for it (a policy's choice): a verified update is installed
/// now and the app restarts into it, on the sign-in screen. Nothing ready, or the setting off: nothing happens.
pub async fn install_at_sign_out(app: &AppHandle) {
    let wanted = app
        .state::<AppState>()
        .settings()
        .update
        .install_at_sign_out;
    let ready = app.state::<Updater>().ready.lock().is_some();
    if wanted && ready {
        tracing::info!("signed out: installing the update the policy asks for");
        if let Err(err) = update_install(app.clone()).await {
            tracing::warn!(message = %err.message, "update not installed at sign-out");
        }
    }
}

/// Installs the verified update and restarts into it — only between calls, with the outbox empty.
#[tauri::command]
pub async fn update_install(app: AppHandle) -> CommandResult<()> {
    Ok(install_ready(&app).await?)
}

/// Installs the update that is ready and restarts into it; refused during a call or with the outbox not empty.
async fn install_ready(app: &AppHandle) -> Result<(), AgentError> {
    if let Some(reason) = busy_now(app).await {
        return Err(update::not_now(reason));
    }
    let ready = app.state::<Updater>().ready.lock().take();
    let Some((update, bytes)) = ready else {
        return Err(AgentError::phrased(
            ErrorCode::InvalidInput,
            Phrase::new("error.update.none_ready"),
            "No update is ready to install.",
        ));
    };
    let version = update.version.clone();
    tracing::info!(%version, "installing the update");
    // dpkg/rpm (through pkexec or sudo) or the Windows installer: blocking, off the async runtime.
    let installed = tauri::async_runtime::spawn_blocking(move || update.install(bytes))
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r.map_err(|e| e.to_string()));
    match installed {
        Ok(()) => {
            tracing::info!(%version, "update installed: restarting");
            // The new process signs in by itself (password in the keychain); single-instance lets go first.
            app.restart()
        }
        Err(err) => {
            let message = format!(
                "Update {version} could not be installed: {err}. This version keeps running."
            );
            tracing::warn!(%message, "update not installed");
            let failed = UpdateStatus::Failed {
                message: message.clone(),
            };
            set_status(app, failed);
            Err(AgentError::phrased(
                ErrorCode::InvalidInput,
                Phrase::new("error.update.not_installed")
                    .with("version", version.as_str())
                    .with("detail", err.as_str()),
                message,
            ))
        }
    }
}

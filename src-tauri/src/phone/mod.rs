//! The app as the agent's phone (crates/phone) in the shell: one [`PhoneLine`] (managed, created in `setup`) starts
//! the phone when a session goes live with `[phone] enabled`, stops it — un-registering — at sign-out, quit and
//! when the setting is turned off, restarts it when its settings change, and tells the window the phone's state
//! (the header's phone light). With the phone off nothing here runs and the app behaves as it always did.

pub mod commands;
mod desk_link;
mod view;

use std::sync::Arc;

use agent::desk::DeskHandle;
use agent::session::Session;
use agent::settings::Settings;
use parking_lot::Mutex;
use phone::{Phone, PhoneError, SipAccount, SipPassword, SystemAudio, TlsTrust};
use tauri::{AppHandle, Manager};

use crate::events;
use crate::state::AppState;
pub use view::{PhoneCall, PhoneView};

/// The running phone, if any, and the view last shown.
#[derive(Default)]
pub struct PhoneLine {
    running: tokio::sync::Mutex<Option<Running>>,
    view: Mutex<PhoneView>,
    /// The call's mute and hold, as the hotkeys turn them over (the window keeps its own copy from the events).
    call: Mutex<CallFlags>,
}

/// Whether the phone's call is ringing, muted and held.
#[derive(Default, Clone, Copy)]
pub(crate) struct CallFlags {
    pub ringing: bool,
    pub muted: bool,
    pub held: bool,
}

struct Running {
    phone: Phone,
    settings: phone::PhoneSettings,
    watcher: tauri::async_runtime::JoinHandle<()>,
    link: tauri::async_runtime::JoinHandle<()>,
}

impl PhoneLine {
    /// The phone's state now, for the window at start.
    pub fn view(&self) -> PhoneView {
        self.view.lock().clone()
    }

    /// The running phone, or why there is none.
    pub async fn phone(&self) -> Result<Phone, agent_error::AgentError> {
        self.running
            .lock()
            .await
            .as_ref()
            .map(|r| r.phone.clone())
            .ok_or_else(|| {
                agent_error::AgentError::phrased(
                    agent_error::ErrorCode::NoCall,
                    agent_error::Phrase::new("error.phone.off"),
                    "the phone is off: turn it on in Settings",
                )
            })
    }
}

/// Starts the phone for `session` when the settings turn it on (a phone already running is stopped first); it
/// follows `desk` (see `desk_link`).
pub async fn start(app: &AppHandle, session: &Session, settings: &Settings, desk: DeskHandle) {
    stop(app).await;
    if !settings.phone.enabled {
        return;
    }
    let line = app.state::<PhoneLine>();
    let secrets = app.state::<AppState>().secrets.clone();
    let account = match account(session, settings, &*secrets) {
        Ok(account) => account,
        Err(reason) => return show(app, PhoneView::failed(reason, None)),
    };
    let phone = Phone::start(account.0, account.1, Arc::new(SystemAudio));
    let mut state = phone.state();
    let watched = app.clone();
    let watcher = tauri::async_runtime::spawn(async move {
        loop {
            let view = PhoneView::of(&state.borrow_and_update());
            show(&watched, view);
            if state.changed().await.is_err() {
                return;
            }
        }
    });
    let window = std::time::Duration::from_secs(u64::from(settings.phone.own_call_window_secs));
    let link =
        tauri::async_runtime::spawn(desk_link::follow(app.clone(), phone.clone(), desk, window));
    *line.running.lock().await = Some(Running {
        phone,
        settings: settings.phone.clone(),
        watcher,
        link,
    });
}

/// Stops the phone (un-registering, bounded by `phone::UNREGISTER_WAIT`); the light goes off.
pub async fn stop(app: &AppHandle) {
    let running = app.state::<PhoneLine>().running.lock().await.take();
    if let Some(running) = running {
        running.watcher.abort();
        running.link.abort();
        running.phone.stop().await;
    }
    show(app, PhoneView::off());
}

/// New settings: the phone starts, stops or starts again when its part changed, or the CA it trusts
/// (`trust_changed`).
pub async fn settings_changed(app: &AppHandle, settings: &Settings, trust_changed: bool) {
    let running = app
        .state::<PhoneLine>()
        .running
        .lock()
        .await
        .as_ref()
        .map(|r| r.settings.clone());
    let same = running.as_ref() == Some(&settings.phone) && !trust_changed;
    if same || (running.is_none() && !settings.phone.enabled) {
        return;
    }
    let live = app
        .state::<AppState>()
        .signed_in
        .read()
        .await
        .as_ref()
        .map(|s| (s.session.clone(), s.desk.clone()));
    match live {
        Some((session, desk)) => start(app, &session, settings, desk).await,
        None => stop(app).await,
    }
}

/// The SIP account and TLS trust for `session`: the peer AgentLogin answered, the WSS address of the settings (or
/// derived from the server's), and the same private CA as the API.
fn account(
    session: &Session,
    settings: &Settings,
    secrets: &dyn keychain::SecretStore,
) -> Result<(SipAccount, TlsTrust), PhoneError> {
    let peer = &session.sip_peer;
    if peer.secret.is_empty() {
        return Err(PhoneError::Invalid {
            name: "SIP password",
            detail: "the server's AgentLogin gave no SIP password for this agent".into(),
        });
    }
    let server = settings
        .phone
        .server_for_peer(&session.server_url, &peer.outbound_proxy)?;
    let mut account = SipAccount::new(&peer.user, SipPassword::new(peer.secret.expose()), &server)?;
    account.display_name = Some(session.identity.name.clone()).filter(|n| !n.is_empty());
    account.proxy = proxy_route(&settings.proxy, secrets)?;
    account.ice_servers = settings.phone.ice_servers()?;
    account.turn_credential = turn_credential(&settings.phone, secrets);
    let mut trust = TlsTrust::default();
    if let Some(path) = settings.ca_certificate_path() {
        let pem = std::fs::read(&path).map_err(|e| PhoneError::Invalid {
            name: "CA certificate",
            detail: format!("cannot read {}: {e}", path.display()),
        })?;
        trust = trust.with_pem(&pem)?;
    }
    Ok((account, trust))
}

/// A phone hotkey: answer the ringing call, or turn mute or hold over.
pub async fn hotkey(
    app: &AppHandle,
    action: hotkeys::HotkeyAction,
) -> Result<(), agent_error::AgentError> {
    let line = app.state::<PhoneLine>();
    let phone = line.phone().await?;
    let flags = *line.call.lock();
    match action {
        hotkeys::HotkeyAction::Answer => phone.answer(),
        hotkeys::HotkeyAction::ToggleMute => set_muted(app, &phone, !flags.muted),
        _ => phone.hold(!flags.held),
    }
    Ok(())
}

/// Rejects the call ringing in the app, if one is; true when it did (the hang-up key's first use).
pub async fn reject_ringing(app: &AppHandle) -> bool {
    let line = app.state::<PhoneLine>();
    if !line.call.lock().ringing {
        return false;
    }
    match line.phone().await {
        Ok(phone) => {
            phone.hang_up();
            true
        }
        Err(_) => false,
    }
}

/// Mutes or unmutes the call's microphone and tells both windows (the main window's button and the compact bar's).
pub(crate) fn set_muted(app: &AppHandle, phone: &Phone, muted: bool) {
    app.state::<PhoneLine>().call.lock().muted = muted;
    phone.mute(muted);
    let state = if muted { "muted" } else { "unmuted" };
    events::emit(app, events::PHONE_CALL, PhoneCall::bare(state));
}

/// Keeps the hotkeys' mute and hold in step with the call (the window's buttons and the far end change them too).
pub(crate) fn follow_flags(app: &AppHandle, event: &phone::CallEvent) {
    let line = app.state::<PhoneLine>();
    let mut call = line.call.lock();
    match event {
        phone::CallEvent::Ringing { .. } => call.ringing = true,
        phone::CallEvent::Answered { .. } | phone::CallEvent::Ended { .. } => {
            *call = CallFlags::default()
        }
        phone::CallEvent::Hold {
            held,
            by_agent: true,
            ..
        } => call.held = *held,
        _ => {}
    }
}

/// The `turn:` servers' credential: `phone.turn_username` with the keychain's `turn-password`. Without them the
/// phone still calls (host and STUN candidates); the log says why there is no relay.
fn turn_credential(
    settings: &phone::PhoneSettings,
    secrets: &dyn keychain::SecretStore,
) -> Option<phone::TurnCredential> {
    let user = settings.turn_username.trim();
    if user.is_empty() {
        return None;
    }
    match secrets.get(phone::TURN_PASSWORD_KEY) {
        Ok(Some(password)) => Some(phone::TurnCredential::new(user, password)),
        Ok(None) => {
            tracing::warn!(
                key = phone::TURN_PASSWORD_KEY,
                "no TURN password in the keychain: no relay candidate"
            );
            None
        }
        Err(err) => {
            tracing::warn!(%err, "the TURN password could not be read: no relay candidate");
            None
        }
    }
}

/// The `[proxy]` setting as the phone's route; an explicit proxy's password comes from the keychain, as the API
/// client's does.
fn proxy_route(
    proxy: &proxy_settings::ProxySettings,
    secrets: &dyn keychain::SecretStore,
) -> Result<phone::ProxyRoute, PhoneError> {
    use proxy_settings::ProxyMode;
    let invalid = |detail: String| PhoneError::Invalid {
        name: "proxy",
        detail,
    };
    Ok(match proxy.mode {
        ProxyMode::System => phone::ProxyRoute::System,
        ProxyMode::None => phone::ProxyRoute::Direct,
        ProxyMode::Explicit => {
            let user = proxy.username.trim();
            let credentials = if user.is_empty() {
                None
            } else {
                let password = secrets
                    .get(proxy_settings::PROXY_PASSWORD_KEY)
                    .map_err(|e| invalid(e.to_string()))?
                    .unwrap_or_default();
                Some((user.to_string(), SipPassword::new(password)))
            };
            phone::ProxyRoute::Explicit(phone::HttpProxy::new(&proxy.url, credentials)?)
        }
    })
}

/// Tells the window when the view changed.
fn show(app: &AppHandle, view: PhoneView) {
    let line = app.state::<PhoneLine>();
    {
        let mut last = line.view.lock();
        if *last == view {
            return;
        }
        *last = view.clone();
    }
    if let Some(reason) = &view.problem {
        tracing::info!(state = view.state, reason = %reason.message, "phone");
    }
    events::emit(app, events::PHONE, &view);
}

//! Sign-in, sign-out and the session status.

use agent::profile::{Identity, IdentityOverrides};
use agent::session::{Password, Session};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};

use crate::commands::CommandResult;
use crate::events;
use crate::session::going_live::go_live;
use crate::state::AppState;

/// What the window shows at start and after sign-in.
#[derive(Debug, Serialize)]
pub struct Status {
    /// Signed in.
    pub signed_in: bool,
    /// The identity, when signed in.
    pub identity: Option<Identity>,
    /// Server URL and user to prefill the sign-in form.
    pub server_url: String,
    /// Agent user.
    pub agent_user: String,
    /// Campaigns for every picker (`agent::campaigns`).
    pub campaigns: Vec<String>,
    /// The campaign the pickers start on and a dial uses when none is picked.
    pub default_campaign: Option<String>,
    /// UI language setting.
    pub language: String,
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct SignIn {
    server_url: String,
    agent: String,
    password: String,
    #[serde(default)]
    overrides: IdentityOverrides,
}

/// The session status.
#[tauri::command]
pub async fn status(state: State<'_, AppState>) -> CommandResult<Status> {
    let identity = state
        .signed_in
        .read()
        .await
        .as_ref()
        .map(|l| l.session.identity.clone());
    let campaigns = state.campaigns(identity.as_ref());
    let settings = state.settings();
    let prefill = std::env::var("UCAC_SERVER_URL").unwrap_or_default();
    Ok(Status {
        signed_in: identity.is_some(),
        identity,
        server_url: if settings.server_url.is_empty() {
            prefill
        } else {
            settings.server_url
        },
        agent_user: settings.agent_user,
        campaigns: campaigns.offered,
        default_campaign: campaigns.default,
        language: settings.language,
    })
}

/// Signs in with AgentLogin; the password and token go to the keychain, server and user to the settings.
#[tauri::command]
pub async fn sign_in(
    app: AppHandle,
    state: State<'_, AppState>,
    mut form: SignIn,
) -> CommandResult<Identity> {
    let password = Password::new(form.password);
    // No outbox, no desk: say so before signing in (the keychain is missing or refuses the data key).
    state.outbox()?;
    // Signing in to another server or as another agent than the policy locks is refused before anything is sent.
    let current = state.settings();
    // The form's identity fields start empty: an untouched one keeps what Settings or the policy preset.
    form.overrides = kept_overrides(form.overrides, &current.identity);
    let mut proposed = current.clone();
    if form.server_url.trim().trim_end_matches('/') != current.server_url.trim_end_matches('/') {
        proposed.server_url = form.server_url.trim().to_string();
    }
    proposed.agent_user = form.agent.trim().to_string();
    proposed.identity = form.overrides.clone();
    state.policy().check(&current, &proposed)?;
    let ca = current.ca_certificate_path();
    let session = Session::sign_in_trusting(
        &form.server_url,
        ca.as_deref(),
        &current.proxy,
        &form.agent,
        &password,
        &form.overrides,
        &*state.secrets,
    )
    .await?;
    let server_locked = state.policy().is_locked("server_url");
    state.settings.update(|settings| {
        if !server_locked {
            settings.server_url = session.server_url.clone();
        }
        settings.agent_user = session.identity.agent.clone();
        settings.identity = form.overrides;
    })?;
    let identity = session.identity.clone();
    go_live(&app, session).await?;
    Ok(identity)
}

fn kept_overrides(typed: IdentityOverrides, current: &IdentityOverrides) -> IdentityOverrides {
    let keep = |typed: String, current: &str| {
        if typed.trim().is_empty() {
            current.to_string()
        } else {
            typed
        }
    };
    IdentityOverrides {
        name: keep(typed.name, &current.name),
        extension: keep(typed.extension, &current.extension),
        context: keep(typed.context, &current.context),
        tech: keep(typed.tech, &current.tech),
        callerid: keep(typed.callerid, &current.callerid),
        outqueue: keep(typed.outqueue, &current.outqueue),
    }
}

/// The saved password stopped working mid-shift: sign in again with the one the agent typed, keeping the call, the
/// open form and what waits in the outbox (which goes out at once).
#[tauri::command]
pub async fn renew_session(state: State<'_, AppState>, password: String) -> CommandResult<()> {
    let live = state.signed_in().await?;
    live.session
        .renew_with(&Password::new(password), &*state.secrets)
        .await?;
    live.desk.nudge();
    Ok(())
}

/// Signs out: AgentLogoff + EndSession on the server, token and password forgotten.
#[tauri::command]
pub async fn sign_out(app: AppHandle, state: State<'_, AppState>) -> CommandResult<()> {
    let live = state.signed_in.write().await.take();
    if let Some(live) = live {
        live.session
            .sign_out(&*state.secrets, std::time::Duration::from_secs(3))
            .await?;
    }
    crate::history::at_sign_out(&state);
    events::emit(&app, events::SESSION, false);
    crate::connection::session(&app, false);
    crate::updater::install_at_sign_out(&app).await;
    Ok(())
}

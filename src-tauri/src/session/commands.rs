//! Sign-in, sign-out and the session status.

use agent::profile::Identity;
use agent::session::Password;
use agent::sign_in::SignInForm;
use serde::Serialize;
use tauri::{AppHandle, State};

use crate::commands::CommandResult;
use crate::session::going_live::{go_live, sign_off};
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
    /// A screen-pop address is set: the call card offers *Open in CRM* (`O`).
    pub screen_pop: bool,
}

impl Status {
    /// The status for `identity` (`None`: signed out) with the settings in effect; an empty server address is
    /// prefilled from `UCAC_SERVER_URL`.
    fn of(state: &AppState, identity: Option<Identity>) -> Self {
        let campaigns = state.campaigns(identity.as_ref());
        let settings = state.settings();
        let server_url = Some(settings.server_url)
            .filter(|url| !url.is_empty())
            .unwrap_or_else(|| std::env::var("UCAC_SERVER_URL").unwrap_or_default());
        Self {
            signed_in: identity.is_some(),
            identity,
            server_url,
            agent_user: settings.agent_user,
            campaigns: campaigns.offered,
            default_campaign: campaigns.default,
            language: settings.language,
            screen_pop: !settings.screen_pop.templates.is_empty(),
        }
    }
}

/// The session status.
#[tauri::command]
pub async fn status(state: State<'_, AppState>) -> CommandResult<Status> {
    let signed_in = state.signed_in.read().await;
    let identity = signed_in.as_ref().map(|s| s.session.identity.clone());
    Ok(Status::of(&state, identity))
}

/// Signs in with AgentLogin (`agent::sign_in`): the password and token go to the keychain, server and user to the
/// settings; then the desk goes live.
#[tauri::command]
pub async fn sign_in(
    app: AppHandle,
    state: State<'_, AppState>,
    form: SignInForm,
) -> CommandResult<Identity> {
    // No outbox, no desk: say so before signing in (the keychain is missing or refuses the data key).
    state.outbox()?;
    let session = agent::sign_in::sign_in(&state.settings, &*state.secrets, form).await?;
    let identity = session.identity.clone();
    go_live(&app, session).await?;
    Ok(identity)
}

/// The saved password stopped working mid-shift: sign in again with the one the agent typed, keeping the call, the
/// open form and what waits in the outbox (which goes out at once).
#[tauri::command]
pub async fn renew_session(state: State<'_, AppState>, password: String) -> CommandResult<()> {
    let signed_in = state.signed_in().await?;
    let session = &signed_in.session;
    session
        .renew_with(&Password::new(password), &*state.secrets)
        .await?;
    signed_in.desk.nudge();
    Ok(())
}

/// Signs out: AgentLogoff + EndSession on the server, token and password forgotten.
#[tauri::command]
pub async fn sign_out(app: AppHandle) -> CommandResult<()> {
    Ok(sign_off(&app).await?)
}

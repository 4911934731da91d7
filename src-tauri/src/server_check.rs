//! The sign-in screen's first question, asked before the password: is this address a uContact server? The check
//! is `::server_check`'s; this command hands it the CA certificate and the proxy of the settings.

use tauri::State;

use crate::commands::{blocking, CommandResult};
use crate::state::AppState;

/// Checks the address; `Ok` says what was found, in plain words.
#[tauri::command]
pub async fn check_server(state: State<'_, AppState>, url: String) -> CommandResult<String> {
    let settings = state.settings();
    let secrets = state.secrets.clone();
    let proxy_settings = settings.proxy.clone();
    let proxy = blocking(move || proxy_settings.to_config(&*secrets)).await?;
    let ca = settings.ca_certificate_path();
    Ok(::server_check::check(&url, ca.as_deref(), &proxy).await?)
}

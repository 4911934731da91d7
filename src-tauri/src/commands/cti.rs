//! CTI from the window (paste, drop), the respool editor, the CTI decryption secret and the bridge's pairing code.

use agent::crypto::{self, CtiScheme, CtiSecret, SecretText};
use agent::cti::{read_cti, CtiSource};
use agent::desk::{CallView, RespoolEdit};
use serde::Deserialize;
use tauri::State;

use super::{ipc, CommandResult};
use crate::state::AppState;

/// Pasted or dropped CTI: JSON, or the portal's encrypted blob (read with the secret in the keychain).
#[tauri::command]
pub async fn load_cti(state: State<'_, AppState>, text: String) -> CommandResult<CallView> {
    let config = state.settings().cti_crypto;
    let cti = read_cti(&text, CtiSource::Pasted, &config, &*state.secrets).map_err(ipc)?;
    let desk = state.desk().await.map_err(ipc)?;
    desk.attach_cti(cti).await.map_err(ipc)
}

/// Opens the respool editor on the call's dialer record.
#[tauri::command]
pub async fn respool_open(state: State<'_, AppState>) -> CommandResult<CallView> {
    let desk = state.desk().await.map_err(ipc)?;
    desk.open_respool().await.map_err(ipc)
}

/// One edit in the respool editor; the answer carries the editor as the rules left it.
#[tauri::command]
pub async fn respool_edit(
    state: State<'_, AppState>,
    edit: RespoolEdit,
) -> CommandResult<CallView> {
    let desk = state.desk().await.map_err(ipc)?;
    desk.edit_respool(edit).await.map_err(ipc)
}

/// Sends the respool through the outbox; true when the server acknowledged it already.
#[tauri::command]
pub async fn respool_submit(state: State<'_, AppState>) -> CommandResult<bool> {
    let desk = state.desk().await.map_err(ipc)?;
    desk.submit_respool().await.map_err(ipc)
}

/// Closes the respool editor.
#[tauri::command]
pub async fn respool_close(state: State<'_, AppState>) -> CommandResult<CallView> {
    let desk = state.desk().await.map_err(ipc)?;
    desk.close_respool().await.map_err(ipc)
}

/// The CTI secret as typed in Settings (never stored anywhere but the keychain).
#[derive(Deserialize)]
pub struct SecretForm {
    scheme: CtiScheme,
    #[serde(default)]
    passphrase: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    iv: String,
}

/// Saves the CTI passphrase or key + IV in the keychain (checked first).
#[tauri::command]
pub fn save_cti_secret(state: State<'_, AppState>, form: SecretForm) -> CommandResult<()> {
    let secret = match form.scheme {
        CtiScheme::Passphrase => CtiSecret::Passphrase(SecretText::new(form.passphrase)),
        CtiScheme::RawKeyIv => CtiSecret::KeyIv {
            key: SecretText::new(form.key),
            iv: SecretText::new(form.iv),
        },
    };
    crypto::save_cti_secret(&*state.secrets, &secret).map_err(ipc)
}

/// Forgets the CTI secret of a scheme.
#[tauri::command]
pub fn forget_cti_secret(state: State<'_, AppState>, scheme: CtiScheme) -> CommandResult<()> {
    crypto::forget_cti_secret(&*state.secrets, scheme).map_err(ipc)
}

/// The bridge's pairing code for the agent to paste in the bridge page (`rotate`: a new one, the old one stops
/// working at once).
#[tauri::command]
pub async fn bridge_pairing(state: State<'_, AppState>, rotate: bool) -> CommandResult<String> {
    let token = if rotate {
        agent::bridge::rotate_pairing_token(&*state.secrets)
    } else {
        agent::bridge::pairing_token(&*state.secrets)
    }
    .map_err(ipc)?;
    let code = token.expose().to_string();
    if let Some(handle) = state.bridge.lock().await.as_ref() {
        handle.set_token(token);
    }
    Ok(code)
}

/// How the bridge is doing, for Settings.
#[tauri::command]
pub async fn bridge_status(state: State<'_, AppState>) -> CommandResult<String> {
    Ok(match state.bridge.lock().await.as_ref() {
        Some(handle) => format!("listening on {}", handle.local_addr()),
        None => "off: nothing listens".into(),
    })
}

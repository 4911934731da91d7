//! CTI from the window (paste, drop), the respool editor, the CTI decryption secret and the bridge's pairing code.

use agent::desk::{CallView, RespoolEdit};
use cti::crypto::{self, CtiScheme, CtiSecret, SecretText};
use cti::{read_cti, CtiSource};
use serde::Deserialize;
use tauri::State;

use crate::bridge::BridgeStatus;
use crate::commands::{blocking, CommandResult};
use crate::state::AppState;

/// Pasted or dropped CTI: JSON, or the portal's encrypted blob (read with the secret in the keychain, off the
/// async workers).
#[tauri::command]
pub async fn load_cti(state: State<'_, AppState>, text: String) -> CommandResult<CallView> {
    let config = state.settings().cti_crypto;
    let secrets = state.secrets.clone();
    let cti = blocking(move || read_cti(&text, CtiSource::Pasted, &config, &*secrets)).await?;
    let desk = state.desk().await?;
    Ok(desk.attach_cti(cti).await?)
}

/// Opens the respool editor on the call's dialer record.
#[tauri::command]
pub async fn respool_open(state: State<'_, AppState>) -> CommandResult<CallView> {
    Ok(state.desk().await?.open_respool().await?)
}

/// One edit in the respool editor; the answer carries the editor as the rules left it.
#[tauri::command]
pub async fn respool_edit(
    state: State<'_, AppState>,
    edit: RespoolEdit,
) -> CommandResult<CallView> {
    Ok(state.desk().await?.edit_respool(edit).await?)
}

/// Sends the respool through the outbox; true when the server acknowledged it already.
#[tauri::command]
pub async fn respool_submit(state: State<'_, AppState>) -> CommandResult<bool> {
    Ok(state.desk().await?.submit_respool().await?)
}

/// Closes the respool editor.
#[tauri::command]
pub async fn respool_close(state: State<'_, AppState>) -> CommandResult<CallView> {
    Ok(state.desk().await?.close_respool().await?)
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
pub async fn save_cti_secret(state: State<'_, AppState>, form: SecretForm) -> CommandResult<()> {
    let secret = match form.scheme {
        CtiScheme::Passphrase => CtiSecret::Passphrase(SecretText::new(form.passphrase)),
        CtiScheme::RawKeyIv => CtiSecret::KeyIv {
            key: SecretText::new(form.key),
            iv: SecretText::new(form.iv),
        },
    };
    let secrets = state.secrets.clone();
    Ok(blocking(move || crypto::save_cti_secret(&*secrets, &secret)).await?)
}

/// Forgets the CTI secret of a scheme.
#[tauri::command]
pub async fn forget_cti_secret(state: State<'_, AppState>, scheme: CtiScheme) -> CommandResult<()> {
    let secrets = state.secrets.clone();
    Ok(blocking(move || crypto::forget_cti_secret(&*secrets, scheme)).await?)
}

/// The bridge's pairing code for the agent to paste in the bridge page (`rotate`: a new one, the old one stops
/// working at once).
#[tauri::command]
pub async fn bridge_pairing(state: State<'_, AppState>, rotate: bool) -> CommandResult<String> {
    Ok(crate::bridge::pairing_code(&state, rotate).await?)
}

/// How the bridge is doing, for Settings: the address it listens on, or why it does not.
#[tauri::command]
pub async fn bridge_status(state: State<'_, AppState>) -> CommandResult<BridgeStatus> {
    Ok(crate::bridge::status(&state).await)
}

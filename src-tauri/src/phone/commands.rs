//! The phone's commands for the window: its light, and the call's answer, reject, mute, hold and keypad.

use tauri::State;

use super::{PhoneLine, PhoneView};
use crate::commands::CommandResult;

/// The phone light now.
#[tauri::command]
pub async fn phone_status(line: State<'_, PhoneLine>) -> CommandResult<PhoneView> {
    Ok(line.view())
}

/// Answers the ringing call.
#[tauri::command]
pub async fn phone_answer(line: State<'_, PhoneLine>) -> CommandResult<()> {
    line.phone().await?.answer();
    Ok(())
}

/// Rejects the ringing call (486 Busy Here).
#[tauri::command]
pub async fn phone_reject(line: State<'_, PhoneLine>) -> CommandResult<()> {
    line.phone().await?.hang_up();
    Ok(())
}

/// Mutes or unmutes the microphone.
#[tauri::command]
pub async fn phone_mute(
    app: tauri::AppHandle,
    line: State<'_, PhoneLine>,
    muted: bool,
) -> CommandResult<()> {
    super::set_muted(&app, &line.phone().await?, muted);
    Ok(())
}

/// Puts the call on hold or resumes it.
#[tauri::command]
pub async fn phone_hold(line: State<'_, PhoneLine>, held: bool) -> CommandResult<()> {
    line.phone().await?.hold(held);
    Ok(())
}

/// Sends keypad digits (RFC 4733), e.g. to an IVR.
#[tauri::command]
pub async fn phone_digits(line: State<'_, PhoneLine>, digits: String) -> CommandResult<()> {
    let phone = line.phone().await?;
    phone::check_digits(&digits).map_err(agent::phone_words::phone_error)?;
    phone.digits(&digits);
    Ok(())
}

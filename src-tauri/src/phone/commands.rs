//! The phone's commands for the window.

use tauri::State;

use super::{PhoneLine, PhoneView};
use crate::commands::CommandResult;

/// The phone light now.
#[tauri::command]
pub async fn phone_status(line: State<'_, PhoneLine>) -> CommandResult<PhoneView> {
    Ok(line.view())
}

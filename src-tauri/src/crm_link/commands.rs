//! The CRM from the window: open the call in the CRM now (the call card's `O`), and the URL a template gives for a
//! sample call (Settings' preview, before saving).

use agent_error::{AgentError, ErrorCode, Phrase};
use crm::CallFields;
use crm::UrlTemplate;
use tauri::AppHandle;

use crate::commands::CommandResult;

/// Opens the call on the desk (or the last one) in the CRM: the URL opened.
#[tauri::command]
pub async fn crm_open(app: AppHandle) -> CommandResult<String> {
    Ok(super::screen_pop::on_demand(&app).await?)
}

/// The URL `template` gives for a made-up call, or why the template is refused (the field or the scheme named).
#[tauri::command]
pub async fn crm_preview(template: String) -> CommandResult<String> {
    let parsed = UrlTemplate::parse(&template).map_err(|err| {
        AgentError::phrased(
            ErrorCode::InvalidSettings,
            Phrase::new("error.crm.template").with("problem", err.to_string()),
            format!("screen pop template: {err}"),
        )
    })?;
    Ok(parsed.render(&CallFields::sample()).to_string())
}

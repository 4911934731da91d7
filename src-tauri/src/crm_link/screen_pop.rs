//! The screen pop: the call's URL, from the settings' template for its campaign and direction, opened in the
//! agent's default browser (Tauri's opener plugin) at the moment the template names — once per call, so an event
//! sent again opens no second tab — or when the agent asks (the call card's `O`, the tray's *Open in CRM*).

use agent_error::{AgentError, ErrorCode, Phrase};
use crm::{CallFields, CrmEvent};
use tauri::{AppHandle, Manager};
#[cfg(not(target_os = "linux"))]
use tauri_plugin_opener::OpenerExt;

use super::CrmLink;
use crate::state::AppState;
use crate::{events, notify};

/// Opens the call's URL if its template fires on this moment and the call (`call_key`: its GUID, else its place in
/// the shift) had no automatic pop yet.
pub fn on_event(app: &AppHandle, event: &CrmEvent, call_key: &str) {
    let Some(call) = &event.call else { return };
    let settings = app.state::<AppState>().settings();
    let Some(template) = settings
        .screen_pop
        .template_for(&call.campaign, call.direction)
    else {
        return;
    };
    if !template.when.fires_on(event.moment, call.direction) {
        return;
    }
    if !app.state::<CrmLink>().popped.lock().first_time(call_key) {
        return;
    }
    let url = template.url.render(call).to_string();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(err) = open(&app, url).await {
            tell(&app, &err);
        }
    });
}

/// The agent asked: the call on the desk (or the last one) in the CRM, whether or not it popped before.
pub async fn on_demand(app: &AppHandle) -> Result<String, AgentError> {
    let call = app
        .state::<CrmLink>()
        .moments
        .lock()
        .as_ref()
        .and_then(|m| m.current().cloned())
        .ok_or_else(no_pop)?;
    let url = url_for(app, &call)?;
    open(app, url.clone()).await?;
    Ok(url)
}

/// The URL the settings give for `call`.
fn url_for(app: &AppHandle, call: &CallFields) -> Result<String, AgentError> {
    let settings = app.state::<AppState>().settings();
    let template = settings
        .screen_pop
        .template_for(&call.campaign, call.direction)
        .ok_or_else(no_pop)?;
    Ok(template.url.render(call).to_string())
}

/// Hands `url` to the system's opener, off the async threads.
async fn open(app: &AppHandle, url: String) -> Result<(), AgentError> {
    tracing::info!(host = url_host(&url), "screen pop");
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || launch(&app, &url))
        .await
        .map_err(|err| browser_unavailable(&err.to_string()))?
}

/// Linux: the launchers the opener plugin uses (`xdg-open`, then `gio`…, through the `open` crate it wraps), each
/// given 2 s to fail — no default browser is xdg-open's "no method available" after some 150 ms, which the plugin's
/// 250 ms can miss on a busy desk, and the agent would never hear of it. A browser that starts is left running.
#[cfg(target_os = "linux")]
fn launch(_: &AppHandle, url: &str) -> Result<(), AgentError> {
    open::that_detached_with_timeout(url, LAUNCHER_FAILURE_WINDOW)
        .map_err(|err| browser_unavailable(&err.to_string()))
}

/// Windows and macOS: the opener plugin (the shell's and LaunchServices' answers come at once).
#[cfg(not(target_os = "linux"))]
fn launch(app: &AppHandle, url: &str) -> Result<(), AgentError> {
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|err| browser_unavailable(&err.to_string()))
}

#[cfg(target_os = "linux")]
const LAUNCHER_FAILURE_WINDOW: std::time::Duration = std::time::Duration::from_secs(2);

/// The host alone, for the log: the URL's values are the customer's.
fn url_host(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default()
}

fn browser_unavailable(problem: &str) -> AgentError {
    AgentError::phrased(
        ErrorCode::BrowserUnavailable,
        Phrase::new("error.crm.browser").with("problem", problem),
        format!("the CRM could not be opened: the default browser did not start ({problem})"),
    )
}

fn no_pop() -> AgentError {
    AgentError::phrased(
        ErrorCode::NoScreenPop,
        Phrase::new("error.crm.no_template"),
        "no CRM address is set for this call (Settings → CRM)",
    )
}

/// An automatic pop that failed: the window's status line and a notification say so; the call goes on.
fn tell(app: &AppHandle, err: &AgentError) {
    tracing::warn!(%err, "screen pop failed");
    events::emit(app, events::ACTION_ERROR, err.to_ipc());
    notify::tell_error(app, "notify.crm_not_opened", err);
}

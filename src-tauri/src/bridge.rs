//! The local bridge in the app (see `bridge`, `agent::pairing`, `bridge-page/README.md`): started when the settings
//! turn it on, restarted when they change, and each request of a paired page handed to the call desk like the
//! window's own buttons: CTI onto the CTI card, call / hang-up / tag, respool (under the editor's rules) and
//! schedule (through the outbox, with the Dialer screen's checks), and the portal's call events (a call rang,
//! ended, was disposed in the portal) to the desk, which decides what they do. Settings reads how it is doing
//! from [`BridgeStatus`].

use agent::dialer_tasks;
use agent::pairing;
use agent_error::{AgentError, IpcError};
use bridge::{self, Bridge, BridgeConfig, BridgeMessage, BridgeReply, BridgeRequest};
use cti::{Cti, CtiSource};
use serde::Serialize;
use tauri::{AppHandle, Manager};
use tokio::sync::mpsc;

use crate::events;
use crate::state::AppState;

/// How the bridge is doing, for Settings.
#[derive(Debug, Clone, Serialize)]
pub struct BridgeStatus {
    /// The address it listens on, while it does.
    pub listening: Option<String>,
    /// Why it does not listen although the settings turn it on.
    pub problem: Option<IpcError>,
}

/// The bridge's state now.
pub async fn status(state: &AppState) -> BridgeStatus {
    let slot = state.bridge.lock().await;
    BridgeStatus {
        listening: slot.handle.as_ref().map(|h| h.local_addr().to_string()),
        problem: slot.problem.clone(),
    }
}

/// The settings' bridge, with the uContact server's origin when the agent left the list empty.
pub fn effective_config(state: &AppState) -> BridgeConfig {
    let settings = state.settings();
    let mut config = settings.bridge.clone();
    if config.allowed_origins.is_empty() {
        if let Ok(origin) = bridge::origin_of(&settings.server_url) {
            config.allowed_origins.push(origin);
        }
    }
    config
}

/// (Re)starts the bridge as the settings say; a failure is also kept for [`status`].
pub async fn apply(app: &AppHandle) -> Result<(), AgentError> {
    let state = app.state::<AppState>();
    let mut slot = state.bridge.lock().await;
    if let Some(old) = slot.handle.take() {
        old.stop().await;
    }
    slot.problem = None;
    let config = effective_config(&state);
    if !config.enabled {
        return Ok(());
    }
    let (sender, requests) = mpsc::channel(16);
    let started = match pairing::pairing_token(&*state.secrets) {
        // One publisher for the app's life: a restart of the bridge (settings saved) keeps publishing into it.
        Ok(token) => {
            let events = app.state::<CallEvents>().0.clone();
            Bridge::start_with_events(&config, token, sender, events, Default::default()).await
        }
        Err(err) => Err(err),
    };
    let handle = match started {
        Ok(Some(handle)) => handle,
        Ok(None) => return Ok(()),
        Err(err) => {
            slot.problem = Some(err.to_ipc());
            return Err(err);
        }
    };
    let address = handle.local_addr();
    tracing::info!(%address, "bridge listening");
    slot.handle = Some(handle);
    let app = app.clone();
    tauri::async_runtime::spawn(serve(app, requests));
    Ok(())
}

/// The publisher of the call's moments to paired pages (`GET /v1/events`), managed by the app.
#[derive(Default)]
pub struct CallEvents(bridge::BridgeEvents);

/// Hands a CRM event to the pages listening on `/v1/events` (none listening: dropped, nothing is kept).
pub fn publish(app: &AppHandle, event: &crm::CrmEvent) {
    match bridge::BridgeEvent::from_value(&event.to_json()) {
        Ok(event) => {
            app.state::<CallEvents>().0.publish(event);
        }
        Err(err) => tracing::warn!(%err, "call event not published"),
    }
}

/// Starts the bridge at launch; a failure (port taken) is logged and shown, the app goes on without it.
pub fn start(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(err) = apply(&app).await {
            tracing::warn!(%err, "bridge not started");
            events::emit(&app, events::ACTION_ERROR, err.to_ipc());
        }
    });
}

async fn serve(app: AppHandle, mut requests: mpsc::Receiver<BridgeMessage>) {
    while let Some(message) = requests.recv().await {
        tracing::info!(origin = %message.origin, action = message.request.action(), "bridge request");
        let reply = handle(&app, message.request).await;
        let _ = message.reply.send(reply);
    }
}

async fn handle(app: &AppHandle, request: BridgeRequest) -> BridgeReply {
    let state = app.state::<AppState>();
    let live = match state.signed_in().await {
        Ok(live) => live,
        Err(err) => return err.into(),
    };
    let desk = &live.desk;
    let result = match request {
        BridgeRequest::Cti(value) => match Cti::parse(&value.to_string(), CtiSource::Bridge) {
            Ok(cti) => desk.attach_cti(cti).await.map(|_| BridgeReply::done()),
            Err(err) => Err(err),
        },
        BridgeRequest::Call {
            campaign,
            destination,
            ..
        } => state
            .dial_on(&live, &destination, campaign.as_deref())
            .await
            .map(|view| BridgeReply::call_placed(view.guid.unwrap_or_default())),
        BridgeRequest::Hangup => desk.hang_up().await.map(|_| BridgeReply::done()),
        BridgeRequest::Tag { guid, message } => {
            let current = desk.snapshot().await.guid.unwrap_or_default();
            if !guid.trim().is_empty() && guid.trim() != current {
                Err(AgentError::new(
                    agent_error::ErrorCode::NoCall,
                    format!("the tag is for call {guid}, which is not the call on the desk"),
                ))
            } else {
                desk.tag(&message).await.map(|_| BridgeReply::done())
            }
        }
        BridgeRequest::Respool(value) => match Cti::parse(&value.to_string(), CtiSource::Bridge) {
            Ok(cti) => desk.respool_record(cti).await.map(|_| BridgeReply::done()),
            Err(err) => Err(err),
        },
        BridgeRequest::Schedule { call_date, dialer } => schedule(desk, call_date, dialer).await,
        BridgeRequest::Portal(event) => desk
            .portal_event(event)
            .await
            .map(|view| BridgeReply::Done { guid: view.guid }),
    };
    result.unwrap_or_else(Into::into)
}

/// The proxy's `schedule`: the dialer object says who and where, `callDate` when; checked like the Dialer
/// screen's form (the past is refused) and sent through the outbox.
async fn schedule(
    desk: &agent::desk::DeskHandle,
    call_date: chrono::NaiveDateTime,
    dialer: serde_json::Value,
) -> Result<BridgeReply, AgentError> {
    let cti = Cti::parse(&dialer.to_string(), CtiSource::Bridge)?;
    let record = cti.require_dialer("Scheduling")?;
    let call = dialer_tasks::schedule_record(record, call_date, dialer_tasks::local_now())?;
    dialer_tasks::submit_schedule(desk, call).await?;
    Ok(BridgeReply::done())
}

/// The bridge's pairing code for the agent to paste in the bridge page (`rotate`: a new one, the old one stops
/// working at once); a listening bridge takes the new one at once.
pub async fn pairing_code(state: &AppState, rotate: bool) -> Result<String, AgentError> {
    let secrets = state.secrets.clone();
    let token = crate::commands::blocking(move || {
        if rotate {
            pairing::rotate_pairing_token(&*secrets)
        } else {
            pairing::pairing_token(&*secrets)
        }
    })
    .await?;
    let code = token.expose().to_string();
    if let Some(handle) = state.bridge.lock().await.handle.as_ref() {
        handle.set_token(token);
    }
    Ok(code)
}

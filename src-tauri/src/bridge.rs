//! The local bridge in the app (see `agent::bridge` and `bridge-page/README.md`): started when the settings turn
//! it on, restarted when they change, and each request of a paired page handed to the call desk like the
//! window's own buttons: CTI onto the CTI card, call / hang-up / tag, respool (under the editor's rules) and
//! schedule (through the outbox).

use agent::bridge::{self, Bridge, BridgeConfig, BridgeMessage, BridgeReply, BridgeRequest};
use agent::cti::{Cti, CtiSource};
use agent::outbox::Job;
use agent::AgentError;
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::mpsc;

use crate::state::AppState;

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

/// (Re)starts the bridge as the settings say (Settings shows the outcome through `bridge_status`).
pub async fn apply(app: &AppHandle) -> Result<(), AgentError> {
    let state = app.state::<AppState>();
    let mut slot = state.bridge.lock().await;
    if let Some(old) = slot.take() {
        old.stop().await;
    }
    let config = effective_config(&state);
    if !config.enabled {
        return Ok(());
    }
    let token = bridge::pairing_token(&*state.secrets)?;
    let (sender, requests) = mpsc::channel(16);
    let Some(handle) = Bridge::start(&config, token, sender).await? else {
        return Ok(());
    };
    let address = handle.local_addr();
    tracing::info!(%address, "bridge listening");
    *slot = Some(handle);
    let app = app.clone();
    tauri::async_runtime::spawn(serve(app, requests));
    Ok(())
}

/// Starts the bridge at launch; a failure (port taken) is logged and shown, the app goes on without it.
pub fn start(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(err) = apply(&app).await {
            tracing::warn!(%err, "bridge not started");
            let _ = app.emit("action-error", err.to_ipc());
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
    let desk = match state.desk().await {
        Ok(desk) => desk,
        Err(err) => return err.into(),
    };
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
            .dial(&destination, campaign.as_deref())
            .await
            .map(|view| BridgeReply::call_placed(view.guid.unwrap_or_default())),
        BridgeRequest::Hangup => desk.hang_up().await.map(|_| BridgeReply::done()),
        BridgeRequest::Tag { guid, message } => {
            let current = desk.snapshot().await.guid.unwrap_or_default();
            if !guid.trim().is_empty() && guid.trim() != current {
                Err(AgentError::new(
                    agent::ErrorCode::NoCall,
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
        BridgeRequest::Schedule { call_date, dialer } => schedule(&desk, call_date, dialer).await,
    };
    let _ = app.emit("bridge", ());
    result.unwrap_or_else(Into::into)
}

/// The proxy's `schedule`: the dialer object says who and where, `callDate` when; the past is refused.
async fn schedule(
    desk: &agent::desk::DeskHandle,
    call_date: integra::NaiveDateTime,
    dialer: serde_json::Value,
) -> Result<BridgeReply, AgentError> {
    let cti = Cti::parse(&dialer.to_string(), CtiSource::Bridge)?;
    let record = cti.require_dialer("Scheduling")?.to_respool();
    let now = chrono::Local::now().naive_local();
    let calldate =
        agent::cti::parse_schedule(&integra::datetime::format_datetime(&call_date), now)?;
    let call = integra::CallSchedule {
        calldate,
        campaign: record.campaign,
        destination: record.destination,
        alternatives: record.alternatives,
        agentphone: record.agentphone,
        data: record.data,
    };
    desk.submit(Job::Schedule(call)).await?;
    Ok(BridgeReply::done())
}

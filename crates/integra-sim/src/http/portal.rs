//! A demo uContact portal page (`GET /_sim/portal`) for the browser bridge: it creates a call in the simulator
//! (an inbound call, or a dialer call) and posts the portal's events about it to the window that embeds it, in
//! uPhone's vocabulary (`{action, params}`) or the newer portal's (`{event, data}`), as the real portal does.
//! Beside it the real bridge page (`bridge-page/`, with its example CRM page) is served at `/_sim/bridge/`, so both share the simulator's
//! origin as a form resource on the uContact server would. Like the rest of `/_sim/`, not journaled, no token.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::state::calls::Call;
use crate::state::{lock, SimState};

type Sim = State<Arc<SimState>>;

const PORTAL_HTML: &str = include_str!("../portal/portal.html");
const PORTAL_JS: &str = include_str!("../portal/portal.js");
const BRIDGE_HTML: &str = include_str!("../../../../bridge-page/companion-bridge.html");
const BRIDGE_JS: &str = include_str!("../../../../bridge-page/companion-bridge.js");
const CRM_EVENTS_HTML: &str = include_str!("../../../../bridge-page/examples/crm-events.html");
const CRM_EVENTS_JS: &str = include_str!("../../../../bridge-page/examples/crm-events.js");

/// The portal's routes.
pub(crate) fn routes() -> Router<Arc<SimState>> {
    Router::new()
        .route("/_sim/portal", get(|| async { html(PORTAL_HTML) }))
        .route(
            "/_sim/portal/portal.js",
            get(|| async { script(PORTAL_JS) }),
        )
        .route("/_sim/portal/calls", post(create_call))
        .route(
            "/_sim/bridge/companion-bridge.html",
            get(|| async { html(BRIDGE_HTML) }),
        )
        .route(
            "/_sim/bridge/companion-bridge.js",
            get(|| async { script(BRIDGE_JS) }),
        )
        // The example CRM page that lists the desk's call events (bridge-page/examples), on the same origin.
        .route(
            "/_sim/bridge/examples/crm-events.html",
            get(|| async { html(CRM_EVENTS_HTML) }),
        )
        .route(
            "/_sim/bridge/examples/crm-events.js",
            get(|| async { script(CRM_EVENTS_JS) }),
        )
}

fn html(text: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=UTF-8")], text).into_response()
}

fn script(text: &'static str) -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=UTF-8")],
        text,
    )
        .into_response()
}

#[derive(serde::Deserialize)]
struct NewCall {
    /// `inbound` (a customer calls the support queue) or `dialer` (the sales dialer reaches a customer).
    kind: String,
    /// The agent it rings; the first of the seed when not given.
    #[serde(default)]
    agent: Option<String>,
}

/// `POST /_sim/portal/calls {"kind": "inbound" | "dialer"}`: a call ringing the agent, as the PBX would route
/// it; answers its `{guid, number, campaign, direction}` for the page's events.
async fn create_call(State(sim): Sim, body: Bytes) -> Response {
    let asked: NewCall = match serde_json::from_slice(&body) {
        Ok(asked) => asked,
        Err(e) => {
            return (StatusCode::BAD_REQUEST, format!("invalid call JSON: {e}")).into_response()
        }
    };
    let (campaign, number, direction) = match asked.kind.as_str() {
        "inbound" => ("Soporte<-", "099555123", "inbound"),
        "dialer" => ("Ventas->", "098765432", "outbound"),
        other => {
            return (
                StatusCode::BAD_REQUEST,
                format!("kind '{other}' is neither inbound nor dialer"),
            )
                .into_response()
        }
    };
    let agent = match asked.agent {
        Some(name) => sim.seed.agents.iter().find(|a| a.agent == name),
        None => sim.seed.agents.first(),
    };
    let Some(agent) = agent else {
        return (StatusCode::NOT_FOUND, "no such agent").into_response();
    };
    let did = sim
        .seed
        .campaigns
        .iter()
        .find(|c| c.name == campaign)
        .map(|c| c.did.clone())
        .unwrap_or_default();
    let guid = format!("portal-{}", uuid::Uuid::new_v4());
    lock(&sim.desk).calls.push(Call::ringing(
        guid.clone(),
        &agent.agent,
        &agent.extension,
        number,
        campaign,
        &did,
        None,
        sim.answer_delay,
    ));
    Json(json!({"guid": guid, "number": number, "campaign": campaign, "direction": direction}))
        .into_response()
}

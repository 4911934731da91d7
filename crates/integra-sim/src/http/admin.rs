//! The `/_sim/*` admin API, for end-to-end tests written in other languages and for the demo: read or clear the
//! journal, set faults, expire tokens, end a call from the customer's side, read the state. Admin requests are
//! not journaled and need no token.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::faults::Faults;
use crate::state::{lock, SimState};

type Sim = State<Arc<SimState>>;

/// The admin routes.
pub(crate) fn routes() -> Router<Arc<SimState>> {
    Router::new()
        .route("/_sim/health", get(|| async { "ok" }))
        .route("/_sim/journal", get(journal).delete(clear_journal))
        .route("/_sim/faults", get(faults).post(set_faults))
        .route("/_sim/expire-tokens", post(expire_tokens))
        .route("/_sim/calls/{guid}/customer-hangup", post(customer_hangup))
        .route("/_sim/state", get(state))
        .route("/_sim/agents/{agent}/password", post(change_password))
}

/// `?after=SEQ` answers only the entries after that one, so a poller does not read the whole journal each time.
async fn journal(State(sim): Sim, Query(query): Query<JournalQuery>) -> Response {
    Json(lock(&sim.journal).after(query.after.unwrap_or(0))).into_response()
}

#[derive(serde::Deserialize)]
struct JournalQuery {
    after: Option<u64>,
}

async fn clear_journal(State(sim): Sim) -> &'static str {
    lock(&sim.journal).clear();
    "cleared"
}

async fn faults(State(sim): Sim) -> Response {
    Json(lock(&sim.faults).faults.clone()).into_response()
}

/// Takes the JSON whatever its Content-Type header says, so `curl -d '{…}'` works as well as a JSON client.
async fn set_faults(State(sim): Sim, body: Bytes) -> Response {
    match serde_json::from_slice::<Faults>(&body) {
        Ok(faults) if (0.0..=1.0).contains(&faults.fail_rate) => {
            lock(&sim.faults).set(faults);
            "faults set".into_response()
        }
        Ok(_) => (
            StatusCode::BAD_REQUEST,
            "fail_rate must be between 0.0 and 1.0",
        )
            .into_response(),
        Err(e) => (StatusCode::BAD_REQUEST, format!("invalid faults JSON: {e}")).into_response(),
    }
}

async fn expire_tokens(State(sim): Sim) -> &'static str {
    lock(&sim.sessions).expire_all();
    "every token expired"
}

async fn customer_hangup(State(sim): Sim, Path(guid): Path<String>) -> Response {
    if lock(&sim.desk).customer_hangup(&guid) {
        "hung up".into_response()
    } else {
        (StatusCode::NOT_FOUND, "no live call with that GUID").into_response()
    }
}

/// The body is the agent's new password; the old one stops working at the next AgentLogin (tokens live on).
async fn change_password(State(sim): Sim, Path(agent): Path<String>, body: Bytes) -> Response {
    if !sim.seed.agents.iter().any(|a| a.agent == agent) {
        return (StatusCode::NOT_FOUND, "no such agent").into_response();
    }
    let password = String::from_utf8_lossy(&body).into_owned();
    lock(&sim.changed_passwords).insert(agent, password);
    "password changed".into_response()
}

async fn state(State(sim): Sim) -> Response {
    Json(sim.snapshot()).into_response()
}

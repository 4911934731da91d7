//! Plain files over HTTP beside the API (`/_sim/files/NAME`): a disposition-tree file as an intranet server would
//! publish it, for the agent's shared tree source. Tests PUT a file, GET it as the app would, DELETE it (then 404).
//! Like the rest of `/_sim/`, these requests are not journaled and need no token.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::state::{lock, SimState};

type Sim = State<Arc<SimState>>;

/// The file routes.
pub(crate) fn routes() -> Router<Arc<SimState>> {
    Router::new().route("/_sim/files/{*name}", get(read).put(write).delete(remove))
}

fn content_type(name: &str) -> &'static str {
    if name.ends_with(".json") {
        "application/json"
    } else {
        "text/plain; charset=UTF-8"
    }
}

async fn read(State(sim): Sim, Path(name): Path<String>) -> Response {
    match lock(&sim.files).get(&name) {
        Some(text) => ([(header::CONTENT_TYPE, content_type(&name))], text.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}

async fn write(State(sim): Sim, Path(name): Path<String>, body: Bytes) -> &'static str {
    lock(&sim.files).insert(name, String::from_utf8_lossy(&body).into_owned());
    "stored"
}

async fn remove(State(sim): Sim, Path(name): Path<String>) -> &'static str {
    lock(&sim.files).remove(&name);
    "removed"
}

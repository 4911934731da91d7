//! The `/_sim/*` admin API used by end-to-end tests written in other languages and by the demo: read or clear
//! the journal, set faults, expire tokens, end a call from the customer's side, look at the state.

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Response, StatusCode};

use crate::endpoints::calls::customer_hangup;
use crate::faults::Faults;
use crate::server::{json, lock, text, Shared};

/// Answers an admin request (`path` is below `/_sim/`).
pub(crate) fn handle(
    shared: &Shared,
    method: &Method,
    path: &str,
    body: &Bytes,
) -> Response<Full<Bytes>> {
    match (method.as_str(), path) {
        ("GET", "health") => text(StatusCode::OK, "ok"),
        ("GET", "journal") => json(&lock(&shared.journal).all()),
        ("DELETE", "journal") => {
            lock(&shared.journal).clear();
            text(StatusCode::OK, "cleared")
        }
        ("GET", "faults") => json(&*lock(&shared.faults)),
        ("POST", "faults") => match serde_json::from_slice::<Faults>(body) {
            Ok(faults) => {
                *lock(&shared.faults) = faults;
                text(StatusCode::OK, "faults set")
            }
            Err(e) => text(StatusCode::BAD_REQUEST, format!("invalid faults JSON: {e}")),
        },
        ("POST", "expire-tokens") => {
            lock(&shared.world).expire_all();
            text(StatusCode::OK, "every token expired")
        }
        ("GET", "state") => json(&lock(&shared.world).snapshot()),
        ("POST", p) if p.starts_with("calls/") && p.ends_with("/customer-hangup") => {
            let guid = p
                .trim_start_matches("calls/")
                .trim_end_matches("/customer-hangup");
            if customer_hangup(&mut lock(&shared.world), guid) {
                text(StatusCode::OK, "hung up")
            } else {
                text(StatusCode::NOT_FOUND, "no live call with that GUID")
            }
        }
        _ => text(StatusCode::NOT_FOUND, "unknown admin endpoint"),
    }
}

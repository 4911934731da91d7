//! `GET /v1/events`: the desk's call events as Server-Sent Events, for a paired page that reads them with
//! `fetch()` (the guard in `http.rs` has already checked host, origin and token).
//!
//! A stream ends cleanly, so the page reconnects, when the bridge stops (or its handle is dropped) and when the
//! pairing code it was opened with is replaced: re-pairing must cut off an old code at once, not at the next
//! request, and a stream makes no further requests.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::State;
use axum::http::header::{self, HeaderValue};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::stream;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, watch, OwnedSemaphorePermit};

use super::events::{Numbered, LAGGED_EVENT};
use super::http::{refusal, PageOrigin, Pairing, Shared};

/// What one open stream holds; dropping it (page gone, stream ended) frees its subscriber slot.
struct Subscription {
    origin: String,
    events: broadcast::Receiver<Numbered>,
    /// The pairing code as it was when the page was let in; a change ends the stream.
    pairing: watch::Receiver<crate::PairingToken>,
    /// Changes (or closes) when the bridge stops.
    closing: watch::Receiver<bool>,
    greeted: bool,
    _slot: OwnedSemaphorePermit,
}

pub(crate) async fn events(
    State(shared): State<Arc<Shared>>,
    Extension(PageOrigin(origin)): Extension<PageOrigin>,
    Extension(Pairing(pairing)): Extension<Pairing>,
) -> Response {
    let Ok(slot) = shared.subscribers.clone().try_acquire_owned() else {
        tracing::info!(%origin, "bridge: refused another event stream");
        return refusal(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_subscribers",
            format!(
                "{} pages already listen to the call events; close one (or wait a little) and try again",
                shared.max_subscribers
            ),
        );
    };
    tracing::info!(%origin, "bridge: a page listens to the call events");
    // Subscribed before the answer goes out: what is published once the page has the headers reaches it.
    let subscription = Subscription {
        origin,
        events: shared.events.subscribe(),
        pairing,
        closing: shared.closing.clone(),
        greeted: false,
        _slot: slot,
    };
    let frames = stream::unfold(subscription, next_frame);
    let mut response = Sse::new(frames)
        .keep_alive(KeepAlive::new().interval(shared.keep_alive))
        .into_response();
    // Axum says no-cache; no-store also keeps the customer's data out of any cache on disk.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn next_frame(mut sub: Subscription) -> Option<(Result<Event, Infallible>, Subscription)> {
    if !sub.greeted {
        // A first line at once, so the page's fetch resolves and it knows the stream is open.
        sub.greeted = true;
        return Some((Ok(Event::default().comment("call events")), sub));
    }
    let frame = tokio::select! {
        // Stopping or re-pairing wins over a pending event: the page must not get more after either.
        biased;
        _ = sub.closing.changed() => {
            tracing::info!(origin = %sub.origin, "bridge: an event stream ended (the bridge stops)");
            return None;
        }
        _ = sub.pairing.changed() => {
            tracing::info!(origin = %sub.origin, "bridge: an event stream ended (the pairing code was replaced)");
            return None;
        }
        received = sub.events.recv() => match received {
            Ok(Numbered { id, event }) => Event::default()
                .id(id.to_string())
                .event(event.name())
                .data(event.data()),
            Err(RecvError::Lagged(missed)) => {
                tracing::info!(origin = %sub.origin, missed, "bridge: a page fell behind the call events");
                Event::default()
                    .event(LAGGED_EVENT)
                    .data(format!("{{\"missed\":{missed}}}"))
            }
            Err(RecvError::Closed) => return None,
        },
    };
    Some((Ok(frame), sub))
}

//! The bridge's HTTP side: one guard in front of every route (host, origin, CORS preflight, token), the
//! request routes (the event stream is in `stream.rs`), and a `{error, message}` body with its own status for every refusal.
//!
//! Order of the checks: a request from a page that may not use the bridge learns nothing, not even whether its
//! token is right; CORS headers go only to allowed origins, so other pages cannot read any answer.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use futures_util::StreamExt;
use serde_json::json;
use tokio::sync::{mpsc, oneshot, watch, Semaphore};

use super::events::BridgeEvents;
use super::pairing::PairingToken;
use super::request::{self, BridgeMessage, BridgeReply, RequestError};

/// The name the ping answers with, so the page knows it reached this app and not something else on the port.
pub const APP_NAME: &str = "ucontact-agent-companion";

/// A body past the limit is still read (and dropped) up to this much, so the connection closes cleanly and the
/// page gets its `413` instead of a reset.
const DRAIN_LIMIT: usize = 1024 * 1024;

/// What every request handler needs.
pub(crate) struct Shared {
    /// Allowed origins, normalized.
    pub origins: Vec<String>,
    /// `Host` values that name this listener (`127.0.0.1:<port>`, `localhost:<port>`).
    pub hosts: [String; 2],
    /// The current pairing token; the handle can replace it (re-pairing) while the bridge runs, which also ends
    /// the event streams opened with the old one.
    pub token: Arc<watch::Sender<PairingToken>>,
    /// The way to the app.
    pub app: mpsc::Sender<BridgeMessage>,
    /// Largest body read.
    pub body_limit: usize,
    /// How long to wait for the app's answer.
    pub reply_timeout: Duration,
    /// The desk's call events, for `GET /v1/events`.
    pub events: BridgeEvents,
    /// One permit per open event stream.
    pub subscribers: Arc<Semaphore>,
    /// How many permits there are (for the refusal's message).
    pub max_subscribers: usize,
    /// How often an idle event stream gets a comment.
    pub keep_alive: Duration,
    /// Changes (or closes) when the bridge stops, which ends the event streams.
    pub closing: watch::Receiver<bool>,
}

/// The page's origin, once the guard has accepted it.
#[derive(Clone)]
pub(crate) struct PageOrigin(pub String);

/// The pairing code as the guard checked it; it sees the code replaced (re-pairing) from then on.
#[derive(Clone)]
pub(crate) struct Pairing(pub watch::Receiver<PairingToken>);

/// The routes behind the guard.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/v1/ping", get(ping))
        .route("/v1/cti", post(cti))
        .route("/v1/action", post(action))
        .route("/v1/event", post(event))
        .route("/v1/events", get(super::stream::events))
        .fallback(|| async {
            refusal(
                StatusCode::NOT_FOUND,
                "not_found",
                "no such route; see /v1/ping, /v1/cti, /v1/action, /v1/event and /v1/events",
            )
        })
        .method_not_allowed_fallback(|| async {
            refusal(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "wrong method: /v1/ping and /v1/events are GET, /v1/cti, /v1/action and /v1/event are POST",
            )
        })
        .layer(axum::middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

/// A refusal: its status and `{error, message}`.
pub(crate) fn refusal(status: StatusCode, error: &str, message: impl Into<String>) -> Response {
    let body = json!({ "error": error, "message": message.into() });
    (status, Json(body)).into_response()
}

async fn guard(State(shared): State<Arc<Shared>>, mut req: Request, next: Next) -> Response {
    let headers = req.headers();
    // A page at another name resolving to 127.0.0.1 (DNS rebinding) sends its own name as Host.
    let host_ok = header_text(headers, header::HOST)
        .is_some_and(|host| shared.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)));
    if !host_ok {
        tracing::info!(path = %req.uri().path(), "bridge: refused a request for another host name");
        return refusal(
            StatusCode::FORBIDDEN,
            "host_not_allowed",
            "the bridge answers only at 127.0.0.1 or localhost",
        );
    }
    let Some(origin) = header_text(headers, header::ORIGIN).map(str::to_owned) else {
        tracing::info!(path = %req.uri().path(), "bridge: refused a request without one Origin");
        return refusal(
            StatusCode::FORBIDDEN,
            "origin_required",
            "the request has no Origin header (or more than one); only pages in the browser can use the bridge",
        );
    };
    if !shared
        .origins
        .iter()
        .any(|o| o.eq_ignore_ascii_case(&origin))
    {
        tracing::info!(%origin, path = %req.uri().path(), "bridge: refused a page from an origin not allowed");
        return refusal(
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
            format!(
                "pages from {origin} may not use the bridge; add the origin in the app's settings"
            ),
        );
    }
    if req.method() == Method::OPTIONS {
        return preflight(headers, &origin);
    }
    let token_check = match bearer(headers) {
        None => Err((
            "token_required",
            "the request has no pairing code (Authorization: Bearer …); pair the page first",
        )),
        Some(presented) => {
            // Subscribed as it is checked, so a stream sees any replacement after this point.
            let mut pairing = shared.token.subscribe();
            if pairing.borrow_and_update().matches(presented) {
                Ok(pairing)
            } else {
                Err(("wrong_token", "the pairing code is wrong or was replaced; pair the page again with the code the app shows"))
            }
        }
    };
    let mut response = match token_check {
        Ok(pairing) => {
            req.extensions_mut().insert(PageOrigin(origin.clone()));
            req.extensions_mut().insert(Pairing(pairing));
            next.run(req).await
        }
        Err((error, message)) => {
            tracing::info!(%origin, error, "bridge: refused a request without the right pairing code");
            let mut response = refusal(StatusCode::UNAUTHORIZED, error, message);
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            response
        }
    };
    allow_origin(response.headers_mut(), &origin);
    response
}

/// The CORS preflight of an allowed origin: what the page may send. Other origins never get here.
fn preflight(request: &HeaderMap, origin: &str) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    allow_origin(headers, origin);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("authorization, content-type"),
    );
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    // Chrome's Private Network Access asks before a public page may reach 127.0.0.1.
    if header_text(request, "access-control-request-private-network")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        headers.insert(
            "access-control-allow-private-network",
            HeaderValue::from_static("true"),
        );
    }
    response
}

fn allow_origin(headers: &mut HeaderMap, origin: &str) {
    if let Ok(value) = HeaderValue::from_str(origin) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
}

/// The header's one value. Twice the same header (two `Origin`s, two `Authorization`s) is ambiguous and counts
/// as missing, so a proxy or script cannot smuggle an allowed value next to its own.
fn header_text(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<&str> {
    let mut values = headers.get_all(name).into_iter();
    let value = values.next()?;
    if values.next().is_some() {
        return None;
    }
    value.to_str().ok().map(str::trim)
}

/// The token of `Authorization: Bearer <token>` (scheme in any case).
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = header_text(headers, header::AUTHORIZATION)?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

async fn ping() -> Response {
    Json(json!({ "ok": true, "app": APP_NAME, "version": env!("CARGO_PKG_VERSION") }))
        .into_response()
}

async fn cti(
    State(shared): State<Arc<Shared>>,
    Extension(PageOrigin(origin)): Extension<PageOrigin>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    handle(&shared, origin, &headers, body, request::parse_cti).await
}

async fn action(
    State(shared): State<Arc<Shared>>,
    Extension(PageOrigin(origin)): Extension<PageOrigin>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    handle(&shared, origin, &headers, body, request::parse_action).await
}

async fn event(
    State(shared): State<Arc<Shared>>,
    Extension(PageOrigin(origin)): Extension<PageOrigin>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    handle(&shared, origin, &headers, body, request::parse_event).await
}

async fn handle(
    shared: &Shared,
    origin: String,
    headers: &HeaderMap,
    body: Body,
    parse: fn(&[u8]) -> Result<request::BridgeRequest, RequestError>,
) -> Response {
    let body = match read_body(headers, body, shared.body_limit).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let request = match parse(&body) {
        Ok(request) => request,
        Err(err) => {
            let (error, message) = match err {
                RequestError::Malformed(m) => ("malformed_json", m),
                RequestError::UnknownAction(m) => ("unknown_action", m),
                RequestError::Invalid(m) => ("invalid_request", m),
            };
            tracing::info!(%origin, error, "bridge: refused a request the page got wrong");
            return refusal(StatusCode::BAD_REQUEST, error, message);
        }
    };
    let action = request.action();
    tracing::info!(%origin, action, "bridge: a page sent a request");
    let (reply, answer) = oneshot::channel();
    let message = BridgeMessage {
        request,
        origin,
        reply,
    };
    let waited = tokio::time::timeout(shared.reply_timeout, async {
        shared.app.send(message).await.ok()?;
        answer.await.ok()
    })
    .await;
    match waited {
        Ok(Some(BridgeReply::Done { guid })) => {
            let mut body = json!({ "ok": true });
            if let Some(guid) = guid {
                body["guid"] = guid.into();
            }
            Json(body).into_response()
        }
        Ok(Some(BridgeReply::Failed(err))) => {
            let code = serde_json::to_value(err.code).unwrap_or_default();
            let body = json!({ "error": code, "message": err.message });
            (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
        }
        Ok(None) => refusal(
            StatusCode::SERVICE_UNAVAILABLE,
            "app_unavailable",
            "the app is not taking requests from the bridge right now",
        ),
        Err(_) => {
            tracing::warn!(action, "bridge: the app did not answer in time");
            refusal(
                StatusCode::GATEWAY_TIMEOUT,
                "app_timeout",
                format!(
                    "the app did not answer within {} s; check the app before trying again",
                    shared.reply_timeout.as_secs_f32()
                ),
            )
        }
    }
}

/// The body, or `413` once it passes `limit`. A body that says up front it is too big is not read at all.
async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, Response> {
    let too_large = || {
        refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!(
                "the body is larger than the bridge accepts ({} KiB)",
                limit / 1024
            ),
        )
    };
    let announced =
        header_text(headers, header::CONTENT_LENGTH).and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|len| len > DRAIN_LIMIT as u64) {
        return Err(too_large());
    }
    let mut stream = body.into_data_stream();
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            return Err(refusal(
                StatusCode::BAD_REQUEST,
                "unreadable_body",
                "the body could not be read",
            ));
        };
        seen += chunk.len();
        if seen <= limit {
            kept.extend_from_slice(&chunk);
        } else if seen > DRAIN_LIMIT {
            break;
        }
    }
    if seen > limit {
        return Err(too_large());
    }
    Ok(Bytes::from(kept))
}

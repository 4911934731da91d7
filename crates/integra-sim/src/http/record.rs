//! The layer around every non-admin request: decodes the form once, applies injected faults, answers 404 for
//! endpoints an older uContact lacks, writes the journal entry, logs the request (never its token or fields),
//! and adds latency.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::extract::Fields;
use super::serve::DropConnection;
use crate::faults::{Injected, HTML_ERROR_PAGE};
use crate::journal::{clip, clip_form, JournalEntry, RESPONSE_LIMIT};
use crate::state::{lock, SimState};

/// Largest request body accepted. A 1,000,000-row base is about 60 MB of file, 80 MB as base64 and a little
/// more once `+` and `/` are percent-encoded; this leaves room for bases several times that.
pub(crate) const BODY_LIMIT: usize = 512 * 1024 * 1024;

const ENDPOINTS: &str = "/Integra/resources/";

fn text(status: StatusCode, body: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=UTF-8")],
        body,
    )
        .into_response()
}

/// The 404 page a Tomcat answers for an unknown resource.
pub(crate) fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html")],
        "<html><head><title>404 Not Found</title></head><body><h1>HTTP Status 404 - Not Found</h1></body></html>",
    )
        .into_response()
}

/// Counts the requests being answered at the same moment (latency included), for tests that check a client never
/// has two in flight.
struct InFlight<'a>(&'a SimState);

impl<'a> InFlight<'a> {
    fn enter(sim: &'a SimState) -> Self {
        let now = sim.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        sim.max_in_flight.fetch_max(now, Ordering::SeqCst);
        Self(sim)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// The middleware (see the module doc).
pub(crate) async fn around(State(sim): State<Arc<SimState>>, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/_sim/") {
        return next.run(req).await;
    }
    let started = Instant::now();
    let received_us = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64);
    let _in_flight = InFlight::enter(&sim);
    let (mut parts, body) = req.into_parts();
    let mut entry = JournalEntry {
        seq: 0,
        received_us,
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        content_type: header_text(&parts.headers, header::CONTENT_TYPE),
        authorization: header_text(&parts.headers, header::AUTHORIZATION),
        content_length: header_text(&parts.headers, header::CONTENT_LENGTH),
        transfer_encoding: header_text(&parts.headers, header::TRANSFER_ENCODING),
        via: header_text(&parts.headers, header::VIA),
        body_bytes: 0,
        form: Vec::new(),
        status: 0,
        response: String::new(),
    };

    let (injected, latency) = lock(&sim.faults).take(&entry.path);
    let no_length = entry.content_length.is_none() && entry.transfer_encoding.is_some();
    let response = match to_bytes(body, BODY_LIMIT).await {
        Err(_) => Some(text(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request body too large",
        )),
        Ok(bytes) if no_length && sim.require_content_length => {
            entry.body_bytes = bytes.len() as u64;
            Some(text(StatusCode::LENGTH_REQUIRED, "Length Required"))
        }
        Ok(bytes) => {
            entry.body_bytes = bytes.len() as u64;
            let fields = Fields::decode(entry.content_type.as_deref(), &bytes, &entry.query);
            drop(bytes);
            entry.form = clip_form(&fields.0);
            let endpoint = entry.path.strip_prefix(ENDPOINTS).unwrap_or("");
            match injected {
                Injected::Drop => None,
                Injected::Fail => Some(text(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal Server Error",
                )),
                Injected::Html => Some(
                    (
                        StatusCode::BAD_GATEWAY,
                        [(header::CONTENT_TYPE, "text/html")],
                        HTML_ERROR_PAGE,
                    )
                        .into_response(),
                ),
                Injected::Zero => Some(text(StatusCode::OK, "0")),
                Injected::None if sim.missing_endpoints.iter().any(|m| m == endpoint) => {
                    Some(not_found())
                }
                Injected::None => {
                    parts.extensions.insert(fields);
                    Some(next.run(Request::from_parts(parts, Body::empty())).await)
                }
                Injected::LoseAnswer => {
                    parts.extensions.insert(fields);
                    let answer = next.run(Request::from_parts(parts, Body::empty())).await;
                    let bytes = to_bytes(answer.into_body(), usize::MAX)
                        .await
                        .unwrap_or_default();
                    entry.response = format!(
                        "<answer lost: {}>",
                        clip(&String::from_utf8_lossy(&bytes), RESPONSE_LIMIT)
                    );
                    None
                }
            }
        }
    };

    let response = match response {
        Some(response) => {
            let (head, body) = response.into_parts();
            // Handlers answer from memory, so buffering the body again costs nothing and lets the journal read it.
            let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
            entry.status = head.status.as_u16();
            let is_audio = head
                .headers
                .get(header::CONTENT_TYPE)
                .is_some_and(|ct| ct.as_bytes().starts_with(b"audio/"));
            entry.response = if is_audio {
                format!("<audio: {} bytes>", bytes.len())
            } else {
                clip(&String::from_utf8_lossy(&bytes), RESPONSE_LIMIT)
            };
            let mut response = Response::from_parts(head, Body::from(bytes));
            if !sim.clock_offset.is_zero() {
                // hyper writes a Date header only when the response has none.
                let date = (chrono::Utc::now() + sim.clock_offset)
                    .format("%a, %d %b %Y %H:%M:%S GMT")
                    .to_string();
                if let Ok(value) = header::HeaderValue::from_str(&date) {
                    response.headers_mut().insert(header::DATE, value);
                }
            }
            response
        }
        None => {
            let mut dropped = Response::new(Body::empty());
            dropped.extensions_mut().insert(DropConnection);
            dropped
        }
    };
    tracing::info!(
        method = %entry.method,
        path = %entry.path,
        status = entry.status,
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    lock(&sim.journal).push(entry);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    response
}

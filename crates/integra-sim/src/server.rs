//! The HTTP side: one hyper connection task per client, journaling and fault injection around the endpoint
//! handlers, and the `/_sim/*` admin API.
//!
//! hyper is used directly (not a router) because a dropped connection must really be a dropped connection: when
//! the service returns an error, hyper closes the socket without answering, which is what a client sees when a
//! server or a proxy dies mid-request.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};

use crate::endpoints::{self, Answer};
use crate::faults::{Faults, Injected, HTML_ERROR_PAGE};
use crate::journal::{self, Journal, JournalEntry};
use crate::world::World;

/// Largest request body accepted: a 1,000,000-row base is about 60 MB of base64, percent-encoded.
const BODY_LIMIT: usize = 512 * 1024 * 1024;

/// State shared by every connection.
pub(crate) struct Shared {
    pub world: Mutex<World>,
    pub journal: Mutex<Journal>,
    pub faults: Mutex<Faults>,
}

/// The error that makes hyper drop the connection.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped on purpose (fault injection)")]
pub(crate) struct Dropped;

type Reply = Result<Response<Full<Bytes>>, Dropped>;

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn respond(
    status: StatusCode,
    content_type: &str,
    body: impl Into<Bytes>,
) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(Full::new(body.into()))
        .expect("static response parts are valid")
}

/// A plain-text response (admin API and body-limit refusals).
pub(crate) fn text(status: StatusCode, body: impl Into<String>) -> Response<Full<Bytes>> {
    respond(status, "text/plain; charset=UTF-8", body.into())
}

/// A JSON response (admin API).
pub(crate) fn json(value: &impl serde::Serialize) -> Response<Full<Bytes>> {
    respond(
        StatusCode::OK,
        "application/json",
        serde_json::to_vec(value).unwrap_or_default(),
    )
}

/// Handles one request.
pub(crate) async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Reply {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (content_type, authorization) = (header("content-type"), header("authorization"));
    let body = match Limited::new(req.into_body(), BODY_LIMIT).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return Ok(text(
                StatusCode::PAYLOAD_TOO_LARGE,
                "request body too large",
            ))
        }
    };
    if let Some(admin) = path.strip_prefix("/_sim/") {
        return Ok(crate::admin::handle(&shared, &method, admin, &body));
    }

    // Form fields from the body, then the query string (one known client sends EndSession's fields there).
    let mut form: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    form.extend(form_urlencoded::parse(query.as_bytes()).into_owned());

    let (injected, latency) = lock(&shared.faults).take(&path);
    let answer = if injected == Injected::None {
        let mut world = lock(&shared.world);
        let user = world.authorize(authorization.as_deref());
        let request = endpoints::Request { form, user };
        let answer = route(&mut world, &method, &path, &request);
        form = request.form;
        Some(answer)
    } else {
        None
    };

    let reply: Option<Plain> = match (injected, answer) {
        (Injected::Drop, _) => None,
        (Injected::Fail, _) => Some(Plain::text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
        )),
        (Injected::Html, _) => Some(Plain::new(
            StatusCode::BAD_GATEWAY,
            "text/html",
            HTML_ERROR_PAGE,
        )),
        (Injected::Zero, _) => Some(Plain::text(StatusCode::OK, "0")),
        (Injected::None, Some(answer)) => Some(Plain::from(answer)),
        (Injected::None, None) => unreachable!("handled requests always have an answer"),
    };
    let (status, shown) = match &reply {
        Some(r) if r.content_type.starts_with("audio/") => {
            (r.status.as_u16(), "<audio>".to_string())
        }
        Some(r) => (
            r.status.as_u16(),
            journal::clip(&String::from_utf8_lossy(&r.body), 512),
        ),
        None => (0, String::new()),
    };
    tracing::info!(%method, %path, status, "request");
    lock(&shared.journal).push(JournalEntry {
        seq: 0,
        method: method.to_string(),
        path,
        query,
        content_type,
        authorization,
        form: journal::clip_form(&form),
        status,
        response: shown,
    });
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    reply.map(Plain::into_response).ok_or(Dropped)
}

/// An answer before it becomes a hyper response, so the journal can read its body.
struct Plain {
    status: StatusCode,
    content_type: &'static str,
    body: Bytes,
}

impl Plain {
    fn new(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            content_type,
            body: body.into(),
        }
    }

    fn text(status: StatusCode, body: impl Into<String>) -> Self {
        Self::new(status, "text/plain; charset=UTF-8", body.into())
    }

    fn into_response(self) -> Response<Full<Bytes>> {
        respond(self.status, self.content_type, self.body)
    }
}

impl From<Answer> for Plain {
    fn from(answer: Answer) -> Self {
        match answer {
            Answer::Text(body) => Plain::text(StatusCode::OK, body),
            Answer::Json(value) => Plain::new(
                StatusCode::OK,
                "application/json",
                serde_json::to_vec(&value).unwrap_or_default(),
            ),
            Answer::Unauthorized => Plain::text(StatusCode::UNAUTHORIZED, "Unauthorized"),
            Answer::NotFound => Plain::new(
                StatusCode::NOT_FOUND,
                "text/html",
                "<html><body><h1>404 Not Found</h1></body></html>",
            ),
            Answer::File(content_type, bytes) => Plain::new(StatusCode::OK, content_type, bytes),
        }
    }
}

fn route(world: &mut World, method: &Method, path: &str, req: &endpoints::Request) -> Answer {
    if let Some(endpoint) = path.strip_prefix("/Integra/resources/") {
        if method != Method::POST {
            return Answer::NotFound;
        }
        return endpoints::dispatch(world, endpoint, req);
    }
    if path.starts_with("/records/") && (method == Method::GET || method == Method::HEAD) {
        return endpoints::records::serve_file(world, path);
    }
    Answer::NotFound
}

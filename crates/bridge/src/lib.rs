//! A local bridge for pages in the agent's browser (a uContact form, a CRM): they push the call's CTI, the
//! portal proxy's actions (call, hangup, tag, respool, schedule) and the portal's call events (a call rang,
//! ended, was disposed in the portal) to the app over HTTP on `127.0.0.1`, and listen to the desk's own call
//! events (ringing, answered, ended, filed, breaks…) the app publishes ([`BridgeEvents`], `GET /v1/events`).
//!
//! Off by default. When on, it listens on loopback only (there is no bind address to set), answers only pages
//! from the allowed origins, and only with the pairing token from the keychain. Each request reaches the app as a
//! [`BridgeMessage`] on an mpsc channel, with a oneshot for the answer the page shows. `bridge-page/README.md`
//! documents the HTTP API and the page.
//!
//! This crate is the HTTP server and the request vocabulary only: what a request does is the app's business, and
//! the pairing token is kept in the keychain by the `agent` crate.

mod config;
mod events;
mod http;
mod pairing;
mod portal;
mod request;
mod stream;

#[cfg(test)]
mod portal_tests;
#[cfg(test)]
mod request_tests;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use std::time::Duration;

use tokio::sync::{mpsc, oneshot, watch, Semaphore};
use tokio::task::JoinHandle;

use agent_error::{AgentError, ErrorCode, Phrase, Result};

pub use config::{
    origin_of, BridgeConfig, DEFAULT_BODY_LIMIT, DEFAULT_PORT, DEFAULT_REPLY_TIMEOUT,
};
pub use events::{
    BridgeEvent, BridgeEvents, DEFAULT_EVENT_BUFFER, DEFAULT_KEEP_ALIVE, DEFAULT_MAX_SUBSCRIBERS,
    LAGGED_EVENT,
};
pub use http::APP_NAME;
pub use pairing::PairingToken;
pub use portal::{CallDirection, PortalEvent, PortalEventKind, EVENT_NAMES};
pub use request::{
    parse_action, parse_cti, parse_event, BridgeMessage, BridgeReply, BridgeRequest, RequestError,
    CALL_DATE_FORMAT,
};

/// How long [`BridgeHandle::stop`] lets open requests finish before it cuts them.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// Limits of a running bridge; the defaults suit the app, tests shorten them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BridgeLimits {
    /// Largest request body read; larger gets `413`.
    pub body_limit: usize,
    /// How long a request waits for the app's answer; longer gets `504`.
    pub reply_timeout: Duration,
    /// Open event streams (`GET /v1/events`) at once; one more gets `429`.
    pub max_subscribers: usize,
    /// How often an idle event stream gets a keep-alive comment.
    pub keep_alive: Duration,
}

impl Default for BridgeLimits {
    fn default() -> Self {
        Self {
            body_limit: DEFAULT_BODY_LIMIT,
            reply_timeout: DEFAULT_REPLY_TIMEOUT,
            max_subscribers: DEFAULT_MAX_SUBSCRIBERS,
            keep_alive: DEFAULT_KEEP_ALIVE,
        }
    }
}

/// Starts the bridge.
#[derive(Debug)]
pub struct Bridge;

impl Bridge {
    /// Listens on `127.0.0.1:<config.port>` if the bridge is enabled (`Ok(None)` and nothing listens if not).
    /// Must run inside a tokio runtime. Fails with `bridge_port_in_use` (naming the port) when another program
    /// holds the port, and `invalid_settings` when no allowed origin is set or one is not an origin.
    pub async fn start(
        config: &BridgeConfig,
        token: PairingToken,
        app: mpsc::Sender<BridgeMessage>,
    ) -> Result<Option<BridgeHandle>> {
        Self::start_with(config, token, app, BridgeLimits::default()).await
    }

    /// [`Bridge::start`] with other limits.
    pub async fn start_with(
        config: &BridgeConfig,
        token: PairingToken,
        app: mpsc::Sender<BridgeMessage>,
        limits: BridgeLimits,
    ) -> Result<Option<BridgeHandle>> {
        Self::start_with_events(config, token, app, BridgeEvents::new(), limits).await
    }

    /// [`Bridge::start_with`], publishing the call events of `events`: made once by the caller, it outlives a
    /// restart of the bridge, so whoever publishes need not follow the handle. (With [`Bridge::start`] the handle
    /// has its own, see [`BridgeHandle::publish`].)
    pub async fn start_with_events(
        config: &BridgeConfig,
        token: PairingToken,
        app: mpsc::Sender<BridgeMessage>,
        events: BridgeEvents,
        limits: BridgeLimits,
    ) -> Result<Option<BridgeHandle>> {
        if !config.enabled {
            return Ok(None);
        }
        config.validate()?;
        let origins = config.normalized_origins()?;
        // Loopback by construction: the address is not a setting.
        let wanted = SocketAddr::from((Ipv4Addr::LOCALHOST, config.port));
        let listener = tokio::net::TcpListener::bind(wanted)
            .await
            .map_err(|err| bind_failed(config.port, &err))?;
        let addr = listener
            .local_addr()
            .map_err(|err| bind_failed(config.port, &err))?;
        let token = Arc::new(watch::Sender::new(token));
        let (closing, closing_seen) = watch::channel(false);
        let shared = Arc::new(http::Shared {
            origins,
            hosts: [
                format!("127.0.0.1:{}", addr.port()),
                format!("localhost:{}", addr.port()),
            ],
            token: token.clone(),
            app,
            body_limit: limits.body_limit,
            reply_timeout: limits.reply_timeout,
            events: events.clone(),
            subscribers: Arc::new(Semaphore::new(limits.max_subscribers)),
            max_subscribers: limits.max_subscribers,
            keep_alive: limits.keep_alive,
            closing: closing_seen,
        });
        let (shutdown, stopped) = oneshot::channel::<()>();
        let server = axum::serve(listener, http::router(shared)).with_graceful_shutdown(async {
            // Fires on stop() and when the handle is dropped.
            let _ = stopped.await;
        });
        let task = tokio::spawn(async move {
            if let Err(err) = server.await {
                tracing::warn!(%err, "bridge: the listener failed");
            }
        });
        tracing::info!(%addr, "bridge: listening");
        Ok(Some(BridgeHandle {
            addr,
            token,
            events,
            closing,
            shutdown: Some(shutdown),
            task: Some(task),
        }))
    }
}

fn bind_failed(port: u16, err: &std::io::Error) -> AgentError {
    if err.kind() == std::io::ErrorKind::AddrInUse {
        AgentError::phrased(
            ErrorCode::BridgePortInUse,
            Phrase::new("error.bridge.port_in_use").with("port", port.to_string()),
            format!("port {port} on 127.0.0.1 is already in use by another program; choose another port for the bridge (and the same one in the bridge page)"),
        )
    } else {
        AgentError::phrased(
            ErrorCode::BridgeUnavailable,
            Phrase::new("error.bridge.cannot_listen")
                .with("port", port.to_string())
                .with("detail", err.to_string()),
            format!("the bridge cannot listen on 127.0.0.1:{port} ({err})"),
        )
    }
}

/// A running bridge. Dropping it stops listening, like [`BridgeHandle::stop`] without waiting.
#[derive(Debug)]
pub struct BridgeHandle {
    addr: SocketAddr,
    token: Arc<watch::Sender<PairingToken>>,
    events: BridgeEvents,
    /// Ends the event streams (sent on stop, dropped with the handle), so the graceful shutdown is not held up.
    closing: watch::Sender<bool>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl BridgeHandle {
    /// Where it listens (`127.0.0.1:<port>`).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Replaces the pairing token (after `agent::pairing::rotate_pairing_token`): pages with the old one are
    /// refused from the next request on, and their open event streams end at once. The same token again (the
    /// code shown without re-pairing) changes nothing.
    pub fn set_token(&self, token: PairingToken) {
        self.token.send_if_modified(|current| {
            let replaced = !current.matches(token.expose());
            *current = token;
            replaced
        });
    }

    /// Sends a desk event to the pages listening on `GET /v1/events`; returns how many there were (none is fine,
    /// and nothing is kept for later).
    pub fn publish(&self, event: BridgeEvent) -> usize {
        self.events.publish(event)
    }

    /// The publisher of this bridge's events, to publish from another task.
    pub fn events(&self) -> BridgeEvents {
        self.events.clone()
    }

    /// Stops listening at once (new connections are refused), ends the event streams, lets requests in flight
    /// finish for up to 2 s, and returns when the listener is closed.
    pub async fn stop(mut self) {
        let _ = self.closing.send(true);
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(STOP_GRACE, &mut task).await.is_err() {
                task.abort();
                let _ = task.await;
            }
        }
        tracing::info!(addr = %self.addr, "bridge: stopped");
    }
}

impl Drop for BridgeHandle {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

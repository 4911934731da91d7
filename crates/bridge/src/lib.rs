//! A local bridge for pages in the agent's browser (a uContact form, a CRM): they push the call's CTI, the
//! portal proxy's actions (call, hangup, tag, respool, schedule) and the portal's call events (a call rang,
//! ended, was disposed in the portal) to the app over HTTP on `127.0.0.1`.
//!
//! Off by default. When on, it listens on loopback only (there is no bind address to set), answers only pages
//! from the allowed origins, and only with the pairing token from the keychain. Each request reaches the app as a
//! [`BridgeMessage`] on an mpsc channel, with a oneshot for the answer the page shows. `bridge-page/README.md`
//! documents the HTTP API and the page.
//!
//! This crate is the HTTP server and the request vocabulary only: what a request does is the app's business, and
//! the pairing token is kept in the keychain by the `agent` crate.

mod config;
mod http;
mod pairing;
mod portal;
mod request;

#[cfg(test)]
mod portal_tests;
#[cfg(test)]
mod request_tests;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use parking_lot::RwLock;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use agent_error::{AgentError, ErrorCode, Phrase, Result};

pub use config::{
    origin_of, BridgeConfig, DEFAULT_BODY_LIMIT, DEFAULT_PORT, DEFAULT_REPLY_TIMEOUT,
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
}

impl Default for BridgeLimits {
    fn default() -> Self {
        Self {
            body_limit: DEFAULT_BODY_LIMIT,
            reply_timeout: DEFAULT_REPLY_TIMEOUT,
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
        let token = Arc::new(RwLock::new(token));
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
    token: Arc<RwLock<PairingToken>>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl BridgeHandle {
    /// Where it listens (`127.0.0.1:<port>`).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Replaces the pairing token (after `agent::pairing::rotate_pairing_token`): pages with the old one are refused from the
    /// next request on.
    pub fn set_token(&self, token: PairingToken) {
        *self.token.write() = token;
    }

    /// Stops listening at once (new connections are refused), lets requests in flight finish for up to 2 s, and
    /// returns when the listener is closed.
    pub async fn stop(mut self) {
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

//! The accept loop: one hyper HTTP/1.1 connection task per client, each request handed to the axum Router.
//!
//! axum's own `serve` cannot close a connection without answering, and a dropped connection must really be one
//! (that is what a client sees when a server or a proxy dies mid-request). So the Router runs inside a hyper
//! service that turns a response marked [`DropConnection`] into a service error, on which hyper closes the
//! socket without writing anything.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::Router;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

/// Marks a response that must not be sent: the connection is closed instead.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DropConnection;

/// The error that makes hyper close the connection.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped on purpose (fault injection)")]
struct Dropped;

/// Serves `router` on `listener` until `stop` turns true, then cuts every open connection as a crashed or
/// restarted server would.
pub(crate) fn serve(
    router: Router,
    listener: TcpListener,
    mut stop: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                _ = stop.changed() => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    // Answers are small and interactive: send them without waiting to fill a segment.
                    let _ = stream.set_nodelay(true);
                    let router = router.clone();
                    connections.spawn(async move {
                        let service = service_fn(move |req: hyper::Request<Incoming>| {
                            let router = router.clone();
                            async move {
                                let response = router.oneshot(req).await.unwrap_or_else(|e: Infallible| match e {});
                                if response.extensions().get::<DropConnection>().is_some() {
                                    Err(Dropped)
                                } else {
                                    Ok(response)
                                }
                            }
                        });
                        // Errors here are clients going away or our deliberate drops: nothing to report.
                        let _ = hyper::server::conn::http1::Builder::new()
                            .keep_alive(true)
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
        connections.abort_all();
    })
}

/// Binds `addr`; port 0 picks a free port.
pub(crate) async fn bind(addr: SocketAddr) -> std::io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    Ok((listener, bound))
}

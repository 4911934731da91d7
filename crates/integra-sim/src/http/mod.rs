//! The HTTP side: the axum Router (Integra endpoints, recording files, admin API, the demo portal page), the
//! journaling and fault layer around it, and the accept loop that can drop connections.

pub(crate) mod admin;
pub(crate) mod extract;
pub(crate) mod files;
pub(crate) mod portal;
pub(crate) mod record;
pub(crate) mod serve;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::Router;

use crate::endpoints;
use crate::state::SimState;

/// Every route, with the state attached.
pub(crate) fn router(sim: Arc<SimState>) -> Router {
    Router::new()
        .merge(endpoints::routes())
        .merge(admin::routes())
        .merge(files::routes())
        .merge(portal::routes())
        .fallback(|| async { record::not_found() })
        .layer(axum::middleware::from_fn_with_state(
            sim.clone(),
            record::around,
        ))
        // The journaling layer reads bodies itself (up to BODY_LIMIT); this raises axum's 2 MB default for any
        // extractor that reads one too.
        .layer(DefaultBodyLimit::max(record::BODY_LIMIT))
        .with_state(sim)
}

//! The Integra endpoints under `/Integra/resources/`, one module per area, and the recording files under
//! `/records/`. Handlers take the decoded [`Fields`](crate::http::extract::Fields) and, except for the auth
//! endpoints, [`Authorized`](crate::http::extract::Authorized); missing or invalid parameters get `200` with `0`,
//! as uContact answers.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;

use crate::state::recordings::AudioFile;
use crate::state::SimState;

pub(crate) mod auth;
pub(crate) mod bases;
pub(crate) mod blacklist;
pub(crate) mod calls;
pub(crate) mod dialers;
pub(crate) mod forms;
pub(crate) mod records;
pub(crate) mod supervisor;

/// The state as handlers extract it.
pub(crate) type Sim = State<Arc<SimState>>;

/// What a handler answers.
pub(crate) enum Reply {
    /// 200, `text/plain`.
    Text(String),
    /// 200, `application/json`.
    Json(Value),
    /// 200 with an audio file.
    Audio(AudioFile),
    /// 404 page.
    NotFound,
}

/// uContact's "missing or invalid parameters".
pub(crate) fn zero() -> Reply {
    Reply::Text("0".into())
}

/// uContact's "done".
pub(crate) fn one() -> Reply {
    Reply::Text("1".into())
}

/// `1` when `done`, else `0`.
pub(crate) fn one_if(done: bool) -> Reply {
    if done {
        one()
    } else {
        zero()
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        match self {
            Reply::Text(body) => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/plain; charset=UTF-8")],
                body,
            )
                .into_response(),
            Reply::Json(value) => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                serde_json::to_vec(&value).unwrap_or_default(),
            )
                .into_response(),
            Reply::Audio(file) => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, file.content_type)],
                file.bytes,
            )
                .into_response(),
            Reply::NotFound => crate::http::record::not_found(),
        }
    }
}

/// Every endpoint of the reference (POST) and the recording files (GET, and HEAD through axum).
pub(crate) fn routes() -> Router<Arc<SimState>> {
    const R: &str = "/Integra/resources";
    Router::new()
        .route(&format!("{R}/auth/AgentLogin"), post(auth::agent_login))
        .route(&format!("{R}/auth/getUserToken"), post(auth::user_token))
        .route(&format!("{R}/auth/UserLogin"), post(auth::user_login))
        .route(&format!("{R}/auth/EndSession"), post(auth::end_session))
        .route(&format!("{R}/api/AgentLogoff"), post(auth::agent_logoff))
        .route(&format!("{R}/api/AgentBreak"), post(auth::agent_break))
        .route(&format!("{R}/api/AgentUnBreak"), post(auth::agent_unbreak))
        .route(&format!("{R}/Agents/AgentCall"), post(calls::agent_call))
        .route(
            &format!("{R}/Agents/AgentCallwithData"),
            post(calls::agent_call_with_data),
        )
        // The reference spells it HungupPhone, another vendor page HangupPhone: a server may answer either.
        .route(&format!("{R}/Agents/HungupPhone"), post(calls::hangup))
        .route(&format!("{R}/Agents/HangupPhone"), post(calls::hangup))
        .route(&format!("{R}/Agents/TagRecord"), post(calls::tag_record))
        .route(
            &format!("{R}/api/DispositionCall"),
            post(calls::disposition),
        )
        .route(&format!("{R}/admin/CallWorkflow"), post(calls::workflow))
        .route(&format!("{R}/Dialers/Respool"), post(dialers::respool))
        .route(
            &format!("{R}/Dialers/ScheduleDialerCall"),
            post(dialers::schedule),
        )
        .route(&format!("{R}/Dialers/DialerTask"), post(dialers::task))
        .route(
            &format!("{R}/Dialers/RemoveContact"),
            post(dialers::remove_contact),
        )
        .route(
            &format!("{R}/Dialers/RemoveScheduleDialerCall"),
            post(dialers::remove_schedule),
        )
        .route(&format!("{R}/Dialers/uploadbase"), post(bases::upload))
        .route(
            &format!("{R}/Dialers/uploadbasewithtimezone"),
            post(bases::upload_with_timezone),
        )
        .route(&format!("{R}/admin/addblack"), post(blacklist::add))
        .route(
            &format!("{R}/admin/addblackbulk"),
            post(blacklist::add_bulk),
        )
        .route(&format!("{R}/admin/deleteblack"), post(blacklist::delete))
        .route(
            &format!("{R}/admin/deleteblackbulk"),
            post(blacklist::delete_bulk),
        )
        .route(&format!("{R}/forms/FormGet"), post(forms::form_get))
        .route(&format!("{R}/Cdr/getrecords"), post(records::get_records))
        .route(&format!("{R}/Supervisor/convert"), post(records::convert))
        .route(
            &format!("{R}/Supervisor/queuesummary"),
            post(supervisor::queue_summary),
        )
        .route(
            &format!("{R}/Supervisor/campaignstatus"),
            post(supervisor::campaign_status),
        )
        .route("/records/{*file}", get(records::file))
}

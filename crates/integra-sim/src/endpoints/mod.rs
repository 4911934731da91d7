//! The Integra endpoints, one module per area. Each handler takes the decoded form and the world and returns an
//! [`Answer`]; the server does authentication, journaling and faults around them.

use serde_json::Value;

use crate::world::World;

pub(crate) mod auth;
pub(crate) mod calls;
pub(crate) mod dialers;
pub(crate) mod lists;
pub(crate) mod records;
pub(crate) mod supervisor;

/// A decoded request.
pub(crate) struct Request {
    pub form: Vec<(String, String)>,
    /// The user of the valid token, if any.
    pub user: Option<String>,
}

impl Request {
    /// A field's value, trimmed; empty when absent.
    pub fn field(&self, name: &str) -> &str {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .unwrap_or("")
    }

    /// Required fields: all present and non-blank.
    pub fn has_all(&self, names: &[&str]) -> bool {
        names.iter().all(|n| !self.field(n).is_empty())
    }

    /// A field parsed as JSON.
    pub fn json(&self, name: &str) -> Option<Value> {
        serde_json::from_str(self.field(name)).ok()
    }
}

/// What a handler answers.
pub(crate) enum Answer {
    /// 200 with a text body.
    Text(String),
    /// 200 with JSON.
    Json(Value),
    /// 401.
    Unauthorized,
    /// 404.
    NotFound,
    /// 200 with a file.
    File(&'static str, Vec<u8>),
}

/// uContact's "missing or invalid parameters".
pub(crate) fn zero() -> Answer {
    Answer::Text("0".into())
}

/// uContact's "done".
pub(crate) fn one() -> Answer {
    Answer::Text("1".into())
}

/// Endpoints that need no token.
const OPEN: &[&str] = &["auth/AgentLogin", "auth/getUserToken", "auth/UserLogin"];

/// Dispatches an endpoint (the path below `/Integra/resources/`).
pub(crate) fn dispatch(world: &mut World, endpoint: &str, req: &Request) -> Answer {
    if world.missing_endpoints.iter().any(|m| m == endpoint) {
        return Answer::NotFound;
    }
    if !OPEN.contains(&endpoint) && req.user.is_none() {
        return Answer::Unauthorized;
    }
    world.refresh_calls();
    match endpoint {
        "auth/AgentLogin" => auth::agent_login(world, req),
        "auth/getUserToken" => auth::user_token(world, req),
        "auth/UserLogin" => auth::user_login(world, req),
        "auth/EndSession" => auth::end_session(world, req),
        "api/AgentLogoff" => auth::agent_logoff(world, req),
        "api/AgentBreak" | "api/AgentUnBreak" => auth::agent_break(world, req, endpoint),
        "Agents/AgentCall" => calls::agent_call(world, req, false),
        "Agents/AgentCallwithData" => calls::agent_call(world, req, true),
        "Agents/HungupPhone" | "Agents/HangupPhone" => calls::hangup(world, req),
        "Agents/TagRecord" => calls::tag_record(world, req),
        "api/DispositionCall" => calls::disposition(world, req),
        "admin/CallWorkflow" => calls::workflow(world, req),
        "Dialers/Respool" => dialers::respool(world, req),
        "Dialers/ScheduleDialerCall" => dialers::schedule(world, req),
        "Dialers/DialerTask" => dialers::task(world, req),
        "Dialers/RemoveContact" => dialers::remove_contact(world, req),
        "Dialers/RemoveScheduleDialerCall" => dialers::remove_schedule(world, req),
        "Dialers/uploadbase" => dialers::upload_base(world, req, false),
        "Dialers/uploadbasewithtimezone" => dialers::upload_base(world, req, true),
        "admin/addblack" => lists::add_black(world, req, false),
        "admin/addblackbulk" => lists::add_black(world, req, true),
        "admin/deleteblack" => lists::delete_black(world, req, false),
        "admin/deleteblackbulk" => lists::delete_black(world, req, true),
        "forms/FormGet" => lists::form_get(world, req),
        "Cdr/getrecords" => records::get_records(world, req),
        "Supervisor/convert" => records::convert(world, req),
        "Supervisor/queuesummary" => supervisor::queue_summary(world),
        "Supervisor/campaignstatus" => supervisor::campaign_status(world, req),
        _ => Answer::NotFound,
    }
}

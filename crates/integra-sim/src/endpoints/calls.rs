//! Agents/AgentCall (and AgentCallwithData), HungupPhone/HangupPhone, TagRecord, api/DispositionCall and
//! admin/CallWorkflow.

use serde_json::{json, Map, Value};

use super::{one, one_if, zero, Reply, Sim};
use crate::formats::{is_datetime, is_phone};
use crate::http::extract::{Authorized, Fields};
use crate::state::calls::{Call, Tag, DISPOSITION_FIELDS};
use crate::state::lock;

/// AgentCall's parameters that must have a value. `callerid` must be sent but may be empty: the call then goes out
/// with the campaign's DID (the reference does not say; agents without a configured caller id are common).
const CALL_FIELDS: [&str; 6] = [
    "agent",
    "phone",
    "tech",
    "context",
    "outqueue",
    "destination",
];

async fn place(sim: Sim, f: Fields, data: Option<String>) -> Reply {
    let sim = sim.0;
    if !f.has_all(&CALL_FIELDS)
        || !f.has("callerid")
        || !is_phone(f.get("destination"))
        || !sim.campaign_exists(f.get("outqueue"))
    {
        return zero();
    }
    let mut desk = lock(&sim.desk);
    desk.refresh();
    // One call per agent extension: a PBX does not ring an extension that is already on a call.
    if desk.live_on(f.get("phone")).is_some() {
        return zero();
    }
    let guid = uuid::Uuid::new_v4().to_string();
    desk.calls.push(Call::ringing(
        guid.clone(),
        f.get("agent"),
        f.get("phone"),
        f.get("destination"),
        f.get("outqueue"),
        f.get("callerid"),
        data,
        sim.answer_delay,
    ));
    Reply::Text(guid)
}

/// AgentCall: the new call's GUID as plain text, or `0`.
pub(crate) async fn agent_call(sim: Sim, _: Authorized, f: Fields) -> Reply {
    place(sim, f, None).await
}

/// AgentCallwithData: AgentCall plus a required `data` for the workflow.
pub(crate) async fn agent_call_with_data(sim: Sim, _: Authorized, f: Fields) -> Reply {
    if !f.has_all(&["data"]) {
        return zero();
    }
    let data = f.get("data").to_string();
    place(sim, f, Some(data)).await
}

/// HungupPhone / HangupPhone: `phone` is the agent's extension; `1` if it had a live call, else `0`.
pub(crate) async fn hangup(sim: Sim, _: Authorized, f: Fields) -> Reply {
    let phone = f.get("phone");
    if phone.trim().is_empty() {
        return zero();
    }
    let mut desk = lock(&sim.desk);
    desk.refresh();
    one_if(desk.agent_hangup(phone))
}

/// TagRecord: stores the tag; the answer is empty ("Result: Empty, is an Async Request").
pub(crate) async fn tag_record(sim: Sim, _: Authorized, f: Fields) -> Reply {
    if !f.has_all(&["guid", "data"]) {
        return zero();
    }
    lock(&sim.desk).tags.push(Tag {
        phone: f.get("phone").into(),
        guid: f.get("guid").into(),
        data: f.get("data").into(),
    });
    Reply::Text(String::new())
}

/// DispositionCall: campaign, agent, callerid, guid and l1 required; `schedule`, when given, must be
/// `YYYY-MM-DD HH:MM:SS`.
pub(crate) async fn disposition(sim: Sim, _: Authorized, f: Fields) -> Reply {
    if !f.has_all(&["campaign", "agent", "callerid", "guid", "l1"]) {
        return zero();
    }
    let schedule = f.get("schedule");
    if !schedule.is_empty() && !is_datetime(schedule) {
        return zero();
    }
    let record: Map<String, Value> = DISPOSITION_FIELDS
        .iter()
        .map(|name| (name.to_string(), Value::String(f.get(name).to_string())))
        .collect();
    lock(&sim.desk).dispositions.push(Value::Object(record));
    one()
}

/// CallWorkflow: `context`, `extension` and a JSON object `jsonparams`; answers `OK`.
pub(crate) async fn workflow(sim: Sim, _: Authorized, f: Fields) -> Reply {
    let params = f.json("jsonparams").filter(Value::is_object);
    let Some(params) = params.filter(|_| f.has_all(&["context", "extension"])) else {
        return zero();
    };
    lock(&sim.desk).workflows.push(json!({
        "context": f.get("context"), "extension": f.get("extension"), "jsonparams": params,
    }));
    Reply::Text("OK".into())
}

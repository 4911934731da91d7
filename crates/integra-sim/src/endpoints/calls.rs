//! Agents/AgentCall (and WithData), HungupPhone/HangupPhone, TagRecord, api/DispositionCall, admin/CallWorkflow.

use std::time::Instant;

use serde_json::{json, Map, Value};

use super::{one, zero, Answer, Request};
use crate::world::{is_datetime, is_phone, Call, CallState, World};

pub(crate) fn agent_call(world: &mut World, req: &Request, with_data: bool) -> Answer {
    let required = [
        "agent",
        "phone",
        "tech",
        "context",
        "outqueue",
        "destination",
    ];
    if !req.has_all(&required)
        || !is_phone(req.field("destination"))
        || !world.campaign_exists(req.field("outqueue"))
    {
        return zero();
    }
    if with_data && req.field("data").is_empty() {
        return zero();
    }
    // One call per agent phone, as a real PBX would refuse to ring a busy extension.
    if world
        .calls
        .iter()
        .any(|c| c.phone == req.field("phone") && c.is_live())
    {
        return zero();
    }
    let guid = uuid::Uuid::new_v4().to_string();
    world.calls.push(Call {
        guid: guid.clone(),
        agent: req.field("agent").into(),
        phone: req.field("phone").into(),
        destination: req.field("destination").into(),
        campaign: req.field("outqueue").into(),
        callerid: req.field("callerid").into(),
        data: with_data.then(|| req.field("data").to_string()),
        state: CallState::RingingAgent,
        ended_by: None,
        answered_at: Instant::now() + world.answer_delay,
    });
    Answer::Text(guid)
}

pub(crate) fn hangup(world: &mut World, req: &Request) -> Answer {
    let phone = req.field("phone");
    match world
        .calls
        .iter_mut()
        .rev()
        .find(|c| c.phone == phone && c.is_live())
    {
        Some(call) if !phone.is_empty() => {
            call.state = CallState::HungUp;
            call.ended_by = Some("agent".into());
            one()
        }
        _ => zero(),
    }
}

/// Ends a call as if the customer hung up (admin endpoint).
pub(crate) fn customer_hangup(world: &mut World, guid: &str) -> bool {
    match world
        .calls
        .iter_mut()
        .find(|c| c.guid == guid && c.is_live())
    {
        Some(call) => {
            call.state = CallState::HungUp;
            call.ended_by = Some("customer".into());
            true
        }
        None => false,
    }
}

pub(crate) fn tag_record(world: &mut World, req: &Request) -> Answer {
    if !req.has_all(&["guid", "data"]) {
        return zero();
    }
    world.tags.push(
        json!({"phone": req.field("phone"), "guid": req.field("guid"), "data": req.field("data")}),
    );
    // "Result: Empty, is an Async Request".
    Answer::Text(String::new())
}

const DISPOSITION_FIELDS: [&str; 13] = [
    "campaign",
    "agent",
    "callerid",
    "guid",
    "l1",
    "l2",
    "l3",
    "d1",
    "d2",
    "comment",
    "schedule",
    "camptoreschedule",
    "tag",
];

pub(crate) fn disposition(world: &mut World, req: &Request) -> Answer {
    if !req.has_all(&["campaign", "agent", "callerid", "guid", "l1"]) {
        return zero();
    }
    let schedule = req.field("schedule");
    if !schedule.is_empty() && !is_datetime(schedule) {
        return zero();
    }
    let record: Map<String, Value> = DISPOSITION_FIELDS
        .iter()
        .map(|f| (f.to_string(), Value::String(req.field(f).to_string())))
        .collect();
    world.dispositions.push(Value::Object(record));
    one()
}

pub(crate) fn workflow(world: &mut World, req: &Request) -> Answer {
    if !req.has_all(&["context", "extension"]) {
        return zero();
    }
    let Some(params) = req.json("jsonparams") else {
        return zero();
    };
    world.workflows.push(json!({"context": req.field("context"), "extension": req.field("extension"), "jsonparams": params}));
    Answer::Text("OK".into())
}

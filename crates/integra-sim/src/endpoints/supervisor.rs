//! Supervisor/queuesummary and Supervisor/campaignstatus, with counters that move as calls are made.

use serde_json::{json, Map, Value};

use super::{zero, Answer, Request};
use crate::world::{CallState, World};

const RECEIVED: &str = "Nov 24, 2026 10:00:00 AM";

pub(crate) fn queue_summary(world: &mut World) -> Answer {
    let mut rows: Vec<Value> = world
        .seed
        .campaigns
        .iter()
        .map(|c| {
            let calls = world.calls.iter().filter(|call| call.campaign == c.name);
            let live = calls.clone().filter(|call| call.is_live()).count();
            json!({
                "queue": c.name, "loggedIn": world.logged_in.len(), "available": world.logged_in.len().saturating_sub(live),
                "callers": live, "holdTime": 0, "talkTime": 0, "longestHoldTime": 0,
                "internalActionId": "1982468278_6312", "dateReceived": RECEIVED,
            })
        })
        .collect();
    rows.push(json!({"internalActionId": "1982468278_6312", "dateReceived": RECEIVED}));
    Answer::Json(Value::Array(rows))
}

pub(crate) fn campaign_status(world: &mut World, req: &Request) -> Answer {
    let queue = req.field("queue");
    if !queue.is_empty() && !world.campaign_exists(queue) {
        return zero();
    }
    let mut out = Map::new();
    for c in world
        .seed
        .campaigns
        .iter()
        .filter(|c| queue.is_empty() || c.name == queue)
    {
        let calls: Vec<_> = world
            .calls
            .iter()
            .filter(|call| call.campaign == c.name)
            .collect();
        let busy = calls.iter().filter(|call| call.is_live()).count();
        let completed = calls
            .iter()
            .filter(|call| call.state == CallState::HungUp)
            .count();
        let logged = world.logged_in.len();
        out.insert(
            c.name.clone(),
            json!({
                "campaign": c.name, "availables": logged.saturating_sub(busy), "notavailables": 0, "paused": 0,
                "busy": busy, "busypaused": 0, "totalagents": world.seed.agents.len(), "logged": logged, "onwrapup": 0,
                "completed": completed, "abandoned": 0, "talked": "00:00:00-0", "hold": "00:00:00-0",
                "abandonedlevel": "0", "totalcalls": calls.len(), "acd": 0, "servicelevel": "0.0", "servicelevel2": "0.0",
                "strategy": c.strategy, "slevelthreshold": "3", "wrapup": c.wrapup,
            }),
        );
    }
    for agent in &world.logged_in {
        let live = world
            .calls
            .iter()
            .find(|c| &c.agent == agent && c.is_live());
        out.insert(
            agent.clone(),
            json!({
                "agent": agent, "status": if live.is_some() { "busy" } else { "available" },
                "campaign": live.map(|c| c.campaign.clone()).unwrap_or_default(),
            }),
        );
    }
    Answer::Json(Value::Object(out))
}

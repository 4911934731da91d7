//! Supervisor/queuesummary and Supervisor/campaignstatus, with counters that move as calls are made.

use std::sync::atomic::Ordering;

use serde_json::{json, Map, Value};

use super::{zero, Reply, Sim};
use crate::http::extract::{Authorized, Fields};
use crate::state::campaigns::{agent_statuses, campaign_status as campaign_json, queue_row};
use crate::state::{lock, SimState};

/// The `internalActionId` and `dateReceived` of an answer (`Nov 2, 2018 11:31:42 AM` style).
fn stamp(sim: &SimState) -> (String, String) {
    let n = sim.actions.fetch_add(1, Ordering::Relaxed) + 1;
    let id = format!("{}_{n}", std::process::id());
    let date = chrono::Local::now()
        .format("%b %-d, %Y %-I:%M:%S %p")
        .to_string();
    (id, date)
}

/// queuesummary: one row per campaign, then a trailing object with only the metadata, as in the reference.
pub(crate) async fn queue_summary(sim: Sim, _: Authorized) -> Reply {
    let stamp = stamp(&sim);
    let presence = lock(&sim.presence);
    let mut desk = lock(&sim.desk);
    desk.refresh();
    let mut rows: Vec<Value> = sim
        .seed
        .campaigns
        .iter()
        .map(|c| queue_row(c, &desk, &presence, &stamp))
        .collect();
    rows.push(json!({"internalActionId": stamp.0, "dateReceived": stamp.1}));
    Reply::Json(Value::Array(rows))
}

/// campaignstatus: `queue` names one campaign, or is empty for all. An object keyed by campaign name, with the
/// logged-in agents mixed in keyed by agent name. An unknown campaign answers `0`.
pub(crate) async fn campaign_status(sim: Sim, _: Authorized, f: Fields) -> Reply {
    let queue = f.get("queue");
    if !queue.is_empty() && !sim.campaign_exists(queue) {
        return zero();
    }
    let presence = lock(&sim.presence);
    let mut desk = lock(&sim.desk);
    desk.refresh();
    let mut out = Map::new();
    for campaign in sim
        .seed
        .campaigns
        .iter()
        .filter(|c| queue.is_empty() || c.name == queue)
    {
        out.insert(
            campaign.name.clone(),
            campaign_json(campaign, sim.seed.agents.len(), &desk, &presence),
        );
    }
    agent_statuses(&desk, &presence, &mut out);
    Reply::Json(Value::Object(out))
}

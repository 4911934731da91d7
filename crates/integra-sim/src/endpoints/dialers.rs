//! Dialers/Respool, ScheduleDialerCall, DialerTask, RemoveContact and RemoveScheduleDialerCall. Numbers barred
//! by the blacklist for a campaign (or for `*`) are refused for it, as the dialer would never call them.

use serde_json::{json, Value};

use super::{one, zero, Reply, Sim};
use crate::formats::{is_datetime, is_phone};
use crate::http::extract::{Authorized, Fields};
use crate::state::{lock, SimState};

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A number given either as a JSON number or as a numeric string.
fn number(value: &Value, key: &str) -> Option<i64> {
    match value.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// `alt:alt:…`, each a phone; empty is fine.
fn alternatives_ok(value: &Value) -> bool {
    text(value, "alternatives")
        .split(':')
        .filter(|a| !a.is_empty())
        .all(is_phone)
}

/// `k=v:k=v`, each with a name; empty is fine.
pub(crate) fn data_ok(data: &str) -> bool {
    data.split(':')
        .filter(|p| !p.is_empty())
        .all(|pair| pair.split_once('=').is_some_and(|(k, _)| !k.is_empty()))
}

/// A known campaign, a callable destination not barred on it, and well-formed alternatives and data.
fn target_ok(sim: &SimState, value: &Value) -> bool {
    let (campaign, destination) = (text(value, "campaign"), text(value, "destination"));
    sim.campaign_exists(campaign)
        && is_phone(destination)
        && alternatives_ok(value)
        && data_ok(text(value, "data"))
        && !lock(&sim.blacklist).bars(destination, campaign)
}

/// Respool: a `callspool` object. Refused when a field is missing or out of range (retries ≥ 0, priority > 1
/// because 1 is for schedules), or when the destination already waits on that campaign's spool ("Never Respool a
/// destination that is already on the Spool").
pub(crate) async fn respool(sim: Sim, _: Authorized, f: Fields) -> Reply {
    let Some(spool) = f.json("callspool").filter(Value::is_object) else {
        return zero();
    };
    let fields_ok = target_ok(&sim, &spool)
        && !text(&spool, "dialerbase").is_empty()
        && number(&spool, "contact").is_some()
        && number(&spool, "status").is_some()
        && number(&spool, "retries").is_some_and(|r| r >= 0)
        && number(&spool, "priority").is_some_and(|p| p > 1)
        && text(&spool, "agentphone")
            .bytes()
            .all(|b| b.is_ascii_digit());
    if !fields_ok {
        return zero();
    }
    let (campaign, destination) = (text(&spool, "campaign"), text(&spool, "destination"));
    let mut dialers = lock(&sim.dialers);
    if dialers.is_spooled(campaign, destination) {
        return zero();
    }
    dialers.spool(campaign, destination);
    dialers.respools.push(spool);
    one()
}

/// ScheduleDialerCall: a `callschedule` object with a `calldate`, a campaign and a destination.
pub(crate) async fn schedule(sim: Sim, _: Authorized, f: Fields) -> Reply {
    let Some(call) = f.json("callschedule").filter(Value::is_object) else {
        return zero();
    };
    if !is_datetime(text(&call, "calldate")) || !target_ok(&sim, &call) {
        return zero();
    }
    lock(&sim.dialers).schedules.push(call);
    one()
}

/// DialerTask: a `call` object; `calldate` null (as soon as the schedule is free) or a date-time, and the
/// booleans `bulk` and `automatic` that choose the mode.
pub(crate) async fn task(sim: Sim, _: Authorized, f: Fields) -> Reply {
    let Some(call) = f.json("call").filter(Value::is_object) else {
        return zero();
    };
    let calldate_ok = match call.get("calldate") {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => is_datetime(s),
        _ => false,
    };
    let flags_ok = call.get("bulk").is_some_and(Value::is_boolean)
        && call.get("automatic").is_some_and(Value::is_boolean);
    if !calldate_ok || !flags_ok || !target_ok(&sim, &call) {
        return zero();
    }
    lock(&sim.dialers).tasks.push(call);
    one()
}

/// RemoveContact: `campaign` and `number`; takes the number off the campaign's spool.
pub(crate) async fn remove_contact(sim: Sim, _: Authorized, f: Fields) -> Reply {
    let (campaign, number) = (f.get("campaign"), f.get("number"));
    if !sim.campaign_exists(campaign) || !is_phone(number) {
        return zero();
    }
    let mut dialers = lock(&sim.dialers);
    let was_spooled = dialers.unspool(campaign, number);
    dialers.removed_contacts.push(json!({
        "campaign": campaign, "number": number, "was_spooled": was_spooled,
    }));
    one()
}

/// RemoveScheduleDialerCall: `campaign`, `destination`, and the range `from`..=`to` (`YYYY-MM-DD HH:MM:SS`).
pub(crate) async fn remove_schedule(sim: Sim, _: Authorized, f: Fields) -> Reply {
    let (campaign, destination, from, to) = (
        f.get("campaign"),
        f.get("destination"),
        f.get("from"),
        f.get("to"),
    );
    if !sim.campaign_exists(campaign)
        || !is_phone(destination)
        || !is_datetime(from)
        || !is_datetime(to)
    {
        return zero();
    }
    // The format sorts as text, so comparing strings compares date-times.
    lock(&sim.dialers).schedules.retain(|s| {
        let date = text(s, "calldate");
        !(text(s, "campaign") == campaign
            && text(s, "destination") == destination
            && (from..=to).contains(&date))
    });
    one()
}

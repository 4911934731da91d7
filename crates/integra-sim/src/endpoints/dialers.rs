//! Dialers/Respool, ScheduleDialerCall, DialerTask, RemoveContact, RemoveScheduleDialerCall and base uploads.

use base64::Engine;
use serde_json::{json, Value};

use super::{one, zero, Answer, Request};
use crate::world::{is_datetime, is_phone, Base, World};

/// First records of a base kept for inspection.
const KEPT_ROWS: usize = 100;

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("").trim()
}

fn number(value: &Value, key: &str) -> Option<i64> {
    match value.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(crate) fn respool(world: &mut World, req: &Request) -> Answer {
    let Some(spool) = req.json("callspool") else {
        return zero();
    };
    let (campaign, destination) = (text(&spool, "campaign"), text(&spool, "destination"));
    let valid = !campaign.is_empty()
        && is_phone(destination)
        && !text(&spool, "dialerbase").is_empty()
        && number(&spool, "contact").is_some()
        && number(&spool, "status").is_some()
        && number(&spool, "retries").is_some_and(|r| r >= 0)
        // "1 is used for schedule so use > 1"
        && number(&spool, "priority").is_some_and(|p| p > 1)
        && text(&spool, "alternatives").split(':').filter(|a| !a.is_empty()).all(is_phone);
    // "Never Respool a destination that is already on the Spool".
    let already = world
        .spool
        .iter()
        .any(|s| text(s, "campaign") == campaign && text(s, "destination") == destination);
    if !valid || already {
        return zero();
    }
    world.spool.push(spool);
    one()
}

pub(crate) fn schedule(world: &mut World, req: &Request) -> Answer {
    let Some(s) = req.json("callschedule") else {
        return zero();
    };
    if !is_datetime(text(&s, "calldate"))
        || text(&s, "campaign").is_empty()
        || !is_phone(text(&s, "destination"))
    {
        return zero();
    }
    world.schedules.push(s);
    one()
}

pub(crate) fn task(world: &mut World, req: &Request) -> Answer {
    let Some(t) = req.json("call") else {
        return zero();
    };
    let calldate_ok = match t.get("calldate") {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => is_datetime(s),
        _ => false,
    };
    let flags_ok = t.get("bulk").is_some_and(Value::is_boolean)
        && t.get("automatic").is_some_and(Value::is_boolean);
    if !calldate_ok
        || !flags_ok
        || text(&t, "campaign").is_empty()
        || !is_phone(text(&t, "destination"))
    {
        return zero();
    }
    world.tasks.push(t);
    one()
}

pub(crate) fn remove_contact(world: &mut World, req: &Request) -> Answer {
    if !req.has_all(&["campaign", "number"]) {
        return zero();
    }
    let (campaign, number) = (req.field("campaign"), req.field("number"));
    world
        .spool
        .retain(|s| !(text(s, "campaign") == campaign && text(s, "destination") == number));
    world
        .removed_contacts
        .push(json!({"campaign": campaign, "number": number}));
    one()
}

pub(crate) fn remove_schedule(world: &mut World, req: &Request) -> Answer {
    if !req.has_all(&["campaign", "destination", "from", "to"])
        || !is_datetime(req.field("from"))
        || !is_datetime(req.field("to"))
    {
        return zero();
    }
    let (campaign, destination, from, to) = (
        req.field("campaign"),
        req.field("destination"),
        req.field("from"),
        req.field("to"),
    );
    // The format sorts as text, so string comparison is date comparison.
    world.schedules.retain(|s| {
        let date = text(s, "calldate");
        !(text(s, "campaign") == campaign
            && text(s, "destination") == destination
            && date >= from
            && date <= to)
    });
    one()
}

pub(crate) fn upload_base(world: &mut World, req: &Request, with_timezone: bool) -> Answer {
    let mut required = vec!["filename", "fileb64", "campaign", "cant", "username"];
    if with_timezone {
        required.push("timezone");
    }
    if !req.has_all(&required) {
        return zero();
    }
    let Ok(cant) = req.field("cant").parse::<usize>() else {
        return zero();
    };
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(req.field("fileb64")) else {
        return zero();
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut rows = 0usize;
    let mut first_rows = Vec::new();
    for line in text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
    {
        let cols: Vec<String> = line.split(';').map(str::to_string).collect();
        if cols.len() < 2 || cols[0].is_empty() || !is_phone(cols[1].trim()) {
            return zero();
        }
        if first_rows.len() < KEPT_ROWS {
            first_rows.push(cols);
        }
        rows += 1;
    }
    if rows != cant {
        return zero();
    }
    world.bases.push(Base {
        filename: req.field("filename").into(),
        campaign: req.field("campaign").into(),
        rows,
        username: req.field("username").into(),
        timezone: with_timezone.then(|| req.field("timezone").to_string()),
        bytes: bytes.len(),
        first_rows,
    });
    one()
}

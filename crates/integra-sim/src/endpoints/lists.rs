//! The blacklist (admin/addblack, addblackbulk, deleteblack, deleteblackbulk) and forms/FormGet over the
//! dispositions table.

use serde_json::{json, Value};

use super::{one, zero, Answer, Request};
use crate::world::World;

/// The blacklist JSON: the reference names the field `black` in one place and "blacklist object" in another.
fn payload(req: &Request) -> Option<Value> {
    req.json("black").or_else(|| req.json("blacklist"))
}

fn entries(req: &Request, bulk: bool) -> Option<Vec<Value>> {
    let value = payload(req)?;
    let list = match (bulk, value) {
        (true, Value::Array(items)) if !items.is_empty() => items,
        (false, object @ Value::Object(_)) => vec![object],
        _ => return None,
    };
    let valid = list.iter().all(|e| {
        let field = |k: &str| {
            e.get(k)
                .and_then(Value::as_str)
                .map(str::trim)
                .unwrap_or("")
        };
        !field("phone").is_empty() && !field("campaign").is_empty()
    });
    valid.then_some(list)
}

fn key(entry: &Value) -> (String, String) {
    let field = |k: &str| {
        entry
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    (field("phone"), field("campaign"))
}

pub(crate) fn add_black(world: &mut World, req: &Request, bulk: bool) -> Answer {
    let Some(list) = entries(req, bulk) else {
        return zero();
    };
    for entry in list {
        let k = key(&entry);
        world.blacklist.retain(|e| key(e) != k);
        world.blacklist.push(entry);
    }
    one()
}

pub(crate) fn delete_black(world: &mut World, req: &Request, bulk: bool) -> Answer {
    let Some(list) = entries(req, bulk) else {
        return zero();
    };
    for entry in list {
        let k = key(&entry);
        world.blacklist.retain(|e| key(e) != k);
    }
    one()
}

/// Only the read-only query uContact's own forms use is understood:
/// `SELECT value1,value2,value3 FROM dispositions WHERE campaign = '<name>'`.
pub(crate) fn form_get(world: &mut World, req: &Request) -> Answer {
    if req.field("dsn").is_empty() {
        return zero();
    }
    let Some(campaign) = parse_disposition_query(req.field("query")) else {
        return zero();
    };
    let rows: Vec<Value> = world
        .seed
        .dispositions
        .iter()
        .filter(|d| d.campaign == campaign)
        .map(|d| json!({"value1": d.value1, "value2": d.value2, "value3": d.value3}))
        .collect();
    Answer::Json(Value::Array(rows))
}

fn parse_disposition_query(query: &str) -> Option<String> {
    let normalized: String = query.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = normalized.to_ascii_lowercase();
    let prefix = "select value1,value2,value3 from dispositions where campaign = '";
    let prefix_spaced = "select value1, value2, value3 from dispositions where campaign = '";
    let start = if lower.starts_with(prefix) {
        prefix.len()
    } else if lower.starts_with(prefix_spaced) {
        prefix_spaced.len()
    } else {
        return None;
    };
    let rest = normalized.get(start..)?.trim_end_matches(';').trim_end();
    let literal = rest.strip_suffix('\'')?;
    // Quotes inside the literal must be doubled; a lone quote would end the literal early (injection).
    let unescaped = literal.replace("''", "");
    if unescaped.contains('\'') || unescaped.contains('\\') {
        return None;
    }
    Some(literal.replace("''", "'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_dispositions_select_is_understood() {
        let q = "SELECT value1,value2,value3 FROM dispositions WHERE campaign = 'Ventas->'";
        assert_eq!(parse_disposition_query(q).as_deref(), Some("Ventas->"));
        assert_eq!(
            parse_disposition_query(&q.to_lowercase()).as_deref(),
            Some("ventas->")
        );
        for bad in [
            "DELETE FROM dispositions",
            "SELECT * FROM users",
            "SELECT value1,value2,value3 FROM dispositions WHERE campaign = 'x' OR '1'='1'",
            "SELECT value1,value2,value3 FROM dispositions WHERE campaign = 'x'; DROP TABLE x; --'",
        ] {
            assert_eq!(parse_disposition_query(bad), None, "{bad}");
        }
    }
}

//! admin/addblack, addblackbulk, deleteblack and deleteblackbulk. The JSON travels in the form field `black`
//! (the reference's addblack block; its later section only says "blacklist object", so `blacklist` is accepted
//! too). `phone` and `campaign` are required in every entry; campaign `*` means every campaign.

use serde_json::Value;

use super::{one, zero, Reply, Sim};
use crate::http::extract::{Authorized, Fields};
use crate::state::blacklist::key_of;
use crate::state::lock;

/// The entries of the request: one object, or for the bulk endpoints a non-empty array of objects.
fn entries(f: &Fields, bulk: bool) -> Option<Vec<Value>> {
    let value = f.json("black").or_else(|| f.json("blacklist"))?;
    let list = match (bulk, value) {
        (true, Value::Array(items)) if !items.is_empty() => items,
        (false, object @ Value::Object(_)) => vec![object],
        _ => return None,
    };
    let valid = list.iter().all(|entry| {
        let (phone, campaign) = key_of(entry);
        entry.is_object() && !phone.is_empty() && !campaign.is_empty()
    });
    valid.then_some(list)
}

async fn add_entries(sim: Sim, f: Fields, bulk: bool) -> Reply {
    let Some(list) = entries(&f, bulk) else {
        return zero();
    };
    let mut blacklist = lock(&sim.blacklist);
    list.into_iter().for_each(|entry| blacklist.add(entry));
    one()
}

async fn delete_entries(sim: Sim, f: Fields, bulk: bool) -> Reply {
    let Some(list) = entries(&f, bulk) else {
        return zero();
    };
    let mut blacklist = lock(&sim.blacklist);
    for entry in &list {
        let (phone, campaign) = key_of(entry);
        blacklist.delete(phone, campaign);
    }
    one()
}

/// addblack: one entry.
pub(crate) async fn add(sim: Sim, _: Authorized, f: Fields) -> Reply {
    add_entries(sim, f, false).await
}

/// addblackbulk: an array of entries.
pub(crate) async fn add_bulk(sim: Sim, _: Authorized, f: Fields) -> Reply {
    add_entries(sim, f, true).await
}

/// deleteblack: one entry (its phone and campaign).
pub(crate) async fn delete(sim: Sim, _: Authorized, f: Fields) -> Reply {
    delete_entries(sim, f, false).await
}

/// deleteblackbulk: an array of entries.
pub(crate) async fn delete_bulk(sim: Sim, _: Authorized, f: Fields) -> Reply {
    delete_entries(sim, f, true).await
}

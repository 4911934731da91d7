//! Cdr/getrecords, Supervisor/convert, and the recording files under `/records/` (no token: players fetch them
//! by URL, as an HTML5 `<audio>` element would).

use axum::extract::Path;
use serde_json::Value;

use super::{one_if, zero, Reply, Sim};
use crate::http::extract::{Authorized, Fields};
use crate::state::lock;
use crate::state::recordings::as_json;

/// getrecords: `lastrow` (records to skip), `searchLimit` (page size, at least 1) and `filter`, a JSON object
/// whose `type` is always `record`. Filters by date range, agent, campaign, source, destination, minimum
/// duration and an excluded number.
pub(crate) async fn get_records(sim: Sim, _: Authorized, f: Fields) -> Reply {
    let (Ok(lastrow), Ok(limit)) = (
        f.get("lastrow").parse::<usize>(),
        f.get("searchLimit").parse::<usize>(),
    ) else {
        return zero();
    };
    let Some(filter) = f.json("filter").filter(Value::is_object) else {
        return zero();
    };
    if limit == 0 || filter.get("type").and_then(Value::as_str) != Some("record") {
        return zero();
    }
    let recordings = lock(&sim.recordings);
    let page: Vec<Value> = recordings
        .search(&filter)
        .skip(lastrow)
        .take(limit)
        .map(as_json)
        .collect();
    Reply::Json(Value::Array(page))
}

/// convert: `guid` and, optionally, `folder` (`YYYYMMDD`); `1` once the mp3 of a GSM-only recording exists.
pub(crate) async fn convert(sim: Sim, _: Authorized, f: Fields) -> Reply {
    one_if(lock(&sim.recordings).convert(f.get("guid"), f.get("folder")))
}

/// `GET /records/<guid>.<mp3|gsm>` and `GET /records/<YYYYMMDD>/<guid>.<mp3|gsm>`.
pub(crate) async fn file(sim: Sim, Path(rest): Path<String>) -> Reply {
    match lock(&sim.recordings).file(&rest) {
        Some(audio) => Reply::Audio(audio),
        None => Reply::NotFound,
    }
}

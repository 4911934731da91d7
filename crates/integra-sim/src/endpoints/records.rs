//! Cdr/getrecords, Supervisor/convert, and the recording files under `/records/`.

use serde_json::{json, Value};

use super::{one, zero, Answer, Request};
use crate::seed::{FileLocation, RecordingSeed};
use crate::world::World;

fn folder(calldate: &str) -> String {
    calldate.get(..10).unwrap_or("").replace('-', "")
}

fn matches(rec: &RecordingSeed, filter: &Value) -> bool {
    let f = |k: &str| {
        filter
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let (from, to) = (f("calldatei"), f("calldatef"));
    (from.is_empty() || rec.calldate.as_str() >= from.as_str())
        && (to.is_empty() || rec.calldate.as_str() <= to.as_str())
        && (f("agent").is_empty() || rec.agent == f("agent"))
        && (f("campaign").is_empty() || rec.campaign == f("campaign"))
        && (f("destination").is_empty() || rec.destination.contains(&f("destination")))
        && (f("source").is_empty() || rec.source.contains(&f("source")))
}

pub(crate) fn get_records(world: &mut World, req: &Request) -> Answer {
    let (Ok(lastrow), Ok(limit)) = (
        req.field("lastrow").parse::<usize>(),
        req.field("searchLimit").parse::<usize>(),
    ) else {
        return zero();
    };
    let Some(filter) = req.json("filter") else {
        return zero();
    };
    if limit == 0 || filter.get("type").and_then(Value::as_str) != Some("record") {
        return zero();
    }
    let rows: Vec<Value> = world
        .seed
        .recordings
        .iter()
        .filter(|r| matches(r, &filter))
        .skip(lastrow)
        .take(limit)
        // Duration as a string, as several uContact JSON answers quote numbers.
        .map(|r| {
            json!({
                "guid": r.guid, "calldate": r.calldate, "agent": r.agent, "campaign": r.campaign,
                "source": r.source, "destination": r.destination, "duration": r.duration.to_string(),
            })
        })
        .collect();
    Answer::Json(Value::Array(rows))
}

pub(crate) fn convert(world: &mut World, req: &Request) -> Answer {
    let (guid, dir) = (req.field("guid"), req.field("folder"));
    match world.seed.recordings.iter().find(|r| r.guid == guid) {
        Some(rec)
            if rec.location == FileLocation::GsmOnly
                && (dir.is_empty() || dir == folder(&rec.calldate)) =>
        {
            world.converted.insert(guid.to_string());
            one()
        }
        _ => zero(),
    }
}

/// Serves `/records/<file>` and `/records/<YYYYMMDD>/<file>`.
pub(crate) fn serve_file(world: &World, path: &str) -> Answer {
    let parts: Vec<&str> = path.trim_start_matches("/records/").split('/').collect();
    let (dir, file) = match parts.as_slice() {
        [file] => (None, *file),
        [dir, file] => (Some(*dir), *file),
        _ => return Answer::NotFound,
    };
    let Some((guid, ext)) = file.rsplit_once('.') else {
        return Answer::NotFound;
    };
    let Some(rec) = world.seed.recordings.iter().find(|r| r.guid == guid) else {
        return Answer::NotFound;
    };
    let dated = dir == Some(folder(&rec.calldate).as_str());
    let available = match (rec.location, ext, dir.is_none(), dated) {
        (FileLocation::Root, "mp3", true, _) => true,
        (FileLocation::Dated, "mp3", _, true) => true,
        (FileLocation::GsmOnly, "gsm", _, true) => true,
        (FileLocation::GsmOnly, "mp3", _, true) => world.converted.contains(guid),
        _ => false,
    };
    if !available {
        return Answer::NotFound;
    }
    match ext {
        "mp3" => Answer::File("audio/mpeg", fake_mp3(guid)),
        _ => Answer::File("audio/x-gsm", fake_gsm(guid)),
    }
}

/// An ID3 header and MPEG frame sync, then the GUID, so a test can tell files apart and see the format.
fn fake_mp3(guid: &str) -> Vec<u8> {
    let mut bytes = b"ID3\x03\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64".to_vec();
    bytes.extend_from_slice(guid.as_bytes());
    bytes
}

/// GSM 06.10 frames start with the 0xD nibble.
fn fake_gsm(guid: &str) -> Vec<u8> {
    let mut bytes = vec![0xd0; 33];
    bytes.extend_from_slice(guid.as_bytes());
    bytes
}

//! Recordings: the seeded call records behind Cdr/getrecords, where each one's audio file is served under
//! `/records/`, and Supervisor/convert, which makes the mp3 of a recording stored only as GSM.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::formats::folder_of;
use crate::seed::{FileLocation, RecordingSeed};

/// The recordings and which GSM ones were converted.
#[derive(Debug, Default)]
pub(crate) struct Recordings {
    pub all: Vec<RecordingSeed>,
    pub converted: BTreeSet<String>,
}

/// A served audio file.
pub(crate) struct AudioFile {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl Recordings {
    pub fn new(mut all: Vec<RecordingSeed>) -> Self {
        // getrecords pages through them in date order.
        all.sort_by(|a, b| a.calldate.cmp(&b.calldate));
        Self {
            all,
            converted: BTreeSet::new(),
        }
    }

    /// The records matching a getrecords filter object, in date order.
    pub fn search<'a>(&'a self, filter: &'a Value) -> impl Iterator<Item = &'a RecordingSeed> + 'a {
        self.all.iter().filter(move |r| matches(r, filter))
    }

    /// Supervisor/convert: makes the mp3 of a GSM-only recording. `folder`, when given, must be its date folder.
    pub fn convert(&mut self, guid: &str, folder: &str) -> bool {
        let found = self.all.iter().find(|r| r.guid == guid);
        match found {
            Some(rec)
                if rec.location == FileLocation::GsmOnly
                    && (folder.is_empty() || folder == folder_of(&rec.calldate)) =>
            {
                self.converted.insert(guid.to_string());
                true
            }
            _ => false,
        }
    }

    /// The file at `/records/<rest>`: `<guid>.<ext>` or `<YYYYMMDD>/<guid>.<ext>`, where it exists.
    pub fn file(&self, rest: &str) -> Option<AudioFile> {
        let (dir, file) = match rest.split_once('/') {
            None => (None, rest),
            Some((dir, file)) if !file.contains('/') => (Some(dir), file),
            Some(_) => return None,
        };
        let (guid, ext) = file.rsplit_once('.')?;
        let rec = self.all.iter().find(|r| r.guid == guid)?;
        let in_dated_folder = dir == Some(folder_of(&rec.calldate).as_str());
        let exists = match (rec.location, ext) {
            (FileLocation::Root, "mp3") => dir.is_none(),
            (FileLocation::Dated, "mp3") => in_dated_folder,
            (FileLocation::GsmOnly, "gsm") => in_dated_folder,
            (FileLocation::GsmOnly, "mp3") => in_dated_folder && self.converted.contains(guid),
            _ => false,
        };
        exists.then(|| match ext {
            "mp3" => AudioFile {
                content_type: "audio/mpeg",
                bytes: fake_mp3(guid),
            },
            _ => AudioFile {
                content_type: "audio/x-gsm",
                bytes: fake_gsm(guid),
            },
        })
    }
}

/// A record as getrecords lists it.
pub(crate) fn as_json(rec: &RecordingSeed) -> Value {
    // The duration is quoted, as several uContact JSON answers quote numbers.
    json!({
        "guid": rec.guid, "calldate": rec.calldate, "agent": rec.agent, "campaign": rec.campaign,
        "source": rec.source, "destination": rec.destination, "duration": rec.duration.to_string(),
        "folder": folder_of(&rec.calldate),
    })
}

fn matches(rec: &RecordingSeed, filter: &Value) -> bool {
    let f = |k: &str| filter.get(k).and_then(Value::as_str).unwrap_or("").trim();
    let (from, to) = (f("calldatei"), f("calldatef"));
    let mindur = f("mindur").parse::<i64>().unwrap_or(0);
    // The date format sorts as text, so comparing strings compares dates.
    (from.is_empty() || rec.calldate.as_str() >= from)
        && (to.is_empty() || rec.calldate.as_str() <= to)
        && (f("agent").is_empty() || rec.agent == f("agent"))
        && (f("campaign").is_empty() || rec.campaign == f("campaign"))
        && rec.source.contains(f("source"))
        && rec.destination.contains(f("destination"))
        && rec.duration >= mindur
        && (f("exclude").is_empty() || rec.destination != f("exclude"))
}

/// An ID3v2 tag header, then an MPEG-1 Layer III frame header (sync 0xFFFB), then the GUID so tests can tell
/// files apart.
fn fake_mp3(guid: &str) -> Vec<u8> {
    let mut bytes = b"ID3\x03\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64".to_vec();
    bytes.extend_from_slice(guid.as_bytes());
    bytes
}

/// One 33-byte GSM 06.10 frame (they start with the 0xD nibble), then the GUID.
fn fake_gsm(guid: &str) -> Vec<u8> {
    let mut bytes = vec![0xd0; 33];
    bytes.extend_from_slice(guid.as_bytes());
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::Seed;

    #[test]
    fn files_exist_only_where_their_location_says() {
        let mut recs = Recordings::new(Seed::demo().recordings);
        let by = |loc| recs.all.iter().find(|r| r.location == loc).unwrap().clone();
        let (root, dated, gsm) = (
            by(FileLocation::Root),
            by(FileLocation::Dated),
            by(FileLocation::GsmOnly),
        );
        let day = |r: &RecordingSeed| folder_of(&r.calldate);

        assert!(recs.file(&format!("{}.mp3", root.guid)).is_some());
        assert!(recs
            .file(&format!("{}/{}.mp3", day(&root), root.guid))
            .is_none());
        assert!(recs.file(&format!("{}.mp3", dated.guid)).is_none());
        assert!(recs
            .file(&format!("{}/{}.mp3", day(&dated), dated.guid))
            .is_some());
        let gsm_mp3 = format!("{}/{}.mp3", day(&gsm), gsm.guid);
        assert!(recs
            .file(&format!("{}/{}.gsm", day(&gsm), gsm.guid))
            .is_some());
        assert!(recs.file(&gsm_mp3).is_none());
        assert!(!recs.convert(&root.guid, ""), "only GSM recordings convert");
        assert!(!recs.convert(&gsm.guid, "19990101"), "wrong folder");
        assert!(recs.convert(&gsm.guid, &day(&gsm)));
        assert!(recs.file(&gsm_mp3).unwrap().bytes.starts_with(b"ID3"));
    }
}

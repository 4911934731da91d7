//! Entry points for the fuzz targets in `fuzz/` (the `fuzzing` feature): one function per parser of server
//! answers and dialer base files, taking raw bytes as they would arrive.
//!
//! Not a stable API and not part of the normal build. Each function runs the same code the client runs on a real
//! answer and panics when a property every answer must keep is broken (a token with a blank in it, an error that
//! shows a login answer, a base line that does not write back as it was read); a plain parse error is fine. The
//! unit tests below replay every committed corpus and regression input, so `cargo test` guards what the fuzzer
//! found even where nobody runs the fuzzer.
//!
//! Adding a target: write a `pub fn name(data: &[u8])` here, list it in [`TARGETS`], then follow `fuzz/README.md`.

use chrono::Timelike;
use serde_json::Value;

use crate::base::{parse_line, write_row};
use crate::datetime::{format_datetime, parse_datetime};
use crate::error::{Error, BODY_LIMIT};
use crate::recordings::Recording;
use crate::reply::{status_error, Reply};
use crate::{parse_user_login, parse_user_token, AgentRecord, CampaignStatus, Token};

/// A fuzz target: takes any bytes, panics only when a property is broken.
pub type Target = fn(&[u8]);

/// Every target of this crate by its `cargo fuzz` name.
pub const TARGETS: &[(&str, Target)] = &[
    ("user_token", user_token),
    ("agent_record", agent_record),
    ("campaign_status", campaign_status),
    ("records_page", records_page),
    ("reply", reply),
    ("datetime", datetime),
    ("base_file", base_file),
];

/// The body as the client reads it: HTTP bodies are decoded as UTF-8, invalid bytes replaced.
fn body(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

fn assert_header_safe(token: &Token) {
    let text = token.expose();
    assert!(
        !text.is_empty() && text != "0" && !text.starts_with('<'),
        "token {text:?} accepted"
    );
    assert!(
        text.bytes().all(|b| b.is_ascii_graphic() && b != b'"'),
        "token {text:?} cannot go into a header"
    );
}

/// A login error keeps the body only when it cannot hold a token: a page, `0` or nothing.
fn assert_login_error_hides(err: &Error, body: &str) {
    let trimmed = body.trim();
    let kept = match err {
        Error::UnexpectedBody { body, .. } | Error::Decode { body, .. } => body,
        Error::Rejected { body, .. } => {
            assert!(
                matches!(body.as_str(), "0" | "\"0\""),
                "a rejection keeps {body:?}"
            );
            return;
        }
        other => panic!("a login answer gave {other:?}"),
    };
    if !(trimmed.is_empty() || trimmed == "0" || trimmed.starts_with('<')) {
        assert!(
            kept.ends_with("login answers may contain credentials>"),
            "a login error keeps the answer: {kept:?}"
        );
    }
}

/// getUserToken's and UserLogin's token shapes.
pub fn user_token(data: &[u8]) {
    let text = body(data);
    for parsed in [parse_user_token(&text), parse_user_login(&text)] {
        match parsed {
            Ok(token) => assert_header_safe(&token),
            Err(err) => assert_login_error_hides(&err, &text),
        }
    }
}

/// AgentLogin's record.
pub fn agent_record(data: &[u8]) {
    let text = body(data);
    match AgentRecord::parse(&text) {
        Ok(record) => {
            assert_header_safe(&record.md5secret);
            // The token must change neither the serialized record nor its Debug text.
            let without = AgentRecord {
                md5secret: Token::default(),
                ..record.clone()
            };
            let json = |r: &AgentRecord| serde_json::to_string(r).expect("a record serializes");
            assert_eq!(json(&record), json(&without), "the token was serialized");
            assert_eq!(
                format!("{record:?}"),
                format!("{without:?}"),
                "the token is in Debug"
            );
            let _ = (record.extension(), record.interface("SIP"));
        }
        Err(err) => assert_login_error_hides(&err, &text),
    }
}

fn ok_reply(endpoint: &'static str, body: String) -> Reply {
    Reply {
        endpoint,
        status: 200,
        body,
    }
}

/// Supervisor/campaignstatus, from the body on (what `Client::campaign_status` does).
pub fn campaign_status(data: &[u8]) {
    let text = body(data);
    let Ok(value) = ok_reply("Supervisor/campaignstatus", text).expect_json::<Value>() else {
        return;
    };
    let keys = value.as_object().map(|o| o.len());
    if let Ok(status) = CampaignStatus::parse(value) {
        assert_eq!(Some(status.entries.len()), keys, "an entry was lost");
        serde_json::to_string(&status).expect("a status serializes for the UI");
        let _ = (
            status.campaigns().count(),
            status.agents().count(),
            status.acd_calls().count(),
        );
    }
}

/// One Cdr/getrecords page (what `Client::get_records` does).
pub fn records_page(data: &[u8]) {
    let text = body(data);
    if let Ok(rows) = ok_reply("Cdr/getrecords", text).expect_json::<Vec<Recording>>() {
        serde_json::to_string(&rows).expect("recordings serialize for the UI");
    }
}

/// The reading of any answer: the first two bytes are the HTTP status, the rest the body.
pub fn reply(data: &[u8]) {
    let (status, rest) = match data {
        [a, b, rest @ ..] => (u16::from_be_bytes([*a, *b]) % 600, rest),
        _ => (200, data),
    };
    let text = body(rest);
    let limit = BODY_LIMIT + 1;
    let short = |err: &Error| {
        if let Error::Status { body, .. } | Error::UnexpectedBody { body, .. } = err {
            assert!(body.chars().count() <= limit, "an error keeps a whole body");
        }
    };
    if !(200..300).contains(&status) {
        short(&status_error("x", status, &text, None));
        return;
    }
    let make = || ok_reply("x", text.clone());
    let zero = make().is_zero();
    for result in [make().expect_one(), make().expect_ack()] {
        if let Err(err) = &result {
            short(err);
        }
        assert!(!(zero && result.is_ok()), "0 was taken as success");
    }
    match make().expect_text("a GUID") {
        Ok(word) => {
            assert!(!zero, "0 was taken as a GUID");
            assert!(
                !word.is_empty() && !word.contains(char::is_whitespace) && !word.starts_with('<')
            );
        }
        Err(err) => short(&err),
    }
    if let Err(err) = make().expect_json::<Value>() {
        short(&err);
    }
}

/// uContact's date-time: whatever is read is written back in the wire format and reads back the same.
pub fn datetime(data: &[u8]) {
    let text = body(data);
    if let Ok(value) = parse_datetime(&text) {
        let wire = format_datetime(&value);
        let back =
            parse_datetime(&wire).unwrap_or_else(|e| panic!("{wire:?} does not read back: {e}"));
        let whole_seconds =
            value.with_nanosecond(value.nanosecond() / 1_000_000_000 * 1_000_000_000);
        assert_eq!(Some(back), whole_seconds, "{text:?} → {wire:?}");
    }
}

/// A dialer base file, line by line as `count_rows` reads it: every line that parses writes back to a line that
/// parses to the same record.
pub fn base_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for (i, line) in text.split('\n').enumerate() {
        let Ok(Some(row)) = parse_line(i + 1, line) else {
            continue;
        };
        let mut out = Vec::new();
        write_row(&mut out, &row)
            .unwrap_or_else(|e| panic!("{line:?} parsed but does not write: {e}"));
        let written = String::from_utf8(out).expect("written as UTF-8");
        let again = parse_line(1, written.trim_end_matches('\n'));
        assert_eq!(again, Ok(Some(row)), "{line:?} → {written:?}");
    }
}

/// Replays what is committed under `fuzz/` for `targets`: every target's seeds (`corpus/<target>/`, at least three
/// realistic inputs each) and every crash found so far (`regressions/<target>/`). Each crate's unit tests call it,
/// so a plain `cargo test` keeps what the fuzzer found fixed.
pub fn replay_committed(targets: &[(&str, Target)]) {
    let fuzz = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let inputs = |dir: std::path::PathBuf| {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        files
    };
    for (name, target) in targets {
        let seeds = inputs(fuzz.join("corpus").join(name));
        assert!(
            seeds.len() >= 3,
            "fuzz/corpus/{name} needs a few realistic inputs"
        );
        for input in seeds
            .iter()
            .chain(&inputs(fuzz.join("regressions").join(name)))
        {
            let data = std::fs::read(input).unwrap();
            if std::panic::catch_unwind(|| target(&data)).is_err() {
                panic!("{} fails", input.display());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_seeds_and_crashes_pass() {
        replay_committed(TARGETS);
    }
}

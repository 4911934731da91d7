//! Dialers/uploadbase and uploadbasewithtimezone: `fileb64` is the base64 of a file of records
//! `campaign;number;k=v:k=v;alt:alt;priority;agentphone` (the last four may be empty or left out), `cant` must be
//! the number of records. A bad record or a wrong count refuses the whole upload with `0`; an accepted base puts
//! every number on the campaign's spool.

use base64::Engine;

use super::dialers::data_ok;
use super::{one, zero, Reply, Sim};
use crate::formats::is_phone;
use crate::http::extract::{Authorized, Fields};
use crate::state::dialers::{Base, SAMPLE_ROWS};
use crate::state::lock;

/// A decoded, checked base file.
#[derive(Debug, PartialEq)]
pub(crate) struct ParsedBase {
    pub rows: usize,
    pub numbers: Vec<String>,
    pub sample: Vec<Vec<String>>,
}

/// Checks one record; the columns are `campaign;number;data;alternatives;priority;agentphone`.
fn record_ok(cols: &[&str]) -> bool {
    let col = |i: usize| cols.get(i).copied().unwrap_or("");
    (2..=6).contains(&cols.len())
        && !col(0).trim().is_empty()
        && is_phone(col(1))
        && data_ok(col(2))
        && col(3).split(':').filter(|a| !a.is_empty()).all(is_phone)
        && (col(4).is_empty() || col(4).parse::<u32>().is_ok())
        && col(5).bytes().all(|b| b.is_ascii_digit())
}

/// Parses a base file (UTF-8, `\n` or `\r\n` lines, blank lines ignored). `None` names no reason on purpose:
/// uContact answers a bare `0`.
pub(crate) fn parse(file: &[u8]) -> Option<ParsedBase> {
    let text = std::str::from_utf8(file).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parsed = ParsedBase {
        rows: 0,
        numbers: Vec::new(),
        sample: Vec::new(),
    };
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split(';').collect();
        if !record_ok(&cols) {
            return None;
        }
        if parsed.sample.len() < SAMPLE_ROWS {
            parsed
                .sample
                .push(cols.iter().map(|c| c.to_string()).collect());
        }
        parsed.numbers.push(cols[1].to_string());
        parsed.rows += 1;
    }
    Some(parsed)
}

/// Decodes `fileb64`, tolerating the line breaks some encoders insert.
fn decode(fileb64: &str) -> Option<Vec<u8>> {
    let engine = base64::engine::general_purpose::STANDARD;
    if fileb64.bytes().any(|b| b.is_ascii_whitespace()) {
        let compact: String = fileb64
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        engine.decode(compact).ok()
    } else {
        engine.decode(fileb64).ok()
    }
}

async fn upload_base(sim: Sim, f: Fields, with_timezone: bool) -> Reply {
    let mut required = vec!["filename", "fileb64", "campaign", "cant", "username"];
    if with_timezone {
        required.push("timezone");
    }
    if !f.has_all(&required) || !sim.campaign_exists(f.get("campaign")) {
        return zero();
    }
    let Ok(cant) = f.get("cant").parse::<usize>() else {
        return zero();
    };
    // A million-row base takes a while to check: do it on a blocking thread, outside every lock.
    let fields = f.clone();
    let checked = tokio::task::spawn_blocking(move || {
        let file = decode(fields.get("fileb64"))?;
        parse(&file).map(|parsed| (file.len(), parsed))
    })
    .await
    .ok()
    .flatten();
    let Some((bytes, parsed)) = checked.filter(|(_, parsed)| parsed.rows == cant) else {
        return zero();
    };
    let base = Base {
        filename: f.get("filename").into(),
        campaign: f.get("campaign").into(),
        rows: parsed.rows,
        username: f.get("username").into(),
        timezone: with_timezone.then(|| f.get("timezone").to_string()),
        bytes,
        first_rows: parsed.sample,
    };
    lock(&sim.dialers).add_base(base, parsed.numbers);
    one()
}

/// uploadbase: filename, fileb64, campaign, cant, username.
pub(crate) async fn upload(sim: Sim, _: Authorized, f: Fields) -> Reply {
    upload_base(sim, f, false).await
}

/// uploadbasewithtimezone: as uploadbase plus `timezone`.
pub(crate) async fn upload_with_timezone(sim: Sim, _: Authorized, f: Fields) -> Reply {
    upload_base(sim, f, true).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_parse_with_optional_columns_and_crlf() {
        let file = "\u{feff}Ventas->;099111222;id=1:src=web;099333444:098;10;1001\r\n\nVentas->;099555666\n";
        let parsed = parse(file.as_bytes()).unwrap();
        assert_eq!(parsed.rows, 2);
        assert_eq!(parsed.numbers, ["099111222", "099555666"]);
        assert_eq!(parsed.sample[0][2], "id=1:src=web");
        assert_eq!(parsed.sample[1], ["Ventas->", "099555666"]);
    }

    #[test]
    fn a_bad_record_refuses_the_file() {
        for bad in [
            "Ventas->;not-a-number",
            ";099111222",
            "Ventas->;099111222;novalue",
            "Ventas->;099111222;;abc",
            "Ventas->;099111222;;;high",
            "Ventas->;099111222;;;;1001;extra",
        ] {
            assert_eq!(parse(bad.as_bytes()), None, "{bad}");
        }
        assert_eq!(parse(&[0xff, 0xfe]), None, "not UTF-8");
    }

    #[test]
    fn base64_with_line_breaks_decodes() {
        assert_eq!(decode("YWJj\nZGVm").as_deref(), Some(&b"abcdef"[..]));
        assert_eq!(decode("!!"), None);
    }
}

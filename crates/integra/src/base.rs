//! Dialer bases: the file format (`campaign;number;k=v:k=v;alt1:alt2;priority;agentphone`, the last two optional),
//! checked line by line, and the streamed upload in [`upload`].
//!
//! The checks mirror what the server refuses: a base with one bad record is rejected whole with a bare `0`, so
//! the client finds the line first and names it. Values are not trimmed, as the server does not trim them either.

use std::io::Write;
use std::path::Path;

use tokio::io::{AsyncBufReadExt, BufReader};

use crate::error::{Error, Result};

mod length;
pub mod upload;

pub use upload::{BaseUpload, Progress};

/// One dialer record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BaseRow {
    /// Campaign name.
    pub campaign: String,
    /// Main number.
    pub number: String,
    /// `k=v:k=v` pairs for workflows and forms.
    pub data: String,
    /// `:`-separated alternative numbers.
    pub alternatives: String,
    /// Optional priority.
    pub priority: Option<u32>,
    /// Optional agent extension (progressive dialers).
    pub agentphone: Option<String>,
}

/// A line of a base file that does not fit the format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct BaseError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

/// Parses one line (`line_no` is only used in the error). Blank lines give `None`; a trailing `\r` and a UTF-8
/// byte-order mark are ignored.
pub fn parse_line(line_no: usize, line: &str) -> std::result::Result<Option<BaseRow>, BaseError> {
    let line = line
        .trim_start_matches('\u{feff}')
        .trim_end_matches(['\r', '\n']);
    if line.trim().is_empty() {
        return Ok(None);
    }
    let fail = |reason: String| BaseError {
        line: line_no,
        reason,
    };
    // A lone `\r` is a line end to the server's line reader: it would split the record in two.
    if line.contains(['\r', '\n']) {
        return Err(fail(
            "a line break (\\r) inside the line would split it into two records".into(),
        ));
    }
    let cols: Vec<&str> = line.split(';').collect();
    if cols.len() < 2 {
        return Err(fail("expected at least campaign;number".into()));
    }
    if cols.len() > 6 {
        return Err(fail(format!(
            "expected at most 6 columns separated by ';', found {} (a ';' inside a value, or one too many at the end?)",
            cols.len()
        )));
    }
    let col = |i: usize| cols.get(i).copied().unwrap_or("");
    if col(0).trim().is_empty() {
        return Err(fail("the campaign is empty".into()));
    }
    if !is_phone(col(1)) {
        return Err(fail(format!("number {:?} is not a phone number", col(1))));
    }
    for pair in col(2).split(':').filter(|p| !p.is_empty()) {
        if pair.split_once('=').is_none_or(|(key, _)| key.is_empty()) {
            return Err(fail(format!(
                "data {pair:?} is not key=value (pairs are separated by ':', so a value cannot hold one)"
            )));
        }
    }
    for alt in col(3).split(':').filter(|a| !a.is_empty()) {
        if !is_phone(alt) {
            return Err(fail(format!("alternative {alt:?} is not a phone number")));
        }
    }
    let priority = match col(4) {
        "" => None,
        p => Some(
            p.parse::<u32>()
                .ok()
                .filter(|_| p.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| fail(format!("priority {p:?} is not a whole number")))?,
        ),
    };
    let agentphone = match col(5) {
        "" => None,
        a if a.bytes().all(|b| b.is_ascii_digit()) => Some(a.to_string()),
        a => {
            return Err(fail(format!(
                "agentphone {a:?} is not an extension (digits only)"
            )))
        }
    };
    Ok(Some(BaseRow {
        campaign: col(0).to_string(),
        number: col(1).to_string(),
        data: col(2).to_string(),
        alternatives: col(3).to_string(),
        priority,
        agentphone,
    }))
}

/// Something a PBX can dial: an optional leading `+`, then digits and dashes, 3 to 20 digits.
fn is_phone(text: &str) -> bool {
    let rest = text.strip_prefix('+').unwrap_or(text);
    let digits = rest.bytes().filter(u8::is_ascii_digit).count();
    rest.bytes().all(|b| b.is_ascii_digit() || b == b'-') && (3..=20).contains(&digits)
}

/// Writes one record as a line ending in `\n`; optional trailing columns are left out when absent. A value that
/// would break the format (a `;` or a line break in it) is refused with `InvalidInput` rather than written.
pub fn write_row(out: &mut impl Write, row: &BaseRow) -> std::io::Result<()> {
    let agentphone = row.agentphone.as_deref().unwrap_or("");
    for (name, value) in [
        ("campaign", row.campaign.as_str()),
        ("number", &row.number),
        ("data", &row.data),
        ("alternatives", &row.alternatives),
        ("agentphone", agentphone),
    ] {
        if value.contains([';', '\n', '\r']) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("{name} {value:?} contains ';' or a line break, which the base format cannot hold"),
            ));
        }
    }
    write!(
        out,
        "{};{};{};{}",
        row.campaign, row.number, row.data, row.alternatives
    )?;
    match (row.priority, row.agentphone.as_deref()) {
        (None, None) => {}
        (Some(p), None) => write!(out, ";{p}")?,
        (p, Some(a)) => write!(out, ";{};{a}", p.map(|p| p.to_string()).unwrap_or_default())?,
    }
    writeln!(out)
}

/// Checks every line of the file at `path` and counts the records (the `cant` field), reading it as a stream so
/// a base of any size takes constant memory. A bad line is an `InvalidInput` naming the line.
pub async fn count_rows(path: &Path) -> Result<usize> {
    Ok(count_and_measure(path).await?.0)
}

/// [`count_rows`], also measuring the file's encoded length in the same read (see `length`).
pub(crate) async fn count_and_measure(path: &Path) -> Result<(usize, length::EncodedLength)> {
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|e| io_error(path, e))?;
    let mut reader = BufReader::with_capacity(256 * 1024, length::Measuring::new(file));
    let (mut count, mut line_no) = (0usize, 0usize);
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .await
            .map_err(|e| io_error(path, e))?;
        if read == 0 {
            break;
        }
        line_no += 1;
        let text = std::str::from_utf8(&line).map_err(|_| {
            Error::invalid(
                "base file",
                format!("line {line_no} is not UTF-8 text; save the file as UTF-8"),
            )
        })?;
        match parse_line(line_no, text) {
            Ok(Some(_)) => count += 1,
            Ok(None) => {}
            Err(e) => return Err(Error::invalid("base file", e.to_string())),
        }
    }
    if count == 0 {
        return Err(Error::invalid("base file", "it holds no records"));
    }
    let measured = reader.into_inner().length().clone();
    Ok((count, measured))
}

pub(crate) fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        detail: format!("{}: {e}", path.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: &str) -> BaseRow {
        parse_line(1, line).unwrap().unwrap()
    }

    #[test]
    fn parses_the_reference_example_and_writes_it_back() {
        let line = "prueba1;098344484;var1=val1:var2=val2;099124484:099111111;9999;1001";
        let parsed = row(line);
        assert_eq!(parsed.data, "var1=val1:var2=val2");
        assert_eq!(parsed.alternatives, "099124484:099111111");
        assert_eq!(
            (parsed.priority, parsed.agentphone.as_deref()),
            (Some(9999), Some("1001"))
        );
        let mut out = Vec::new();
        write_row(&mut out, &parsed).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), format!("{line}\n"));
    }

    #[test]
    fn optional_columns_may_be_missing_or_empty() {
        let two = row("Ventas->;099123456");
        assert_eq!(
            (two.data.as_str(), two.alternatives.as_str(), two.priority),
            ("", "", None)
        );
        let trailing = row("Ventas->;099123456;;;");
        assert_eq!((trailing.priority, trailing.agentphone), (None, None));
        let only_agent = row("c;+59899123456;;;;1002");
        assert_eq!(
            (only_agent.priority, only_agent.agentphone.as_deref()),
            (None, Some("1002"))
        );
        let mut out = Vec::new();
        write_row(&mut out, &only_agent).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "c;+59899123456;;;;1002\n");
    }

    #[test]
    fn crlf_bom_and_blank_lines() {
        let first = row("\u{feff}Ventas->;099123456;id=7;\r");
        assert_eq!(
            (first.campaign.as_str(), first.data.as_str()),
            ("Ventas->", "id=7")
        );
        assert_eq!(parse_line(2, "   \r").unwrap(), None);
        assert_eq!(parse_line(3, "").unwrap(), None);
        assert_eq!(parse_line(4, "\u{feff}\r\n").unwrap(), None);
    }

    #[test]
    fn a_carriage_return_inside_a_line_is_refused() {
        // Found by the base_file fuzz target (fuzz/regressions/base_file/): it parsed, then could not be written.
        let err = parse_line(3, "5\rVentas->;+59899123456;;;;1002\r").unwrap_err();
        assert!(err.reason.contains("split it into two records"), "{err}");
        assert!(parse_line(3, "c;099123456;a=1\rb=2").is_err());
        assert_eq!(
            row("c;099123456\r\r").number,
            "099123456",
            "trailing ones are a line end"
        );
    }

    #[test]
    fn colons_in_odd_places() {
        let loose = row("c;099123456;:id=7::src=web:;099111222::098-765-432:");
        assert_eq!(
            loose.data, ":id=7::src=web:",
            "empty pairs are tolerated and kept as written"
        );
        assert_eq!(loose.alternatives, "099111222::098-765-432:");
        assert_eq!(
            row("c;099123456;url=a=b").data,
            "url=a=b",
            "'=' inside a value is fine"
        );
        let err = parse_line(5, "c;099123456;time=10:30").unwrap_err();
        assert!(err.reason.contains("\"30\" is not key=value"), "{err}");
        let err = parse_line(5, "c;099123456:099111222").unwrap_err();
        assert!(err.reason.contains("is not a phone number"), "{err}");
        assert!(
            parse_line(5, "c;099123456;=v").is_err(),
            "a pair needs a key"
        );
    }

    #[test]
    fn each_malformed_line_says_what_is_wrong() {
        let cases = [
            ("Ventas->", "at least campaign;number"),
            (";099123456", "campaign is empty"),
            ("c;09a9123", "not a phone number"),
            ("c; 099123456", "not a phone number"),
            ("c;12", "not a phone number"),
            ("c;099123456;novalue", "not key=value"),
            ("c;099123456;;0991234:abc", "alternative \"abc\""),
            ("c;099123456;;;high", "priority \"high\""),
            ("c;099123456;;;-5", "priority \"-5\""),
            ("c;099123456;;;+5", "priority \"+5\""),
            ("c;099123456;;;1;SIP/1001", "agentphone \"SIP/1001\""),
            ("c;099123456;;;1;2;", "at most 6 columns"),
            ("c;099123456;a=1;b=2;;;", "a ';' inside a value"),
        ];
        for (line, expected) in cases {
            let err = parse_line(7, line).unwrap_err();
            assert_eq!(err.line, 7);
            assert!(err.to_string().starts_with("line 7: "), "{err}");
            assert!(err.to_string().contains(expected), "{line:?}: {err}");
        }
    }

    #[test]
    fn write_row_refuses_values_that_would_break_the_format() {
        for bad in [
            BaseRow {
                campaign: "c".into(),
                number: "099123456".into(),
                data: "a=1;b=2".into(),
                ..Default::default()
            },
            BaseRow {
                campaign: "c\n".into(),
                number: "099123456".into(),
                ..Default::default()
            },
        ] {
            let err = write_row(&mut Vec::new(), &bad).unwrap_err();
            assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{err}");
        }
    }

    #[tokio::test]
    async fn count_rows_skips_blank_lines_and_names_the_first_bad_one() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.txt");
        std::fs::write(
            &good,
            "\u{feff}c;099123456\r\n\r\nc;099123457;;;5\nc;099123458",
        )
        .unwrap();
        assert_eq!(count_rows(&good).await.unwrap(), 3);
        let bad = dir.path().join("bad.txt");
        std::fs::write(&bad, "c;099123456\nc;099123457\nc;oops\n").unwrap();
        let err = count_rows(&bad).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid base file: line 3: number \"oops\" is not a phone number"
        );
        let latin1 = dir.path().join("latin1.txt");
        std::fs::write(&latin1, b"c;099123456;n=Nu\xf1ez\n").unwrap();
        assert!(count_rows(&latin1)
            .await
            .unwrap_err()
            .to_string()
            .contains("line 1 is not UTF-8"));
        let empty = dir.path().join("empty.txt");
        std::fs::write(&empty, "\n\n").unwrap();
        assert!(count_rows(&empty)
            .await
            .unwrap_err()
            .to_string()
            .contains("no records"));
        let missing = count_rows(&dir.path().join("nope.txt")).await.unwrap_err();
        assert!(
            matches!(&missing, Error::Io { detail } if detail.contains("nope.txt")),
            "{missing:?}"
        );
    }
}

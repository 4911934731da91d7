//! Dialer bases: the file format and the streamed upload (uploadbase, uploadbasewithtimezone).
//!
//! One record per line: `campaign;number;k=v:k=v;alt1:alt2;priority;agentphone`, the last two optional.
//! The upload sends the whole file base64-encoded inside a form field. It is streamed: the file is read, encoded
//! and percent-encoded chunk by chunk while the request goes out, so a 1,000,000-row base is never held in memory
//! (neither raw, nor as base64, nor as the form body).

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use base64::Engine;
use bytes::Bytes;
use futures_util::stream;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::form::{encode, encode_value};
use crate::types::Campaign;

/// One dialer record.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    pub priority: Option<i64>,
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

/// Parses one line. Blank lines give `None`; a trailing `\r` and a UTF-8 BOM are ignored.
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
    let cols: Vec<&str> = line.split(';').collect();
    if cols.len() < 2 {
        return Err(fail("expected at least campaign;number".into()));
    }
    if cols.len() > 6 {
        return Err(fail(format!(
            "expected at most 6 columns separated by ';', found {}",
            cols.len()
        )));
    }
    let col = |i: usize| cols.get(i).map(|c| c.trim()).unwrap_or("");
    if col(0).is_empty() {
        return Err(fail("the campaign is empty".into()));
    }
    if !is_phone(col(1)) {
        return Err(fail(format!("{:?} is not a phone number", col(1))));
    }
    for pair in col(2).split(':').filter(|p| !p.is_empty()) {
        if !pair.contains('=') {
            return Err(fail(format!("data {pair:?} is not key=value")));
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
            p.parse::<i64>()
                .map_err(|_| fail(format!("priority {p:?} is not a whole number")))?,
        ),
    };
    let agentphone = Some(col(5)).filter(|a| !a.is_empty()).map(str::to_string);
    Ok(Some(BaseRow {
        campaign: col(0).to_string(),
        number: col(1).to_string(),
        data: col(2).to_string(),
        alternatives: col(3).to_string(),
        priority,
        agentphone,
    }))
}

fn is_phone(text: &str) -> bool {
    let digits = text.strip_prefix('+').unwrap_or(text);
    !digits.is_empty()
        && digits.len() <= 32
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'-')
}

/// Writes one record as a line (with `\n`). Optional trailing columns are left out when absent.
pub fn write_row(out: &mut impl Write, row: &BaseRow) -> std::io::Result<()> {
    write!(
        out,
        "{};{};{};{}",
        row.campaign, row.number, row.data, row.alternatives
    )?;
    match (&row.priority, &row.agentphone) {
        (None, None) => {}
        (Some(p), None) => write!(out, ";{p}")?,
        (p, Some(a)) => write!(out, ";{};{a}", p.map(|p| p.to_string()).unwrap_or_default())?,
    }
    writeln!(out)
}

/// What to upload, besides the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUpload {
    /// The dialer campaign.
    pub campaign: Campaign,
    /// The user doing the upload.
    pub username: String,
    /// File name as the server should record it (default: the local file's name).
    pub filename: Option<String>,
    /// For uploadbasewithtimezone: a uContact timezone name.
    pub timezone: Option<String>,
}

/// Progress callback: bytes of the file sent so far, and the file size.
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// File bytes read per chunk: a multiple of 3, so base64 chunks concatenate without padding in between.
const CHUNK: usize = 3 * 21_846;

/// Checks every line and counts the records without keeping them.
pub async fn count_rows(path: &Path) -> Result<usize> {
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|e| io_error(path, e))?;
    let mut lines = BufReader::new(file).split(b'\n');
    let (mut count, mut line_no) = (0usize, 0usize);
    while let Some(line) = lines.next_segment().await.map_err(|e| io_error(path, e))? {
        line_no += 1;
        let text = String::from_utf8_lossy(&line);
        match parse_line(line_no, &text) {
            Ok(Some(_)) => count += 1,
            Ok(None) => {}
            Err(e) => return Err(Error::invalid("base file", e.to_string())),
        }
    }
    if count == 0 {
        return Err(Error::invalid("base file", "it holds no records"));
    }
    Ok(count)
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        detail: e.to_string(),
    }
}

impl Client {
    /// Uploads a dialer base (uploadbase, or uploadbasewithtimezone when `upload.timezone` is set). The file is
    /// checked line by line first, so a bad base is refused before anything is sent.
    pub async fn upload_base(
        &self,
        upload: &BaseUpload,
        path: &Path,
        progress: Option<Progress>,
    ) -> Result<()> {
        let rows = count_rows(path).await?;
        let size = tokio::fs::metadata(path)
            .await
            .map_err(|e| io_error(path, e))?
            .len();
        let filename = upload
            .filename
            .clone()
            .or_else(|| path.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "base.txt".into());
        let rows_text = rows.to_string();
        let mut fields = vec![
            ("filename", filename.as_str()),
            ("campaign", upload.campaign.as_str()),
            ("cant", rows_text.as_str()),
            ("username", upload.username.as_str()),
        ];
        let endpoint = match &upload.timezone {
            Some(tz) => {
                fields.push(("timezone", tz.as_str()));
                "Dialers/uploadbasewithtimezone"
            }
            None => "Dialers/uploadbase",
        };
        let prefix = format!("{}&fileb64=", encode(fields));
        let file = tokio::fs::File::open(path)
            .await
            .map_err(|e| io_error(path, e))?;
        let body = reqwest::Body::wrap_stream(file_as_form_value(prefix, file, size, progress));
        self.post_stream(endpoint, body).await?.expect_one()
    }
}

/// The form body as a stream: the prefix, then base64 + percent-encoding of the file, chunk by chunk.
fn file_as_form_value(
    prefix: String,
    file: tokio::fs::File,
    size: u64,
    progress: Option<Progress>,
) -> impl futures_util::Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    let first = stream::once(async move { Ok(Bytes::from(prefix)) });
    let rest = stream::try_unfold(
        (file, vec![0u8; CHUNK], 0u64),
        move |(mut file, mut buf, mut sent)| {
            let progress = progress.clone();
            async move {
                let filled = fill(&mut file, &mut buf).await?;
                if filled == 0 {
                    return Ok(None);
                }
                sent += filled as u64;
                if let Some(report) = &progress {
                    report(sent, size);
                }
                let b64 = base64::engine::general_purpose::STANDARD.encode(&buf[..filled]);
                Ok(Some((Bytes::from(encode_value(&b64)), (file, buf, sent))))
            }
        },
    );
    futures_util::StreamExt::chain(first, rest)
}

/// Reads until `buf` is full or the file ends (a short read mid-file would break base64 chunking).
async fn fill(file: &mut tokio::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]).await? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_reference_example_and_writes_it_back() {
        let line = "prueba1;098344484;var1=val1:var2=val2;099124484:099111111;9999;1001";
        let row = parse_line(1, line).unwrap().unwrap();
        assert_eq!(row.priority, Some(9999));
        assert_eq!(row.agentphone.as_deref(), Some("1001"));
        let mut out = Vec::new();
        write_row(&mut out, &row).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), format!("{line}\n"));
    }

    #[test]
    fn optional_columns_crlf_bom_and_blank_lines() {
        let row = parse_line(1, "\u{feff}Ventas->;099123456;;\r")
            .unwrap()
            .unwrap();
        assert_eq!(
            (row.data.as_str(), row.alternatives.as_str(), row.priority),
            ("", "", None)
        );
        assert_eq!(parse_line(2, "   \r").unwrap(), None);
        let only_agent = parse_line(3, "c;+59899123456;;;;1002").unwrap().unwrap();
        assert_eq!(
            (only_agent.priority, only_agent.agentphone.as_deref()),
            (None, Some("1002"))
        );
        let mut out = Vec::new();
        write_row(&mut out, &only_agent).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "c;+59899123456;;;;1002\n");
    }

    #[test]
    fn each_malformed_line_says_what_is_wrong() {
        let cases = [
            ("Ventas->", "at least campaign;number"),
            (";099", "campaign is empty"),
            ("c;09a9", "not a phone number"),
            ("c;099;novalue", "not key=value"),
            ("c;099;;0991:abc", "alternative \"abc\""),
            ("c;099;;;high", "priority \"high\""),
            ("c;099;;;1;2;3", "at most 6 columns"),
        ];
        for (line, expected) in cases {
            let err = parse_line(7, line).unwrap_err();
            assert_eq!(err.line, 7);
            assert!(err.to_string().contains(expected), "{line:?}: {err}");
        }
    }

    #[tokio::test]
    async fn streamed_body_decodes_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("base.txt");
        let mut content = Vec::new();
        for i in 0..50_000 {
            writeln!(content, "Ventas->;09{i:07};id={i};;{};", i % 10).unwrap();
        }
        std::fs::write(&path, &content).unwrap();
        assert_eq!(count_rows(&path).await.unwrap(), 50_000);
        let file = tokio::fs::File::open(&path).await.unwrap();
        let chunks: Vec<_> = futures_util::StreamExt::collect::<Vec<_>>(file_as_form_value(
            "a=1&fileb64=".into(),
            file,
            0,
            None,
        ))
        .await;
        let body: Vec<u8> = chunks
            .into_iter()
            .flat_map(|c| c.unwrap().to_vec())
            .collect();
        let fields: std::collections::HashMap<String, String> =
            form_urlencoded::parse(&body).into_owned().collect();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(&fields["fileb64"])
            .unwrap();
        assert_eq!(decoded, content);
    }
}

//! The journal: every request the simulator received, as tests need to assert it (method, path, content type,
//! Authorization, length and Via headers, body size, form fields) with the status and body it answered. Bounded, so a benchmark of millions of
//! requests does not grow memory without limit.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

/// Entries kept; older ones are dropped first.
pub const JOURNAL_CAPACITY: usize = 100_000;

/// Longest form value kept verbatim (a base upload's fileb64 is megabytes).
const VALUE_LIMIT: usize = 4096;

/// One request and the answer it got.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct JournalEntry {
    /// 1, 2, 3… in arrival order.
    pub seq: u64,
    /// When the request's head arrived: microseconds since the Unix epoch (CLOCK_REALTIME), so a benchmark can
    /// set it against a key press stamped on the same clock by another process.
    #[serde(default)]
    pub received_us: u64,
    /// HTTP method.
    pub method: String,
    /// Path, e.g. `/Integra/resources/Agents/AgentCall`.
    pub path: String,
    /// Raw query string (often empty).
    pub query: String,
    /// The Content-Type header as sent.
    pub content_type: Option<String>,
    /// The Authorization header as sent.
    pub authorization: Option<String>,
    /// The Content-Length header as sent (none for a chunked body).
    #[serde(default)]
    pub content_length: Option<String>,
    /// The Transfer-Encoding header as sent (`chunked` when the client gave no length).
    #[serde(default)]
    pub transfer_encoding: Option<String>,
    /// The Via header: proxies on the way add one (RFC 9110 §7.6.3), so it tells a request came through one.
    #[serde(default)]
    pub via: Option<String>,
    /// Bytes of body actually received.
    #[serde(default)]
    pub body_bytes: u64,
    /// Decoded form fields in order (long values are cut, with their length noted).
    pub form: Vec<(String, String)>,
    /// Status answered (0 when the connection was dropped on purpose).
    pub status: u16,
    /// Body answered (cut to 512 characters).
    pub response: String,
}

impl JournalEntry {
    /// The first form field named `name`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A form field parsed as JSON (callspool, callschedule, call, black, filter…).
    pub fn json_field(&self, name: &str) -> Option<serde_json::Value> {
        self.field(name).and_then(|v| serde_json::from_str(v).ok())
    }

    /// The endpoint below `/Integra/resources/`, e.g. `Agents/AgentCall`.
    pub fn endpoint(&self) -> &str {
        self.path
            .strip_prefix("/Integra/resources/")
            .unwrap_or(&self.path)
    }
}

/// Longest response body kept verbatim.
pub(crate) const RESPONSE_LIMIT: usize = 512;

/// Shortens a value for the journal.
pub(crate) fn clip(value: &str, limit: usize) -> String {
    match value.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}…[{} bytes]", &value[..cut], value.len()),
        None => value.to_string(),
    }
}

/// Shortens form values for the journal.
pub(crate) fn clip_form(form: &[(String, String)]) -> Vec<(String, String)> {
    form.iter()
        .map(|(k, v)| (k.clone(), clip(v, VALUE_LIMIT)))
        .collect()
}

/// The bounded list of entries.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    entries: VecDeque<JournalEntry>,
    next_seq: u64,
}

impl Journal {
    pub fn push(&mut self, mut entry: JournalEntry) {
        self.next_seq += 1;
        entry.seq = self.next_seq;
        if self.entries.len() == JOURNAL_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    pub fn all(&self) -> Vec<JournalEntry> {
        self.after(0)
    }

    /// The entries whose `seq` is above `seq` (what a poller has not seen yet).
    pub fn after(&self, seq: u64) -> Vec<JournalEntry> {
        self.entries
            .iter()
            .filter(|e| e.seq > seq)
            .cloned()
            .collect()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

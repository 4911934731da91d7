//! What [`probe`](super::probe) found, step by step (`tcp`, `tls`, `websocket`, `sip`), in words for a person and
//! as JSON for a script.

use std::fmt;
use std::time::Duration;

use rsipstack::sip::{HeadersExt, Response};
use serde::Serialize;

/// How one step came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// It worked.
    Pass,
    /// It failed: the detail says why.
    Fail,
    /// Not tried, because an earlier step failed.
    Skip,
}

/// One step of the probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProbeStep {
    /// `address` (only when the address itself is wrong), `tcp`, `tls`, `websocket` or `sip`.
    pub name: &'static str,
    /// How it came out.
    pub status: StepStatus,
    /// What was found, in words.
    pub detail: String,
}

/// The server's final answer to the probe's `OPTIONS`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OptionsAnswer {
    /// `SIP/2.0 200 OK`.
    pub status_line: String,
    /// The status code.
    pub code: u16,
    /// The `Server:` header, else the `User-Agent:` one (e.g. `kamailio (5.6.3 (x86_64/linux))`, `Asterisk PBX
    /// 16.2.1`).
    pub software: Option<String>,
    /// The methods of `Allow:`, as the server listed them.
    pub allow: Vec<String>,
    /// From the OPTIONS sent to its answer.
    pub round_trip_ms: u64,
}

impl OptionsAnswer {
    pub(crate) fn from_response(response: &Response, round_trip: Duration) -> OptionsAnswer {
        let code = u16::from(response.status_code.clone());
        let reason = crate::message::reason(response).trim();
        let software = response
            .header_value("Server")
            .or_else(|| response.header_value("User-Agent"))
            .filter(|s| !s.is_empty());
        let allow = response
            .headers
            .iter()
            .filter(|h| h.name().eq_ignore_ascii_case("Allow"))
            .flat_map(|h| {
                h.value()
                    .split(',')
                    .map(|m| m.trim().to_string())
                    .collect::<Vec<_>>()
            })
            .filter(|m| !m.is_empty())
            .collect();
        OptionsAnswer {
            status_line: format!("SIP/2.0 {code} {reason}").trim_end().to_string(),
            code,
            software,
            allow,
            round_trip_ms: u64::try_from(round_trip.as_millis()).unwrap_or(u64::MAX),
        }
    }

    /// What the status means for the question "is a SIP server there?".
    fn meaning(&self) -> &'static str {
        match self.code {
            200..=299 => "",
            401 | 407 => " (it wants credentials: a SIP server all the same)",
            _ => " (a refusal, but from a SIP server)",
        }
    }
}

/// Every step of one probe, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProbeReport {
    /// The address probed, as given.
    pub server: String,
    /// A SIP server answered over the WebSocket (whatever its status code: a 401, 404 or 405 to an OPTIONS from
    /// nobody still proves one is there).
    pub found: bool,
    /// The steps, in the order they ran; after a failure the rest are skipped.
    pub steps: Vec<ProbeStep>,
    /// The answer to the OPTIONS, when one came.
    pub answer: Option<OptionsAnswer>,
}

const STEPS: [&str; 4] = ["tcp", "tls", "websocket", "sip"];

impl ProbeReport {
    pub(crate) fn new(server: &str) -> ProbeReport {
        ProbeReport {
            server: server.to_string(),
            found: false,
            steps: Vec::new(),
            answer: None,
        }
    }

    pub(crate) fn pass(&mut self, name: &'static str, detail: String) {
        self.steps.push(ProbeStep {
            name,
            status: StepStatus::Pass,
            detail,
        });
    }

    /// Records the failure of `name` and skips the steps after it.
    pub(crate) fn fail(&mut self, name: &'static str, detail: String) {
        self.steps.push(ProbeStep {
            name,
            status: StepStatus::Fail,
            detail,
        });
        let after = STEPS.iter().position(|s| *s == name).map_or(0, |i| i + 1);
        for skipped in &STEPS[after..] {
            self.steps.push(ProbeStep {
                name: skipped,
                status: StepStatus::Skip,
                detail: format!("skipped: {name} failed"),
            });
        }
    }

    pub(crate) fn answered(&mut self, answer: OptionsAnswer) {
        let software = match &answer.software {
            Some(s) => format!("; it says it is {s:?}"),
            None => "; it does not say what it is (no Server or User-Agent header)".into(),
        };
        let allow = if answer.allow.is_empty() {
            "; Allow: not listed".to_string()
        } else {
            format!("; Allow: {}", answer.allow.join(", "))
        };
        let detail = format!(
            "OPTIONS answered {} in {} ms{}{software}{allow}",
            answer.status_line,
            answer.round_trip_ms,
            answer.meaning()
        );
        self.pass("sip", detail);
        self.found = true;
        self.answer = Some(answer);
    }

    /// The step that failed, if one did.
    pub fn failure(&self) -> Option<&ProbeStep> {
        self.steps.iter().find(|s| s.status == StepStatus::Fail)
    }

    /// One line: what is at the address.
    pub fn summary(&self) -> String {
        match (&self.answer, self.failure()) {
            (Some(answer), _) => format!(
                "a SIP server answered ({}{})",
                answer.status_line,
                answer
                    .software
                    .as_ref()
                    .map(|s| format!(", {s}"))
                    .unwrap_or_default()
            ),
            (None, Some(failed)) => format!("no SIP server found: {}", failed.detail),
            (None, None) => "no SIP server found".into(),
        }
    }
}

impl fmt::Display for ProbeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.server, self.summary())?;
        for step in &self.steps {
            let mark = match step.status {
                StepStatus::Pass => "ok",
                StepStatus::Fail => "FAIL",
                StepStatus::Skip => "-",
            };
            write!(f, "\n  {mark:<4}  {:<9}  {}", step.name, step.detail)?;
        }
        Ok(())
    }
}

//! Fault injection: slow answers, HTTP 500s, dropped connections, `0` replies and HTML error pages, optionally
//! only for paths containing a given text. Counters count down per matching request; `fail_rate` fails a steady
//! share of them.

use serde::{Deserialize, Serialize};

/// Faults to inject. All zero (the default) means a healthy server.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Delay before every matching answer, in milliseconds.
    pub latency_ms: u64,
    /// The next N matching requests get HTTP 500.
    pub fail_next: u32,
    /// The next N matching requests have their connection closed without an answer.
    pub drop_next: u32,
    /// The next N matching requests get `0`.
    pub zero_next: u32,
    /// The next N matching requests get a 502 HTML error page, as a broken proxy would send.
    pub html_next: u32,
    /// The next N matching requests are carried out, then their connection is closed instead of the answer: the
    /// server acted but the client never hears so (a lost acknowledgement).
    pub lose_answer_next: u32,
    /// Share of matching requests (0.0 to 1.0) answered with HTTP 500 once the counters are used up. It is
    /// deterministic, not random: 0.25 fails exactly every fourth request, so tests can count on it.
    pub fail_rate: f64,
    /// Only requests whose path contains this text are affected.
    pub path_contains: Option<String>,
}

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Injected {
    None,
    Fail,
    Drop,
    Zero,
    Html,
    LoseAnswer,
}

/// The active faults and how far `fail_rate` has got.
#[derive(Debug, Default)]
pub(crate) struct FaultPlan {
    pub faults: Faults,
    /// Accumulated share of failures owed: each request adds `fail_rate`, each failure pays back 1.
    owed: f64,
}

impl FaultPlan {
    pub fn new(faults: Faults) -> Self {
        Self { faults, owed: 0.0 }
    }

    /// Replaces the faults and starts the rate over.
    pub fn set(&mut self, faults: Faults) {
        *self = Self::new(faults);
    }

    /// Decides the fault for a request to `path`, counts it down, and gives the latency to add.
    pub fn take(&mut self, path: &str) -> (Injected, u64) {
        let f = &mut self.faults;
        if let Some(filter) = &f.path_contains {
            if !path.contains(filter.as_str()) {
                return (Injected::None, 0);
            }
        }
        let injected = if take_one(&mut f.drop_next) {
            Injected::Drop
        } else if take_one(&mut f.fail_next) {
            Injected::Fail
        } else if take_one(&mut f.html_next) {
            Injected::Html
        } else if take_one(&mut f.zero_next) {
            Injected::Zero
        } else if take_one(&mut f.lose_answer_next) {
            Injected::LoseAnswer
        } else if f.fail_rate > 0.0 {
            self.owed += f.fail_rate.min(1.0);
            // The small tolerance keeps 0.1 × 10 from landing just under 1.0.
            if self.owed >= 1.0 - 1e-9 {
                self.owed -= 1.0;
                Injected::Fail
            } else {
                Injected::None
            }
        } else {
            Injected::None
        };
        (injected, self.faults.latency_ms)
    }
}

fn take_one(counter: &mut u32) -> bool {
    if *counter > 0 {
        *counter -= 1;
        true
    } else {
        false
    }
}

/// The page sent for `html_next`, as an nginx in front of a dead Tomcat would send it.
pub(crate) const HTML_ERROR_PAGE: &str =
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>\
     <p>The proxy server received an invalid response from an upstream server.</p></body></html>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_run_down_and_the_path_filter_applies() {
        let mut plan = FaultPlan::new(Faults {
            fail_next: 1,
            zero_next: 1,
            path_contains: Some("Disposition".into()),
            ..Default::default()
        });
        let call = "/Integra/resources/Agents/AgentCall";
        let dispose = "/Integra/resources/api/DispositionCall";
        assert_eq!(plan.take(call).0, Injected::None);
        assert_eq!(plan.take(dispose).0, Injected::Fail);
        assert_eq!(plan.take(dispose).0, Injected::Zero);
        assert_eq!(plan.take(dispose).0, Injected::None);
        plan.set(Faults {
            lose_answer_next: 1,
            ..Default::default()
        });
        assert_eq!(plan.take(dispose).0, Injected::LoseAnswer);
        assert_eq!(plan.take(dispose).0, Injected::None);
    }

    #[test]
    fn a_fail_rate_fails_that_exact_share() {
        let mut plan = FaultPlan::new(Faults {
            fail_rate: 0.1,
            ..Default::default()
        });
        let failed = (0..100)
            .filter(|_| plan.take("/x").0 == Injected::Fail)
            .count();
        assert_eq!(failed, 10);
    }
}

//! Fault injection: slow answers, 5xx, dropped connections, `0` replies and HTML error pages, optionally only for
//! paths containing a given text. Counters count down per matching request.

use serde::{Deserialize, Serialize};

/// Faults to inject. All zero (the default) means a healthy server.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
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
}

impl Faults {
    /// Decides the fault for a request to `path` and counts it down.
    pub(crate) fn take(&mut self, path: &str) -> (Injected, u64) {
        if let Some(filter) = &self.path_contains {
            if !path.contains(filter.as_str()) {
                return (Injected::None, 0);
            }
        }
        let injected = if take_one(&mut self.drop_next) {
            Injected::Drop
        } else if take_one(&mut self.fail_next) {
            Injected::Fail
        } else if take_one(&mut self.html_next) {
            Injected::Html
        } else if take_one(&mut self.zero_next) {
            Injected::Zero
        } else {
            Injected::None
        };
        (injected, self.latency_ms)
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

/// The HTML page sent for `html_next`.
pub(crate) const HTML_ERROR_PAGE: &str =
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>\
     <p>The proxy server received an invalid response from an upstream server.</p></body></html>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_run_down_and_the_path_filter_applies() {
        let mut faults = Faults {
            fail_next: 1,
            zero_next: 1,
            path_contains: Some("Disposition".into()),
            ..Default::default()
        };
        assert_eq!(
            faults.take("/Integra/resources/Agents/AgentCall").0,
            Injected::None
        );
        assert_eq!(
            faults.take("/Integra/resources/api/DispositionCall").0,
            Injected::Fail
        );
        assert_eq!(
            faults.take("/Integra/resources/api/DispositionCall").0,
            Injected::Zero
        );
        assert_eq!(
            faults.take("/Integra/resources/api/DispositionCall").0,
            Injected::None
        );
    }
}

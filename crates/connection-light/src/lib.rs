//! The connection light in the header and the tray: green (signed in and the server answers), amber (signing in,
//! retrying, items waiting), red (the server cannot be reached, or signed out) — always with words beside the
//! colour and the reason on hover. One pure function of what the session and the courier last saw, so the
//! header, the tray and the support report can never disagree.

use serde::Serialize;

use agent_error::ErrorCode;

/// The colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    /// Signed in, and the last request got an answer.
    Green,
    /// Working, but something is not through yet.
    Amber,
    /// Calls cannot be placed or filed right now.
    Red,
}

/// What the light says; `state` is the code the UI translates, `reason` the last problem in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectionView {
    /// Green, amber or red.
    pub light: Light,
    /// `connected`, `signing_in`, `waiting`, `refused`, `retrying`, `unreachable`, `signed_out`, `sign_in_lost`.
    pub state: &'static str,
    /// Items the server has not acknowledged yet.
    pub waiting: usize,
    /// Items the server refused, waiting for the agent.
    pub refused: usize,
    /// The last problem, when there is one.
    pub reason: Option<String>,
}

/// What the session and the courier last saw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionFacts {
    /// A session is live.
    pub signed_in: bool,
    /// The automatic sign-in (or a renewal) is under way.
    pub signing_in: bool,
    /// A 401 that signing in again could not cure.
    pub sign_in_lost: Option<String>,
    /// Items waiting for the server.
    pub waiting: usize,
    /// Items the server refused.
    pub refused: usize,
    /// The last request's failure (`None` after one that got an answer): its code and message.
    pub last_failure: Option<(ErrorCode, String)>,
}

impl ConnectionFacts {
    /// The light these facts give.
    pub fn view(&self) -> ConnectionView {
        let unreachable = self
            .last_failure
            .as_ref()
            .filter(|(code, _)| *code == ErrorCode::ServerUnreachable);
        let reason = self.last_failure.as_ref().map(|(_, m)| m.clone());
        let (light, state, reason) = if let Some(why) = &self.sign_in_lost {
            (Light::Red, "sign_in_lost", Some(why.clone()))
        } else if self.signing_in {
            (Light::Amber, "signing_in", reason)
        } else if !self.signed_in {
            (Light::Red, "signed_out", reason)
        } else if let Some((_, why)) = unreachable {
            (Light::Red, "unreachable", Some(why.clone()))
        } else if self.last_failure.is_some() {
            (Light::Amber, "retrying", reason)
        } else if self.refused > 0 {
            (Light::Amber, "refused", None)
        } else if self.waiting > 0 {
            (Light::Amber, "waiting", None)
        } else {
            (Light::Green, "connected", None)
        };
        ConnectionView {
            light,
            state,
            waiting: self.waiting,
            refused: self.refused,
            reason,
        }
    }
}

impl ConnectionView {
    /// The tray's tooltip line (English, like the tray menu).
    pub fn tooltip(&self) -> String {
        let words = match self.state {
            "connected" => "connected".to_string(),
            "signing_in" => "signing in…".to_string(),
            "waiting" => format!("{} waiting to be sent", self.waiting),
            "refused" => format!("{} refused by the server — open the list", self.refused),
            "retrying" => format!("retrying, {} waiting", self.waiting),
            "unreachable" => "server unreachable".to_string(),
            "signed_out" => "signed out".to_string(),
            _ => "sign-in lost — type your password".to_string(),
        };
        match &self.reason {
            Some(reason) => format!("{words} ({reason})"),
            None => words,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed_in() -> ConnectionFacts {
        ConnectionFacts {
            signed_in: true,
            ..Default::default()
        }
    }

    #[test]
    fn green_only_when_signed_in_answering_and_nothing_waits() {
        let v = signed_in().view();
        assert_eq!((v.light, v.state), (Light::Green, "connected"));
        assert_eq!(v.tooltip(), "connected");
    }

    #[test]
    fn waiting_or_refused_items_and_server_errors_are_amber() {
        let waiting = ConnectionFacts {
            waiting: 2,
            ..signed_in()
        };
        assert_eq!(
            (waiting.view().light, waiting.view().state),
            (Light::Amber, "waiting")
        );
        assert_eq!(waiting.view().tooltip(), "2 waiting to be sent");
        let refused = ConnectionFacts {
            refused: 1,
            waiting: 1,
            ..signed_in()
        };
        assert_eq!(refused.view().state, "refused");
        let retrying = ConnectionFacts {
            waiting: 1,
            last_failure: Some((ErrorCode::ServerError, "HTTP 502 from the server".into())),
            ..signed_in()
        };
        let v = retrying.view();
        assert_eq!((v.light, v.state), (Light::Amber, "retrying"));
        assert_eq!(
            v.tooltip(),
            "retrying, 1 waiting (HTTP 502 from the server)"
        );
    }

    #[test]
    fn unreachable_signed_out_and_sign_in_lost_are_red_with_the_reason() {
        let down = ConnectionFacts {
            last_failure: Some((ErrorCode::ServerUnreachable, "connection refused".into())),
            ..signed_in()
        };
        assert_eq!(
            (down.view().light, down.view().state),
            (Light::Red, "unreachable")
        );
        assert_eq!(down.view().reason.as_deref(), Some("connection refused"));
        assert_eq!(ConnectionFacts::default().view().state, "signed_out");
        let lost = ConnectionFacts {
            sign_in_lost: Some("the password no longer works".into()),
            ..signed_in()
        };
        assert_eq!(
            (lost.view().light, lost.view().state),
            (Light::Red, "sign_in_lost")
        );
    }

    #[test]
    fn signing_in_is_amber_even_before_the_session_exists() {
        let v = ConnectionFacts {
            signing_in: true,
            ..Default::default()
        }
        .view();
        assert_eq!((v.light, v.state), (Light::Amber, "signing_in"));
    }
}

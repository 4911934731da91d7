//! How one try of an item went, and the one reading of it that callers need.

use agent_error::{AgentError, Result};

/// The outcome of one try.
#[derive(Debug)]
pub enum Delivery {
    /// The server acknowledged it; it left the outbox.
    Delivered,
    /// The server refused it; it waits for the agent (edit, resend or discard).
    Rejected(AgentError),
    /// It did not get through (network, 5xx, session); it stays on disk and is retried by itself.
    Waiting(AgentError),
    /// An earlier item of the same call (`item`) has to go first; it was not sent.
    Behind {
        /// The item it waits for.
        item: i64,
    },
}

impl Delivery {
    /// True when the server acknowledged it.
    pub fn delivered(&self) -> bool {
        matches!(self, Delivery::Delivered)
    }

    /// What the agent is told: `Ok(true)` when the server acknowledged it, `Ok(false)` when it waits on this
    /// computer (it goes by itself later), and the server's refusal as the error (the item stays for the agent).
    pub fn acknowledged(self) -> Result<bool> {
        match self {
            Delivery::Delivered => Ok(true),
            Delivery::Rejected(err) => Err(err),
            Delivery::Waiting(_) | Delivery::Behind { .. } => Ok(false),
        }
    }

    /// Why it did not go, in words; `None` when it was delivered.
    pub fn problem(&self) -> Option<String> {
        match self {
            Delivery::Delivered => None,
            Delivery::Rejected(err) | Delivery::Waiting(err) => Some(err.to_string()),
            Delivery::Behind { item } => Some(format!("it waits for item {item} of the same call")),
        }
    }
}

/// A submitted item: its id in the outbox and how its first try went.
#[derive(Debug)]
pub struct Submitted {
    /// Outbox id.
    pub id: i64,
    /// The first try.
    pub delivery: Delivery,
}

#[cfg(test)]
mod tests {
    use super::*;
    use agent_error::ErrorCode;

    #[test]
    fn only_a_refusal_is_an_error_and_only_an_acknowledgement_is_true() {
        let err = || AgentError::new(ErrorCode::ServerRejected, "the server answered 0");
        assert!(Delivery::Delivered.acknowledged().unwrap());
        assert!(!Delivery::Waiting(err()).acknowledged().unwrap());
        assert!(!Delivery::Behind { item: 3 }.acknowledged().unwrap());
        let refused = Delivery::Rejected(err()).acknowledged().unwrap_err();
        assert_eq!(refused.code(), ErrorCode::ServerRejected);
        assert_eq!(Delivery::Delivered.problem(), None);
        assert_eq!(
            Delivery::Behind { item: 3 }.problem().as_deref(),
            Some("it waits for item 3 of the same call")
        );
    }
}

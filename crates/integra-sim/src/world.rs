//! The simulated server's state: sessions, calls, and everything the API has been asked to store.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use base64::Engine;
use serde::Serialize;
use serde_json::Value;

use crate::seed::Seed;

/// A call's progress. The Integra API reports none of this; it is here so tests and the demo can see it.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    /// AgentCall was accepted; the agent's phone rings.
    RingingAgent,
    /// The agent answered and the customer leg is up.
    Connected,
    /// Ended by HungupPhone or by the customer.
    HungUp,
}

/// A call placed through AgentCall.
#[derive(Debug, Clone, Serialize)]
pub struct Call {
    /// Call id returned to the client.
    pub guid: String,
    /// Agent user name.
    pub agent: String,
    /// Agent extension.
    pub phone: String,
    /// Customer number.
    pub destination: String,
    /// Campaign.
    pub campaign: String,
    /// Caller id used.
    pub callerid: String,
    /// Workflow data (AgentCallwithData).
    pub data: Option<String>,
    /// Current state.
    pub state: CallState,
    /// Who ended it: `agent` or `customer`.
    pub ended_by: Option<String>,
    #[serde(skip)]
    pub(crate) answered_at: Instant,
}

impl Call {
    /// Moves a ringing call to connected once the agent "answered" (after the configured delay).
    pub(crate) fn refresh(&mut self, now: Instant) {
        if self.state == CallState::RingingAgent && now >= self.answered_at {
            self.state = CallState::Connected;
        }
    }

    /// True until the call is hung up.
    pub fn is_live(&self) -> bool {
        self.state != CallState::HungUp
    }
}

/// An uploaded dialer base (only the first rows are kept: a base can have a million).
#[derive(Debug, Clone, Serialize)]
pub struct Base {
    /// File name given.
    pub filename: String,
    /// Campaign.
    pub campaign: String,
    /// Records in the file.
    pub rows: usize,
    /// User who uploaded.
    pub username: String,
    /// Timezone (uploadbasewithtimezone).
    pub timezone: Option<String>,
    /// Decoded size in bytes.
    pub bytes: usize,
    /// The first records, split on `;`.
    pub first_rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone)]
struct Session {
    user: String,
    expires: Instant,
    revoked: bool,
}

/// Everything the server holds.
#[derive(Debug)]
pub(crate) struct World {
    pub seed: Seed,
    pub token_ttl: Duration,
    pub answer_delay: Duration,
    sessions: HashMap<String, Session>,
    pub calls: Vec<Call>,
    pub dispositions: Vec<Value>,
    pub tags: Vec<Value>,
    pub spool: Vec<Value>,
    pub schedules: Vec<Value>,
    pub tasks: Vec<Value>,
    pub removed_contacts: Vec<Value>,
    pub blacklist: Vec<Value>,
    pub bases: Vec<Base>,
    pub workflows: Vec<Value>,
    pub agent_events: Vec<Value>,
    pub converted: HashSet<String>,
    pub logged_in: HashSet<String>,
    pub missing_endpoints: Vec<String>,
}

impl World {
    pub fn new(seed: Seed, token_ttl: Duration, answer_delay: Duration) -> Self {
        Self {
            seed,
            token_ttl,
            answer_delay,
            sessions: HashMap::new(),
            calls: Vec::new(),
            dispositions: Vec::new(),
            tags: Vec::new(),
            spool: Vec::new(),
            schedules: Vec::new(),
            tasks: Vec::new(),
            removed_contacts: Vec::new(),
            blacklist: Vec::new(),
            bases: Vec::new(),
            workflows: Vec::new(),
            agent_events: Vec::new(),
            converted: HashSet::new(),
            logged_in: HashSet::new(),
            missing_endpoints: Vec::new(),
        }
    }

    /// Issues a token shaped like uContact's: base64 of `user:uuid`.
    pub fn issue_token(&mut self, user: &str) -> String {
        let raw = format!("{user}:{}", uuid::Uuid::new_v4());
        let token = base64::engine::general_purpose::STANDARD.encode(raw);
        let session = Session {
            user: user.to_string(),
            expires: Instant::now() + self.token_ttl,
            revoked: false,
        };
        self.sessions.insert(token.clone(), session);
        token
    }

    /// The user of a live token from an `Authorization: Basic <token>` header.
    pub fn authorize(&self, header: Option<&str>) -> Option<String> {
        let token = header?.strip_prefix("Basic ")?.trim();
        let session = self.sessions.get(token)?;
        (!session.revoked && Instant::now() < session.expires).then(|| session.user.clone())
    }

    /// EndSession: revokes `token` if it belongs to `user`.
    pub fn end_session(&mut self, user: &str, token: &str) -> bool {
        match self.sessions.get_mut(token) {
            Some(s) if s.user == user && !s.revoked => {
                s.revoked = true;
                true
            }
            _ => false,
        }
    }

    /// Every token issued so far stops working.
    pub fn expire_all(&mut self) {
        self.sessions.values_mut().for_each(|s| s.revoked = true);
    }

    /// Brings call states up to date.
    pub fn refresh_calls(&mut self) {
        let now = Instant::now();
        self.calls.iter_mut().for_each(|c| c.refresh(now));
    }

    pub fn campaign_exists(&self, name: &str) -> bool {
        self.seed.campaigns.iter().any(|c| c.name == name)
    }

    /// The JSON the admin endpoint `/_sim/state` shows.
    pub fn snapshot(&mut self) -> Value {
        self.refresh_calls();
        serde_json::json!({
            "calls": self.calls,
            "dispositions": self.dispositions,
            "tags": self.tags,
            "spool": self.spool,
            "schedules": self.schedules,
            "tasks": self.tasks,
            "removed_contacts": self.removed_contacts,
            "blacklist": self.blacklist,
            "bases": self.bases,
            "workflows": self.workflows,
            "agent_events": self.agent_events,
            "converted": self.converted,
            "logged_in": self.logged_in,
        })
    }
}

/// True for `YYYY-MM-DD HH:MM:SS` with plausible values.
pub(crate) fn is_datetime(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return false;
    }
    let num = |r: std::ops::Range<usize>| text[r].parse::<u32>().ok();
    matches!(
        (
            num(0..4),
            num(5..7),
            num(8..10),
            num(11..13),
            num(14..16),
            num(17..19)
        ),
        (
            Some(_),
            Some(1..=12),
            Some(1..=31),
            Some(0..=23),
            Some(0..=59),
            Some(0..=59)
        )
    )
}

/// True for something a dialer could call: digits, optionally a leading `+`, dashes allowed, 3 to 20 digits.
pub(crate) fn is_phone(text: &str) -> bool {
    let rest = text.strip_prefix('+').unwrap_or(text);
    let digits = rest.bytes().filter(u8::is_ascii_digit).count();
    !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        && (3..=20).contains(&digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_and_phone_checks() {
        assert!(is_datetime("2025-10-11 15:00:00"));
        assert!(!is_datetime("2025-13-11 15:00:00"));
        assert!(!is_datetime("2025-10-11T15:00:00"));
        assert!(is_phone("099123456") && is_phone("+59899123456") && is_phone("12-345-678"));
        assert!(!is_phone("09912345a") && !is_phone("12") && !is_phone(""));
    }

    #[test]
    fn tokens_are_base64_user_uuid_and_can_be_revoked() {
        let mut world = World::new(Seed::default(), Duration::from_secs(60), Duration::ZERO);
        let token = world.issue_token("alice");
        let decoded = String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(&token)
                .unwrap(),
        )
        .unwrap();
        assert!(decoded.starts_with("alice:"));
        assert_eq!(
            world.authorize(Some(&format!("Basic {token}"))).as_deref(),
            Some("alice")
        );
        assert!(!world.end_session("bob", &token));
        assert!(world.end_session("alice", &token));
        assert_eq!(world.authorize(Some(&format!("Basic {token}"))), None);
    }
}

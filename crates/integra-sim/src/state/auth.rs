//! Sessions: tokens shaped like uContact's (`base64("<user>:<uuid v4>")`), valid until their time-to-live runs
//! out, EndSession revokes them, or a test expires them all.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::Engine;

/// The live tokens.
#[derive(Debug)]
pub(crate) struct Sessions {
    ttl: Duration,
    /// token → (user, expiry). Revoked and expired tokens are removed: an unknown token and a dead one both
    /// get 401, so nothing needs to remember them.
    live: HashMap<String, (String, Instant)>,
}

impl Sessions {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            live: HashMap::new(),
        }
    }

    /// Issues a new token for `user`.
    pub fn issue(&mut self, user: &str) -> String {
        let now = Instant::now();
        // Forget dead tokens here so a long benchmark that logs in repeatedly does not grow the map.
        self.live.retain(|_, (_, expires)| *expires > now);
        let raw = format!("{user}:{}", uuid::Uuid::new_v4());
        let token = base64::engine::general_purpose::STANDARD.encode(raw);
        self.live
            .insert(token.clone(), (user.to_string(), now + self.ttl));
        token
    }

    /// The user a live token belongs to.
    pub fn user_of(&self, token: &str) -> Option<&str> {
        match self.live.get(token) {
            Some((user, expires)) if Instant::now() < *expires => Some(user),
            _ => None,
        }
    }

    /// EndSession: revokes `token` if it is live and belongs to `user`.
    pub fn end(&mut self, user: &str, token: &str) -> bool {
        if self.user_of(token) == Some(user) {
            self.live.remove(token);
            true
        } else {
            false
        }
    }

    /// Every token issued so far stops working.
    pub fn expire_all(&mut self) {
        self.live.clear();
    }
}

/// The token of an `Authorization: Basic <token>` header value. The token is sent as is (it is already base64),
/// so it is not decoded; the scheme name is case-insensitive as in HTTP.
pub(crate) fn basic_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("basic") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_base64_of_user_and_uuid() {
        let mut sessions = Sessions::new(Duration::from_secs(60));
        let token = sessions.issue("alice");
        let raw = base64::engine::general_purpose::STANDARD
            .decode(&token)
            .unwrap();
        let raw = String::from_utf8(raw).unwrap();
        let (user, id) = raw.split_once(':').unwrap();
        assert_eq!(user, "alice");
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
        assert_eq!(sessions.user_of(&token), Some("alice"));
    }

    #[test]
    fn end_session_needs_the_owner_and_revokes_once() {
        let mut sessions = Sessions::new(Duration::from_secs(60));
        let token = sessions.issue("alice");
        assert!(!sessions.end("bob", &token));
        assert!(sessions.end("alice", &token));
        assert!(!sessions.end("alice", &token));
        assert_eq!(sessions.user_of(&token), None);
    }

    #[test]
    fn a_zero_ttl_token_is_dead_at_once() {
        let mut sessions = Sessions::new(Duration::ZERO);
        let token = sessions.issue("alice");
        assert_eq!(sessions.user_of(&token), None);
    }

    #[test]
    fn basic_scheme_is_required() {
        assert_eq!(basic_token("Basic abc="), Some("abc="));
        assert_eq!(basic_token("basic  abc= "), Some("abc="));
        assert_eq!(basic_token("Bearer abc="), None);
        assert_eq!(basic_token("Basic "), None);
        assert_eq!(basic_token("abc="), None);
    }
}

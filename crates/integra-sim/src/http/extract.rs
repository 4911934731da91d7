//! What handlers take from a request: the form fields ([`Fields`], decoded once by the journaling layer) and the
//! proof of a live token ([`Authorized`], or 401 `Unauthorized` as uContact answers).

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::state::auth::basic_token;
use crate::state::{lock, SimState};

/// Decoded form fields: the body's when it is `application/x-www-form-urlencoded` (with or without a charset),
/// then the query string's (one known client sends EndSession's fields there). Values are kept exactly as
/// decoded: a client that pads or mangles a value must see that in a failing test, not have it forgiven here.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fields(pub Arc<Vec<(String, String)>>);

impl Fields {
    /// Decodes a request's fields.
    pub fn decode(content_type: Option<&str>, body: &[u8], query: &str) -> Self {
        let mut fields: Vec<(String, String)> = if is_form(content_type) {
            form_urlencoded::parse(body).into_owned().collect()
        } else {
            Vec::new()
        };
        fields.extend(form_urlencoded::parse(query.as_bytes()).into_owned());
        Self(Arc::new(fields))
    }

    /// The first value of `name`; "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// True when `name` was sent, even empty.
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// True when every field in `names` is present and not blank.
    pub fn has_all(&self, names: &[&str]) -> bool {
        names.iter().all(|n| !self.get(n).trim().is_empty())
    }

    /// A field parsed as JSON (callspool, callschedule, call, black, filter…).
    pub fn json(&self, name: &str) -> Option<Value> {
        serde_json::from_str(self.get(name)).ok()
    }
}

/// True for `application/x-www-form-urlencoded`, whatever its parameters and letter case.
fn is_form(content_type: Option<&str>) -> bool {
    content_type
        .and_then(|ct| ct.split(';').next())
        .is_some_and(|mime| {
            mime.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

impl<S: Send + Sync> FromRequestParts<S> for Fields {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Fields>()
            .cloned()
            .unwrap_or_default())
    }
}

/// Proof that the request carries a live token in `Authorization: Basic <token>` (any user's: uContact checks
/// rights per user, the simulator does not).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Authorized;

/// The 401 answer: plain text `Unauthorized`.
pub(crate) fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::CONTENT_TYPE, "text/plain; charset=UTF-8")],
        "Unauthorized",
    )
        .into_response()
}

impl FromRequestParts<Arc<SimState>> for Authorized {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        sim: &Arc<SimState>,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(basic_token)
            .ok_or_else(unauthorized)?;
        match lock(&sim.sessions).user_of(token) {
            Some(_) => Ok(Authorized),
            None => Err(unauthorized()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_decode_exactly_with_or_without_charset() {
        let body = b"outqueue=Ventas-%3E&comment=a+b%26c&empty=";
        for ct in [
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=UTF-8",
            "Application/X-WWW-Form-Urlencoded;charset=utf-8",
        ] {
            let f = Fields::decode(Some(ct), body, "");
            assert_eq!(f.get("outqueue"), "Ventas->");
            assert_eq!(f.get("comment"), "a b&c");
            assert!(!f.has_all(&["empty"]));
        }
    }

    #[test]
    fn other_bodies_are_ignored_but_the_query_counts() {
        let f = Fields::decode(Some("application/json"), b"user=alice", "token=t%3D");
        assert_eq!(f.get("user"), "");
        assert_eq!(f.get("token"), "t=");
        assert_eq!(Fields::decode(None, b"user=alice", "").get("user"), "");
    }
}

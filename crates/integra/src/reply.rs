//! Reading uContact's answers: which HTTP statuses mean what, and what a success body must look like.
//!
//! The conventions (from the reference and the notes): 401 is an expired or missing token, 404 an endpoint this
//! server does not have, a body of `0` is a rejection whatever the status 200 says, `1` is success where the
//! reference documents `1`, and an HTML page is never an answer (proxies and Tomcat send those). Endpoint modules
//! pick the `expect_*` that matches what the reference says the endpoint returns.

use serde::de::DeserializeOwned;

use crate::error::{body_for, Error, Result};

/// What a body is expected to be when it comes with an error status.
const AN_API_ANSWER: &str = "an Integra answer";

/// A 2xx answer, not yet checked.
#[derive(Debug)]
pub(crate) struct Reply {
    pub endpoint: &'static str,
    pub status: u16,
    pub body: String,
}

/// Turns a non-2xx answer into the error it means.
pub(crate) fn status_error(
    endpoint: &'static str,
    status: u16,
    body: &str,
    location: Option<&str>,
) -> Error {
    match status {
        401 => Error::Unauthorized { endpoint },
        404 => Error::NotFound { endpoint },
        // A redirect is not followed: a POST would become a GET and lose its fields. Say where it points instead.
        300..=399 => Error::Status {
            endpoint,
            status,
            body: match location {
                Some(to) => format!("redirected to {to}; configure that address instead"),
                None => body_for(endpoint, body),
            },
        },
        _ if looks_like_html(body) => Error::UnexpectedBody {
            endpoint,
            status,
            body: body_for(endpoint, body),
            expected: AN_API_ANSWER,
        },
        _ => Error::Status {
            endpoint,
            status,
            body: body_for(endpoint, body),
        },
    }
}

/// An HTML page from a proxy or the application server, instead of an API answer.
pub(crate) fn looks_like_html(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('<')
}

impl Reply {
    /// The body without surrounding blanks or a byte-order mark.
    pub fn trimmed(&self) -> &str {
        self.body.trim_start_matches('\u{feff}').trim()
    }

    /// An `UnexpectedBody` error about this answer.
    pub fn unexpected(&self, expected: &'static str) -> Error {
        Error::UnexpectedBody {
            endpoint: self.endpoint,
            status: self.status,
            body: body_for(self.endpoint, &self.body),
            expected,
        }
    }

    /// `0`, bare or as a JSON string, is uContact's rejection on every endpoint.
    pub fn is_zero(&self) -> bool {
        matches!(self.trimmed(), "0" | "\"0\"")
    }

    fn reject_zero(&self) -> Result<()> {
        if self.is_zero() {
            return Err(Error::Rejected {
                endpoint: self.endpoint,
                body: self.trimmed().to_string(),
            });
        }
        Ok(())
    }

    /// For endpoints documented to answer `1`: accepts `1` (bare or quoted), `true` and `OK`; `0` is a rejection;
    /// anything else is unexpected.
    pub fn expect_one(self) -> Result<()> {
        self.reject_zero()?;
        match self.trimmed().to_ascii_lowercase().as_str() {
            "1" | "\"1\"" | "true" | "ok" | "\"ok\"" => Ok(()),
            _ => Err(self.unexpected("1")),
        }
    }

    /// For endpoints whose success body is undocumented (AgentLogoff, breaks, EndSession) or empty (TagRecord):
    /// anything but `0` or an HTML page counts as success.
    pub fn expect_ack(self) -> Result<()> {
        self.reject_zero()?;
        if looks_like_html(&self.body) {
            return Err(self.unexpected("an acknowledgement"));
        }
        Ok(())
    }

    /// For endpoints that answer one plain-text value (AgentCall's GUID, CallWorkflow's `OK`): one word, quotes
    /// allowed around it.
    pub fn expect_text(self, expected: &'static str) -> Result<String> {
        self.reject_zero()?;
        let text = self.trimmed();
        let text = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(text);
        if text.is_empty() || looks_like_html(text) || text.contains(char::is_whitespace) {
            return Err(self.unexpected(expected));
        }
        Ok(text.to_string())
    }

    /// For endpoints that answer JSON: decodes into `T`, keeping the body in the error when it does not fit.
    pub fn expect_json<T: DeserializeOwned>(self) -> Result<T> {
        self.reject_zero()?;
        let text = self.trimmed();
        if text.is_empty() || looks_like_html(text) {
            return Err(self.unexpected("JSON"));
        }
        serde_json::from_str(text).map_err(|source| Error::Decode {
            endpoint: self.endpoint,
            body: body_for(self.endpoint, &self.body),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(body: &str) -> Reply {
        Reply {
            endpoint: "x",
            status: 200,
            body: body.to_string(),
        }
    }

    #[test]
    fn zero_is_a_rejection_for_every_expectation() {
        for body in ["0", " 0\n", "\"0\"", "\u{feff}0"] {
            assert!(
                matches!(reply(body).expect_one(), Err(Error::Rejected { .. })),
                "{body:?}"
            );
            assert!(
                matches!(reply(body).expect_ack(), Err(Error::Rejected { .. })),
                "{body:?}"
            );
            assert!(
                matches!(
                    reply(body).expect_text("a GUID"),
                    Err(Error::Rejected { .. })
                ),
                "{body:?}"
            );
            assert!(
                matches!(
                    reply(body).expect_json::<serde_json::Value>(),
                    Err(Error::Rejected { .. })
                ),
                "{body:?}"
            );
        }
    }

    #[test]
    fn html_and_empty_bodies_are_unexpected_and_keep_the_body() {
        let err = reply("<html><body>Proxy Error</body></html>")
            .expect_json::<serde_json::Value>()
            .unwrap_err();
        match err {
            Error::UnexpectedBody {
                body,
                status,
                expected,
                ..
            } => {
                assert!(body.contains("Proxy Error"));
                assert_eq!((status, expected), (200, "JSON"));
            }
            other => panic!("expected UnexpectedBody, got {other:?}"),
        }
        assert!(matches!(
            reply("").expect_text("a GUID"),
            Err(Error::UnexpectedBody { .. })
        ));
        assert!(matches!(
            reply("  \n").expect_json::<Vec<u8>>(),
            Err(Error::UnexpectedBody { .. })
        ));
        assert!(matches!(
            reply("<h1>").expect_ack(),
            Err(Error::UnexpectedBody { .. })
        ));
        assert!(matches!(
            reply("2").expect_one(),
            Err(Error::UnexpectedBody { .. })
        ));
        assert!(matches!(
            reply("a b").expect_text("a GUID"),
            Err(Error::UnexpectedBody { .. })
        ));
    }

    #[test]
    fn success_shapes() {
        assert!(
            reply("").expect_ack().is_ok(),
            "TagRecord answers an empty body"
        );
        for one in ["1", "1\n", "\"1\"", "OK", "true"] {
            assert!(reply(one).expect_one().is_ok(), "{one:?}");
        }
        assert_eq!(
            reply(" \"7e4e-b04b\"\n").expect_text("a GUID").unwrap(),
            "7e4e-b04b"
        );
        assert_eq!(
            reply("\u{feff}[1,2]").expect_json::<Vec<u8>>().unwrap(),
            [1, 2]
        );
    }

    #[test]
    fn json_that_does_not_fit_is_a_decode_error_keeping_the_body() {
        let err = reply(r#"{"queue": 5}"#)
            .expect_json::<Vec<String>>()
            .unwrap_err();
        match err {
            Error::Decode { body, .. } => assert_eq!(body, r#"{"queue": 5}"#),
            other => panic!("expected Decode, got {other:?}"),
        }
    }

    #[test]
    fn error_statuses_map_to_their_meaning() {
        assert!(matches!(
            status_error("x", 401, "<html>401</html>", None),
            Error::Unauthorized { .. }
        ));
        assert!(matches!(
            status_error("x", 404, "<html>404</html>", None),
            Error::NotFound { .. }
        ));
        let html = status_error("x", 502, "<!DOCTYPE html><h1>Bad Gateway</h1>", None);
        assert!(
            matches!(&html, Error::UnexpectedBody { status: 502, body, .. } if body.contains("Bad Gateway")),
            "{html:?}"
        );
        let long = "x".repeat(2000);
        match status_error("x", 500, &long, None) {
            Error::Status { status, body, .. } => {
                assert_eq!(status, 500);
                assert_eq!(
                    body.chars().count(),
                    crate::error::BODY_LIMIT + 1,
                    "truncated"
                );
            }
            other => panic!("expected Status, got {other:?}"),
        }
        let moved = status_error("x", 301, "", Some("https://pbx.example/"));
        assert!(
            moved
                .to_string()
                .contains("redirected to https://pbx.example/"),
            "{moved}"
        );
    }
}

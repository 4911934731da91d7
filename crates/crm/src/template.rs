//! Screen-pop URL templates: `https://crm.example/customers?phone={number}&call={guid}`. A template is checked once,
//! when settings load, so a typo is an error that names it and not a broken tab at the next call; rendering then
//! cannot fail.
//!
//! Every value is percent-encoded with a strict set (all but RFC 3986's unreserved `A-Za-z0-9-._~`), so a value
//! can never add a query parameter, a fragment or a path separator. Placeholders may only stand after the host:
//! the template's author chooses where the URL goes, a caller's number or CTI field never does. Literal `{` and `}`
//! are not supported (a URL has no use for them). One thing encoding cannot prevent: a value that is exactly `.`
//! or `..` and fills a whole path segment is a dot segment (the URL standard reads `%2E` as `.` too), so it moves
//! within the CRM's path; it still never leaves the template's host.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use url::{Host, Url};

use crate::fields::{CallFields, Field, FieldNameError, KNOWN_FIELDS};

/// What a value keeps unencoded: RFC 3986's unreserved characters, nothing else.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Why a template was refused. Each message names the offending thing, in plain English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// Nothing but spaces.
    #[error("the URL template is empty")]
    Empty,
    /// `{phone}` and the like.
    #[error("unknown field {{{name}}}; known: {KNOWN_FIELDS}")]
    UnknownField {
        /// The name between the braces.
        name: String,
    },
    /// `{cti.}`, `{cti.a..b}`, `{cti.a b}`.
    #[error("bad CTI field {{{name}}}: after cti. come keys of letters, digits, _ or -, separated by dots")]
    BadCtiPath {
        /// The name between the braces.
        name: String,
    },
    /// A `{` without its `}`.
    #[error("the {{ at character {position} is never closed")]
    Unclosed {
        /// 1-based, in characters.
        position: usize,
    },
    /// A `}` without its `{`.
    #[error("the }} at character {position} closes nothing")]
    Unopened {
        /// 1-based, in characters.
        position: usize,
    },
    /// Not https (nor http on this machine).
    #[error("the scheme {scheme} is not allowed: use https (http only for 127.0.0.1, [::1] or localhost)")]
    Scheme {
        /// The scheme as written.
        scheme: String,
    },
    /// http to another machine: the customer's data would cross the network in clear.
    #[error("http is allowed only for 127.0.0.1, [::1] or localhost, not {host}: use https")]
    HttpNotLoopback {
        /// The host as the URL parser read it.
        host: String,
    },
    /// No scheme and host at the start.
    #[error("not an absolute URL: it must start with https:// and the CRM's host")]
    NotAbsolute,
    /// A placeholder in the scheme, the host, the port or the user part.
    #[error(
        "{{{field}}} is in the scheme or host: placeholders may only follow the host's /, ? or #, so a call's \
         value never chooses where the URL goes"
    )]
    PlaceholderInAuthority {
        /// The placeholder's field.
        field: String,
    },
    /// What the URL parser says of the template rendered with sample values.
    #[error("not a valid URL: {reason}")]
    Invalid {
        /// The parser's reason.
        reason: String,
    },
}

#[derive(Debug, Clone)]
enum Part {
    Literal(String),
    Value(Field),
}

/// A checked screen-pop URL template. Its `Display`, [`as_str`](Self::as_str) and serde form are the text as
/// written; deserializing checks it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UrlTemplate {
    text: String,
    parts: Vec<Part>,
}

impl UrlTemplate {
    /// Checks `text`: braces, field names, where the placeholders stand, the scheme and host, and that it renders
    /// to a valid URL.
    pub fn parse(text: &str) -> Result<Self, TemplateError> {
        if text.trim().is_empty() {
            return Err(TemplateError::Empty);
        }
        let template = UrlTemplate {
            text: text.to_string(),
            parts: split(text)?,
        };
        template.check_values_stay_after_the_host()?;
        template.check_head()?;
        let sample =
            Url::parse(&template.render_text(&CallFields::sample())).map_err(|e| match e {
                url::ParseError::RelativeUrlWithoutBase => TemplateError::NotAbsolute,
                e => TemplateError::Invalid {
                    reason: e.to_string(),
                },
            })?;
        check_destination(&sample)?;
        Ok(template)
    }

    /// The URL parser's own view of where the host ends (it skips extra slashes and takes `\` for `/` in http(s),
    /// which the literal check above cannot follow): the template rendered with every value empty, `a` and `b`
    /// must parse to the same scheme, user, host and port. An encoded value is unreserved characters and %XX,
    /// none of which the parser treats as a delimiter, so these three stand for every value.
    fn check_values_stay_after_the_host(&self) -> Result<(), TemplateError> {
        let destination = |u: &Url| {
            (
                u.scheme().to_string(),
                u.username().to_string(),
                u.password().map(str::to_string),
                u.host_str().map(str::to_string),
                u.port(),
            )
        };
        let seen: Vec<_> = ["", "a", "b"]
            .map(|filler| Url::parse(&self.render_values(|_| filler.to_string())).ok())
            .iter()
            .map(|url| url.as_ref().map(destination))
            .collect();
        // None of them parses: not a URL at all, which the sample's parse says in its own words.
        if seen.iter().all(Option::is_none) || seen.windows(2).all(|w| w[0] == w[1]) {
            return Ok(());
        }
        let field = self
            .fields()
            .next()
            .map(ToString::to_string)
            .unwrap_or_default();
        Err(TemplateError::PlaceholderInAuthority { field })
    }

    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The fields the template asks for, in order.
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.parts.iter().filter_map(|p| match p {
            Part::Value(field) => Some(field),
            Part::Literal(_) => None,
        })
    }

    /// The URL for `call`, every value percent-encoded.
    pub fn render(&self, call: &CallFields) -> Url {
        // Cannot fail: `parse` rendered the same literals with sample values, placeholders only stand after the
        // host, and an encoded value is unreserved characters and %XX, which parse in any path, query or fragment
        // (the URL standard's parser has no failure after the host).
        Url::parse(&self.render_text(call)).expect("a checked template renders a valid URL")
    }

    /// The Settings preview: the template rendered for [`CallFields::sample`].
    pub fn preview(&self) -> Url {
        self.render(&CallFields::sample())
    }

    fn render_text(&self, call: &CallFields) -> String {
        self.render_values(|field| call.value(field))
    }

    fn render_values(&self, value: impl Fn(&Field) -> String) -> String {
        let mut out = String::with_capacity(self.text.len() + 64);
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Value(field) => out.extend(utf8_percent_encode(&value(field), VALUE)),
            }
        }
        out
    }

    /// Refuses a placeholder before the end of the authority, and a scheme other than http(s), from the literal
    /// text alone: a value must never choose the scheme, host, port or user, because whoever controls a call's
    /// number or CTI record (a caller, a dialer base) would then choose where the agent's browser goes, and what it
    /// sends there.
    fn check_head(&self) -> Result<(), TemplateError> {
        let first_field = self.fields().next();
        let head = match self.parts.first() {
            Some(Part::Literal(text)) => text.trim_start(),
            _ => "",
        };
        let Some(scheme) = scheme_of(head) else {
            let literal_later = self
                .parts
                .iter()
                .skip(1)
                .any(|p| matches!(p, Part::Literal(t) if t.contains("://")));
            return Err(match first_field {
                Some(field) if literal_later => TemplateError::PlaceholderInAuthority {
                    field: field.to_string(),
                },
                _ => TemplateError::NotAbsolute,
            });
        };
        if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
            return Err(TemplateError::Scheme {
                scheme: scheme.to_string(),
            });
        }
        let Some(authority) = head[scheme.len() + 1..].strip_prefix("//") else {
            return Err(TemplateError::NotAbsolute);
        };
        match first_field {
            // The URL parser ends the authority at `/`, `?`, `#`, and `\` for http(s).
            Some(field) if !authority.contains(['/', '?', '#', '\\']) => {
                Err(TemplateError::PlaceholderInAuthority {
                    field: field.to_string(),
                })
            }
            _ => Ok(()),
        }
    }
}

/// `https` in `https://…`: the scheme at the start of `text`, if it has one.
fn scheme_of(text: &str) -> Option<&str> {
    let end = text.find(':')?;
    let scheme = &text[..end];
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    (first_ok && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .then_some(scheme)
}

/// https anywhere; http only to this machine.
fn check_destination(url: &Url) -> Result<(), TemplateError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" => match url.host() {
            Some(Host::Domain("localhost")) => Ok(()),
            Some(Host::Ipv4(ip)) if ip == std::net::Ipv4Addr::LOCALHOST => Ok(()),
            Some(Host::Ipv6(ip)) if ip == std::net::Ipv6Addr::LOCALHOST => Ok(()),
            host => Err(TemplateError::HttpNotLoopback {
                host: host.map(|h| h.to_string()).unwrap_or_default(),
            }),
        },
        scheme => Err(TemplateError::Scheme {
            scheme: scheme.to_string(),
        }),
    }
}

/// The template's literal text and placeholders; positions in errors are 1-based characters.
fn split(text: &str) -> Result<Vec<Part>, TemplateError> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut open: Option<(usize, String)> = None;
    for (index, c) in text.chars().enumerate() {
        let position = index + 1;
        match (&mut open, c) {
            (None, '{') => open = Some((position, String::new())),
            (None, '}') => return Err(TemplateError::Unopened { position }),
            (None, c) => literal.push(c),
            (Some((start, _)), '{') => return Err(TemplateError::Unclosed { position: *start }),
            (Some((_, name)), '}') => {
                let field = Field::parse(name).map_err(|e| match e {
                    FieldNameError::Unknown => TemplateError::UnknownField { name: name.clone() },
                    FieldNameError::BadCtiPath => TemplateError::BadCtiPath { name: name.clone() },
                })?;
                if !literal.is_empty() {
                    parts.push(Part::Literal(std::mem::take(&mut literal)));
                }
                parts.push(Part::Value(field));
                open = None;
            }
            (Some((_, name)), c) => name.push(c),
        }
    }
    if let Some((position, _)) = open {
        return Err(TemplateError::Unclosed { position });
    }
    if !literal.is_empty() {
        parts.push(Part::Literal(literal));
    }
    Ok(parts)
}

impl fmt::Display for UrlTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq for UrlTemplate {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for UrlTemplate {}

impl TryFrom<String> for UrlTemplate {
    type Error = TemplateError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        UrlTemplate::parse(&text)
    }
}

impl From<UrlTemplate> for String {
    fn from(template: UrlTemplate) -> Self {
        template.text
    }
}

impl std::str::FromStr for UrlTemplate {
    type Err = TemplateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        UrlTemplate::parse(text)
    }
}

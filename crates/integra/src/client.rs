//! The client: configuration, the session token, and the one place that posts a form and reads the answer.
//!
//! uContact's conventions are applied here and nowhere else: every call is a POST with
//! `application/x-www-form-urlencoded; charset=UTF-8`, the token goes as `Authorization: Basic <token>` exactly as
//! the server issued it (it is already base64), a body of `0` means "rejected", 401 means the token is no longer
//! valid. Endpoint modules only say which fields to send and what shape of answer they expect.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use url::Url;

use crate::error::{clip, Error, Result};
use crate::form::Form;
use crate::secret::Token;

/// The content type uContact documents for every endpoint, charset included.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=UTF-8";

/// Path below the server root where the Integra endpoints live.
const API_PREFIX: &str = "Integra/resources/";

/// A cheap-to-clone handle to one uContact server. Clones share the HTTP connection pool and the session token.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    root: Url,
    api: Url,
    recordings_hosts: Vec<Url>,
    upload_timeout: Duration,
    token: RwLock<Option<Token>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("root", &self.inner.root.as_str())
            .field("signed_in", &self.token().is_some())
            .finish()
    }
}

/// Builds a [`Client`]; see [`Client::builder`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    root: String,
    timeout: Duration,
    connect_timeout: Duration,
    upload_timeout: Duration,
    extra_roots: Vec<Vec<u8>>,
    recordings_hosts: Vec<String>,
}

impl ClientBuilder {
    /// Whole-request timeout for ordinary calls (default 15 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to open the connection (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Timeout for dialer base uploads, which send megabytes (default 10 min).
    pub fn upload_timeout(mut self, timeout: Duration) -> Self {
        self.upload_timeout = timeout;
        self
    }

    /// Trusts one more certificate authority (PEM), for on-premise servers with a private CA. Certificates are always
    /// verified: there is deliberately no way to accept invalid ones.
    pub fn extra_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.extra_roots.push(pem.into());
        self
    }

    /// Roots where recordings are served (the telephony host, then the backup host). Default: the server root.
    pub fn recordings_hosts(mut self, hosts: Vec<String>) -> Self {
        self.recordings_hosts = hosts;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client> {
        let root = parse_root(&self.root, "server URL")?;
        let api = root.join(API_PREFIX).expect("constant relative path joins");
        let recordings_hosts = if self.recordings_hosts.is_empty() {
            vec![root.clone()]
        } else {
            self.recordings_hosts
                .iter()
                .map(|h| parse_root(h, "recordings host"))
                .collect::<Result<_>>()?
        };
        let mut http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(concat!(
                "ucontact-agent-companion/",
                env!("CARGO_PKG_VERSION")
            ))
            .https_only(false);
        for pem in &self.extra_roots {
            let cert = reqwest::Certificate::from_pem(pem)
                .map_err(|e| Error::invalid("CA certificate", e.to_string()))?;
            http = http.add_root_certificate(cert);
        }
        let http = http
            .build()
            .map_err(|e| Error::invalid("HTTP client", e.to_string()))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                root,
                api,
                recordings_hosts,
                upload_timeout: self.upload_timeout,
                token: RwLock::new(None),
            }),
        })
    }
}

fn parse_root(raw: &str, what: &'static str) -> Result<Url> {
    let trimmed = raw.trim();
    let mut url = Url::parse(trimmed)
        .map_err(|e| Error::invalid(what, format!("{trimmed:?} is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::invalid(
            what,
            format!("{trimmed:?} must start with https:// or http://"),
        ));
    }
    if url.host_str().is_none() {
        return Err(Error::invalid(what, format!("{trimmed:?} has no host")));
    }
    // Accept "https://host", "https://host/" and "https://host/Integra/resources" alike.
    let path = url.path().trim_end_matches('/').to_string();
    let path = path
        .strip_suffix("/Integra/resources")
        .unwrap_or(&path)
        .to_string();
    url.set_path(&format!("{path}/"));
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// Whether a request carries the session token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Auth {
    /// Login endpoints: no Authorization header.
    None,
    /// Everything else: `Authorization: Basic <token>`.
    Token,
}

/// A successful (2xx) HTTP answer.
#[derive(Debug)]
pub(crate) struct Reply {
    pub endpoint: &'static str,
    pub status: u16,
    pub body: String,
}

impl Client {
    /// Starts configuring a client for the server at `root` (for example `https://acme.ucontactcloud.com`).
    pub fn builder(root: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            root: root.into(),
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            upload_timeout: Duration::from_secs(600),
            extra_roots: Vec::new(),
            recordings_hosts: Vec::new(),
        }
    }

    /// Replaces (or clears) the session token used by every clone of this client.
    pub fn set_token(&self, token: Option<Token>) {
        *self.inner.token.write().unwrap_or_else(|p| p.into_inner()) = token;
    }

    /// The current session token, if signed in.
    pub fn token(&self) -> Option<Token> {
        self.inner
            .token
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The server root, always ending in `/`.
    pub fn base_url(&self) -> &Url {
        &self.inner.root
    }

    pub(crate) fn recordings_hosts(&self) -> &[Url] {
        &self.inner.recordings_hosts
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    fn endpoint_url(&self, endpoint: &str) -> Url {
        self.inner
            .api
            .join(endpoint)
            .expect("endpoint paths are relative constants")
    }

    fn authorize(&self, request: reqwest::RequestBuilder, auth: Auth) -> reqwest::RequestBuilder {
        match (auth, self.token()) {
            (Auth::Token, Some(token)) => {
                let mut value = HeaderValue::from_str(&format!("Basic {}", token.expose()))
                    .unwrap_or_else(|_| HeaderValue::from_static("Basic invalid-token"));
                value.set_sensitive(true);
                request.header(AUTHORIZATION, value)
            }
            // Without a token the server answers 401, which is exactly the error the caller should see.
            _ => request,
        }
    }

    /// Posts a form and returns the 2xx answer, or the error its status means.
    pub(crate) async fn post_form(
        &self,
        endpoint: &'static str,
        form: Form,
        auth: Auth,
    ) -> Result<Reply> {
        let request = self
            .http()
            .post(self.endpoint_url(endpoint))
            .header(CONTENT_TYPE, FORM_CONTENT_TYPE)
            .body(form.finish());
        self.send(endpoint, self.authorize(request, auth)).await
    }

    /// Posts a streamed form body (dialer bases), with the longer upload timeout.
    pub(crate) async fn post_stream(
        &self,
        endpoint: &'static str,
        body: reqwest::Body,
    ) -> Result<Reply> {
        let request = self
            .http()
            .post(self.endpoint_url(endpoint))
            .header(CONTENT_TYPE, FORM_CONTENT_TYPE)
            .timeout(self.inner.upload_timeout)
            .body(body);
        self.send(endpoint, self.authorize(request, Auth::Token))
            .await
    }

    async fn send(
        &self,
        endpoint: &'static str,
        request: reqwest::RequestBuilder,
    ) -> Result<Reply> {
        tracing::debug!(endpoint, "POST");
        let response = request
            .send()
            .await
            .map_err(|e| Error::from_reqwest(endpoint, e))?;
        let status = response.status().as_u16();
        let body = response
            .text()
            .await
            .map_err(|e| Error::from_reqwest(endpoint, e))?;
        tracing::debug!(endpoint, status, bytes = body.len(), "reply");
        match status {
            200..=299 => Ok(Reply {
                endpoint,
                status,
                body,
            }),
            401 => Err(Error::Unauthorized { endpoint }),
            404 => Err(Error::NotFound { endpoint }),
            _ => Err(Error::Status {
                endpoint,
                status,
                body: clip(&body),
            }),
        }
    }
}

impl Reply {
    fn trimmed(&self) -> &str {
        self.body.trim().trim_start_matches('\u{feff}')
    }

    fn unexpected(&self, expected: &'static str) -> Error {
        Error::UnexpectedBody {
            endpoint: self.endpoint,
            status: self.status,
            body: clip(&self.body),
            expected,
        }
    }

    fn reject_zero(&self) -> Result<()> {
        match self.trimmed() {
            "0" | "\"0\"" => Err(Error::Rejected {
                endpoint: self.endpoint,
                body: self.trimmed().to_string(),
            }),
            _ => Ok(()),
        }
    }

    /// For endpoints documented to answer `1`: accepts `1`, `OK` or `true`; `0` is a rejection.
    pub fn expect_one(self) -> Result<()> {
        self.reject_zero()?;
        match self.trimmed().to_ascii_lowercase().as_str() {
            "1" | "\"1\"" | "ok" | "true" => Ok(()),
            _ => Err(self.unexpected("1")),
        }
    }

    /// For endpoints whose success body is undocumented (AgentLogoff, breaks) or empty (TagRecord): anything but
    /// `0` or an HTML page counts as success.
    pub fn expect_ack(self) -> Result<()> {
        self.reject_zero()?;
        if looks_like_html(self.trimmed()) {
            return Err(self.unexpected("an acknowledgement"));
        }
        Ok(())
    }

    /// For endpoints that answer one plain-text value (AgentCall's GUID, CallWorkflow's `OK`).
    pub fn expect_text(self, expected: &'static str) -> Result<String> {
        self.reject_zero()?;
        let text = self.trimmed().trim_matches('"');
        if text.is_empty() || looks_like_html(text) || text.contains(char::is_whitespace) {
            return Err(self.unexpected(expected));
        }
        Ok(text.to_string())
    }

    /// For endpoints that answer JSON.
    pub fn expect_json<T: serde::de::DeserializeOwned>(self) -> Result<T> {
        self.reject_zero()?;
        let text = self.trimmed();
        if text.is_empty() || looks_like_html(text) {
            return Err(self.unexpected("JSON"));
        }
        serde_json::from_str(text).map_err(|source| Error::Decode {
            endpoint: self.endpoint,
            body: clip(&self.body),
            source,
        })
    }

    /// The raw body, after the `0` check (for parsers that accept several shapes).
    pub fn expect_body(self) -> Result<(String, &'static str)> {
        self.reject_zero()?;
        Ok((self.body, self.endpoint))
    }
}

/// An HTML error page from a proxy or the application server, instead of an API answer.
pub(crate) fn looks_like_html(text: &str) -> bool {
    let start = text.trim_start();
    start.starts_with('<')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_root_is_normalized_whatever_the_agent_types() {
        for raw in [
            "https://acme.example",
            "https://acme.example/",
            " https://acme.example/Integra/resources/ ",
        ] {
            let client = Client::builder(raw).build().unwrap();
            assert_eq!(
                client.base_url().as_str(),
                "https://acme.example/",
                "from {raw:?}"
            );
            assert_eq!(
                client.endpoint_url("Agents/AgentCall").as_str(),
                "https://acme.example/Integra/resources/Agents/AgentCall"
            );
        }
        let nested = Client::builder("http://10.0.0.5:8080/pbx").build().unwrap();
        assert_eq!(
            nested.endpoint_url("api/DispositionCall").as_str(),
            "http://10.0.0.5:8080/pbx/Integra/resources/api/DispositionCall"
        );
    }

    #[test]
    fn bad_server_urls_are_refused_with_a_reason() {
        let err = Client::builder("acme.example").build().unwrap_err();
        assert!(err.to_string().contains("not a URL"), "{err}");
        let err = Client::builder("ftp://acme.example").build().unwrap_err();
        assert!(err.to_string().contains("https://"), "{err}");
    }

    fn reply(body: &str) -> Reply {
        Reply {
            endpoint: "x",
            status: 200,
            body: body.to_string(),
        }
    }

    #[test]
    fn zero_is_a_rejection_for_every_expectation() {
        assert!(matches!(
            reply("0").expect_one(),
            Err(Error::Rejected { .. })
        ));
        assert!(matches!(
            reply(" 0\n").expect_ack(),
            Err(Error::Rejected { .. })
        ));
        assert!(matches!(
            reply("\"0\"").expect_text("a GUID"),
            Err(Error::Rejected { .. })
        ));
        assert!(matches!(
            reply("0").expect_json::<serde_json::Value>(),
            Err(Error::Rejected { .. })
        ));
    }

    #[test]
    fn html_and_empty_bodies_are_unexpected_and_keep_the_body() {
        let err = reply("<html><body>Proxy Error</body></html>")
            .expect_json::<serde_json::Value>()
            .unwrap_err();
        match err {
            Error::UnexpectedBody { body, status, .. } => {
                assert!(body.contains("Proxy Error"));
                assert_eq!(status, 200);
            }
            other => panic!("expected UnexpectedBody, got {other:?}"),
        }
        assert!(matches!(
            reply("").expect_text("a GUID"),
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
        assert!(
            reply("").expect_ack().is_ok(),
            "TagRecord answers an empty body"
        );
        assert!(reply("1\n").expect_one().is_ok());
    }
}

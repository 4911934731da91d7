//! The client: configuration, the session token, and the one place that posts a form.
//!
//! uContact's wire conventions are applied here and nowhere else: every call is a POST with
//! `application/x-www-form-urlencoded; charset=UTF-8`, and the token goes as `Authorization: Basic <token>` exactly
//! as the server issued it (it is already base64). What the answer means is decided in `reply`; endpoint modules
//! only say which fields to send and what shape of answer they expect.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, LOCATION};
use url::Url;

use crate::error::{Error, Result};
use crate::form::Form;
use crate::reply::{status_error, Reply};
use crate::secret::Token;

/// The content type uContact documents for every endpoint, charset included.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=UTF-8";

/// Path below the server root where the Integra endpoints live.
const API_PREFIX: &str = "Integra/resources/";

/// The login endpoints: they take credentials, never a token.
const LOGIN_ENDPOINTS: [&str; 3] = ["auth/AgentLogin", "auth/getUserToken", "auth/UserLogin"];

/// A cheap-to-clone handle to one uContact server. Clones share the HTTP connection pool and the session token.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// Shared by every clone, so a renewed token is seen by all of them at once.
    token: Arc<RwLock<Option<Token>>>,
}

struct Inner {
    http: reqwest::Client,
    root: Url,
    api: Url,
    recordings_hosts: Vec<Url>,
    upload_timeout: Duration,
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
#[derive(Clone)]
pub struct ClientBuilder {
    root: String,
    timeout: Duration,
    connect_timeout: Duration,
    upload_timeout: Duration,
    extra_roots: Vec<Vec<u8>>,
    recordings_hosts: Vec<String>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("root", &self.root)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("upload_timeout", &self.upload_timeout)
            .field("extra_roots", &self.extra_roots.len())
            .field("recordings_hosts", &self.recordings_hosts)
            .finish()
    }
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

    /// Whole-request timeout for dialer base uploads and recording downloads, which move megabytes (default 10 min).
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

    /// Roots where recordings are served: the telephony host, then the backup host (`Url`s or strings). Default: the
    /// server root.
    pub fn recordings_hosts<I>(mut self, hosts: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.recordings_hosts = hosts.into_iter().map(|h| h.as_ref().to_string()).collect();
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client> {
        let root = parse_root(&self.root, "server URL")?;
        let api = root
            .join(API_PREFIX)
            .map_err(|e| Error::invalid("server URL", e.to_string()))?;
        let recordings_hosts = if self.recordings_hosts.is_empty() {
            vec![root.clone()]
        } else {
            self.recordings_hosts
                .iter()
                .map(|h| parse_root(h, "recordings host"))
                .collect::<Result<_>>()?
        };
        for (name, value) in [
            ("timeout", self.timeout),
            ("connect timeout", self.connect_timeout),
            ("upload timeout", self.upload_timeout),
        ] {
            if value.is_zero() {
                return Err(Error::invalid(
                    "timeout",
                    format!("the {name} must be longer than zero"),
                ));
            }
        }
        let mut http = reqwest::Client::builder()
            .use_rustls_tls()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            // A redirected POST turns into a GET without its fields: refuse it and say where it pointed instead.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!(
                "ucontact-agent-companion/",
                env!("CARGO_PKG_VERSION")
            ));
        for pem in &self.extra_roots {
            let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
                Error::invalid("CA certificate", format!("not a PEM certificate ({e})"))
            })?;
            if certs.is_empty() {
                return Err(Error::invalid(
                    "CA certificate",
                    "no PEM certificate found in it",
                ));
            }
            for cert in certs {
                http = http.add_root_certificate(cert);
            }
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
            }),
            token: Arc::new(RwLock::new(None)),
        })
    }
}

/// Accepts `https://host`, `https://host/`, `https://host/prefix` and `https://host/Integra/resources` alike, and
/// returns the root ending in `/`.
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
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::invalid(what, format!("{trimmed:?} has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // A password in the URL would end up in logs and error messages.
        return Err(Error::invalid(
            what,
            "must not contain a user name or password",
        ));
    }
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

/// Which token, if any, a request carries.
#[derive(Clone, Copy)]
pub(crate) enum Auth<'a> {
    /// The client's current session token (none if signed out: the server then answers 401, which is exactly the
    /// error the caller should see).
    Session,
    /// Login endpoints: no Authorization header.
    Nothing,
    /// A given token (EndSession of a token that may not be the client's).
    Given(&'a Token),
}

impl Client {
    /// Starts configuring a client for the server at `root` (for example `https://acme.ucontactcloud.com`); the
    /// endpoints are under `<root>/Integra/resources/`.
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

    /// Replaces (or clears) the session token used by this client and every clone of it.
    pub fn set_token(&self, token: Option<Token>) {
        *self.token.write().unwrap_or_else(|p| p.into_inner()) = token;
    }

    /// The current session token, if signed in.
    pub fn token(&self) -> Option<Token> {
        self.token.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The server root, always ending in `/`.
    pub fn base_url(&self) -> &Url {
        &self.inner.root
    }

    pub(crate) fn recordings_hosts(&self) -> &[Url] {
        &self.inner.recordings_hosts
    }

    /// Timeout for transfers of files (uploads and recordings), longer than for ordinary calls.
    pub(crate) fn transfer_timeout(&self) -> Duration {
        self.inner.upload_timeout
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    pub(crate) fn endpoint_url(&self, endpoint: &str) -> Url {
        // Endpoint names are constants of this crate made of letters and `/`; joining them cannot fail.
        self.inner
            .api
            .join(endpoint)
            .unwrap_or_else(|_| self.inner.api.clone())
    }

    /// Posts `form` to `endpoint` (below `Integra/resources/`) with the session token, or without any token for the
    /// login endpoints, and returns the 2xx answer or the error its status means.
    pub(crate) async fn post_form(&self, endpoint: &'static str, form: Form) -> Result<Reply> {
        let auth = if LOGIN_ENDPOINTS.contains(&endpoint) {
            Auth::Nothing
        } else {
            Auth::Session
        };
        self.post_form_with(endpoint, form, auth).await
    }

    /// [`Client::post_form`] with an explicit choice of token.
    pub(crate) async fn post_form_with(
        &self,
        endpoint: &'static str,
        form: Form,
        auth: Auth<'_>,
    ) -> Result<Reply> {
        let request = self.request(endpoint, auth).body(form.finish());
        self.send(endpoint, request).await
    }

    /// Posts a streamed form body (dialer bases), with the session token and the longer upload timeout.
    pub(crate) async fn post_stream(
        &self,
        endpoint: &'static str,
        body: reqwest::Body,
    ) -> Result<Reply> {
        let request = self
            .request(endpoint, Auth::Session)
            .timeout(self.transfer_timeout())
            .body(body);
        self.send(endpoint, request).await
    }

    fn request(&self, endpoint: &'static str, auth: Auth<'_>) -> reqwest::RequestBuilder {
        let request = self
            .http()
            .post(self.endpoint_url(endpoint))
            .header(CONTENT_TYPE, FORM_CONTENT_TYPE);
        let token = match auth {
            Auth::Nothing => None,
            Auth::Session => self.token(),
            Auth::Given(token) => Some(token.clone()),
        };
        match token.and_then(|t| basic_header(&t)) {
            Some(value) => request.header(AUTHORIZATION, value),
            None => request,
        }
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
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|l| l.to_str().ok())
            .map(str::to_string);
        let body = response
            .text()
            .await
            .map_err(|e| Error::from_reqwest(endpoint, e))?;
        tracing::debug!(endpoint, status, bytes = body.len(), "answer");
        if (200..300).contains(&status) {
            Ok(Reply {
                endpoint,
                status,
                body,
            })
        } else {
            Err(status_error(endpoint, status, &body, location.as_deref()))
        }
    }
}

/// `Basic <token>`, marked sensitive so no HTTP-level debug output shows it. A token that cannot be a header value
/// (a control character) is not sent at all; the server's 401 then says what the caller needs to know.
fn basic_header(token: &Token) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(&format!("Basic {}", token.expose())).ok()?;
    value.set_sensitive(true);
    Some(value)
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
    fn bad_configuration_is_refused_with_a_reason() {
        let err = Client::builder("acme.example").build().unwrap_err();
        assert!(err.to_string().contains("not a URL"), "{err}");
        let err = Client::builder("ftp://acme.example").build().unwrap_err();
        assert!(err.to_string().contains("https://"), "{err}");
        let err = Client::builder("https://admin:pw@acme.example")
            .build()
            .unwrap_err();
        assert!(!err.to_string().contains("pw@"), "{err}");
        let err = Client::builder("https://acme.example")
            .timeout(Duration::ZERO)
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("longer than zero"), "{err}");
        let err = Client::builder("https://acme.example")
            .extra_root_certificate_pem(b"not a certificate".to_vec())
            .build()
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidInput {
                    field: "CA certificate",
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn clones_share_the_token_and_debug_hides_it() {
        let client = Client::builder("https://acme.example").build().unwrap();
        let clone = client.clone();
        client.set_token(Some(Token::new("YWxpY2U6OWQ0")));
        assert_eq!(clone.token().unwrap().expose(), "YWxpY2U6OWQ0");
        let debug = format!("{clone:?}");
        assert!(
            debug.contains("signed_in: true") && !debug.contains("YWxpY2U6OWQ0"),
            "{debug}"
        );
        clone.set_token(None);
        assert!(client.token().is_none());
    }

    #[test]
    fn recordings_hosts_take_urls_or_strings() {
        let backup = Url::parse("https://backup.example").unwrap();
        let client = Client::builder("https://pbx.example")
            .recordings_hosts(vec![Url::parse("https://pbx.example").unwrap(), backup])
            .build()
            .unwrap();
        assert_eq!(
            client.recordings_hosts()[1].as_str(),
            "https://backup.example/"
        );
        let client = Client::builder("https://pbx.example")
            .recordings_hosts(["https://rec.example/store"])
            .build()
            .unwrap();
        assert_eq!(
            client.recordings_hosts()[0].as_str(),
            "https://rec.example/store/"
        );
    }
}

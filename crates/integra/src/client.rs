//! The client: configuration, the session token, and the one place that posts a form.
//!
//! uContact's wire conventions are applied here and nowhere else: every call is a POST with
//! `application/x-www-form-urlencoded; charset=UTF-8`, and the token goes as `Authorization: Basic <token>` exactly
//! as the server issued it (it is already base64). What the answer means is decided in `reply`; endpoint modules
//! only say which fields to send and what shape of answer they expect.

use std::sync::Arc;

use parking_lot::RwLock;
use std::time::Duration;

use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use url::Url;

use crate::error::{Error, Result};
use crate::form::Form;
use crate::proxy::{ProxyInUse, ProxyProblem, Routing};
use crate::reply::{status_error, Reply};
use crate::secret::Token;

mod builder;

pub use builder::ClientBuilder;

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
    network: Network,
}

/// How the client reaches the server, kept to explain failures.
#[derive(Debug)]
pub(crate) struct Network {
    /// Which proxy a URL goes through.
    pub routing: Routing,
    /// How many extra CA certificates the client trusts.
    pub extra_roots: usize,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("root", &self.inner.root.as_str())
            .field("signed_in", &self.token().is_some())
            .finish()
    }
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
        ClientBuilder::new(root.into())
    }

    /// A signed-out client from checked parts (see [`ClientBuilder::build`]).
    fn assemble(
        http: reqwest::Client,
        root: Url,
        recordings_hosts: Vec<Url>,
        upload_timeout: Duration,
        network: Network,
    ) -> Result<Self> {
        let api = root
            .join(API_PREFIX)
            .map_err(|e| Error::invalid("server URL", e.to_string()))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                root,
                api,
                recordings_hosts,
                upload_timeout,
                network,
            }),
            token: Arc::new(RwLock::new(None)),
        })
    }

    /// Replaces (or clears) the session token used by this client and every clone of it.
    pub fn set_token(&self, token: Option<Token>) {
        *self.token.write() = token;
    }

    /// The current session token, if signed in.
    pub fn token(&self) -> Option<Token> {
        self.token.read().clone()
    }

    /// The server root, always ending in `/`.
    pub fn base_url(&self) -> &Url {
        &self.inner.root
    }

    /// The proxy requests to `url` go through, if any (the same decision the HTTP client makes).
    pub fn proxy_for(&self, url: &Url) -> Option<ProxyInUse> {
        self.inner.network.routing.for_url(url)
    }

    /// How many extra CA certificates this client trusts besides the system's.
    pub fn extra_root_certificates(&self) -> usize {
        self.inner.network.extra_roots
    }

    /// The error for a request to `url` that got no answer: the proxy's when it was the proxy that failed.
    pub(crate) fn network_error(
        &self,
        endpoint: &'static str,
        url: &Url,
        err: reqwest::Error,
    ) -> Error {
        if let Some(proxy) = self.proxy_for(url) {
            if let Some(problem) = ProxyProblem::of_connect_error(&err, &proxy) {
                return Error::Proxy {
                    endpoint,
                    proxy: proxy.to_string(),
                    problem,
                };
            }
            // Broken mid-request: still say which proxy was on the way (it may be the one that cut it).
            return match Error::from_reqwest(endpoint, err) {
                Error::Transport { endpoint, detail } => Error::Transport {
                    endpoint,
                    detail: format!("{detail} (through {proxy})"),
                },
                other => other,
            };
        }
        Error::from_reqwest(endpoint, err)
    }

    /// A 407 for a request to `url`: only a proxy answers that.
    pub(crate) fn proxy_refusal(&self, endpoint: &'static str, url: &Url) -> Error {
        match self.proxy_for(url) {
            Some(proxy) => Error::Proxy {
                endpoint,
                problem: ProxyProblem::refused_credentials(&proxy),
                proxy: proxy.to_string(),
            },
            None => Error::Proxy {
                endpoint,
                proxy: "a proxy on the way".into(),
                problem: ProxyProblem::AuthRequired,
            },
        }
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

    /// Posts a streamed form body of `length` bytes (dialer bases), with the session token and the longer upload
    /// timeout. The length goes out as `Content-Length`, so the body is not chunked: servers and proxies that need a
    /// length get one (hyper sends a user-set length as is and fails the request if the body does not match it).
    pub(crate) async fn post_stream(
        &self,
        endpoint: &'static str,
        body: reqwest::Body,
        length: u64,
    ) -> Result<Reply> {
        let request = self
            .request(endpoint, Auth::Session)
            .timeout(self.transfer_timeout())
            .header(CONTENT_LENGTH, length)
            .body(body);
        self.send(endpoint, request).await
    }

    pub(crate) fn request(
        &self,
        endpoint: &'static str,
        auth: Auth<'_>,
    ) -> reqwest::RequestBuilder {
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
        let request = request
            .build()
            .map_err(|e| Error::from_reqwest(endpoint, e))?;
        let url = request.url().clone();
        let response = self
            .http()
            .execute(request)
            .await
            .map_err(|e| self.network_error(endpoint, &url, e))?;
        let status = response.status().as_u16();
        if status == 407 {
            return Err(self.proxy_refusal(endpoint, &url));
        }
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|l| l.to_str().ok())
            .map(str::to_string);
        let body = response
            .text()
            .await
            .map_err(|e| self.network_error(endpoint, &url, e))?;
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
}

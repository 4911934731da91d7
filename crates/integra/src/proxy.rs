//! Which HTTP(S) proxy the client goes through — the system's, an explicit one, or none — and which proxy a failure
//! came from.
//!
//! **System** (the default) is what reqwest reads: `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and `NO_PROXY` (either
//! case) everywhere, and the OS setting on Windows (the registry) and macOS (SystemConfiguration), through
//! hyper-util's matcher. The same matcher is asked here which proxy a URL goes through, so errors and
//! `integra doctor` name the proxy reqwest really used. **Explicit** is one proxy for every request, with an
//! optional user name and a password that is a [`Password`] (the app keeps it in the OS keychain; it is never in
//! the URL, a settings file, a log or an error). **None** ignores every proxy setting.
//!
//! `https://` servers are reached through the proxy with HTTP CONNECT (the TLS session is end to end); `http://`
//! ones are sent to the proxy as absolute-form requests.

use url::Url;

use crate::error::{Error, Result};
use crate::secret::Password;

/// How the client reaches the network. See the module documentation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    mode: Mode,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Mode {
    #[default]
    System,
    Off,
    Explicit {
        url: Url,
        username: Option<String>,
        password: Option<Password>,
    },
}

impl ProxyConfig {
    /// The system's proxy settings (environment variables; the OS setting on Windows and macOS). The default.
    pub fn system() -> Self {
        Self { mode: Mode::System }
    }

    /// No proxy at all, whatever the system says.
    pub fn none() -> Self {
        Self { mode: Mode::Off }
    }

    /// One proxy for every request: `http://host:port` (a bare `host:port` means `http://`), or `https://…` for a
    /// proxy spoken to over TLS. A user name or password in the URL is refused: they would show wherever the URL
    /// is shown; give them with [`ProxyConfig::with_credentials`].
    pub fn explicit(url: &str) -> Result<Self> {
        let trimmed = url.trim();
        if trimmed.is_empty() {
            return Err(Error::invalid("proxy", "the proxy URL is empty"));
        }
        let with_scheme = if trimmed.contains("://") {
            trimmed.to_string()
        } else {
            format!("http://{trimmed}")
        };
        let parsed = Url::parse(&with_scheme)
            .map_err(|e| Error::invalid("proxy", format!("{trimmed:?} is not a URL ({e})")))?;
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(Error::invalid(
                "proxy",
                "the proxy URL must not contain a user name or password: set the proxy user name on its own \
                 (the password belongs in the keychain)",
            ));
        }
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::invalid(
                "proxy",
                format!(
                    "{trimmed:?}: only HTTP proxies (http:// or https://) are supported, not {}://",
                    parsed.scheme()
                ),
            ));
        }
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err(Error::invalid("proxy", format!("{trimmed:?} has no host")));
        }
        Ok(Self {
            mode: Mode::Explicit {
                url: parsed,
                username: None,
                password: None,
            },
        })
    }

    /// Basic authentication for an explicit proxy (ignored by the other modes). An empty user name means none.
    pub fn with_credentials(mut self, username: &str, password: Password) -> Self {
        if let Mode::Explicit {
            username: user,
            password: pass,
            ..
        } = &mut self.mode
        {
            let name = username.trim();
            if !name.is_empty() {
                *user = Some(name.to_string());
                *pass = Some(password);
            }
        }
        self
    }

    /// True for [`ProxyConfig::system`].
    pub fn is_system(&self) -> bool {
        self.mode == Mode::System
    }

    /// Applies the choice to a reqwest builder (which, left alone, uses the system's proxies): for other HTTP
    /// clients of the app (tree downloads, the updater) that must go the same way as the API client.
    pub fn apply(&self, builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder> {
        Ok(match &self.mode {
            Mode::System => builder,
            Mode::Off => builder.no_proxy(),
            Mode::Explicit {
                url,
                username,
                password,
            } => {
                let mut proxy = reqwest::Proxy::all(url.as_str())
                    .map_err(|e| Error::invalid("proxy", e.to_string()))?;
                if let (Some(user), Some(pass)) = (username, password) {
                    proxy = proxy.basic_auth(user, pass.expose());
                }
                builder.proxy(proxy)
            }
        })
    }

    /// What the client built from this config needs to name the proxy of a request.
    pub(crate) fn routing(&self) -> Routing {
        match &self.mode {
            Mode::System => Routing::System(Box::new(
                hyper_util::client::proxy::matcher::Matcher::from_system(),
            )),
            Mode::Off => Routing::Off,
            Mode::Explicit { url, username, .. } => Routing::Explicit(ProxyInUse {
                url: url.as_str().to_string(),
                source: ProxySource::Explicit,
                authenticates: username.is_some(),
            }),
        }
    }
}

/// Where the proxy in use was configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProxySource {
    /// Given to the client explicitly (settings, policy, `--proxy`).
    Explicit,
    /// The system's: environment variables, or the OS setting on Windows and macOS.
    System,
}

/// The proxy a request goes through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyInUse {
    /// The proxy's URL, without any user name or password.
    pub url: String,
    /// Where it was configured.
    pub source: ProxySource,
    /// True when the client sends a user name and password to it.
    pub authenticates: bool,
}

impl std::fmt::Display for ProxyInUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let source = match self.source {
            ProxySource::Explicit => "the configured proxy",
            ProxySource::System => "the system's proxy",
        };
        write!(f, "{} {}", source, self.url)
    }
}

/// Decides which proxy, if any, a URL goes through (the same decision reqwest makes).
#[derive(Debug)]
pub(crate) enum Routing {
    Off,
    Explicit(ProxyInUse),
    System(Box<hyper_util::client::proxy::matcher::Matcher>),
}

impl Routing {
    pub fn for_url(&self, target: &Url) -> Option<ProxyInUse> {
        match self {
            Routing::Off => None,
            Routing::Explicit(proxy) => Some(proxy.clone()),
            Routing::System(matcher) => {
                let uri: http::Uri = target.as_str().parse().ok()?;
                let intercept = matcher.intercept(&uri)?;
                let raw = intercept.uri().to_string();
                let mut url = Url::parse(&raw).ok()?;
                let authenticates = !url.username().is_empty() || intercept.basic_auth().is_some();
                // Credentials from HTTPS_PROXY=http://user:pw@host never leave this function.
                let _ = url.set_username("");
                let _ = url.set_password(None);
                Some(ProxyInUse {
                    url: url.as_str().to_string(),
                    source: ProxySource::System,
                    authenticates,
                })
            }
        }
    }
}

/// Why a proxy failed a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProxyProblem {
    /// The proxy itself could not be reached (refused, no such host, no route).
    #[error(
        "cannot be reached ({0}): check the proxy address and port and that the proxy is running, or change the \
         proxy setting (system, none, or another proxy)"
    )]
    Unreachable(String),
    /// HTTP 407 without credentials.
    #[error(
        "asks for a user name and password (HTTP 407 Proxy Authentication Required): set the proxy user name, and \
         its password in the keychain"
    )]
    AuthRequired,
    /// HTTP 407 although credentials were sent.
    #[error("refused the proxy user name or password (HTTP 407): check them")]
    CredentialsRefused,
    /// The proxy would not open a tunnel (CONNECT) to the server.
    #[error(
        "refused to connect to the server (the CONNECT tunnel was not opened): the proxy may block this server or \
         port, or cannot reach it; ask whoever runs the proxy"
    )]
    TunnelRefused,
}

impl ProxyProblem {
    /// A connection failure through `proxy`, if it was the proxy's: a TLS failure after the tunnel opened is the
    /// server's, a timeout stays a timeout.
    pub(crate) fn of_connect_error(err: &reqwest::Error, proxy: &ProxyInUse) -> Option<Self> {
        if err.is_timeout() || !err.is_connect() || crate::error::tls_failure(err).is_some() {
            return None;
        }
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
        let mut last = String::new();
        while let Some(current) = cause {
            let text = current.to_string();
            // hyper-util's TunnelError is not public; its Display is "tunnel error: <what>".
            if text.starts_with("tunnel error: proxy authorization required") {
                return Some(Self::refused_credentials(proxy));
            }
            if text.starts_with("tunnel error: unsuccessful") {
                return Some(Self::TunnelRefused);
            }
            last = text;
            cause = current.source();
        }
        Some(Self::Unreachable(last))
    }

    /// A 407 answer from `proxy`.
    pub(crate) fn refused_credentials(proxy: &ProxyInUse) -> Self {
        if proxy.authenticates {
            Self::CredentialsRefused
        } else {
            Self::AuthRequired
        }
    }

    /// Worth trying again later (the proxy may come back); credentials are not.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Unreachable(_) | Self::TunnelRefused)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_urls_are_checked_and_a_bare_host_means_http() {
        let config = ProxyConfig::explicit("proxy.acme.example:3128").unwrap();
        let routing = config.routing();
        let target = Url::parse("https://pbx.acme.example/").unwrap();
        let used = routing.for_url(&target).unwrap();
        assert_eq!(used.url, "http://proxy.acme.example:3128/");
        assert!(!used.authenticates);
        assert!(ProxyConfig::explicit("https://proxy.example:443").is_ok());
        for (bad, words) in [
            ("", "empty"),
            (
                "http://bob:pw@proxy:3128",
                "must not contain a user name or password",
            ),
            ("socks5://proxy:1080", "only HTTP proxies"),
            ("http://", "not a URL"),
        ] {
            let err = ProxyConfig::explicit(bad).unwrap_err();
            assert!(err.to_string().contains(words), "{bad:?}: {err}");
            assert!(!err.to_string().contains("pw@"), "{err}");
        }
    }

    #[test]
    fn credentials_are_kept_out_of_debug_output() {
        let config = ProxyConfig::explicit("http://proxy:3128")
            .unwrap()
            .with_credentials("bob", Password::new("s3cret"));
        let debug = format!("{config:?}");
        assert!(
            debug.contains("bob") && !debug.contains("s3cret"),
            "{debug}"
        );
        assert!(
            config
                .routing()
                .for_url(&Url::parse("http://x/").unwrap())
                .unwrap()
                .authenticates
        );
        let anonymous = ProxyConfig::explicit("http://proxy:3128")
            .unwrap()
            .with_credentials(" ", Password::new("unused"));
        assert!(!format!("{anonymous:?}").contains("unused"));
    }

    #[test]
    fn none_routes_nothing_and_a_407_says_which_credentials_to_fix() {
        let target = Url::parse("http://pbx/").unwrap();
        assert_eq!(ProxyConfig::none().routing().for_url(&target), None);
        let anonymous = ProxyInUse {
            url: "http://p:1/".into(),
            source: ProxySource::Explicit,
            authenticates: false,
        };
        assert_eq!(
            ProxyProblem::refused_credentials(&anonymous),
            ProxyProblem::AuthRequired
        );
        let with_user = ProxyInUse {
            authenticates: true,
            ..anonymous
        };
        assert_eq!(
            ProxyProblem::refused_credentials(&with_user),
            ProxyProblem::CredentialsRefused
        );
        assert!(!ProxyProblem::AuthRequired.is_transient());
        assert!(ProxyProblem::TunnelRefused.is_transient());
    }
}

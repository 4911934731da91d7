//! Configuring a [`Client`]: the server root, timeouts, extra CA certificates, the proxy and the recording hosts.

use std::time::Duration;

use url::Url;

use super::Client;
use crate::error::{Error, Result};
use crate::proxy::ProxyConfig;

/// Builds a [`Client`]; see [`Client::builder`].
#[derive(Clone)]
pub struct ClientBuilder {
    root: String,
    timeout: Duration,
    connect_timeout: Duration,
    upload_timeout: Duration,
    extra_roots: Vec<Vec<u8>>,
    recordings_hosts: Vec<String>,
    proxy: ProxyConfig,
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
            .field("proxy", &self.proxy)
            .finish()
    }
}

impl ClientBuilder {
    pub(super) fn new(root: String) -> Self {
        Self {
            root,
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            upload_timeout: Duration::from_secs(600),
            extra_roots: Vec::new(),
            recordings_hosts: Vec::new(),
            proxy: ProxyConfig::system(),
        }
    }

    /// The proxy to go through (default: the system's; see [`crate::proxy`]).
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = proxy;
        self
    }

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
            // The server's certificate, for `diagnose` (its expiry); a copy per connection, not per request.
            .tls_info(true)
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
        // A plain-http server behind a forwarding proxy: the proxy, not the server, holds the connection and may
        // close it between two requests (Debian's tinyproxy does). A POST written on such a pooled connection fails
        // with "connection closed before message completed" and cannot be resent safely (AgentCall would dial
        // twice), so no connection is kept idle there. HTTPS goes through a CONNECT tunnel and keeps its pool.
        let routing = self.proxy.routing();
        if root.scheme() == "http" && routing.for_url(&root).is_some() {
            http = http.pool_max_idle_per_host(0);
        }
        let http = self
            .proxy
            .apply(http)?
            .build()
            .map_err(|e| Error::invalid("HTTP client", e.to_string()))?;
        Client::assemble(
            http,
            root,
            recordings_hosts,
            self.upload_timeout,
            super::Network {
                routing,
                extra_roots: self.extra_roots.len(),
            },
        )
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A self-signed CA (EC P-256, valid until 2126) generated for this test only; its key was not kept.
    const TEST_CA: &str = "-----BEGIN CERTIFICATE-----\n\
MIIBijCCATGgAwIBAgIUYsz24NUvQNFCp3kcHQGA0n7CxEQwCgYIKoZIzj0EAwIw\n\
GjEYMBYGA1UEAwwPaW50ZWdyYSB0ZXN0IENBMCAXDTI2MTEyNDIxMzEyOVoYDzIx\n\
MjYxMDMxMjEzMTI5WjAaMRgwFgYDVQQDDA9pbnRlZ3JhIHRlc3QgQ0EwWTATBgcq\n\
hkjOPQIBBggqhkjOPQMBBwNCAAQtpm+c0PX2EEEmSzPx3oQTsiM8HLVehFXSucYm\n\
oicVQ1o0PgAuQd5tHpHxD+owgIj0MvXlMC1Ss9igAe3QxR5Xo1MwUTAdBgNVHQ4E\n\
FgQUYTafQOgZeloAp9KM7sqqWmS43howHwYDVR0jBBgwFoAUYTafQOgZeloAp9KM\n\
7sqqWmS43howDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiADETbY\n\
+gLsvrB3Lj0FMUUbT7eieOHn43z2ySqIu7mGggIgXPBPxejDqd77dpq7gtjuGw03\n\
Cigl4eShfIulmGOmPTE=\n\
-----END CERTIFICATE-----\n";

    #[test]
    fn a_private_ca_in_pem_is_accepted() {
        let client = Client::builder("https://pbx.internal")
            .extra_root_certificate_pem(TEST_CA)
            .build();
        assert!(client.is_ok(), "{client:?}");
        let bundle = format!("{TEST_CA}{TEST_CA}");
        assert!(Client::builder("https://pbx.internal")
            .extra_root_certificate_pem(bundle)
            .build()
            .is_ok());
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

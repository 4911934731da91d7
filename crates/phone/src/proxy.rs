//! How the phone's connection reaches the server: directly, through the system's proxy, or through the one the
//! settings name — the same choice as the API client's (`[proxy]`), so a desk behind a proxy reaches both. A proxy
//! is used with HTTP CONNECT; TLS then runs end to end with the phone server, verified as without one.

use std::time::Duration;

use base64::Engine;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use url::Url;

use crate::{PhoneError, SipPassword};

/// The `[proxy]` setting, for the phone.
#[derive(Debug, Clone, Default)]
pub enum ProxyRoute {
    /// The system's proxy (environment variables on Linux; the OS setting on Windows and macOS).
    #[default]
    System,
    /// No proxy, whatever the system says.
    Direct,
    /// This proxy.
    Explicit(HttpProxy),
}

/// An HTTP proxy and, when it asks for them, the user name and password (the password from the keychain).
#[derive(Debug, Clone)]
pub struct HttpProxy {
    /// `http://host:port`.
    pub url: Url,
    /// Basic credentials.
    pub credentials: Option<(String, SipPassword)>,
}

impl HttpProxy {
    /// The proxy at `url` (`http://host:port`), with its credentials when it asks for them.
    pub fn new(
        url: &str,
        credentials: Option<(String, SipPassword)>,
    ) -> Result<HttpProxy, PhoneError> {
        let invalid = |detail: String| PhoneError::Invalid {
            name: "proxy",
            detail,
        };
        let url =
            Url::parse(url.trim()).map_err(|e| invalid(format!("{url:?} is not a URL ({e})")))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(invalid(format!("{url} is not an http:// proxy")));
        }
        Ok(HttpProxy { url, credentials })
    }
}

impl ProxyRoute {
    /// The proxy for `server` (a `wss://` URL), if any.
    pub(crate) fn for_server(&self, server: &Url) -> Option<HttpProxy> {
        match self {
            ProxyRoute::Direct => None,
            ProxyRoute::Explicit(proxy) => Some(proxy.clone()),
            ProxyRoute::System => {
                // The same matcher as the API client's: HTTPS_PROXY / NO_PROXY for the https form of the address.
                let mut https = server.clone();
                https.set_scheme("https").ok()?;
                let uri: http::Uri = https.as_str().parse().ok()?;
                let intercept =
                    hyper_util::client::proxy::matcher::Matcher::from_system().intercept(&uri)?;
                let url = Url::parse(&intercept.uri().to_string()).ok()?;
                let credentials = (!url.username().is_empty()).then(|| {
                    let password = url.password().unwrap_or_default();
                    (url.username().to_string(), SipPassword::new(password))
                });
                Some(HttpProxy { url, credentials })
            }
        }
    }
}

const PROXY_TIMEOUT: Duration = Duration::from_secs(10);

/// A TCP connection to `host:port` through `proxy`'s CONNECT tunnel.
pub(crate) async fn tunnel(
    proxy: &HttpProxy,
    host: &str,
    port: u16,
) -> Result<TcpStream, PhoneError> {
    let shown = format!(
        "{}://{}:{}",
        proxy.url.scheme(),
        proxy.url.host_str().unwrap_or(""),
        proxy.url.port_or_known_default().unwrap_or(8080)
    );
    let failed = |detail: String| PhoneError::Proxy {
        proxy: shown.clone(),
        detail,
    };
    let proxy_host = proxy
        .url
        .host_str()
        .unwrap_or("")
        .trim_matches(['[', ']'])
        .to_string();
    let proxy_port = proxy.url.port_or_known_default().unwrap_or(8080);
    let mut stream = tokio::time::timeout(
        PROXY_TIMEOUT,
        TcpStream::connect((proxy_host.as_str(), proxy_port)),
    )
    .await
    .map_err(|_| failed("no answer".into()))?
    .map_err(|e| failed(format!("cannot reach it ({e})")))?;
    let target = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut request = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
    if let Some((user, password)) = &proxy.credentials {
        let token = base64::engine::general_purpose::STANDARD
            .encode(format!("{user}:{}", password.expose()));
        request.push_str(&format!("Proxy-Authorization: Basic {token}\r\n"));
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| failed(e.to_string()))?;
    let head = tokio::time::timeout(PROXY_TIMEOUT, read_head(&mut stream))
        .await
        .map_err(|_| failed("it did not answer the CONNECT".into()))?
        .map_err(failed)?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .unwrap_or(0);
    match status {
        200..=299 => Ok(stream),
        407 => Err(failed(
            "it asks for a user name and password (407): set them in Settings, Proxy".into(),
        )),
        0 => Err(failed("its answer is not HTTP".into())),
        code => Err(failed(format!(
            "it refused to open the tunnel to {target} ({code})"
        ))),
    }
}

/// The proxy's answer head, up to its blank line (nothing after it is read: TLS starts there).
async fn read_head(stream: &mut TcpStream) -> Result<String, String> {
    let mut head = Vec::with_capacity(256);
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 8192 {
            return Err("its answer head is too long".into());
        }
        match stream.read(&mut byte).await {
            Ok(0) => return Err("it closed the connection".into()),
            Ok(_) => head.push(byte[0]),
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

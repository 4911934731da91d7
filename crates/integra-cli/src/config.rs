//! Settings, layered: built-in defaults < the TOML file < environment (INTEGRA_SERVER, INTEGRA_USER) < flags.
//! The file never holds a password or a token: those live only in the OS keychain (see `keychain.rs`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::cli::GlobalArgs;
use crate::failure::Failure;

/// Seconds to wait for an answer when nothing else says.
const DEFAULT_TIMEOUT_SECS: u64 = 15;

/// What the TOML file may set. Unknown keys are refused, so a typo does not pass silently.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    server: Option<String>,
    user: Option<String>,
    api_user: Option<bool>,
    timeout: Option<u64>,
    ca_certificate: Option<PathBuf>,
    proxy: Option<String>,
    recordings_hosts: Option<Vec<String>>,
}

/// The resolved settings of this run.
#[derive(Debug, Clone)]
pub struct Config {
    /// Server root.
    pub server: String,
    /// User name, when one was given anywhere (a keychain session knows its own).
    pub user: Option<String>,
    /// Sign in with getUserToken.
    pub api_user: bool,
    /// How long to wait for each answer.
    pub timeout: Duration,
    /// Extra CA certificate (PEM) for on-premise servers with their own CA.
    pub ca_certificate: Option<PathBuf>,
    /// Where recordings are served (TelephonyIP, then BackupRecords); default the server root.
    pub recordings_hosts: Vec<String>,
    /// The proxy: the system's unless a flag, INTEGRA_PROXY or the file says otherwise.
    pub proxy: integra::ProxyConfig,
    /// The same proxy for the phone's WebSocket (doctor's `phone` check), as the app's phone takes `[proxy]`.
    pub phone_route: phone::ProxyRoute,
}

/// `none`, `system` or a proxy URL, from a flag, the environment or the file.
fn proxy_from(text: &str) -> Result<integra::ProxyConfig, Failure> {
    Ok(match text.trim() {
        "none" => integra::ProxyConfig::none(),
        "system" => integra::ProxyConfig::system(),
        url => integra::ProxyConfig::explicit(url)?,
    })
}

/// The same choice for the phone's connection (user and password in the URL go to the proxy, as for the API).
fn phone_route_from(text: &str) -> Result<phone::ProxyRoute, Failure> {
    Ok(match text.trim() {
        "none" => phone::ProxyRoute::Direct,
        "system" => phone::ProxyRoute::System,
        url => {
            let parsed =
                url::Url::parse(url).map_err(|e| Failure::Usage(format!("proxy {url:?}: {e}")))?;
            let credentials = (!parsed.username().is_empty()).then(|| {
                let password = parsed.password().unwrap_or_default();
                (
                    parsed.username().to_string(),
                    phone::SipPassword::new(password),
                )
            });
            let proxy = phone::HttpProxy::new(url, credentials)
                .map_err(|e| Failure::Usage(e.to_string()))?;
            phone::ProxyRoute::Explicit(proxy)
        }
    })
}

/// `<config dir>/ucontact-agent-companion/integra.toml`.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("ucontact-agent-companion").join("integra.toml"))
}

/// Reads the file; a missing default file is no error, a missing explicit one is.
fn read_file(path: &Path, explicit: bool) -> Result<FileConfig, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
            return Ok(FileConfig::default())
        }
        Err(e) => return Err(Failure::file(path, format!("cannot read it: {e}"))),
    };
    let mut file: FileConfig =
        toml::from_str(&text).map_err(|e| Failure::file(path, e.message()))?;
    // A relative certificate path means "next to the config file", not "wherever integra was started".
    if let (Some(cert), Some(dir)) = (&file.ca_certificate, path.parent()) {
        if cert.is_relative() {
            file.ca_certificate = Some(dir.join(cert));
        }
    }
    Ok(file)
}

/// An environment variable, unless unset or blank.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Config {
    /// Resolves the settings for this run.
    pub fn resolve(args: &GlobalArgs) -> Result<Self, Failure> {
        let file = match (&args.config, default_path()) {
            (Some(path), _) => read_file(path, true)?,
            (None, Some(path)) => read_file(&path, false)?,
            (None, None) => FileConfig::default(),
        };
        let server = args
            .server
            .clone()
            .or_else(|| env("INTEGRA_SERVER"))
            .or(file.server)
            .ok_or_else(|| {
                Failure::Usage(
                    "no server: pass --server URL, set INTEGRA_SERVER, or put server = \"https://…\" in the config file"
                        .into(),
                )
            })?;
        let timeout = args
            .timeout
            .or(file.timeout)
            .unwrap_or(DEFAULT_TIMEOUT_SECS);
        if timeout == 0 {
            return Err(Failure::Usage("timeout must be at least 1 second".into()));
        }
        let chosen = if args.no_proxy {
            Some("none".to_string())
        } else {
            args.proxy
                .clone()
                .or_else(|| env("INTEGRA_PROXY"))
                .or(file.proxy)
        };
        let (proxy, phone_route) = match chosen {
            Some(text) => (proxy_from(&text)?, phone_route_from(&text)?),
            None => (integra::ProxyConfig::system(), phone::ProxyRoute::System),
        };
        Ok(Self {
            server,
            user: args
                .user
                .clone()
                .or_else(|| env("INTEGRA_USER"))
                .or(file.user),
            api_user: args.api_user || file.api_user.unwrap_or(false),
            timeout: Duration::from_secs(timeout),
            ca_certificate: args.ca_certificate.clone().or(file.ca_certificate),
            recordings_hosts: file.recordings_hosts.unwrap_or_default(),
            proxy,
            phone_route,
        })
    }

    /// The user name, or a clear error for the commands that must sign in with one.
    pub fn require_user(&self) -> Result<&str, Failure> {
        self.user.as_deref().ok_or_else(|| {
            Failure::Usage(
                "no user: pass --user NAME, set INTEGRA_USER, or put user = \"…\" in the config file".into(),
            )
        })
    }

    /// A client for this server, without a token.
    pub fn client(&self) -> Result<integra::Client, Failure> {
        let mut builder = integra::Client::builder(&self.server)
            .timeout(self.timeout)
            .proxy(self.proxy.clone());
        if let Some(path) = &self.ca_certificate {
            let pem = std::fs::read(path)
                .map_err(|e| Failure::file(path, format!("cannot read it: {e}")))?;
            builder = builder.extra_root_certificate_pem(pem);
        }
        if !self.recordings_hosts.is_empty() {
            builder = builder.recordings_hosts(&self.recordings_hosts);
        }
        // A bad URL is the user's input: exit 2 via Error::InvalidInput.
        Ok(builder.build()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_read_and_relative_certificates_sit_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("integra.toml");
        std::fs::write(
            &path,
            "server = \"https://acme.example\"\nuser = \"alice\"\ntimeout = 30\nca_certificate = \"ca.pem\"\n",
        )
        .unwrap();
        let file = read_file(&path, true).unwrap();
        assert_eq!(file.server.as_deref(), Some("https://acme.example"));
        assert_eq!(file.timeout, Some(30));
        assert_eq!(file.ca_certificate, Some(dir.path().join("ca.pem")));
    }

    #[test]
    fn a_typo_in_the_file_is_refused_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("integra.toml");
        std::fs::write(&path, "sever = \"https://acme.example\"\n").unwrap();
        let err = read_file(&path, true).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("unknown field `sever`"), "{err}");
    }

    #[test]
    fn a_missing_explicit_file_is_an_error_but_a_missing_default_is_not() {
        let path = Path::new("/nonexistent/integra.toml");
        assert!(read_file(path, false).is_ok());
        assert_eq!(read_file(path, true).unwrap_err().exit_code(), 2);
    }
}

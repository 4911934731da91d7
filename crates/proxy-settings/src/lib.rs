//! The proxy setting (`[proxy]` in settings.toml): the system's (the default), none, or an explicit one with an
//! optional user name. The proxy password is a secret: it lives in the OS keychain under [`PROXY_PASSWORD_KEY`],
//! never in the settings file, a log or an error.
//!
//! ```toml
//! [proxy]
//! mode = "explicit"                     # "system" (default), "none" or "explicit"
//! url = "http://proxy.acme.example:3128"
//! username = "alice"                    # optional; the password is read from the keychain
//! ```

use integra::{Password, ProxyConfig};
use serde::{Deserialize, Serialize};

use agent_error::{AgentError, ErrorCode, Phrase, Result};
use keychain::SecretStore;

/// The keychain entry (service `ucontact-agent-companion`) that holds the proxy password.
pub const PROXY_PASSWORD_KEY: &str = "proxy-password";

/// How the app reaches the network.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProxyMode {
    /// The system's proxy settings (environment variables; the OS setting on Windows and macOS).
    #[default]
    System,
    /// No proxy, whatever the system says.
    None,
    /// The proxy in `url`.
    Explicit,
}

/// The `[proxy]` table of the settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProxySettings {
    /// System, none or explicit.
    pub mode: ProxyMode,
    /// The explicit proxy, e.g. `http://proxy.acme.example:3128`.
    pub url: String,
    /// The proxy user name (empty: no authentication); the password is in the keychain.
    pub username: String,
}

/// `[proxy] url = "…": why`, in the agent's language and in English.
fn bad_url(url: &str, e: impl std::fmt::Display) -> AgentError {
    AgentError::phrased(
        ErrorCode::InvalidSettings,
        Phrase::new("error.proxy.url")
            .with("url", format!("{url:?}"))
            .with("detail", e.to_string()),
        format!("[proxy] url = {url:?}: {e}"),
    )
}

impl ProxySettings {
    /// Checks what a hand-edited file could get wrong, naming the key.
    pub fn validate(&self) -> Result<()> {
        if self.mode == ProxyMode::Explicit {
            ProxyConfig::explicit(&self.url).map_err(|e| bad_url(&self.url, e))?;
        }
        Ok(())
    }

    /// The client's proxy configuration, with the password from the keychain when a user name is set. A user name
    /// without a saved password is an error that says where the password goes.
    pub fn to_config(&self, secrets: &dyn SecretStore) -> Result<ProxyConfig> {
        match self.mode {
            ProxyMode::System => Ok(ProxyConfig::system()),
            ProxyMode::None => Ok(ProxyConfig::none()),
            ProxyMode::Explicit => {
                let config = ProxyConfig::explicit(&self.url).map_err(|e| bad_url(&self.url, e))?;
                let user = self.username.trim();
                if user.is_empty() {
                    return Ok(config);
                }
                let password = secrets.get(PROXY_PASSWORD_KEY)?.ok_or_else(|| {
                    AgentError::phrased(
                        ErrorCode::InvalidSettings,
                        Phrase::new("error.proxy.no_password")
                            .with("user", user)
                            .with("entry", format!("{PROXY_PASSWORD_KEY:?}")),
                        format!(
                            "the proxy user {user} has no password in the keychain (entry {PROXY_PASSWORD_KEY:?} of \
                             the service \"ucontact-agent-companion\")"
                        ),
                    )
                })?;
                Ok(config.with_credentials(user, Password::new(password)))
            }
        }
    }
}

/// The same choice for an HTTP stack that takes a proxy URL (the updater plugin): the system's, none, or this URL
/// with the user name and the keychain's password in it. Its `Debug` never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub enum ProxyRoute {
    /// The system's proxy settings.
    System,
    /// No proxy.
    Direct,
    /// Through this proxy.
    Via(url::Url),
}

impl std::fmt::Debug for ProxyRoute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProxyRoute::System => f.write_str("System"),
            ProxyRoute::Direct => f.write_str("Direct"),
            ProxyRoute::Via(url) => {
                let mut shown = url.clone();
                if !url.password().unwrap_or_default().is_empty() {
                    let _ = shown.set_password(Some("<redacted>"));
                }
                write!(f, "Via({shown})")
            }
        }
    }
}

impl ProxySettings {
    /// The route for an HTTP stack configured by a proxy URL (see [`ProxyRoute`]).
    pub fn route(&self, secrets: &dyn SecretStore) -> Result<ProxyRoute> {
        match self.mode {
            ProxyMode::System => return Ok(ProxyRoute::System),
            ProxyMode::None => return Ok(ProxyRoute::Direct),
            ProxyMode::Explicit => {}
        }
        // The same checks and the same password as the API client's.
        self.to_config(secrets)?;
        let text = self.url.trim();
        let text = if text.contains("://") {
            text.to_owned()
        } else {
            format!("http://{text}")
        };
        let mut url = url::Url::parse(&text).map_err(|e| bad_url(&self.url, e))?;
        let user = self.username.trim();
        if !user.is_empty() {
            let password = secrets.get(PROXY_PASSWORD_KEY)?.unwrap_or_default();
            let bad = || {
                AgentError::phrased(
                    ErrorCode::InvalidSettings,
                    Phrase::new("error.proxy.url_user"),
                    "[proxy] url cannot carry a user name",
                )
            };
            url.set_username(user).map_err(|()| bad())?;
            url.set_password(Some(&password)).map_err(|()| bad())?;
        }
        Ok(ProxyRoute::Via(url))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keychain::MemoryStore;

    #[test]
    fn the_updater_route_is_the_same_choice_with_the_keychain_password_never_shown() {
        let secrets = MemoryStore::default();
        secrets.set(PROXY_PASSWORD_KEY, "pr0xy-pw").unwrap();
        let explicit = ProxySettings {
            mode: ProxyMode::Explicit,
            url: "proxy.acme.example:3128".into(),
            username: "alice".into(),
        };
        let ProxyRoute::Via(url) = explicit.route(&secrets).unwrap() else {
            panic!("an explicit proxy is a URL");
        };
        assert_eq!(
            url.as_str(),
            "http://alice:pr0xy-pw@proxy.acme.example:3128/"
        );
        let shown = format!("{:?}", ProxyRoute::Via(url));
        assert!(!shown.contains("pr0xy-pw"), "{shown}");
        assert_eq!(
            ProxySettings::default().route(&secrets).unwrap(),
            ProxyRoute::System
        );
        let none = ProxySettings {
            mode: ProxyMode::None,
            ..Default::default()
        };
        assert_eq!(none.route(&secrets).unwrap(), ProxyRoute::Direct);
    }

    #[test]
    fn the_table_reads_from_toml_and_bad_urls_are_named() {
        let settings: ProxySettings =
            toml::from_str("mode = \"explicit\"\nurl = \"proxy.acme.example:3128\"\n").unwrap();
        assert!(settings.validate().is_ok());
        let bad = ProxySettings {
            mode: ProxyMode::Explicit,
            url: "socks5://proxy:1080".into(),
            ..Default::default()
        };
        let err = bad.validate().unwrap_err();
        assert!(err.to_string().contains("[proxy] url"), "{err}");
        assert!(toml::from_str::<ProxySettings>("mode = \"auto\"").is_err());
        assert_eq!(ProxySettings::default().mode, ProxyMode::System);
    }

    #[test]
    fn the_password_comes_from_the_keychain_only() {
        let secrets = MemoryStore::default();
        let settings = ProxySettings {
            mode: ProxyMode::Explicit,
            url: "http://proxy:3128".into(),
            username: "bob".into(),
        };
        let err = settings.to_config(&secrets).unwrap_err();
        assert!(err.to_string().contains(PROXY_PASSWORD_KEY), "{err}");
        secrets.set(PROXY_PASSWORD_KEY, "s3cret").unwrap();
        let config = settings.to_config(&secrets).unwrap();
        assert!(!format!("{config:?}").contains("s3cret"));
        let toml = toml::to_string(&settings).unwrap();
        assert!(!toml.contains("s3cret"), "{toml}");
    }
}

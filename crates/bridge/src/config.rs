//! The bridge's settings: off by default, a fixed loopback port, and the origins whose pages may use it.
//!
//! There is no bind address to configure on purpose: the listener always binds `127.0.0.1`, so no setting can
//! expose it to the network.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use agent_error::{AgentError, ErrorCode, Phrase, Result};

/// The port the bridge listens on unless the agent picks another one. High and unassigned by IANA, so it rarely
/// collides with other local software; the bridge page uses the same default.
pub const DEFAULT_PORT: u16 = 47813;

/// Largest request body the bridge reads (64 KiB): a CTI or respool object is a few hundred bytes.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;

/// How long a request waits for the app's answer before the page gets `504`.
pub const DEFAULT_REPLY_TIMEOUT: Duration = Duration::from_secs(10);

/// `[bridge]` in the settings file.
///
/// ```toml
/// [bridge]
/// enabled = true
/// port = 47813
/// allowed_origins = ["https://ucontact.example.com"]
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BridgeConfig {
    /// Whether the app listens at all. Off unless the agent turns it on.
    pub enabled: bool,
    /// The loopback port (`127.0.0.1:<port>`). `0` picks a free port (tests only: the page could not find it).
    pub port: u16,
    /// Origins (`scheme://host[:port]`) of the pages allowed to call the bridge: normally the uContact server's,
    /// where the bridge page is hosted as part of a form. Anything else is refused.
    pub allowed_origins: Vec<String>,
}

impl Default for BridgeConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            port: DEFAULT_PORT,
            allowed_origins: Vec::new(),
        }
    }
}

impl BridgeConfig {
    /// Checks the settings before they are saved or used: every allowed origin is one, and an enabled bridge has
    /// at least one (it would refuse every page otherwise).
    pub fn validate(&self) -> Result<()> {
        let origins = self.normalized_origins()?;
        if self.enabled && origins.is_empty() {
            return Err(AgentError::phrased(
                ErrorCode::InvalidSettings,
                Phrase::new("error.bridge.no_origin"),
                "the bridge has no allowed origin; add the uContact server's address (e.g. https://ucontact.example.com)",
            ));
        }
        Ok(())
    }

    /// The allowed origins in the form browsers send them (lowercase host, no default port, no trailing slash),
    /// or an `invalid_settings` error naming the first entry that is not an origin.
    pub fn normalized_origins(&self) -> Result<Vec<String>> {
        let mut origins = Vec::with_capacity(self.allowed_origins.len());
        for entry in &self.allowed_origins {
            let origin = origin_of(entry)?;
            if !origins.contains(&origin) {
                origins.push(origin);
            }
        }
        Ok(origins)
    }
}

/// The origin (`scheme://host[:port]`) of a URL, as a browser writes it in the `Origin` header. Use it to turn the
/// configured uContact server address into an allowed origin.
///
/// Only `http` and `https` URLs with a host qualify; a path other than `/`, a query, or a wildcard is refused, so
/// a typo cannot silently allow more (or other) pages than meant.
pub fn origin_of(url: &str) -> Result<String> {
    let trimmed = url.trim();
    let invalid = |phrase: Phrase, why: &str| {
        AgentError::phrased(
            ErrorCode::InvalidSettings,
            phrase,
            format!("'{trimmed}' is not a web origin for the bridge ({why}); write it as https://host or https://host:port"),
        )
    };
    if trimmed.contains('*') {
        return Err(invalid(
            Phrase::new("error.bridge.origin_wildcard").with("origin", trimmed),
            "wildcards are not allowed",
        ));
    }
    let parsed = url::Url::parse(trimmed).map_err(|_| {
        invalid(
            Phrase::new("error.bridge.origin_not_url").with("origin", trimmed),
            "not a URL",
        )
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid(
            Phrase::new("error.bridge.origin_scheme").with("origin", trimmed),
            "only http and https pages can use the bridge",
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid(
            Phrase::new("error.bridge.origin_no_host").with("origin", trimmed),
            "it has no host",
        ));
    }
    if parsed.path() != "/" || parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid(
            Phrase::new("error.bridge.origin_path").with("origin", trimmed),
            "an origin has no path",
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid(
            Phrase::new("error.bridge.origin_user").with("origin", trimmed),
            "an origin has no user name",
        ));
    }
    Ok(parsed.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bridge_is_off_by_default_on_the_documented_port() {
        let config: BridgeConfig = toml::from_str("").unwrap();
        assert!(!config.enabled);
        assert_eq!(config.port, 47813);
        assert!(config.allowed_origins.is_empty());
        assert_eq!(config, BridgeConfig::default());
    }

    #[test]
    fn origins_are_written_the_way_browsers_send_them() {
        assert_eq!(
            origin_of("https://UContact.Example.com/").unwrap(),
            "https://ucontact.example.com"
        );
        assert_eq!(
            origin_of("https://ucontact.example.com:443").unwrap(),
            "https://ucontact.example.com"
        );
        assert_eq!(
            origin_of("http://10.0.0.5:8080").unwrap(),
            "http://10.0.0.5:8080"
        );
    }

    #[test]
    fn anything_that_is_not_one_origin_is_refused() {
        for bad in [
            "*",
            "https://*.example.com",
            "ucontact.example.com",
            "file:///tmp/page.html",
            "https://ucontact.example.com/Integra/",
            "https://ucontact.example.com/?x=1",
            "https://user@ucontact.example.com",
            "",
        ] {
            let err = origin_of(bad).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidSettings, "{bad}");
        }
    }

    #[test]
    fn an_enabled_bridge_needs_an_allowed_origin() {
        let mut config = BridgeConfig {
            enabled: true,
            ..BridgeConfig::default()
        };
        assert_eq!(
            config.validate().unwrap_err().code(),
            ErrorCode::InvalidSettings
        );
        config
            .allowed_origins
            .push("https://ucontact.example.com".into());
        config.validate().unwrap();
        assert!(BridgeConfig::default().validate().is_ok());
    }

    #[test]
    fn a_bad_entry_in_the_list_is_named() {
        let config = BridgeConfig {
            enabled: true,
            port: DEFAULT_PORT,
            allowed_origins: vec!["https://a.example".into(), "a.example/x".into()],
        };
        let err = config.normalized_origins().unwrap_err();
        assert!(err.to_string().contains("a.example/x"), "{err}");
    }
}

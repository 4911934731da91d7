//! The phone's settings (`[phone]` in settings.toml, lockable by the policy like every setting): off by default,
//! so an agent whose desk phone or portal phone rings keeps working exactly as before.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::PhoneError;

/// `[phone]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PhoneSettings {
    /// The app registers as the agent's SIP peer and carries the calls' audio.
    pub enabled: bool,
    /// The server's SIP-over-WebSocket address; empty: `wss://<the uContact server's host>:8089/ws`, Asterisk's
    /// usual one.
    pub server: String,
    /// How long after the app sends AgentCall the call that rings is taken as the agent's own (answered without
    /// a key), in seconds.
    pub own_call_window_secs: u32,
}

impl Default for PhoneSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            server: String::new(),
            own_call_window_secs: 15,
        }
    }
}

/// Asterisk's usual port and path for SIP over secure WebSocket (`http.conf`'s TLS server, `/ws`).
pub const DEFAULT_WSS_PORT: u16 = 8089;

impl PhoneSettings {
    /// The WebSocket address to use with the uContact server at `api_url`: the setting, or the default derived
    /// from the server's host.
    pub fn server_for(&self, api_url: &str) -> Result<String, PhoneError> {
        if !self.server.trim().is_empty() {
            return Ok(self.server.trim().to_string());
        }
        let api = Url::parse(api_url.trim()).map_err(|e| PhoneError::Invalid {
            name: "phone server address",
            detail: format!(
                "no address is set and the uContact server's {api_url:?} names no host ({e})"
            ),
        })?;
        let host = api.host_str().ok_or_else(|| PhoneError::Invalid {
            name: "phone server address",
            detail: format!("no address is set and {api_url:?} names no host"),
        })?;
        Ok(format!("wss://{host}:{DEFAULT_WSS_PORT}/ws"))
    }

    /// Refuses a setting that cannot work, by name.
    pub fn check(&self) -> Result<(), PhoneError> {
        if !self.server.trim().is_empty() {
            crate::SipAccount::new("check", crate::SipPassword::new(""), &self.server)?;
        }
        if !(3..=120).contains(&self.own_call_window_secs) {
            return Err(PhoneError::Invalid {
                name: "own call window",
                detail: format!(
                    "{} s is not between 3 and 120 seconds",
                    self.own_call_window_secs
                ),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_defaults_to_the_servers_host_and_a_bad_one_is_named() {
        let settings = PhoneSettings::default();
        assert!(!settings.enabled, "off by default");
        assert_eq!(
            settings
                .server_for("https://acme.ucontactcloud.com/")
                .unwrap(),
            "wss://acme.ucontactcloud.com:8089/ws"
        );
        let set = PhoneSettings {
            server: "wss://pbx.acme:443/ws".into(),
            ..settings.clone()
        };
        assert_eq!(
            set.server_for("https://acme.ucontactcloud.com").unwrap(),
            "wss://pbx.acme:443/ws"
        );
        assert!(set.check().is_ok());
        let plain = PhoneSettings {
            server: "ws://pbx.acme/ws".into(),
            ..settings.clone()
        };
        assert!(matches!(plain.check(), Err(PhoneError::NotSecure { .. })));
        let window = PhoneSettings {
            own_call_window_secs: 0,
            ..settings
        };
        assert!(window
            .check()
            .unwrap_err()
            .to_string()
            .contains("own call window"));
    }
}

//! The phone's settings (`[phone]` in settings.toml, lockable by the policy like every setting): off by default,
//! so an agent whose desk phone or portal phone rings keeps working exactly as before.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::{IceServer, PhoneError};

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
    /// STUN and TURN servers for the calls' ICE: `stun:host[:port]`, `turn:host[:port][?transport=udp]` (UDP only).
    /// Empty: host candidates only (the PBX must reach the agent's address, as on a LAN or VPN).
    pub ice_servers: Vec<String>,
    /// The user name for the `turn:` servers' long-term credentials. The TURN password is not a setting: it lives
    /// in the OS keychain (or memory), as the SIP password does.
    pub turn_username: String,
}

impl Default for PhoneSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            server: String::new(),
            own_call_window_secs: 15,
            ice_servers: Vec::new(),
            turn_username: String::new(),
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

    /// [`PhoneSettings::server_for`], with the agent's peer's `outboundproxy` (AgentLogin) between the setting and
    /// the derived default: a `wss://` URL, or a SIP URI over `transport=wss`/`ws` (`sip:pbx.acme:8089;transport=wss`
    /// becomes `wss://pbx.acme:8089/ws`). An outbound proxy on another transport (UDP, TCP) is not one the app can
    /// use, and is passed over.
    pub fn server_for_peer(
        &self,
        api_url: &str,
        outbound_proxy: &str,
    ) -> Result<String, PhoneError> {
        if self.server.trim().is_empty() {
            if let Some(address) = websocket_of(outbound_proxy) {
                return Ok(address);
            }
        }
        self.server_for(api_url)
    }

    /// The checked `ice_servers`, in order; the first bad entry is refused by its place in the list
    /// (`phone.ice_servers[1]: "stun//x" is not a stun: or turn: URL`).
    pub fn ice_servers(&self) -> Result<Vec<IceServer>, PhoneError> {
        self.ice_servers
            .iter()
            .enumerate()
            .map(|(i, url)| {
                IceServer::parse(url).map_err(|why| PhoneError::Invalid {
                    name: "ICE server",
                    detail: format!("phone.ice_servers[{i}]: {why}"),
                })
            })
            .collect()
    }

    /// Refuses a setting that cannot work, by name.
    pub fn check(&self) -> Result<(), PhoneError> {
        let servers = self.ice_servers()?;
        if self.turn_username.trim().is_empty()
            && servers.iter().any(|s| s.kind == crate::IceServerKind::Turn)
        {
            return Err(PhoneError::Invalid {
                name: "TURN user name",
                detail: "phone.turn_username is empty, and the turn: servers of phone.ice_servers need one"
                    .into(),
            });
        }
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

/// The WebSocket address an outbound proxy names, if it names one.
fn websocket_of(outbound_proxy: &str) -> Option<String> {
    let text = outbound_proxy.trim();
    if text.starts_with("wss://") {
        return Url::parse(text).ok().map(|u| u.to_string());
    }
    let rest = text
        .strip_prefix("sips:")
        .or_else(|| text.strip_prefix("sip:"))?;
    let mut parts = rest.split(';');
    let host_port = parts.next()?.trim();
    let transport = parts
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("transport"))
        .map(|(_, v)| v.trim().to_ascii_lowercase())?;
    if !matches!(transport.as_str(), "wss" | "ws")
        || host_port.is_empty()
        || host_port.contains('@')
    {
        return None;
    }
    let with_port = if host_port
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
    {
        host_port.to_string()
    } else {
        format!("{host_port}:{DEFAULT_WSS_PORT}")
    };
    Url::parse(&format!("wss://{with_port}/ws"))
        .ok()
        .map(|u| u.to_string())
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

    #[test]
    fn ice_servers_are_checked_and_a_bad_one_is_named_by_its_place() {
        let none = PhoneSettings::default();
        assert_eq!(
            none.ice_servers().unwrap(),
            vec![],
            "host candidates only by default"
        );
        let good = PhoneSettings {
            ice_servers: vec![
                "stun:stun.acme.example".into(),
                "turn:10.0.0.1:3479?transport=udp".into(),
            ],
            turn_username: "agent".into(),
            ..none.clone()
        };
        assert!(good.check().is_ok());
        assert_eq!(good.ice_servers().unwrap()[1].port, 3479);
        let nameless = PhoneSettings {
            turn_username: String::new(),
            ..good.clone()
        };
        assert!(nameless
            .check()
            .unwrap_err()
            .to_string()
            .contains("phone.turn_username"));
        let bad = PhoneSettings {
            ice_servers: vec!["stun:stun.acme.example".into(), "stun//x".into()],
            ..none
        };
        let err = bad.check().unwrap_err().to_string();
        assert!(
            err.contains(r#"phone.ice_servers[1]: "stun//x" is not a stun: or turn: URL"#),
            "{err}"
        );
    }

    #[test]
    fn settings_without_the_ice_keys_read_as_before() {
        let old: PhoneSettings =
            serde_json::from_str(r#"{"enabled": true, "server": "wss://pbx.acme:8089/ws"}"#)
                .unwrap();
        assert!(old.ice_servers.is_empty() && old.turn_username.is_empty());
        let set: PhoneSettings = serde_json::from_str(
            r#"{"ice_servers": ["stun:127.0.0.1:3478"], "turn_username": "agent"}"#,
        )
        .unwrap();
        assert_eq!(set.ice_servers, ["stun:127.0.0.1:3478"]);
        assert_eq!(set.turn_username, "agent");
    }

    #[test]
    fn the_peers_outbound_proxy_comes_between_the_setting_and_the_default() {
        let derived = PhoneSettings::default();
        let api = "https://acme.ucontactcloud.com";
        assert_eq!(
            derived
                .server_for_peer(api, "sip:pbx.acme.example:443;transport=wss;lr")
                .unwrap(),
            "wss://pbx.acme.example/ws",
            "443 is wss's own port"
        );
        assert_eq!(
            derived
                .server_for_peer(api, "sip:pbx.acme.example;transport=ws")
                .unwrap(),
            "wss://pbx.acme.example:8089/ws"
        );
        assert_eq!(
            derived
                .server_for_peer(api, "wss://edge.acme.example/sip")
                .unwrap(),
            "wss://edge.acme.example/sip"
        );
        for unusable in [
            "",
            "sip:pbx.acme.example:5060",
            "sip:pbx.acme.example;transport=udp",
            "nonsense",
        ] {
            assert_eq!(
                derived.server_for_peer(api, unusable).unwrap(),
                "wss://acme.ucontactcloud.com:8089/ws",
                "{unusable}"
            );
        }
        let set = PhoneSettings {
            server: "wss://chosen.example/ws".into(),
            ..derived
        };
        assert_eq!(
            set.server_for_peer(api, "wss://edge.acme.example/sip")
                .unwrap(),
            "wss://chosen.example/ws"
        );
    }
}

//! The SIP account the phone registers: the agent's peer from AgentLogin (`name`, `secret`) and where to reach
//! the server. The password lives in memory only and never prints.

use std::time::Duration;

use url::Url;
use zeroize::Zeroizing;

use crate::PhoneError;

/// The SIP password (AgentLogin's `secret`). `Debug` never shows it; the memory is wiped on drop.
#[derive(Clone)]
#[cfg_attr(not(feature = "calls"), allow(dead_code))]
pub struct SipPassword(Zeroizing<String>);

impl SipPassword {
    /// Holds `password` (AgentLogin's `secret`).
    pub fn new(password: impl Into<String>) -> SipPassword {
        SipPassword(Zeroizing::new(password.into()))
    }

    /// The password itself: the digest's and the proxy's `Proxy-Authorization` (the probe uses the proxy too).
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SipPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SipPassword(…)")
    }
}

/// Who registers, where, and for how long.
#[derive(Debug, Clone)]
pub struct SipAccount {
    /// The extension (AgentLogin's `name`): the user part of the address of record and the digest user name.
    pub user: String,
    /// The SIP password (AgentLogin's `secret`).
    pub password: SipPassword,
    /// The SIP domain of the address of record; the WSS host when the server names none.
    pub domain: String,
    /// The WebSocket address, `wss://host:port/path`.
    pub server: Url,
    /// Shown to the people the agent calls (AgentLogin's `fullname`), if any.
    pub display_name: Option<String>,
    /// The registration time asked for; the server may grant less.
    pub expires: Duration,
    /// How the connection reaches the server (the `[proxy]` setting).
    pub proxy: crate::ProxyRoute,
    /// The STUN and TURN servers each call gathers candidates from (`PhoneSettings::ice_servers`); empty: host
    /// candidates only.
    pub ice_servers: Vec<crate::IceServer>,
    /// The `turn:` servers' credentials; without them a `turn:` server is asked as a STUN server only.
    pub turn_credential: Option<crate::TurnCredential>,
}

impl SipAccount {
    /// An account for `user` on the WebSocket server `server`, with the server's host as the SIP domain.
    pub fn new(user: &str, password: SipPassword, server: &str) -> Result<SipAccount, PhoneError> {
        let user = user.trim();
        if user.is_empty()
            || user
                .chars()
                .any(|c| c.is_whitespace() || c == '@' || c == ':')
        {
            return Err(PhoneError::Invalid {
                name: "extension",
                detail: format!("{user:?} is not a SIP user name"),
            });
        }
        let server = wss_url(server)?;
        let domain = host_of(&server);
        Ok(SipAccount {
            user: user.to_string(),
            password,
            domain,
            server,
            display_name: None,
            expires: Duration::from_secs(600),
            proxy: crate::ProxyRoute::default(),
            ice_servers: Vec::new(),
            turn_credential: None,
        })
    }

    /// The address of record, `sip:user@domain`.
    pub fn aor(&self) -> String {
        format!("sip:{}@{}", self.user, self.domain)
    }
}

/// `server` as a secure WebSocket address with a host, or why it cannot be one.
pub(crate) fn wss_url(server: &str) -> Result<Url, PhoneError> {
    let url = Url::parse(server.trim()).map_err(|e| PhoneError::Invalid {
        name: "phone server address",
        detail: format!("{server:?} is not a URL ({e})"),
    })?;
    match url.scheme() {
        "wss" => {}
        "ws" => {
            return Err(PhoneError::NotSecure {
                address: url.to_string(),
            })
        }
        other => {
            return Err(PhoneError::Invalid {
                name: "phone server address",
                detail: format!("{other}:// is not a WebSocket address (wss://host:port/path)"),
            })
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(PhoneError::Invalid {
            name: "phone server address",
            detail: "it names no host".into(),
        });
    }
    Ok(url)
}

/// The host of a checked address, without an IPv6 address's brackets.
pub(crate) fn host_of(server: &Url) -> String {
    server
        .host_str()
        .unwrap_or_default()
        .trim_matches(['[', ']'])
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_never_prints() {
        let account = SipAccount::new(
            "9999",
            SipPassword::new("sip-9999"),
            "wss://pbx.example:8089/ws",
        )
        .unwrap();
        let shown = format!("{account:?}");
        assert!(!shown.contains("sip-9999"), "{shown}");
        assert_eq!(account.aor(), "sip:9999@pbx.example");
    }

    #[test]
    fn a_plain_websocket_address_is_refused_as_not_secure() {
        let err =
            SipAccount::new("9999", SipPassword::new("x"), "ws://pbx.example:8088/ws").unwrap_err();
        assert!(matches!(err, PhoneError::NotSecure { .. }), "{err}");
        let err =
            SipAccount::new("9999", SipPassword::new("x"), "https://pbx.example").unwrap_err();
        assert!(err.to_string().contains("not a WebSocket address"), "{err}");
        let err = SipAccount::new("99 99", SipPassword::new("x"), "wss://pbx.example").unwrap_err();
        assert!(err.to_string().contains("extension"), "{err}");
    }
}

//! The ICE servers a call gathers candidates from (`phone.ice_servers`): `stun:host[:port]` and
//! `turn:host[:port][?transport=udp]` (RFC 7064 and 7065 URIs, without the TLS schemes `stuns:` and `turns:`, and
//! TURN over UDP only). Parsed here, without I/O, so `PhoneSettings::check` refuses a bad entry by its place in the
//! list before the phone starts.

/// The keychain entry holding the `turn:` servers' password (service `ucontact-agent-companion`), as
/// `proxy-password` holds the proxy's.
pub const TURN_PASSWORD_KEY: &str = "turn-password";

/// The long-term credentials (RFC 8489 §9.2) of the `turn:` servers: the user name is `phone.turn_username`; the
/// password is not a setting: the shell reads it from the keychain entry [`TURN_PASSWORD_KEY`]. `Debug` never shows
/// the password, and its memory is wiped on drop.
#[derive(Clone)]
#[cfg_attr(not(feature = "calls"), allow(dead_code))]
pub struct TurnCredential {
    /// The user name.
    pub username: String,
    password: zeroize::Zeroizing<String>,
}

impl TurnCredential {
    /// `username` with `password`.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> TurnCredential {
        TurnCredential {
            username: username.into(),
            password: zeroize::Zeroizing::new(password.into()),
        }
    }

    #[cfg(feature = "calls")]
    pub(crate) fn password(&self) -> &str {
        &self.password
    }
}

impl std::fmt::Debug for TurnCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TurnCredential({:?}, …)", self.username)
    }
}

/// STUN's and TURN's port over UDP when the URL names none (RFC 8489).
pub const DEFAULT_STUN_PORT: u16 = 3478;

/// What a server is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IceServerKind {
    /// Binding requests: the address the server sees (a server-reflexive candidate).
    Stun,
    /// A TURN server, which answers Binding requests too (RFC 8656 §4).
    Turn,
}

/// One checked entry of `phone.ice_servers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IceServer {
    /// `stun:` or `turn:`.
    pub kind: IceServerKind,
    /// A host name or an IP address (without an IPv6 address's brackets).
    pub host: String,
    /// The UDP port.
    pub port: u16,
}

impl IceServer {
    /// Parses `url` (`stun:host[:port]`, `turn:host[:port][?transport=udp]`), or says why it is not one.
    pub fn parse(url: &str) -> Result<IceServer, String> {
        let text = url.trim();
        let not_a_url = || format!("{url:?} is not a stun: or turn: URL");
        let (scheme, rest) = text.split_once(':').ok_or_else(not_a_url)?;
        let kind = match scheme.to_ascii_lowercase().as_str() {
            "stun" => IceServerKind::Stun,
            "turn" => IceServerKind::Turn,
            "stuns" | "turns" => {
                return Err(format!(
                    "{url:?}: STUN and TURN over TLS ({scheme}:) are not supported; use stun: or turn: over UDP"
                ))
            }
            _ => return Err(not_a_url()),
        };
        let (authority, query) = match rest.split_once('?') {
            Some((authority, query)) => (authority, Some(query)),
            None => (rest, None),
        };
        if let Some(query) = query {
            // RFC 7065: `?transport=udp|tcp` on turn: only; this phone relays over UDP.
            let udp = query
                .split_once('=')
                .is_some_and(|(k, v)| k == "transport" && v.eq_ignore_ascii_case("udp"));
            if kind == IceServerKind::Stun || !udp {
                return Err(format!(
                    "{url:?}: only turn:…?transport=udp may carry a query (TURN over UDP)"
                ));
            }
        }
        // `//`, a user part or a path mean someone wrote a web-style URL (`stun://host`), which RFC 7064 is not.
        if authority.is_empty() || authority.contains(['/', '@', ' ']) {
            return Err(not_a_url());
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (host, after) = v6.split_once(']').ok_or_else(not_a_url)?;
            match after {
                "" => (host, None),
                _ => (host, Some(after.strip_prefix(':').ok_or_else(not_a_url)?)),
            }
        } else {
            match authority.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        if host.is_empty()
            || (authority.starts_with('[') && host.parse::<std::net::Ipv6Addr>().is_err())
        {
            return Err(not_a_url());
        }
        let port = match port {
            None => DEFAULT_STUN_PORT,
            Some(port) => match port.parse::<u16>() {
                Ok(p) if p != 0 => p,
                _ => return Err(format!("{url:?}: {port:?} is not a port")),
            },
        };
        Ok(IceServer {
            kind,
            host: host.to_string(),
            port,
        })
    }
}

impl std::fmt::Display for IceServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = match self.kind {
            IceServerKind::Stun => "stun",
            IceServerKind::Turn => "turn",
        };
        if self.host.contains(':') {
            write!(f, "{scheme}:[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{scheme}:{}:{}", self.host, self.port)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stun_and_turn_urls_parse_with_their_default_port() {
        let stun = IceServer::parse("stun:stun.example.com").unwrap();
        assert_eq!(
            stun,
            IceServer {
                kind: IceServerKind::Stun,
                host: "stun.example.com".into(),
                port: 3478
            }
        );
        assert_eq!(stun.to_string(), "stun:stun.example.com:3478");
        let turn = IceServer::parse(" turn:10.0.0.1:3479?transport=udp ").unwrap();
        assert_eq!((turn.kind, turn.port), (IceServerKind::Turn, 3479));
        let v6 = IceServer::parse("stun:[2001:db8::1]:19302").unwrap();
        assert_eq!((v6.host.as_str(), v6.port), ("2001:db8::1", 19302));
        assert_eq!(v6.to_string(), "stun:[2001:db8::1]:19302");
    }

    #[test]
    fn the_turn_password_never_prints() {
        let credential = TurnCredential::new("agent", "turn-secret");
        let shown = format!("{credential:?}");
        assert!(
            !shown.contains("turn-secret") && shown.contains("agent"),
            "{shown}"
        );
    }

    #[test]
    fn what_is_not_a_udp_stun_or_turn_url_is_refused_with_the_reason() {
        for (bad, why) in [
            ("stun//x", "is not a stun: or turn: URL"),
            ("stun://x:3478", "is not a stun: or turn: URL"),
            ("http:x", "is not a stun: or turn: URL"),
            ("stun:", "is not a stun: or turn: URL"),
            ("turn:u@x", "is not a stun: or turn: URL"),
            ("stun:[::1", "is not a stun: or turn: URL"),
            ("stun:x:0", "is not a port"),
            ("stun:x:99999", "is not a port"),
            ("stuns:x", "over TLS"),
            ("turn:x?transport=tcp", "TURN over UDP"),
            ("stun:x?transport=udp", "TURN over UDP"),
        ] {
            let err = IceServer::parse(bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
            assert!(err.contains(&format!("{bad:?}")), "{bad}: {err}");
        }
    }
}

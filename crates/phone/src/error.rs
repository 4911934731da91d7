//! What went wrong with the phone, in words an agent (and the support report) can act on. No variant carries the
//! SIP password, a digest response or an SDP key.

/// Why the phone is not registered, or why a request of the phone failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PhoneError {
    /// The registrar refused the SIP password (a second 401/407 after the credentials were sent, or a 403).
    #[error("the phone server refused the SIP password of extension {user} ({code})")]
    WrongPassword {
        /// The extension.
        user: String,
        /// 401, 407 or 403.
        code: u16,
    },
    /// The registrar answered with an error that retrying will not fix.
    #[error("the phone server refused to register extension {user}: {code} {reason}")]
    Refused {
        /// The extension.
        user: String,
        /// The SIP status code.
        code: u16,
        /// The server's reason phrase.
        reason: String,
    },
    /// No TCP connection (refused, no route, DNS) or it timed out.
    #[error("cannot reach the phone server at {address}: {detail}")]
    Unreachable {
        /// The WebSocket address.
        address: String,
        /// What failed, in words.
        detail: String,
    },
    /// A `ws://` address: the SIP password and the call's keys would cross the network in the clear.
    #[error("the phone server address {address} is not secure: it must start with wss://")]
    NotSecure {
        /// The address as given.
        address: String,
    },
    /// TLS failed: a certificate for another host, an unknown CA, an expired one, or no TLS on that port.
    #[error("the phone server at {address} failed the secure connection: {detail}")]
    Tls {
        /// The WebSocket address.
        address: String,
        /// What failed, in words.
        detail: String,
    },
    /// The server took the connection but is not a SIP-over-WebSocket server (no upgrade, no `sip` subprotocol).
    #[error("{address} is not a SIP-over-WebSocket server: {detail}")]
    NotSip {
        /// The WebSocket address.
        address: String,
        /// What failed, in words.
        detail: String,
    },
    /// The HTTP proxy on the way failed (unreachable, refused the tunnel, asked for credentials).
    #[error("the proxy {proxy} failed the connection to the phone server: {detail}")]
    Proxy {
        /// The proxy, without credentials.
        proxy: String,
        /// What failed, in words.
        detail: String,
    },
    /// No answer to a request within SIP's 32 s transaction time.
    #[error("the phone server did not answer {method} within {secs} s")]
    NoAnswer {
        /// The request that got no answer.
        method: String,
        /// How long the phone waited.
        secs: u64,
    },
    /// The connection dropped (the server closed it, or it stopped answering pings).
    #[error("the connection to the phone server dropped: {detail}")]
    Dropped {
        /// Why, in words.
        detail: String,
    },
    /// A setting that cannot work (an address that is not a URL, an empty extension).
    #[error("invalid phone setting {name}: {detail}")]
    Invalid {
        /// The setting.
        name: &'static str,
        /// What is wrong with it.
        detail: String,
    },
}

impl PhoneError {
    /// True when trying again later may work on its own (a drop, an unreachable server or proxy); false when someone
    /// must change something first (the password, the address, the certificate).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            PhoneError::Unreachable { .. }
                | PhoneError::NoAnswer { .. }
                | PhoneError::Dropped { .. }
                | PhoneError::Proxy { .. }
        )
    }
}

//! Secret values (passwords and session tokens) that must never leak.
//!
//! `Debug` and `Display` print `<redacted>`, there is deliberately no `Serialize`, and the bytes are overwritten when
//! the value is dropped, so a secret cannot end up in a log line, an error message or a settings file by accident.
//! The only way to read one is [`Secret::expose`], which makes every place a secret leaves its wrapper greppable.

use std::fmt;

/// A string that is redacted everywhere except through [`Secret::expose`].
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // Best effort: overwrite the heap buffer so the value does not linger in freed memory. `into_bytes` reuses
        // the String's buffer, so these are the very bytes that held the secret; black_box keeps the writes from
        // being optimised away as dead stores.
        let mut bytes = std::mem::take(&mut self.0).into_bytes();
        bytes.iter_mut().for_each(|b| *b = 0);
        std::hint::black_box(&bytes);
    }
}

macro_rules! secret_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Default)]
        pub struct $name(Secret);

        impl $name {
            /// Wraps the value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(Secret::new(value))
            }

            /// The value itself; see [`Secret::expose`].
            pub fn expose(&self) -> &str {
                self.0.expose()
            }

            /// True when the value is the empty string.
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("<redacted>")
            }
        }

        impl From<Secret> for $name {
            fn from(secret: Secret) -> Self {
                Self(secret)
            }
        }
    };
}

secret_newtype!(
    /// A session token: AgentLogin's `md5secret` or getUserToken's answer (base64 of `user:uuid`). It is sent as
    /// `Authorization: Basic <token>` exactly as issued, never encoded again.
    Token
);
secret_newtype!(
    /// An agent's or API user's password.
    Password
);
secret_newtype!(
    /// The SIP password of the agent's peer (AgentLogin's `secret`): held in memory for the app's phone only.
    SipSecret
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let token = Token::new("QWxpY2U6c2VjcmV0");
        let password = Password::new("hunter2");
        assert_eq!(format!("{token:?}"), "Token(<redacted>)");
        assert_eq!(format!("{token}"), "<redacted>");
        assert_eq!(format!("{password:?}"), "Password(<redacted>)");
        assert_eq!(format!("{password}"), "<redacted>");
        assert_eq!(format!("{:?}", Secret::new("x")), "<redacted>");
        assert_eq!(format!("{}", Secret::new("x")), "<redacted>");
        assert_eq!(token.expose(), "QWxpY2U6c2VjcmV0");
        assert_eq!(password.expose(), "hunter2");
    }

    #[test]
    fn secrets_inside_other_types_stay_redacted() {
        #[derive(Debug)]
        #[allow(dead_code)] // read only through Debug
        struct Session {
            user: String,
            token: Option<Token>,
        }
        let debug = format!(
            "{:#?}",
            Session {
                user: "alice".into(),
                token: Some(Token::new("YWxpY2U6OWQ0"))
            }
        );
        assert!(
            debug.contains("alice") && !debug.contains("YWxpY2U6OWQ0"),
            "{debug}"
        );
    }

    #[test]
    fn equality_compares_the_values() {
        assert_eq!(Token::new("a"), Token::new("a"));
        assert_ne!(Token::new("a"), Token::new("b"));
        assert!(Token::default().is_empty());
    }
}

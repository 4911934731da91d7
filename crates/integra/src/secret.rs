//! Secret values (passwords and session tokens) that must never leak.
//!
//! `Debug` and `Display` print `<redacted>`, there is deliberately no `Serialize`, and the bytes are overwritten when
//! the value is dropped, so a secret cannot end up in a log line, an error message or a settings file by accident.

use std::fmt;

/// A string that is redacted everywhere except through [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself. Call sites of this method are the only places a secret leaves its wrapper.
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
        // Best effort: overwrite the heap buffer so the secret does not linger in freed memory.
        // SAFETY-free: replacing every byte with 0 keeps the String valid UTF-8.
        let bytes = std::mem::take(&mut self.0).into_bytes();
        let mut bytes = bytes;
        bytes.iter_mut().for_each(|b| *b = 0);
        std::hint::black_box(&bytes);
    }
}

macro_rules! secret_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
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
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "(<redacted>)"))
            }
        }
    };
}

secret_newtype!(
    /// A session token: AgentLogin's `md5secret` or getUserToken's answer, sent as `Authorization: Basic <token>`.
    Token
);
secret_newtype!(
    /// An agent's or API user's password.
    Password
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let token = Token::new("QWxpY2U6c2VjcmV0");
        let password = Password::new("hunter2");
        assert_eq!(format!("{token:?}"), "Token(<redacted>)");
        assert_eq!(format!("{password:?}"), "Password(<redacted>)");
        assert_eq!(format!("{}", Secret::new("x")), "<redacted>");
        assert_eq!(token.expose(), "QWxpY2U6c2VjcmV0");
    }
}

//! Where secrets live: the OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows), and nowhere else. A missing entry is `Ok(None)`, not an error.

use parking_lot::Mutex;
use std::collections::HashMap;

use agent_error::{AgentError, ErrorCode, Phrase, Result};

/// The keychain service name of the app.
pub const SERVICE: &str = "ucontact-agent-companion";

/// Secret storage by key.
pub trait SecretStore: Send + Sync {
    /// The secret under `key`, if any.
    fn get(&self, key: &str) -> Result<Option<String>>;
    /// Stores (or replaces) the secret under `key`.
    fn set(&self, key: &str, value: &str) -> Result<()>;
    /// Forgets `key`; forgetting a missing key is fine.
    fn delete(&self, key: &str) -> Result<()>;
}

/// The OS keychain.
#[derive(Debug, Default, Clone)]
pub struct Keychain;

fn unavailable(err: keyring::Error) -> AgentError {
    // keyring's messages describe the platform failure, never the secret.
    AgentError::phrased(
        ErrorCode::KeychainUnavailable,
        Phrase::new("error.keychain.unavailable").with("detail", err.to_string()),
        format!("the system keychain cannot be used ({err}); the app keeps passwords nowhere else, so sign-in cannot be remembered"),
    )
}

impl SecretStore for Keychain {
    fn get(&self, key: &str) -> Result<Option<String>> {
        match keyring::Entry::new(SERVICE, key)
            .map_err(unavailable)?
            .get_password()
        {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn set(&self, key: &str, value: &str) -> Result<()> {
        keyring::Entry::new(SERVICE, key)
            .map_err(unavailable)?
            .set_password(value)
            .map_err(unavailable)
    }

    fn delete(&self, key: &str) -> Result<()> {
        match keyring::Entry::new(SERVICE, key)
            .map_err(unavailable)?
            .delete_credential()
        {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }
}

/// In-memory secrets, for tests.
#[derive(Debug, Default)]
pub struct MemoryStore(Mutex<HashMap<String, String>>);

impl SecretStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>> {
        Ok(self.0.lock().get(key).cloned())
    }

    fn set(&self, key: &str, value: &str) -> Result<()> {
        self.0.lock().insert(key.into(), value.into());
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<()> {
        self.0.lock().remove(key);
        Ok(())
    }
}

/// Key of the agent's password for a server.
pub fn password_key(agent: &str, server: &str) -> String {
    format!("password:{agent}@{server}")
}

/// Key of the session token for a server.
pub fn token_key(agent: &str, server: &str) -> String {
    format!("token:{agent}@{server}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real keychain; CI runs it inside a D-Bus session with an unlocked gnome-keyring.
    #[test]
    fn keychain_round_trip_when_a_secret_service_is_there() {
        if std::env::var("UCAC_TEST_KEYRING").as_deref() != Ok("1") {
            eprintln!(
                "skipped: set UCAC_TEST_KEYRING=1 inside a D-Bus session with a Secret Service"
            );
            return;
        }
        let key = format!("test:{}", std::process::id());
        let chain = Keychain;
        assert_eq!(chain.get(&key).unwrap(), None);
        chain.set(&key, "s3cret").unwrap();
        assert_eq!(chain.get(&key).unwrap().as_deref(), Some("s3cret"));
        chain.delete(&key).unwrap();
        chain.delete(&key).unwrap();
        assert_eq!(chain.get(&key).unwrap(), None);
    }
}

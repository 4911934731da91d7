//! The browser bridge's pairing token in the OS keychain (the bridge itself, the loopback HTTP server and its
//! request vocabulary, is the `bridge` crate, which knows no keychain).

use bridge::PairingToken;

use agent_error::Result;
use keychain::SecretStore;

/// Keychain key of the pairing token (service [`keychain::SERVICE`]).
pub const PAIRING_KEY: &str = "bridge:pairing-token";

/// The pairing token from the keychain, made and stored there on first use.
pub fn pairing_token(store: &dyn SecretStore) -> Result<PairingToken> {
    if let Some(token) = store
        .get(PAIRING_KEY)?
        .as_deref()
        .and_then(PairingToken::parse)
    {
        return Ok(token);
    }
    rotate_pairing_token(store)
}

/// Re-pairs: a new token replaces the old one in the keychain, so every page paired before is refused until the
/// agent pastes the new code. Give the new token to a running bridge with [`BridgeHandle::set_token`].
pub fn rotate_pairing_token(store: &dyn SecretStore) -> Result<PairingToken> {
    let token = PairingToken::generate()?;
    store.set(PAIRING_KEY, token.expose())?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use keychain::MemoryStore;

    #[test]
    fn the_token_is_made_once_and_kept_in_the_store() {
        let store = MemoryStore::default();
        let first = pairing_token(&store).unwrap();
        assert_eq!(first.expose().len(), 64);
        assert_eq!(
            store.get(PAIRING_KEY).unwrap().as_deref(),
            Some(first.expose())
        );
        assert_eq!(pairing_token(&store).unwrap(), first);
    }

    #[test]
    fn re_pairing_replaces_the_token() {
        let store = MemoryStore::default();
        let old = pairing_token(&store).unwrap();
        let new = rotate_pairing_token(&store).unwrap();
        assert_ne!(old, new);
        assert_eq!(pairing_token(&store).unwrap(), new);
        assert!(!new.matches(old.expose()));
    }

    #[test]
    fn a_damaged_stored_token_is_replaced_not_trusted() {
        let store = MemoryStore::default();
        store.set(PAIRING_KEY, "1234").unwrap();
        let token = pairing_token(&store).unwrap();
        assert_ne!(token.expose(), "1234");
        assert_eq!(
            store.get(PAIRING_KEY).unwrap().as_deref(),
            Some(token.expose())
        );
    }
}

//! The one place secrets are kept between runs: an OS keychain entry (service `ucontact-integra-cli`, account = the
//! server root), holding the session `integra login` opened and, after `login --save`, the password to renew it.
//! One session per server: the entry says whose it is, so later commands need no --user.

use integra::{Password, Token};
use serde::{Deserialize, Serialize};

use crate::failure::Failure;

const SERVICE: &str = "ucontact-integra-cli";

/// The agent's identity from AgentLogin (nothing secret); `call` and `hangup` take their defaults from it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Agent user name.
    pub agent: String,
    /// Extension (the phone AgentCall rings first).
    pub extension: String,
    /// Dialplan context.
    pub context: String,
    /// Display name.
    pub fullname: String,
    /// The agent's DID, when the server sets one: the default caller id of a call.
    #[serde(default)]
    pub did: String,
}

/// A session kept in the keychain. Debug shows no secret (Token and Password redact themselves).
#[derive(Debug, Clone)]
pub struct StoredSession {
    /// Whose session it is.
    pub user: String,
    /// Signed in with getUserToken rather than AgentLogin.
    pub api_user: bool,
    /// The session token.
    pub token: Token,
    /// The agent's identity (agents only).
    pub profile: Option<Profile>,
    /// The password, only after `login --save`.
    pub password: Option<Password>,
}

/// The entry's text: JSON, only ever written to the keychain.
#[derive(Serialize, Deserialize)]
struct Wire {
    user: String,
    api_user: bool,
    token: String,
    profile: Option<Profile>,
    #[serde(default)]
    password: Option<String>,
}

/// The OS keychain, or why there is none.
fn entry(server: &str) -> Result<keyring::Entry, Failure> {
    // keyring 3 quietly falls back to an in-memory store where no native store was compiled in; a session kept
    // there would vanish when the process ends, so say so instead of pretending. The workspace enables the
    // Secret Service (Linux, BSD), Keychain (macOS) and Credential Manager (Windows) backends.
    if !cfg!(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "macos",
        target_os = "windows"
    )) {
        return Err(Failure::Credentials(format!(
            "this build of integra has no OS keychain support on {}: use --password-stdin or --no-keychain",
            std::env::consts::OS
        )));
    }
    keyring::Entry::new(SERVICE, server).map_err(unavailable)
}

fn unavailable(err: keyring::Error) -> Failure {
    Failure::Credentials(format!(
        "the OS keychain is not available ({err}); use --password-stdin or --no-keychain"
    ))
}

/// The session kept for `server`, if any. An entry that cannot be read as one counts as none.
pub fn load(server: &str) -> Result<Option<StoredSession>, Failure> {
    let text = match entry(server)?.get_password() {
        Ok(text) => text,
        Err(keyring::Error::NoEntry) => return Ok(None),
        Err(err) => return Err(unavailable(err)),
    };
    let Ok(wire) = serde_json::from_str::<Wire>(&text) else {
        return Ok(None);
    };
    Ok(Some(StoredSession {
        user: wire.user,
        api_user: wire.api_user,
        token: Token::new(wire.token),
        profile: wire.profile,
        password: wire.password.map(Password::new),
    }))
}

/// Keeps `session` for `server`, replacing what was there.
pub fn save(server: &str, session: &StoredSession) -> Result<(), Failure> {
    let wire = Wire {
        user: session.user.clone(),
        api_user: session.api_user,
        token: session.token.expose().to_string(),
        profile: session.profile.clone(),
        password: session.password.as_ref().map(|p| p.expose().to_string()),
    };
    let text = serde_json::to_string(&wire)
        .map_err(|e| Failure::Usage(format!("cannot encode the session: {e}")))?;
    entry(server)?.set_password(&text).map_err(unavailable)
}

/// Deletes the entry of `server`; false if there was none.
pub fn forget(server: &str) -> Result<bool, Failure> {
    match entry(server)?.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(err) => Err(unavailable(err)),
    }
}

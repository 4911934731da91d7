//! Signing in, and where the session lives between commands.
//!
//! `integra login` keeps the session token (and the agent's non-secret identity) in the OS keychain, under the
//! service `ucontact-integra-cli` and the account `<user>@<server>`. Any command given `--password-stdin` signs in
//! for that command only, stores nothing, and ends the session when done: the mode for scripts and CI.

use std::io::{BufRead, IsTerminal};

use integra::{Client, Error, Password, Token};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::failure::Failure;

const KEYCHAIN_SERVICE: &str = "ucontact-integra-cli";

/// The signed-in agent's identity (nothing secret), as AgentLogin gave it.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Profile {
    /// Agent user name.
    pub agent: String,
    /// Extension.
    pub extension: String,
    /// Dialplan context.
    pub context: String,
    /// Display name.
    pub fullname: String,
}

/// What the keychain entry holds.
#[derive(Serialize, Deserialize)]
struct Stored {
    token: String,
    api_user: bool,
    profile: Option<Profile>,
}

/// A usable session.
pub struct Session {
    /// The client, with its token set.
    pub client: Client,
    /// The user name.
    pub user: String,
    /// Agent identity, when signed in as an agent.
    pub profile: Option<Profile>,
    api_user: bool,
    ephemeral: bool,
}

fn entry(config: &Config) -> Result<keyring::Entry, Failure> {
    keyring::Entry::new(
        KEYCHAIN_SERVICE,
        &format!("{}@{}", config.user, config.server),
    )
    .map_err(|e| Failure::local(format!("the OS keychain is not usable: {e}")))
}

/// Reads the password: from standard input with `--password-stdin`, else from a prompt on the terminal.
pub fn read_password(config: &Config, from_stdin: bool) -> Result<Password, Failure> {
    let password = if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::usage(format!("cannot read the password: {e}")))?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!(
            "Password for {} at {}: ",
            config.user, config.server
        ))
        .map_err(|e| Failure::usage(format!("cannot read the password: {e}")))?
    } else {
        return Err(Failure::usage(
            "no terminal to ask for the password: pipe it in with --password-stdin",
        ));
    };
    if password.is_empty() {
        return Err(Failure::usage("the password is empty"));
    }
    Ok(Password::new(password))
}

/// Signs in with the password and returns the session (token set on the client).
pub async fn sign_in(
    config: &Config,
    password: &Password,
    ephemeral: bool,
) -> Result<Session, Failure> {
    let client = config.client()?;
    let wrong = |e: Error| match e {
        Error::Rejected { .. } => Failure::auth(format!(
            "wrong user or password for {} at {}",
            config.user, config.server
        )),
        other => other.into(),
    };
    let (token, profile) = if config.api_user {
        (
            client
                .user_token(&config.user, password)
                .await
                .map_err(wrong)?,
            None,
        )
    } else {
        let record = client
            .agent_login(&config.user, password)
            .await
            .map_err(wrong)?;
        let profile = Profile {
            agent: config.user.clone(),
            extension: record.extension().to_string(),
            context: record.context.clone(),
            fullname: record.fullname.clone(),
        };
        (record.token(), Some(profile))
    };
    client.set_token(Some(token));
    Ok(Session {
        client,
        user: config.user.clone(),
        profile,
        api_user: config.api_user,
        ephemeral,
    })
}

impl Session {
    /// The session for a command: signed in now with `--password-stdin`, or the one `integra login` stored.
    pub async fn open(config: &Config, password_stdin: bool) -> Result<Session, Failure> {
        if password_stdin {
            let password = read_password(config, true)?;
            return sign_in(config, &password, true).await;
        }
        let not_signed_in = || {
            Failure::auth(format!(
                "not signed in to {} as {}: run `integra login` or pass --password-stdin",
                config.server, config.user
            ))
        };
        let secret = match entry(config)?.get_password() {
            Ok(secret) => secret,
            Err(keyring::Error::NoEntry) => return Err(not_signed_in()),
            Err(e) => {
                return Err(Failure::local(format!(
                    "cannot read the OS keychain ({e}); pass --password-stdin instead"
                )))
            }
        };
        let stored: Stored = serde_json::from_str(&secret).map_err(|_| not_signed_in())?;
        let client = config.client()?;
        client.set_token(Some(Token::new(stored.token)));
        Ok(Session {
            client,
            user: config.user.clone(),
            profile: stored.profile,
            api_user: stored.api_user,
            ephemeral: false,
        })
    }

    /// Keeps the token in the keychain for later commands.
    pub fn store(&self, config: &Config) -> Result<(), Failure> {
        let token = self
            .client
            .token()
            .ok_or_else(|| Failure::local("no token to store"))?;
        let stored = Stored {
            token: token.expose().to_string(),
            api_user: self.api_user,
            profile: self.profile.clone(),
        };
        let text = serde_json::to_string(&stored).map_err(|e| Failure::local(e.to_string()))?;
        entry(config)?
            .set_password(&text)
            .map_err(|e| Failure::local(format!("cannot store the session in the OS keychain ({e}); use --password-stdin per command")))
    }

    /// Ends the session on the server (AgentLogoff for agents, then EndSession) and forgets the stored token.
    pub async fn end(self, config: &Config) -> Result<(), Failure> {
        if let Some(profile) = &self.profile {
            let logoff = integra::AgentLogoff {
                agent: profile.agent.clone(),
                interface: format!("SIP/{}", profile.extension),
                message: "integra logout".into(),
            };
            // An expired session cannot log off; the token is forgotten all the same.
            let _ = self.client.agent_logoff(&logoff).await;
        }
        let result = match self.client.token() {
            Some(token) => self.client.end_session(&self.user, &token).await,
            None => Ok(()),
        };
        if !self.ephemeral {
            match entry(config)?.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => {}
                Err(e) => {
                    return Err(Failure::local(format!(
                        "cannot remove the token from the OS keychain: {e}"
                    )))
                }
            }
        }
        match result {
            Ok(()) | Err(Error::Unauthorized { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// After a command: a `--password-stdin` session is ended on the server (best effort).
    pub async fn finish(self) {
        if self.ephemeral {
            if let Some(token) = self.client.token() {
                let _ = self.client.end_session(&self.user, &token).await;
            }
        }
    }

    /// The agent identity, or a clear error for commands that need one.
    pub fn profile(&self) -> Result<&Profile, Failure> {
        self.profile
            .as_ref()
            .ok_or_else(|| Failure::usage("this needs an agent's identity: sign in as an agent, or pass --agent, --phone and --context"))
    }
}

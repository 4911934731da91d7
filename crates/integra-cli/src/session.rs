//! Signing in, and which session a command runs under.
//!
//! Two modes. **Keychain** (the default): commands use the session `integra login` kept in the OS keychain; when
//! the server says it expired (401), it is renewed with the password `login --save` kept, or one asked on the
//! terminal, and the command is sent again (a 401 means the server did nothing). **Scripted** (`--password-stdin`
//! or `--no-keychain`): the command signs in for itself, never touches the keychain, and ends its session after.
//!
//! The password comes from, in order: standard input with `--password-stdin`, the keychain after `login --save`,
//! a prompt on the terminal. Never from a flag or the environment.

use std::io::{BufRead, IsTerminal};

use integra::{Client, Error, Password, Token};

use crate::cli::GlobalArgs;
use crate::config::Config;
use crate::failure::Failure;
use crate::keychain::{self, Profile, StoredSession};

/// Reads the password from the first line of standard input.
pub fn password_from_stdin() -> Result<Password, Failure> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        Failure::Usage(format!("cannot read the password from standard input: {e}"))
    })?;
    let password = line.trim_end_matches(['\r', '\n']);
    if password.is_empty() {
        return Err(Failure::Usage(
            "--password-stdin: standard input held no password (the first line is empty)".into(),
        ));
    }
    Ok(Password::new(password))
}

/// Asks for the password on the terminal, without echo.
pub fn password_from_prompt(user: &str, server: &str) -> Result<Password, Failure> {
    // Without a terminal (a script, a pipe) a prompt would hang or read garbage; say what to do instead.
    if !std::io::stdin().is_terminal() {
        return Err(Failure::Usage(
            "no terminal to ask for the password: pipe it in with --password-stdin".into(),
        ));
    }
    let password = rpassword::prompt_password(format!("Password for {user} at {server}: "))
        .map_err(|e| Failure::Usage(format!("cannot read the password: {e}")))?;
    if password.is_empty() {
        return Err(Failure::Usage("the password is empty".into()));
    }
    Ok(Password::new(password))
}

/// The password for a sign-in the user asked for: standard input with `--password-stdin`, else a prompt.
pub fn password(args: &GlobalArgs, user: &str, server: &str) -> Result<Password, Failure> {
    if args.password_stdin {
        password_from_stdin()
    } else {
        password_from_prompt(user, server)
    }
}

/// Signs in: AgentLogin for agents (the token and the agent's identity), getUserToken for API users.
pub async fn sign_in(
    client: &Client,
    user: &str,
    api_user: bool,
    password: &Password,
) -> Result<(Token, Option<Profile>), Failure> {
    let wrong = |err: Error| match err {
        Error::Rejected { .. } => Failure::Credentials(format!(
            "wrong user or password for {user} at {}{}",
            client.base_url(),
            if api_user {
                ""
            } else {
                " (for an API user, add --api-user)"
            }
        )),
        other => other.into(),
    };
    if api_user {
        let token = client.user_token(user, password).await.map_err(wrong)?;
        return Ok((token, None));
    }
    let record = client.agent_login(user, password).await.map_err(wrong)?;
    let profile = Profile {
        agent: user.to_string(),
        extension: record.extension().to_string(),
        context: record.context.clone(),
        fullname: record.fullname.clone(),
        did: record.did.clone(),
    };
    Ok((record.token(), Some(profile)))
}

/// Where the session came from.
enum Mode {
    /// Kept in the keychain by `integra login`; `password` only after `login --save`.
    Keychain { password: Option<Password> },
    /// Opened for this command only.
    Scripted,
}

/// A signed-in client and who it is.
pub struct Session {
    /// The client, with the session token set.
    pub client: Client,
    /// The user name.
    pub user: String,
    /// Signed in as an API user.
    pub api_user: bool,
    /// The agent's identity (agents only).
    pub profile: Option<Profile>,
    mode: Mode,
}

impl Session {
    /// True when this run must not use the keychain.
    pub fn is_scripted(args: &GlobalArgs) -> bool {
        args.no_keychain || args.password_stdin
    }

    /// The session a command (other than login/logout) runs under.
    pub async fn open(config: &Config, args: &GlobalArgs) -> Result<Session, Failure> {
        let client = config.client()?;
        if Self::is_scripted(args) {
            let user = config.require_user()?;
            let password = password(args, user, client.base_url().as_str())?;
            let (token, profile) = sign_in(&client, user, config.api_user, &password).await?;
            client.set_token(Some(token));
            return Ok(Session {
                client,
                user: user.to_string(),
                api_user: config.api_user,
                profile,
                mode: Mode::Scripted,
            });
        }
        let server = client.base_url().to_string();
        let Some(stored) = keychain::load(&server)? else {
            return Err(Failure::Credentials(format!(
                "not signed in to {server}: run `integra login --user NAME` first, or pass --password-stdin"
            )));
        };
        if let Some(user) = config.user.as_deref().filter(|u| *u != stored.user) {
            return Err(Failure::Credentials(format!(
                "the keychain holds {}'s session for {server}, not {user}'s: run `integra login --user {user}`",
                stored.user
            )));
        }
        client.set_token(Some(stored.token));
        Ok(Session {
            client,
            user: stored.user,
            api_user: stored.api_user,
            profile: stored.profile,
            mode: Mode::Keychain {
                password: stored.password,
            },
        })
    }

    /// After a 401 in keychain mode: signs in again (saved password, else a prompt on a terminal) and keeps the
    /// new token. False when there is no way to get a password; the caller reports the 401.
    pub async fn renew(&mut self) -> Result<bool, Failure> {
        let Mode::Keychain { password } = &self.mode else {
            return Ok(false);
        };
        let server = self.client.base_url().to_string();
        let password = match password {
            Some(saved) => saved.clone(),
            None if std::io::stdin().is_terminal() => {
                eprintln!("integra: the session for {server} expired; sign in again.");
                password_from_prompt(&self.user, &server)?
            }
            None => return Ok(false),
        };
        let saved = matches!(&self.mode, Mode::Keychain { password: Some(_) });
        let (token, profile) = sign_in(&self.client, &self.user, self.api_user, &password).await?;
        keychain::save(
            &server,
            &StoredSession {
                user: self.user.clone(),
                api_user: self.api_user,
                token: token.clone(),
                profile: profile.clone(),
                password: saved.then(|| password.clone()),
            },
        )?;
        self.client.set_token(Some(token));
        self.profile = profile;
        Ok(true)
    }

    /// After the command: a scripted session is ended on the server (EndSession). `warn` says whether a failure to
    /// end it is worth a warning (not when the command itself already failed to reach the server).
    pub async fn finish(self, warn: bool) {
        if !matches!(self.mode, Mode::Scripted) {
            return;
        }
        let Some(token) = self.client.token() else {
            return;
        };
        if let Err(err) = self.client.end_session(&self.user, &token).await {
            if warn {
                eprintln!(
                    "integra: warning: the session was not ended ({err}); it expires by itself"
                );
            }
        }
    }

    /// The agent's identity, or a clear error naming the flags that replace it.
    pub fn profile(&self, flags: &str) -> Result<&Profile, Failure> {
        self.profile.as_ref().ok_or_else(|| {
            Failure::Usage(format!(
                "{} is signed in as an API user, which has no phone: pass {flags}",
                self.user
            ))
        })
    }
}

//! `login` and `logout`: they open and end sessions themselves instead of running inside one.

use clap::Args;
use integra::{AgentLogoff, Client, Error};
use serde_json::json;

use crate::cli::GlobalArgs;
use crate::config::Config;
use crate::failure::Failure;
use crate::keychain::{self, Profile, StoredSession};
use crate::output::Output;
use crate::session::{self, sign_in, Session};

/// `integra login`.
#[derive(Debug, Clone, Args)]
pub struct LoginArgs {
    /// Also keep the password in the OS keychain, so an expired session is renewed without asking.
    #[arg(long)]
    pub save: bool,
}

/// `integra logout`.
#[derive(Debug, Clone, Args)]
pub struct LogoutArgs {
    /// Also log the agent off the queues (AgentLogoff) before ending the session: the end of the agent's day.
    #[arg(long)]
    pub agent_logoff: bool,
    /// Message for AgentLogoff (the server keeps it in its queue log).
    #[arg(long, default_value = "integra logout", requires = "agent_logoff")]
    pub message: String,
}

/// Signs in and keeps the session in the keychain; with --no-keychain only checks the credentials.
pub async fn login(
    config: &Config,
    global: &GlobalArgs,
    args: LoginArgs,
    out: Output,
) -> Result<(), Failure> {
    if args.save && global.no_keychain {
        return Err(Failure::Usage(
            "--save keeps the password in the OS keychain; it cannot go with --no-keychain".into(),
        ));
    }
    let user = config.require_user()?;
    let client = config.client()?;
    let server = client.base_url().to_string();
    let password = session::password(global, user, &server)?;
    let (token, profile) = sign_in(&client, user, config.api_user, &password).await?;
    let kept = !global.no_keychain;
    if kept {
        // A session this replaces would stay alive on the server until it expires: end it first.
        if let Ok(Some(old)) = keychain::load(&server) {
            let _ = client.end_session(&old.user, &old.token).await;
        }
        let stored = StoredSession {
            user: user.to_string(),
            api_user: config.api_user,
            token: token.clone(),
            profile: profile.clone(),
            password: args.save.then_some(password),
        };
        if let Err(failure) = keychain::save(&server, &stored) {
            // Nowhere to keep the token: do not leave it alive on the server either.
            let _ = client.end_session(user, &token).await;
            return Err(failure);
        }
    } else {
        client.end_session(user, &token).await?;
    }
    let where_kept = match (kept, args.save) {
        (false, _) => "credentials checked; the session was ended (--no-keychain)",
        (true, false) => "the session is kept in the OS keychain",
        (true, true) => "the session and the password are kept in the OS keychain",
    };
    out.show(
        &json!({
            "ok": true,
            "server": server,
            "user": user,
            "api_user": config.api_user,
            "agent": profile,
            "kept_in_keychain": kept,
            "password_saved": kept && args.save,
        }),
        || format!("signed in as {}; {where_kept}", who(user, profile.as_ref())),
    );
    Ok(())
}

fn who(user: &str, profile: Option<&Profile>) -> String {
    match profile {
        Some(p) => format!(
            "{} ({}), extension {}, context {}",
            p.agent, p.fullname, p.extension, p.context
        ),
        None => format!("API user {user}"),
    }
}

/// Ends the session on the server and forgets it; idempotent when not signed in.
pub async fn logout(
    config: &Config,
    global: &GlobalArgs,
    args: LogoutArgs,
    out: Output,
) -> Result<(), Failure> {
    if Session::is_scripted(global) {
        let session = Session::open(config, global).await?;
        end(
            &session.client,
            &session.user,
            session.profile.as_ref(),
            &args,
        )
        .await?;
        out.done(
            &format!("signed out {}", session.user),
            json!({ "user": session.user }),
        );
        return Ok(());
    }
    let client = config.client()?;
    let server = client.base_url().to_string();
    let Some(stored) = keychain::load(&server)? else {
        out.done(
            &format!("not signed in to {server}; nothing to do"),
            json!({ "server": server, "was_signed_in": false }),
        );
        return Ok(());
    };
    client.set_token(Some(stored.token.clone()));
    let ended = end(&client, &stored.user, stored.profile.as_ref(), &args).await;
    // Forget it here whatever the server said: the user asked to be signed out of this machine.
    keychain::forget(&server)?;
    if let Err(failure) = ended {
        eprintln!("integra: the session is deleted from the keychain, but the server was not told; it expires by itself");
        return Err(failure);
    }
    out.done(
        &format!(
            "signed out {} from {server}; the session is deleted from the keychain",
            stored.user
        ),
        json!({ "server": server, "user": stored.user, "was_signed_in": true }),
    );
    Ok(())
}

/// AgentLogoff when asked (agents only), then EndSession. A token the server already dropped (401 or `0` on
/// EndSession) counts as ended.
async fn end(
    client: &Client,
    user: &str,
    profile: Option<&Profile>,
    args: &LogoutArgs,
) -> Result<(), Failure> {
    if args.agent_logoff {
        let profile = profile.ok_or_else(|| {
            Failure::Usage(format!(
                "{user} is an API user: --agent-logoff is for agents"
            ))
        })?;
        let logoff = AgentLogoff {
            agent: profile.agent.clone(),
            interface: format!("SIP/{}", profile.extension),
            message: args.message.clone(),
        };
        client.agent_logoff(&logoff).await?;
    }
    let Some(token) = client.token() else {
        return Ok(());
    };
    match client.end_session(user, &token).await {
        Ok(()) | Err(Error::Unauthorized { .. } | Error::Rejected { .. }) => Ok(()),
        Err(err) => Err(err.into()),
    }
}

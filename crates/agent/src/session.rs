//! Signing in and out. The password and the token go to the OS keychain only; the next start signs in by itself
//! from there. Sign-out ends the session on the server (AgentLogoff, EndSession) and forgets both.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use integra::{Client, Password, Token};

use crate::courier::{SignIn, SignInFuture};
use crate::error::{AgentError, ErrorCode, Result};
use crate::profile::{Identity, IdentityOverrides};
use crate::secrets::{password_key, token_key, SecretStore};

/// A signed-in agent: the client (with its token) and the identity.
#[derive(Debug, Clone)]
pub struct Session {
    /// The client; clones share the token.
    pub client: Client,
    /// Who is signed in.
    pub identity: Identity,
    /// The server root as the agent typed it.
    pub server_url: String,
}

/// The client for a server. TLS is always verified; `ca_certificate` (a PEM file) adds one trusted authority for
/// on-premise servers with a private CA. There is no switch to accept invalid certificates.
fn client_for(server_url: &str, ca_certificate: Option<&Path>) -> Result<Client> {
    let mut builder = Client::builder(server_url).timeout(Duration::from_secs(15));
    if let Some(path) = ca_certificate {
        let pem = std::fs::read(path).map_err(|e| {
            AgentError::new(
                ErrorCode::InvalidSettings,
                format!("cannot read the CA certificate {}: {e}", path.display()),
            )
        })?;
        builder = builder.extra_root_certificate_pem(pem);
    }
    builder
        .build()
        .map_err(|e| AgentError::new(ErrorCode::InvalidSettings, e.to_string()))
}

fn login_error(err: integra::Error, agent: &str) -> AgentError {
    match err {
        integra::Error::Rejected { .. } => AgentError::new(
            ErrorCode::WrongCredentials,
            format!("wrong user or password for {agent}"),
        ),
        integra::Error::Connect { .. }
        | integra::Error::Timeout { .. }
        | integra::Error::Transport { .. } => AgentError::new(
            ErrorCode::ServerUnreachable,
            format!("cannot reach the uContact server: {err}"),
        ),
        other => other.into(),
    }
}

impl Session {
    /// Signs in with AgentLogin and remembers the password and token in the keychain.
    pub async fn sign_in(
        server_url: &str,
        agent: &str,
        password: &Password,
        overrides: &IdentityOverrides,
        secrets: &dyn SecretStore,
    ) -> Result<Session> {
        Self::sign_in_trusting(server_url, None, agent, password, overrides, secrets).await
    }

    /// [`Session::sign_in`] to a server whose certificate comes from a private CA (`ca_certificate`, PEM).
    pub async fn sign_in_trusting(
        server_url: &str,
        ca_certificate: Option<&Path>,
        agent: &str,
        password: &Password,
        overrides: &IdentityOverrides,
        secrets: &dyn SecretStore,
    ) -> Result<Session> {
        if agent.trim().is_empty() {
            return Err(AgentError::invalid("type your agent user name"));
        }
        let client = client_for(server_url, ca_certificate)?;
        let record = client
            .agent_login(agent.trim(), password)
            .await
            .map_err(|e| login_error(e, agent))?;
        let token = record.token();
        client.set_token(Some(token.clone()));
        secrets.set(
            &password_key(agent.trim(), server_url.trim()),
            password.expose(),
        )?;
        secrets.set(&token_key(agent.trim(), server_url.trim()), token.expose())?;
        Ok(Session {
            client,
            identity: Identity::from_record(agent, &record, overrides),
            server_url: server_url.trim().into(),
        })
    }

    /// Signs in again with the password kept in the keychain (at start, or after the token expired). `Ok(None)`
    /// when nothing is remembered.
    pub async fn restore(
        server_url: &str,
        agent: &str,
        overrides: &IdentityOverrides,
        secrets: &dyn SecretStore,
    ) -> Result<Option<Session>> {
        Self::restore_trusting(server_url, None, agent, overrides, secrets).await
    }

    /// [`Session::restore`] to a server whose certificate comes from a private CA.
    pub async fn restore_trusting(
        server_url: &str,
        ca_certificate: Option<&Path>,
        agent: &str,
        overrides: &IdentityOverrides,
        secrets: &dyn SecretStore,
    ) -> Result<Option<Session>> {
        if server_url.trim().is_empty() || agent.trim().is_empty() {
            return Ok(None);
        }
        let Some(password) = secrets.get(&password_key(agent.trim(), server_url.trim()))? else {
            return Ok(None);
        };
        Self::sign_in_trusting(
            server_url,
            ca_certificate,
            agent,
            &Password::new(password),
            overrides,
            secrets,
        )
        .await
        .map(Some)
    }

    /// Signs in again after a 401, keeping this session's identity overrides; the client (shared by every clone)
    /// gets the new token.
    pub async fn renew(&self, secrets: &dyn SecretStore) -> Result<()> {
        let key = password_key(&self.identity.agent, &self.server_url);
        let password = secrets.get(&key)?.ok_or_else(|| {
            AgentError::new(
                ErrorCode::Unauthorized,
                "the session expired and no password is remembered: sign in again",
            )
        })?;
        let record = self
            .client
            .agent_login(&self.identity.agent, &Password::new(password))
            .await
            .map_err(|e| match login_error(e, &self.identity.agent) {
                err if err.code() == ErrorCode::WrongCredentials => AgentError::new(
                    ErrorCode::Unauthorized,
                    "the session expired and the saved password no longer works: sign in again",
                ),
                err => err,
            })?;
        let token: Token = record.token();
        self.client.set_token(Some(token.clone()));
        secrets.set(
            &token_key(&self.identity.agent, &self.server_url),
            token.expose(),
        )
    }

    /// Signs in again with a password the agent typed because the saved one stopped working (changed by an
    /// administrator mid-shift). Only the token changes: the call, the open form and the outbox stay as they are.
    /// The new password replaces the old one in the keychain.
    pub async fn renew_with(&self, password: &Password, secrets: &dyn SecretStore) -> Result<()> {
        let record = self
            .client
            .agent_login(&self.identity.agent, password)
            .await
            .map_err(|e| login_error(e, &self.identity.agent))?;
        let token = record.token();
        self.client.set_token(Some(token.clone()));
        secrets.set(
            &password_key(&self.identity.agent, &self.server_url),
            password.expose(),
        )?;
        secrets.set(
            &token_key(&self.identity.agent, &self.server_url),
            token.expose(),
        )
    }

    /// The session as the outbox's courier sends with it: this client, signed in again from `secrets` after a
    /// 401 ([`Session::renew`]).
    pub fn for_courier(&self, secrets: Arc<dyn SecretStore>) -> Arc<dyn SignIn> {
        Arc::new(CourierSignIn {
            session: self.clone(),
            secrets,
        })
    }

    /// Checks the session after a sleep or a network change: one cheap authenticated request (the queue summary);
    /// a 401 signs in again from the keychain. Any other answer (even a refusal for lack of rights) means the
    /// server is there and the token is accepted.
    pub async fn check(&self, secrets: &dyn SecretStore) -> Result<()> {
        match self.client.queue_summary().await {
            Err(integra::Error::Unauthorized { .. }) => self.renew(secrets).await,
            Err(
                err @ (integra::Error::Connect { .. }
                | integra::Error::Timeout { .. }
                | integra::Error::Transport { .. }
                | integra::Error::Proxy { .. }),
            ) => Err(err.into()),
            _ => Ok(()),
        }
    }

    /// AgentLogoff and EndSession when the server answers (bounded by `limit`, so quitting never hangs), then
    /// forgets the token and password whatever the server said.
    pub async fn sign_out(&self, secrets: &dyn SecretStore, limit: Duration) -> Result<()> {
        let server_side = async {
            let logoff = integra::AgentLogoff {
                agent: self.identity.agent.clone(),
                interface: self.identity.interface(),
                message: "signed out from the Agent Companion".into(),
            };
            let _ = self.client.agent_logoff(&logoff).await;
            if let Some(token) = self.client.token() {
                let _ = self.client.end_session(&self.identity.agent, &token).await;
            }
        };
        let _ = tokio::time::timeout(limit, server_side).await;
        self.client.set_token(None);
        secrets.delete(&token_key(&self.identity.agent, &self.server_url))?;
        secrets.delete(&password_key(&self.identity.agent, &self.server_url))
    }
}

/// What the courier holds of the session: see [`Session::for_courier`].
struct CourierSignIn {
    session: Session,
    secrets: Arc<dyn SecretStore>,
}

impl SignIn for CourierSignIn {
    fn client(&self) -> &Client {
        &self.session.client
    }

    fn sign_in_again(&self) -> SignInFuture<'_> {
        Box::pin(self.session.renew(&*self.secrets))
    }
}

//! Signing in and out. The password and the token go to the OS keychain only; the next start signs in by itself
//! from there. Sign-out ends the session on the server (AgentLogoff, EndSession) and forgets both.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use integra::{Client, Token};

/// The password as typed, redacted in `Debug` and never serialized (the client's type, so the shell needs no
/// other crate to sign in).
pub use integra::Password;

use crate::profile::{Identity, IdentityOverrides};
use agent_error::{AgentError, ErrorCode, Phrase, Result};
use keychain::{password_key, token_key, SecretStore};
use outbox::courier::{SignIn, SignInFuture};
use proxy_settings::ProxySettings;

/// A signed-in agent: the client (with its token) and the identity.
#[derive(Debug, Clone)]
pub struct Session {
    /// The client; clones share the token.
    pub client: Client,
    /// Who is signed in.
    pub identity: Identity,
    /// The server root as the agent typed it.
    pub server_url: String,
    /// The agent's SIP peer, for the app's phone (its password in memory only).
    pub sip_peer: SipPeer,
}

/// What AgentLogin says of the agent's SIP peer: enough for the app to register as it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SipPeer {
    /// The peer's name, the SIP user name (the extension on uContact).
    pub user: String,
    /// The SIP password (`secret`): never written anywhere.
    pub secret: integra::SipSecret,
    /// The transport the server expects, `wss` for a WebRTC peer.
    pub transport: String,
    /// The peer's outbound proxy, when it has one.
    pub outbound_proxy: String,
}

impl SipPeer {
    fn from_record(record: &integra::AgentRecord) -> SipPeer {
        let name = record.name.trim();
        SipPeer {
            user: if name.is_empty() {
                record.extension().to_string()
            } else {
                name.to_string()
            },
            secret: record.sip_secret.clone(),
            transport: record.transport.trim().to_ascii_lowercase(),
            outbound_proxy: record.outboundproxy.trim().to_string(),
        }
    }
}

/// The client for a server. TLS is always verified; `ca_certificate` (a PEM file) adds one trusted authority for
/// on-premise servers with a private CA. There is no switch to accept invalid certificates. `proxy` is the
/// `[proxy]` setting (its password comes from the keychain).
fn client_for(
    server_url: &str,
    ca_certificate: Option<&Path>,
    proxy: &ProxySettings,
    secrets: &dyn SecretStore,
) -> Result<Client> {
    let mut builder = Client::builder(server_url)
        .timeout(Duration::from_secs(15))
        .proxy(proxy.to_config(secrets)?);
    if let Some(path) = ca_certificate {
        let pem = std::fs::read(path).map_err(|e| {
            AgentError::phrased(
                ErrorCode::InvalidSettings,
                Phrase::new("error.session.ca_unreadable")
                    .with("path", path.display().to_string())
                    .with("detail", e.to_string()),
                format!("cannot read the CA certificate {}: {e}", path.display()),
            )
        })?;
        builder = builder.extra_root_certificate_pem(pem);
    }
    builder
        .build()
        .map_err(|e| AgentError::from(e).with_code(ErrorCode::InvalidSettings))
}

fn login_error(err: integra::Error, agent: &str) -> AgentError {
    match err {
        integra::Error::Rejected { .. } => AgentError::phrased(
            ErrorCode::WrongCredentials,
            Phrase::new("error.session.wrong_credentials").with("agent", agent),
            format!("wrong user or password for {agent}"),
        ),
        integra::Error::Connect { .. }
        | integra::Error::Timeout { .. }
        | integra::Error::Transport { .. } => AgentError::phrased(
            ErrorCode::ServerUnreachable,
            Phrase::new("error.session.unreachable").with("problem", err.to_string()),
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
        let system = ProxySettings::default();
        Self::sign_in_trusting(
            server_url, None, &system, agent, password, overrides, secrets,
        )
        .await
    }

    /// [`Session::sign_in`] to a server whose certificate comes from a private CA (`ca_certificate`, PEM),
    /// through the `[proxy]` setting.
    pub async fn sign_in_trusting(
        server_url: &str,
        ca_certificate: Option<&Path>,
        proxy: &ProxySettings,
        agent: &str,
        password: &Password,
        overrides: &IdentityOverrides,
        secrets: &dyn SecretStore,
    ) -> Result<Session> {
        if agent.trim().is_empty() {
            return Err(AgentError::phrased(
                ErrorCode::InvalidInput,
                Phrase::new("error.session.agent_name"),
                "type your agent user name",
            ));
        }
        let client = client_for(server_url, ca_certificate, proxy, secrets)?;
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
            sip_peer: SipPeer::from_record(&record),
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
        let system = ProxySettings::default();
        Self::restore_trusting(server_url, None, &system, agent, overrides, secrets).await
    }

    /// [`Session::restore`] to a server whose certificate comes from a private CA.
    pub async fn restore_trusting(
        server_url: &str,
        ca_certificate: Option<&Path>,
        proxy: &ProxySettings,
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
            proxy,
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
            AgentError::phrased(
                ErrorCode::Unauthorized,
                Phrase::new("error.session.no_password"),
                "the session expired and no password is remembered: sign in again",
            )
        })?;
        let record = self
            .client
            .agent_login(&self.identity.agent, &Password::new(password))
            .await
            .map_err(|e| match login_error(e, &self.identity.agent) {
                err if err.code() == ErrorCode::WrongCredentials => AgentError::phrased(
                    ErrorCode::Unauthorized,
                    Phrase::new("error.session.password_changed"),
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

    /// The server's outbound campaigns (queuesummary, names ending in `->`), for a first sign-in that knows none.
    /// Empty when the agent has no right to read them (Settings is where to add them then).
    pub async fn outbound_campaigns(&self) -> Vec<String> {
        match self.client.queue_summary().await {
            Ok(queues) => queues
                .into_iter()
                .map(|q| q.queue)
                .filter(|q| q.ends_with("->"))
                .collect(),
            Err(err) => {
                tracing::debug!(%err, "no queue summary: campaigns not learned");
                Vec::new()
            }
        }
    }

    /// Ends the session on the server, AgentLogoff then EndSession, when it answers within `limit` (quitting or
    /// signing out never hangs on a server that is down). `why` is the logoff message the server records. The
    /// keychain is left as it is: quitting keeps the password so the next start signs in by itself.
    pub async fn end_on_server(&self, limit: Duration, why: &str) {
        let server_side = async {
            let logoff = integra::AgentLogoff {
                agent: self.identity.agent.clone(),
                interface: self.identity.interface(),
                message: why.into(),
            };
            if let Err(err) = self.client.agent_logoff(&logoff).await {
                tracing::debug!(%err, "AgentLogoff not acknowledged");
            }
            if let Some(token) = self.client.token() {
                if let Err(err) = self.client.end_session(&self.identity.agent, &token).await {
                    tracing::debug!(%err, "EndSession not acknowledged");
                }
            }
        };
        if tokio::time::timeout(limit, server_side).await.is_err() {
            tracing::info!(?limit, "the server did not answer the sign-off in time");
        }
    }

    /// [`Session::end_on_server`] (bounded by `limit`), then forgets the token and password whatever the server
    /// said.
    pub async fn sign_out(&self, secrets: &dyn SecretStore, limit: Duration) -> Result<()> {
        self.end_on_server(limit, "signed out from the Agent Companion")
            .await;
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

#[cfg(test)]
mod tests {
    use super::*;
    use keychain::MemoryStore;

    /// A server that accepts connections and never answers: quitting must not wait for it.
    #[tokio::test]
    async fn ending_the_session_on_a_silent_server_stops_at_its_bound_and_keeps_the_password() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                held.push(socket);
            }
        });
        let secrets = MemoryStore::default();
        let session = Session {
            client: client_for(&url, None, &ProxySettings::default(), &secrets).unwrap(),
            identity: Identity {
                agent: "alice".into(),
                extension: "1001".into(),
                tech: "SIP".into(),
                ..Identity::default()
            },
            server_url: url.clone(),
            sip_peer: SipPeer::default(),
        };
        secrets
            .set(&password_key("alice", &url), "alice-pw")
            .unwrap();
        let started = std::time::Instant::now();
        session
            .end_on_server(Duration::from_millis(300), "quit")
            .await;
        let took = started.elapsed();
        assert!(took < Duration::from_secs(2), "waited {took:?}");
        assert_eq!(
            secrets
                .get(&password_key("alice", &url))
                .unwrap()
                .as_deref(),
            Some("alice-pw"),
            "quitting keeps the password for the next start"
        );
    }
}

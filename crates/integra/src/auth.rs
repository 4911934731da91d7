//! Signing in and out: AgentLogin, getUserToken (with the UserLogin fallback), EndSession, AgentLogoff and breaks.
//! The login answers (which differ between versions) are read in the `answers` submodule.

use serde::{Deserialize, Serialize};

use crate::client::{Auth, Client};
use crate::error::{Error, Result};
use crate::form::{required, Form};
use crate::secret::{Password, Token};

mod answers;

pub use answers::{parse_user_login, parse_user_token, AgentRecord};
use answers::{AGENT_LOGIN, GET_USER_TOKEN, USER_LOGIN};

/// AgentLogoff's parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentLogoff {
    /// Agent user name.
    pub agent: String,
    /// `SIP/<extension>` (optional for the server; send it when known).
    pub interface: String,
    /// Optional note, saved in the queue log.
    pub message: String,
}

/// AgentBreak / AgentUnBreak parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentPause {
    /// Agent user name.
    pub agent: String,
    /// `SIP/<extension>`.
    pub interface: String,
    /// Name of a break configured in uContact.
    pub motive: String,
    /// Optional note, saved in the queue log.
    pub message: String,
}

impl Client {
    /// Signs an agent in (auth/AgentLogin, no token sent). This also logs the agent in on the telephony side. It does
    /// not change the client's token: the caller does `client.set_token(Some(record.token()))`.
    pub async fn agent_login(&self, agent: &str, password: &Password) -> Result<AgentRecord> {
        required("agent", agent)?;
        let form = Form::new()
            .field("agent", agent.trim())
            .field("password", password.expose());
        let reply = self.post_form(AGENT_LOGIN, form).await?;
        AgentRecord::parse(&reply.body)
    }

    /// Gets an API (supervisor) user's token with auth/getUserToken; on servers that answer 404 there, with
    /// auth/UserLogin. No token is sent, and the client's token is not changed.
    pub async fn user_token(&self, user: &str, password: &Password) -> Result<Token> {
        required("user", user)?;
        let form = || {
            Form::new()
                .field("user", user.trim())
                .field("password", password.expose())
        };
        match self.post_form(GET_USER_TOKEN, form()).await {
            Ok(reply) => parse_user_token(&reply.body),
            Err(Error::NotFound { .. }) => {
                let reply = self.post_form(USER_LOGIN, form()).await?;
                parse_user_login(&reply.body)
            }
            Err(other) => Err(other),
        }
    }

    /// Ends the session of `user` and disables `token` on the server (auth/EndSession). Sends the `user` and
    /// `token` fields and `Authorization: Basic <token>`, as every known client does. When `token` is the client's
    /// own token, the client forgets it.
    pub async fn end_session(&self, user: &str, token: &Token) -> Result<()> {
        required("user", user)?;
        if token.is_empty() {
            return Err(Error::invalid("token", "must not be empty"));
        }
        let form = Form::new()
            .field("user", user.trim())
            .field("token", token.expose());
        self.post_form_with("auth/EndSession", form, Auth::Given(token))
            .await?
            .expect_ack()?;
        if self.token().as_ref() == Some(token) {
            self.set_token(None);
        }
        Ok(())
    }

    /// Logs the agent off the telephony side (api/AgentLogoff).
    pub async fn agent_logoff(&self, req: &AgentLogoff) -> Result<()> {
        required("agent", &req.agent)?;
        let form = Form::new()
            .field("agent", &req.agent)
            .field("interface", &req.interface)
            .field("message", &req.message);
        self.post_form("api/AgentLogoff", form).await?.expect_ack()
    }

    /// Puts the agent on a break (api/AgentBreak; the path is inferred from AgentUnBreak, see integra-notes §3).
    pub async fn agent_break(&self, req: &AgentPause) -> Result<()> {
        self.pause("api/AgentBreak", req).await
    }

    /// Ends the agent's break (api/AgentUnBreak).
    pub async fn agent_unbreak(&self, req: &AgentPause) -> Result<()> {
        self.pause("api/AgentUnBreak", req).await
    }

    async fn pause(&self, endpoint: &'static str, req: &AgentPause) -> Result<()> {
        required("agent", &req.agent)?;
        required("interface", &req.interface)?;
        required("motive", &req.motive)?;
        let form = Form::new()
            .field("agent", &req.agent)
            .field("interface", &req.interface)
            .field("motive", &req.motive)
            .field("message", &req.message);
        self.post_form(endpoint, form).await?.expect_ack()
    }
}

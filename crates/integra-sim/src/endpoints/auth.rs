//! auth/AgentLogin, getUserToken, UserLogin and EndSession (no token needed), and the agent's api/AgentLogoff,
//! AgentBreak and AgentUnBreak.

use serde_json::json;

use super::{one, one_if, zero, Reply, Sim};
use crate::http::extract::{Authorized, Fields};
use crate::state::agents::AgentEvent;
use crate::state::lock;

/// AgentLogin: the agent's SIP peer, with the session token as `md5secret`. It also marks the agent logged in,
/// as the real one logs the agent in to the SIP side.
pub(crate) async fn agent_login(sim: Sim, f: Fields) -> Reply {
    let sim = sim.0;
    let changed = lock(&sim.changed_passwords).clone();
    let Some(agent) = sim.seed.agents.iter().find(|a| {
        let password = changed.get(&a.agent).unwrap_or(&a.password);
        a.agent == f.get("agent") && *password == f.get("password")
    }) else {
        return zero();
    };
    let token = lock(&sim.sessions).issue(&agent.agent);
    lock(&sim.presence).login(&agent.agent);
    let id = 100
        + sim
            .seed
            .agents
            .iter()
            .position(|a| a.agent == agent.agent)
            .unwrap_or(0);
    // The fields of the SIP peer in the Agent API page; some are numbers, as the real server sends them.
    Reply::Json(json!({
        "id": id,
        "name": agent.extension,
        "host": "dynamic",
        "nat": "force_rport,comedia",
        "type": "friend",
        "accountcode": agent.agent,
        "callgroup": 1,
        "callerid": agent.extension,
        "canreinvite": "no",
        "context": agent.context,
        "dtmfmode": "rfc2833",
        "insecure": "",
        "language": "es",
        "mailbox": "",
        "md5secret": token,
        "pickupgroup": 1,
        "qualify": "yes",
        "secret": format!("sip-{}", agent.extension),
        "disallow": "all",
        "allow": "opus;ulaw;alaw",
        "port": "",
        "defaultuser": agent.extension,
        "subscribecontext": "",
        "record": "yes",
        "email": agent.email,
        "phonetype": "SoftPhone",
        "LogLevel": 0,
        "limite": 1,
        "transport": "wss",
        "encryption": "yes",
        "did": "",
        "outboundproxy": "",
        "fullname": agent.fullname,
    }))
}

/// The API user `user`/`password` names, if they match.
fn api_user<'a>(sim: &'a crate::state::SimState, f: &Fields) -> Option<&'a str> {
    sim.seed
        .api_users
        .iter()
        .find(|u| u.user == f.get("user") && u.password == f.get("password"))
        .map(|u| u.user.as_str())
}

/// getUserToken: a JSON list whose last element is the token (a supervisor without a phone).
pub(crate) async fn user_token(sim: Sim, f: Fields) -> Reply {
    let sim = sim.0;
    match api_user(&sim, &f) {
        Some(user) => {
            let token = lock(&sim.sessions).issue(user);
            Reply::Json(json!([user, "Supervisor", token]))
        }
        None => zero(),
    }
}

/// UserLogin, the older equivalent: the token is the third element of the list. The same list serves both.
pub(crate) async fn user_login(sim: Sim, f: Fields) -> Reply {
    user_token(sim, f).await
}

/// EndSession: `user` and `token` fields (body or query string); `1` if that user's live token was revoked.
pub(crate) async fn end_session(sim: Sim, f: Fields) -> Reply {
    one_if(lock(&sim.sessions).end(f.get("user"), f.get("token")))
}

fn event(f: &Fields, event: &'static str) -> AgentEvent {
    AgentEvent {
        event,
        agent: f.get("agent").into(),
        interface: f.get("interface").into(),
        motive: f.get("motive").into(),
        message: f.get("message").into(),
    }
}

/// AgentLogoff: `agent` required; `interface` and `message` optional.
pub(crate) async fn agent_logoff(sim: Sim, _: Authorized, f: Fields) -> Reply {
    if !f.has_all(&["agent"]) {
        return zero();
    }
    lock(&sim.presence).record(event(&f, "logoff"));
    one()
}

async fn pause(sim: Sim, f: Fields, kind: &'static str) -> Reply {
    if !f.has_all(&["agent", "interface", "motive"]) {
        return zero();
    }
    lock(&sim.presence).record(event(&f, kind));
    one()
}

/// AgentBreak: `agent`, `interface`, `motive` required; `message` optional.
pub(crate) async fn agent_break(sim: Sim, _: Authorized, f: Fields) -> Reply {
    pause(sim, f, "break").await
}

/// AgentUnBreak: same fields as AgentBreak.
pub(crate) async fn agent_unbreak(sim: Sim, _: Authorized, f: Fields) -> Reply {
    pause(sim, f, "unbreak").await
}

//! auth/AgentLogin, getUserToken, UserLogin, EndSession, AgentLogoff and breaks.

use serde_json::json;

use super::{one, zero, Answer, Request};
use crate::world::World;

pub(crate) fn agent_login(world: &mut World, req: &Request) -> Answer {
    let Some(agent) = world
        .seed
        .agents
        .iter()
        .find(|a| a.agent == req.field("agent") && a.password == req.field("password"))
        .cloned()
    else {
        return zero();
    };
    let token = world.issue_token(&agent.agent);
    world.logged_in.insert(agent.agent.clone());
    // The SIP peer as uContact returns it; numbers come as numbers for some fields, as real servers do.
    Answer::Json(json!({
        "id": 100 + world.logged_in.len(),
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
        "secret": "sip-secret-not-for-clients",
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

fn api_user(world: &World, req: &Request) -> Option<String> {
    world
        .seed
        .api_users
        .iter()
        .find(|u| u.user == req.field("user") && u.password == req.field("password"))
        .map(|u| u.user.clone())
}

pub(crate) fn user_token(world: &mut World, req: &Request) -> Answer {
    match api_user(world, req) {
        // A supervisor without a phone: the token is the last element of the list.
        Some(user) => {
            let token = world.issue_token(&user);
            Answer::Json(json!([user, "Supervisor", token]))
        }
        None => zero(),
    }
}

pub(crate) fn user_login(world: &mut World, req: &Request) -> Answer {
    user_token(world, req)
}

pub(crate) fn end_session(world: &mut World, req: &Request) -> Answer {
    if world.end_session(req.field("user"), req.field("token")) {
        one()
    } else {
        zero()
    }
}

pub(crate) fn agent_logoff(world: &mut World, req: &Request) -> Answer {
    if !req.has_all(&["agent"]) {
        return zero();
    }
    world.logged_in.remove(req.field("agent"));
    world.agent_events.push(json!({
        "event": "logoff", "agent": req.field("agent"), "interface": req.field("interface"), "message": req.field("message"),
    }));
    one()
}

pub(crate) fn agent_break(world: &mut World, req: &Request, endpoint: &str) -> Answer {
    if !req.has_all(&["agent", "interface", "motive"]) {
        return zero();
    }
    let event = if endpoint.ends_with("UnBreak") {
        "unbreak"
    } else {
        "break"
    };
    world.agent_events.push(json!({
        "event": event, "agent": req.field("agent"), "interface": req.field("interface"),
        "motive": req.field("motive"), "message": req.field("message"),
    }));
    one()
}

//! Starting a simulator and talking to it with bare reqwest.

use std::time::{Duration, Instant};

use integra_sim::{RunningSim, SimConfig};
use serde_json::Value;

pub const FORM: &str = "application/x-www-form-urlencoded; charset=UTF-8";

pub async fn start() -> RunningSim {
    start_with(SimConfig::demo()).await
}

pub async fn start_with(config: SimConfig) -> RunningSim {
    integra_sim::spawn(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("the simulator binds a free loopback port")
}

/// A reply: status, Content-Type and body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

async fn reply(response: reqwest::Response) -> Reply {
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    Reply {
        status: response.status().as_u16(),
        content_type,
        body: response.text().await.unwrap(),
    }
}

/// POSTs form fields to `/Integra/resources/<endpoint>` with an optional `Authorization: Basic <token>`.
pub async fn post(
    sim: &RunningSim,
    endpoint: &str,
    token: Option<&str>,
    fields: &[(&str, &str)],
) -> Reply {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    post_raw(sim, endpoint, token, Some(FORM), body).await
}

/// POSTs a body as given, with the given Content-Type.
pub async fn post_raw(
    sim: &RunningSim,
    endpoint: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: String,
) -> Reply {
    let mut request = reqwest::Client::new()
        .post(format!("{}/Integra/resources/{endpoint}", sim.base_url()))
        .body(body);
    if let Some(token) = token {
        request = request.header("Authorization", format!("Basic {token}"));
    }
    if let Some(content_type) = content_type {
        request = request.header("Content-Type", content_type);
    }
    reply(request.send().await.expect("the simulator answers")).await
}

/// GETs a path below the server root.
pub async fn get(sim: &RunningSim, path: &str) -> (u16, String, Vec<u8>) {
    let response = reqwest::get(format!("{}{path}", sim.base_url()))
        .await
        .unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (
        status,
        content_type,
        response.bytes().await.unwrap().to_vec(),
    )
}

/// Alice's token from AgentLogin.
pub async fn alice(sim: &RunningSim) -> String {
    let peer = post(
        sim,
        "auth/AgentLogin",
        None,
        &[("agent", "alice"), ("password", "alice-pw")],
    )
    .await;
    peer.json()["md5secret"]
        .as_str()
        .expect("md5secret")
        .to_string()
}

/// The admin user's token from getUserToken.
pub async fn admin(sim: &RunningSim) -> String {
    let list = post(
        sim,
        "auth/getUserToken",
        None,
        &[("user", "admin"), ("password", "admin-pw")],
    )
    .await;
    list.json()
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

/// The fields of an AgentCall by alice on Ventas->.
pub fn call_fields(destination: &str) -> Vec<(&'static str, String)> {
    vec![
        ("callerid", "59821234567".into()),
        ("agent", "alice".into()),
        ("phone", "1001".into()),
        ("tech", "SIP".into()),
        ("context", "agentes".into()),
        ("outqueue", "Ventas->".into()),
        ("destination", destination.into()),
    ]
}

pub fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Polls `check` until it holds or `within` runs out.
pub async fn eventually<F: std::future::Future<Output = bool>>(
    within: Duration,
    mut check: impl FnMut() -> F,
) -> bool {
    let deadline = Instant::now() + within;
    loop {
        if check().await {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

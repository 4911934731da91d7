//! The `integra-sim` binary: the ready line, a seed file, fault flags, and logs without tokens.

use std::process::Stdio;
use std::time::Duration;

use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};

const BIN: &str = env!("CARGO_BIN_EXE_integra-sim");

/// Starts the binary on a free port and waits for its ready line; returns the child and the base URL.
async fn launch(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("the ready line comes within 30 s")
        .unwrap()
        .expect("a ready line");
    let url = line
        .strip_prefix("integra-sim listening on ")
        .unwrap_or_else(|| panic!("ready line: {line}"));
    assert!(
        url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"),
        "{url}"
    );
    (child, url.to_string())
}

async fn post(
    url: &str,
    endpoint: &str,
    token: Option<&str>,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let mut request = reqwest::Client::new()
        .post(format!("{url}/Integra/resources/{endpoint}"))
        .form(fields);
    if let Some(token) = token {
        request = request.header("Authorization", format!("Basic {token}"));
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_seed_file_replaces_the_demo_data_and_fault_flags_apply() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    let data = json!({
        "agents": [{"agent": "carol", "password": "carol-pw", "extension": "2001", "fullname": "Carol"}],
        "campaigns": [{"name": "Prueba->", "did": "59820000000"}]
    });
    std::fs::write(&seed, data.to_string()).unwrap();
    let (mut child, url) = launch(&[
        "--seed",
        seed.to_str().unwrap(),
        "--zero-next",
        "1",
        "--fault-path",
        "queuesummary",
    ])
    .await;

    let (_, alice) = post(
        &url,
        "auth/AgentLogin",
        None,
        &[("agent", "alice"), ("password", "alice-pw")],
    )
    .await;
    assert_eq!(alice, "0", "the demo agents are gone");
    let (_, peer) = post(
        &url,
        "auth/AgentLogin",
        None,
        &[("agent", "carol"), ("password", "carol-pw")],
    )
    .await;
    let peer: serde_json::Value = serde_json::from_str(&peer).unwrap();
    assert_eq!(
        (&peer["callerid"], &peer["context"]),
        (&json!("2001"), &json!("agentes")),
        "context defaults"
    );
    let token = peer["md5secret"].as_str().unwrap().to_string();

    assert_eq!(
        post(&url, "Supervisor/queuesummary", Some(&token), &[])
            .await
            .1,
        "0",
        "--zero-next"
    );
    let (_, rows) = post(&url, "Supervisor/queuesummary", Some(&token), &[]).await;
    assert!(rows.contains("Prueba->"), "{rows}");

    child.start_kill().unwrap();
    child.wait().await.unwrap();
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .await
        .unwrap();
    assert!(
        log.contains("/Integra/resources/Supervisor/queuesummary"),
        "requests are logged: {log}"
    );
    assert!(!log.contains(&token), "the token must not reach the log");
    assert!(!log.contains("carol-pw"), "nor the password");
}

#[tokio::test]
async fn the_demo_seed_printed_by_the_binary_is_a_valid_seed_file() {
    let out = Command::new(BIN)
        .arg("--print-demo-seed")
        .output()
        .await
        .unwrap();
    assert!(out.status.success());
    let seed = integra_sim::Seed::from_json(std::str::from_utf8(&out.stdout).unwrap()).unwrap();
    assert!(seed.agents.iter().any(|a| a.agent == "alice"));
}

#[tokio::test]
async fn a_bad_seed_file_stops_the_binary_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    std::fs::write(
        &seed,
        r#"{"agents": [{"agent": "carol", "pasword": "x", "extension": "2001"}]}"#,
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--seed", seed.to_str().unwrap()])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("seed.json") && err.contains("pasword"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no ready line");
}

#[tokio::test]
async fn a_fail_rate_out_of_range_is_refused() {
    let out = Command::new(BIN)
        .args(["--fail-rate", "2"])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("between 0.0 and 1.0"));
}

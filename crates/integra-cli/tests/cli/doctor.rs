//! `integra doctor` as an admin runs it: one line per check with a fix, `--json`, and a non-zero exit code naming
//! what kind of thing failed — against the simulator, a closed port, a web server that is not uContact, a wrong
//! password, a server whose clock is two hours ahead, and through a real proxy; and the phone's address: kamailio
//! found and named, a closed port failing only when the address was given, a ws:// address refused before anything
//! is sent.

use integra_sim::tinyproxy::free_port;
use integra_sim::{SimConfig, Tinyproxy, TinyproxyOptions};

use crate::kamailio::Kamailio;
use crate::support::{as_user, run_with_env, sent, sim, Run};

fn checks(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stdout))
}

/// The status of check `name` in a `--json` run.
fn status<'a>(report: &'a serde_json::Value, name: &str) -> &'a str {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {name} check: {report}"))["status"]
        .as_str()
        .unwrap()
}

fn check<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn against_the_simulator_everything_passes() {
    let sim = sim().await;
    let run = as_user(&sim.base_url(), "alice", "alice-pw", &["doctor"]).await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    for name in ["proxy", "dns", "tcp", "http", "clock", "sign_in"] {
        let line = run
            .stdout
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(name))
            .unwrap_or_else(|| panic!("no {name} line: {}", run.stdout));
        assert!(line.trim_start().starts_with("ok"), "{line}");
    }
    assert!(
        run.stdout.contains("signed in as alice (extension 1001)"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("alice-pw") && !run.stderr.contains("alice-pw"));
    // The doctor ends the session it opened.
    assert_eq!(sent(&sim, "auth/EndSession").len(), 1);

    let json = as_user(&sim.base_url(), "alice", "alice-pw", &["--json", "doctor"]).await;
    let report = checks(&json);
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(status(&report, "tls"), "skip", "http:// has no TLS");
    // No --phone-server: the app's default address is probed, and no phone there is no failure.
    let phone = check(&report, "phone");
    assert_eq!(phone["source"], "derived", "{phone}");
    assert_eq!(phone["address"], "wss://127.0.0.1:8089/ws");
    assert_ne!(phone["status"], "fail", "{phone}");
}

/// The line of check `name` and the lines under it, up to the next check.
fn section<'a>(stdout: &'a str, name: &str) -> Vec<&'a str> {
    let mut lines = stdout
        .lines()
        .skip_while(|l| l.split_whitespace().nth(1) != Some(name));
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("no {name} line: {stdout}"));
    let mut section = vec![first];
    section.extend(lines.take_while(|l| l.starts_with("        ")));
    section
}

#[tokio::test(flavor = "multi_thread")]
async fn the_phone_address_given_is_probed_and_kamailio_is_named() {
    let sim = sim().await;
    let kamailio = Kamailio::start();
    let ca = kamailio.ca();
    let args = [
        "--ca-certificate",
        ca.to_str().unwrap(),
        "doctor",
        "--phone-server",
        &kamailio.wss,
    ];
    let run = as_user(&sim.base_url(), "alice", "alice-pw", &args).await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let phone = section(&run.stdout, "phone");
    assert_eq!(
        phone[0],
        format!(
            "  ok    phone    {} (given with --phone-server): a SIP server answered (SIP/2.0 200 OK, uContact phone \
             rig (kamailio))",
            kamailio.wss
        ),
        "{}",
        run.stdout
    );
    let steps: Vec<Vec<&str>> = phone[1..]
        .iter()
        .map(|l| l.split_whitespace().take(2).collect())
        .collect();
    assert_eq!(
        steps,
        [
            ["ok", "tcp"],
            ["ok", "tls"],
            ["ok", "websocket"],
            ["ok", "sip"]
        ],
        "{}",
        run.stdout
    );
    assert!(
        phone[2].contains("issued by CN=Private Test CA"),
        "{}",
        phone[2]
    );
    assert!(
        phone[4].contains("OPTIONS answered SIP/2.0 200 OK")
            && phone[4].contains("\"uContact phone rig (kamailio)\""),
        "{}",
        phone[4]
    );
    assert!(kamailio
        .log()
        .contains("SIP in  OPTIONS sip:127.0.0.1 SIP/2.0"));
    // The API's checks ran as always.
    assert!(run.stdout.contains("signed in as alice (extension 1001)"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_phone_port_fails_doctor_only_when_given_and_hides_no_other_check() {
    let sim = sim().await;
    let closed = free_port().unwrap();
    let given = format!("wss://{closed}/ws");
    let run = as_user(
        &sim.base_url(),
        "alice",
        "alice-pw",
        &["doctor", "--phone-server", &given],
    )
    .await;
    assert_eq!(run.code, 4, "{}\n{}", run.stdout, run.stderr);
    let phone = section(&run.stdout, "phone");
    assert!(
        phone[0].starts_with(&format!(
            "  FAIL  phone    {given} (given with --phone-server): no SIP server found: cannot connect to {closed}: "
        )),
        "{}",
        run.stdout
    );
    assert!(
        phone
            .last()
            .unwrap()
            .contains("fix: nothing accepts connections there"),
        "{}",
        run.stdout
    );
    for name in ["proxy", "dns", "tcp", "http", "clock", "sign_in"] {
        let line = section(&run.stdout, name)[0];
        assert!(!line.trim_start().starts_with("FAIL"), "{line}");
    }
    assert!(run.stdout.contains("signed in as alice (extension 1001)"));
    assert!(
        run.stderr.contains("doctor: failed: phone"),
        "{}",
        run.stderr
    );

    let json = as_user(
        &sim.base_url(),
        "alice",
        "alice-pw",
        &["--json", "doctor", "--phone-server", &given],
    )
    .await;
    let report = checks(&json);
    assert_eq!(report["ok"], false);
    assert_eq!(status(&report, "sign_in"), "pass");
    let phone = check(&report, "phone");
    assert_eq!(phone["status"], "fail");
    assert_eq!(phone["source"], "phone_server");
    assert_eq!(phone["probe"]["found"], false);
    assert_eq!(phone["probe"]["steps"][0]["name"], "tcp");
    assert_eq!(phone["probe"]["steps"][0]["status"], "fail");

    // --no-phone: no phone check at all.
    let skipped = as_user(
        &sim.base_url(),
        "alice",
        "alice-pw",
        &["doctor", "--no-phone"],
    )
    .await;
    assert_eq!(skipped.code, 0, "{}", skipped.stderr);
    assert!(!skipped.stdout.contains("phone"), "{}", skipped.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_phone_address_that_is_not_wss_is_refused_before_anything_is_sent() {
    let sim = sim().await;
    let run = as_user(
        &sim.base_url(),
        "alice",
        "alice-pw",
        &["doctor", "--phone-server", "ws://pbx.example:8088/ws"],
    )
    .await;
    run.fails(2, "--phone-server \"ws://pbx.example:8088/ws\"");
    assert!(
        run.stderr.contains("must start with wss://"),
        "{}",
        run.stderr
    );
    assert!(sim.journal().is_empty(), "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_port_fails_at_tcp_and_exits_4() {
    let closed = format!("http://{}", free_port().unwrap());
    let run = as_user(&closed, "alice", "alice-pw", &["--json", "doctor"]).await;
    assert_eq!(run.code, 4, "{}", run.stderr);
    let report = checks(&run);
    assert_eq!(status(&report, "dns"), "pass");
    assert_eq!(status(&report, "tcp"), "fail");
    let fix = check(&report, "tcp")["fix"].as_str().unwrap();
    assert!(
        fix.contains("nothing accepts connections on 127.0.0.1:"),
        "{fix}"
    );
    assert_eq!(status(&report, "sign_in"), "skip");
    assert!(run.stderr.contains("doctor: failed: tcp"), "{}", run.stderr);
}

/// A web server that answers every request with a welcome page, as a wrong URL or a captive portal would.
async fn web_page() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let mut buf = vec![0u8; 16 * 1024];
                let _ = stream.read(&mut buf).await;
                let page = "<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body>hi</body></html>";
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                    page.len()
                );
                let _ = stream.write_all(answer.as_bytes()).await;
            });
        }
    });
    url
}

#[tokio::test(flavor = "multi_thread")]
async fn an_html_page_is_not_taken_for_ucontact() {
    let url = web_page().await;
    let run = as_user(&url, "alice", "alice-pw", &["doctor"]).await;
    assert_eq!(run.code, 5, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("FAIL  http     the server answered an HTML page (HTTP 200, titled \"Welcome to nginx!\")"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("fix: check the server URL"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("-     sign_in"),
        "no sign-in against a web page: {}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_password_fails_the_sign_in_and_exits_3() {
    let sim = sim().await;
    let run = as_user(
        &sim.base_url(),
        "alice",
        "not-her-password",
        &["--json", "doctor"],
    )
    .await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    let report = checks(&run);
    assert_eq!(status(&report, "http"), "pass");
    assert_eq!(status(&report, "sign_in"), "fail");
    assert_eq!(
        check(&report, "sign_in")["detail"],
        "wrong user or password for alice"
    );
    assert!(!run.stdout.contains("not-her-password") && !run.stderr.contains("not-her-password"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_two_hours_ahead_fails_the_clock_check() {
    let sim = integra_sim::spawn(
        SimConfig {
            clock_offset: chrono::TimeDelta::hours(2),
            ..SimConfig::demo()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let run = as_user(&sim.base_url(), "alice", "alice-pw", &["--json", "doctor"]).await;
    assert_eq!(run.code, 5, "{}", run.stderr);
    let report = checks(&run);
    let clock = check(&report, "clock");
    assert_eq!(clock["status"], "fail");
    assert_eq!(
        clock["detail"],
        "this computer's clock is 2 h 0 min behind the server's: schedules and call times will be off"
    );
    assert!(clock["fix"]
        .as_str()
        .unwrap()
        .contains("timedatectl set-ntp true"));
    assert_eq!(status(&report, "sign_in"), "pass", "the rest still works");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_proxy_in_effect_is_shown_and_used_from_a_flag_or_the_environment() {
    let sim = sim().await;
    let proxy = Tinyproxy::start(TinyproxyOptions::default()).await.unwrap();
    let run = as_user(
        &sim.base_url(),
        "alice",
        "alice-pw",
        &["--proxy", &proxy.url(), "doctor"],
    )
    .await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(&format!(
            "ok    proxy    the configured proxy {}/",
            proxy.url()
        )),
        "{}",
        run.stdout
    );
    let login = sent(&sim, "auth/AgentLogin");
    assert!(
        login[0]
            .via
            .as_deref()
            .is_some_and(|v| v.contains("tinyproxy")),
        "{login:?}"
    );

    // The system's proxy: HTTP_PROXY in the environment (NO_PROXY must not exempt loopback for this).
    sim.clear_journal();
    let home = tempfile::tempdir().unwrap();
    let args = [
        "--server",
        &sim.base_url(),
        "--user",
        "alice",
        "--password-stdin",
        "campaigns",
        "summary",
    ];
    let env = [
        ("HTTP_PROXY", proxy.url()),
        ("NO_PROXY", String::new()),
        ("no_proxy", String::new()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = run_with_env(home.path(), &args, "alice-pw\n", &env).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        sent(&sim, "Supervisor/queuesummary")[0].via.is_some(),
        "went through the system's proxy"
    );

    // --no-proxy overrides the environment.
    sim.clear_journal();
    let mut direct = vec!["--no-proxy"];
    direct.extend_from_slice(&args);
    let run = run_with_env(home.path(), &direct, "alice-pw\n", &env).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(sent(&sim, "Supervisor/queuesummary")[0].via, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_proxy_that_refuses_is_the_failing_check() {
    let sim = sim().await;
    let guarded = Tinyproxy::start(TinyproxyOptions {
        basic_auth: Some(("bob".into(), "pw".into())),
    })
    .await
    .unwrap();
    let run = as_user(
        &sim.base_url(),
        "alice",
        "alice-pw",
        &["--proxy", &guarded.url(), "--json", "doctor"],
    )
    .await;
    assert_eq!(run.code, 4, "{}", run.stderr);
    let report = checks(&run);
    let proxy = check(&report, "proxy");
    assert_eq!(proxy["status"], "fail", "{report}");
    assert!(
        proxy["detail"]
            .as_str()
            .unwrap()
            .contains("asks for a user name and password (HTTP 407"),
        "{proxy}"
    );
    assert!(
        proxy["fix"].as_str().unwrap().contains("--proxy URL"),
        "{proxy}"
    );
    assert!(sim.journal().is_empty(), "nothing reached the server");

    // A command through a proxy that is not there names it, not the server.
    let nowhere = format!("http://{}", free_port().unwrap());
    let run = as_user(
        &sim.base_url(),
        "alice",
        "alice-pw",
        &["--proxy", &nowhere, "campaigns", "summary"],
    )
    .await;
    run.fails(
        4,
        &format!("the configured proxy {nowhere}/ cannot be reached"),
    );
    assert!(
        !run.stderr.contains("cannot reach the server"),
        "{}",
        run.stderr
    );
}

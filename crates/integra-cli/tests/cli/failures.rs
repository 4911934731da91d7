//! Failures as a script sees them: the exit code and one plain sentence on stderr.

use integra_sim::Faults;

use crate::support::{alice, as_user, run_in, run_with_env, sent, sim};

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_password_exits_3_and_is_never_echoed() {
    let sim = sim().await;
    let run = as_user(
        &sim.base_url(),
        "alice",
        "not-her-password",
        &["campaigns", "summary"],
    )
    .await;
    run.fails(3, "wrong user or password for alice at http://127.0.0.1:");
    assert!(!run.stderr.contains("not-her-password"));
    assert!(sent(&sim, "Supervisor/queuesummary").is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_is_down_exits_4_naming_it() {
    let sim = sim().await;
    let url = sim.base_url();
    sim.shutdown().await;
    let run = as_user(&url, "alice", "alice-pw", &["campaigns", "summary"]).await;
    run.fails(4, "auth/AgentLogin: cannot reach the server");
    assert!(run.stderr.contains(&url), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_too_slow_for_the_timeout_exits_4() {
    let sim = sim().await;
    sim.set_faults(Faults {
        latency_ms: 3_000,
        path_contains: Some("Supervisor".into()),
        ..Default::default()
    });
    let run = alice(&sim, &["--timeout", "1", "campaigns", "summary"]).await;
    assert!(
        run.stderr
            .trim_end()
            .ends_with("; a longer --timeout may help"),
        "{}",
        run.stderr
    );
    run.fails(
        4,
        "Supervisor/queuesummary: the server did not answer in time (server http://127.0.0.1:",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_zero_from_the_server_exits_1() {
    let sim = sim().await;
    sim.set_faults(Faults {
        zero_next: 1,
        path_contains: Some("Supervisor".into()),
        ..Default::default()
    });
    alice(&sim, &["campaigns", "summary"]).await.fails(
        1,
        "Supervisor/queuesummary: the server rejected the request (it answered \"0\")",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_html_error_page_exits_5() {
    let sim = sim().await;
    sim.set_faults(Faults {
        html_next: 1,
        path_contains: Some("Supervisor".into()),
        ..Default::default()
    });
    alice(&sim, &["campaigns", "summary"])
        .await
        .fails(5, "Supervisor/queuesummary");
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_settings_and_passwords_are_usage_errors() {
    let home = tempfile::tempdir().unwrap();
    run_in(home.path(), &["campaigns", "summary"], "")
        .await
        .fails(2, "no server: pass --server URL");
    let sim = sim().await;
    let server = sim.base_url();
    run_in(
        home.path(),
        &[
            "--server",
            &server,
            "--password-stdin",
            "campaigns",
            "summary",
        ],
        "x\n",
    )
    .await
    .fails(2, "no user: pass --user NAME");
    run_in(
        home.path(),
        &[
            "--server",
            &server,
            "--user",
            "alice",
            "--password-stdin",
            "campaigns",
            "summary",
        ],
        "\n",
    )
    .await
    .fails(2, "standard input held no password");
    run_in(
        home.path(),
        &[
            "--server",
            &server,
            "--user",
            "alice",
            "--no-keychain",
            "campaigns",
            "summary",
        ],
        "",
    )
    .await
    .fails(
        2,
        "no terminal to ask for the password: pipe it in with --password-stdin",
    );
    run_in(
        home.path(),
        &[
            "--server",
            "ftp://example.com",
            "--user",
            "a",
            "--password-stdin",
            "campaigns",
            "summary",
        ],
        "x\n",
    )
    .await
    .fails(2, "must start with https:// or http://");
    assert!(sim.journal().is_empty(), "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_layer_file_then_environment_then_flags() {
    let sim = sim().await;
    let home = tempfile::tempdir().unwrap();
    let dead = "http://127.0.0.1:9";
    let config = home.path().join("integra.toml");
    std::fs::write(
        &config,
        format!("server = \"{dead}\"\nuser = \"bob\"\ntimeout = 5\n"),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let base = [
        "--config",
        config,
        "--password-stdin",
        "--json",
        "login",
        "--no-keychain",
    ];

    // The file alone: its (dead) server.
    run_in(home.path(), &base, "bob-pw\n").await.fails(4, dead);
    // The environment beats the file.
    let server = sim.base_url();
    let env = [("INTEGRA_SERVER", server.as_str())];
    let shown = run_with_env(home.path(), &base, "bob-pw\n", &env)
        .await
        .json();
    assert_eq!(
        shown["agent"]["extension"], "1002",
        "the file's user: {shown}"
    );
    // Flags beat both.
    let mut flagged = vec!["--user", "alice"];
    flagged.extend(base);
    let shown = run_with_env(home.path(), &flagged, "alice-pw\n", &env)
        .await
        .json();
    assert_eq!(shown["agent"]["extension"], "1001");
    let mut dead_flag = vec!["--server", dead];
    dead_flag.extend(base);
    run_with_env(home.path(), &dead_flag, "bob-pw\n", &env)
        .await
        .fails(4, dead);

    std::fs::write(home.path().join("integra.toml"), "sever = \"x\"\n").unwrap();
    run_in(home.path(), &base, "bob-pw\n")
        .await
        .fails(2, "unknown field `sever`");
}

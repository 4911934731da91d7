//! `integra login` keeps the session in the real OS keychain, later commands use it, an expired one is renewed
//! with the password `--save` kept, and `logout` ends it. Needs a Secret Service: scripts/test-all.sh runs the
//! tests in a D-Bus session with an unlocked gnome-keyring and sets UCAC_TEST_KEYRING=1; elsewhere this test says
//! so and checks nothing.

use crate::support::{run_in, sent, sim};

fn keyring_available() -> bool {
    if std::env::var("UCAC_TEST_KEYRING").as_deref() == Ok("1") {
        return true;
    }
    eprintln!(
        "skipped: set UCAC_TEST_KEYRING=1 inside a D-Bus session with an unlocked Secret Service"
    );
    false
}

fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[tokio::test(flavor = "multi_thread")]
async fn login_keeps_the_session_in_the_keychain_renews_it_and_logout_ends_it() {
    if !keyring_available() {
        return;
    }
    let sim = sim().await;
    let server = sim.base_url();
    let home = tempfile::tempdir().unwrap();
    let at = |args: &[&'static str]| {
        let mut all = vec!["--server", server.as_str()];
        all.extend_from_slice(args);
        all
    };

    run_in(
        home.path(),
        &at(&["--user", "alice", "login", "--password-stdin", "--save"]),
        "alice-pw\n",
    )
    .await
    .ok();
    let call = run_in(
        home.path(),
        &at(&[
            "call",
            "099123456",
            "--campaign",
            "Ventas->",
            "--callerid",
            "59821234567",
        ]),
        "",
    )
    .await;
    call.ok();
    let token = sent(&sim, "Agents/AgentCall")[0]
        .authorization
        .clone()
        .unwrap();
    assert_eq!(
        sent(&sim, "auth/AgentLogin").len(),
        1,
        "the stored session is reused, no new sign-in"
    );
    for file in files_under(home.path()) {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        assert!(
            !text.contains("alice-pw") && !text.contains(token.trim_start_matches("Basic ")),
            "a secret in {}",
            file.display()
        );
    }

    sim.expire_tokens();
    run_in(home.path(), &at(&["campaigns", "summary"]), "")
        .await
        .ok();
    let summaries: Vec<u16> = sent(&sim, "Supervisor/queuesummary")
        .iter()
        .map(|e| e.status)
        .collect();
    assert_eq!(
        summaries,
        [401, 200],
        "renewed with the saved password and sent again"
    );
    assert_eq!(sent(&sim, "auth/AgentLogin").len(), 2);

    run_in(home.path(), &at(&["--user", "bob", "hangup"]), "")
        .await
        .fails(3, "the keychain holds alice's session");
    let logout = run_in(home.path(), &at(&["logout"]), "").await;
    assert!(
        logout.ok().starts_with("signed out alice"),
        "{}",
        logout.stdout
    );
    let ended = sent(&sim, "auth/EndSession");
    assert_eq!(
        ended.last().unwrap().response,
        "1",
        "the live (renewed) session was ended"
    );
    run_in(home.path(), &at(&["campaigns", "summary"]), "")
        .await
        .fails(3, "not signed in to");

    // Without --save an expired session cannot be renewed without a terminal: exit 3, saying what to do.
    run_in(
        home.path(),
        &at(&["--user", "alice", "login", "--password-stdin"]),
        "alice-pw\n",
    )
    .await
    .ok();
    sim.expire_tokens();
    run_in(home.path(), &at(&["campaigns", "summary"]), "")
        .await
        .fails(3, "sign in again with `integra login`");
    run_in(home.path(), &at(&["logout"]), "").await.ok();
}

//! Running the binary: a scratch HOME (so no user configuration or keychain is read), the password on stdin, and
//! what came out.

use std::path::Path;
use std::process::Stdio;

use integra_sim::{JournalEntry, RunningSim, SimConfig};
use tokio::io::AsyncWriteExt;

/// One finished run of `integra`.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts success and returns stdout parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        assert_eq!(self.code, 0, "stderr: {}", self.stderr);
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }

    /// Asserts success and returns stdout.
    pub fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "stderr: {}", self.stderr);
        &self.stdout
    }

    /// Asserts the exit code and that stderr says `words`; stdout stays empty.
    pub fn fails(&self, code: i32, words: &str) {
        assert_eq!(
            self.code, code,
            "stdout: {} stderr: {}",
            self.stdout, self.stderr
        );
        assert!(
            self.stderr.contains(words),
            "expected {words:?} in stderr: {}",
            self.stderr
        );
        assert!(self.stdout.is_empty(), "stdout on failure: {}", self.stdout);
    }
}

/// The simulator with the demo data, on a free port.
pub async fn sim() -> RunningSim {
    integra_sim::spawn(SimConfig::demo(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

/// Runs `integra` with `args`, `stdin` as standard input, in a scratch HOME.
pub async fn run_in(home: &Path, args: &[&str], stdin: &str) -> Run {
    run_with_env(home, args, stdin, &[]).await
}

/// [`run_in`] with environment variables set.
pub async fn run_with_env(home: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_integra"))
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("INTEGRA_SERVER")
        .env_remove("INTEGRA_USER")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the integra binary runs");
    let mut input = child.stdin.take().unwrap();
    // The binary may exit before reading (a usage error): a broken pipe here is not the test's business.
    let _ = input.write_all(stdin.as_bytes()).await;
    drop(input);
    let out = child.wait_with_output().await.unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

/// Runs `integra --server URL --user USER --password-stdin ARGS…` with `password` on stdin.
pub async fn as_user(server: &str, user: &str, password: &str, args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    let mut all = vec!["--server", server, "--user", user, "--password-stdin"];
    all.extend_from_slice(args);
    run_in(home.path(), &all, &format!("{password}\n")).await
}

/// Runs a command as agent alice (scripted mode).
pub async fn alice(sim: &RunningSim, args: &[&str]) -> Run {
    as_user(&sim.base_url(), "alice", "alice-pw", args).await
}

/// The requests to `endpoint` (below Integra/resources/), oldest first.
pub fn sent(sim: &RunningSim, endpoint: &str) -> Vec<JournalEntry> {
    sim.journal()
        .into_iter()
        .filter(|e| e.endpoint() == endpoint)
        .collect()
}

/// The only request to `endpoint`.
pub fn sent_once(sim: &RunningSim, endpoint: &str) -> JournalEntry {
    let mut found = sent(sim, endpoint);
    assert_eq!(found.len(), 1, "requests to {endpoint}: {found:?}");
    found.remove(0)
}

/// A file in a fresh temporary directory (kept alive by the returned guard).
pub fn file(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

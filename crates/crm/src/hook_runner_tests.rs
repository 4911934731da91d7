//! Hooks run for real: small `#!/bin/sh` scripts in a temporary folder. Unix only.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::event::{CrmEvent, Moment};
use crate::fields::CallFields;
use crate::hook_runner::{run, HookOutcome, STDERR_TAIL_BYTES};
use crate::hooks::HookSpec;

/// One test at a time writes and runs scripts: a script still open for writing in one test while another test
/// forks would make exec fail with "Text file busy".
static SCRIPTS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn spec(command: PathBuf, args: &[&str], timeout_seconds: u64) -> HookSpec {
    HookSpec {
        on: vec![Moment::Answered],
        command,
        args: args.iter().map(|a| a.to_string()).collect(),
        timeout_seconds,
    }
}

fn answered(call: CallFields) -> CrmEvent {
    CrmEvent::for_call(Moment::Answered, "2025-03-14T15:09:26Z", call)
}

/// Whether `pid` is a live process (a zombie is not).
fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .is_some_and(|rest| !rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

fn read_pid(path: &Path) -> u32 {
    std::fs::read_to_string(path)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn the_event_arrives_exactly_in_the_environment_and_no_shell_expands_it() {
    let _one = SCRIPTS.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let names = [
        "UCAC_EVENT",
        "UCAC_AT",
        "UCAC_NUMBER",
        "UCAC_CAMPAIGN",
        "UCAC_GUID",
        "UCAC_CTI",
        "PATH",
    ];
    let body: String = names
        .iter()
        .map(|n| format!("printf '%s' \"${n}\" > \"$1/{n}\"\n"))
        .collect::<String>()
        + "out=\"$1\"\nshift\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$out/args\"";
    // The script's own path has a space: a shell would split it.
    let command = script(dir.path(), "crm hook", &body);
    let pwned = dir.path().join("pwned");
    let evil = format!(
        "1 & 2; \"quoted\" 'single' $(touch {p}) `touch {p}` $HOME *",
        p = pwned.display()
    );
    let call = CallFields {
        number: evil.clone(),
        campaign: "Ventas -> Norte".to_string(),
        guid: "g-1".to_string(),
        cti: serde_json::json!({"contact": "Ana Pérez"}),
        ..CallFields::sample()
    };
    let out_arg = out.display().to_string();
    let args = [out_arg.as_str(), "--quiet", "a b", "$(touch x)", "*"];
    let outcome = run(&spec(command, &args, 10), &answered(call)).await;

    assert!(outcome.succeeded(), "{outcome}");
    let got = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    assert_eq!(got("UCAC_EVENT"), "answered");
    assert_eq!(got("UCAC_AT"), "2025-03-14T15:09:26Z");
    assert_eq!(got("UCAC_NUMBER"), evil);
    assert_eq!(got("UCAC_CAMPAIGN"), "Ventas -> Norte");
    assert_eq!(got("UCAC_GUID"), "g-1");
    assert_eq!(got("UCAC_CTI"), r#"{"contact":"Ana Pérez"}"#);
    assert_eq!(
        got("PATH"),
        std::env::var("PATH").unwrap(),
        "the app's environment is inherited"
    );
    assert_eq!(got("args"), "--quiet\na b\n$(touch x)\n*\n");
    assert!(!pwned.exists(), "a value was run as a command");
}

#[tokio::test]
async fn the_exit_code_and_the_end_of_stderr_are_reported() {
    let _one = SCRIPTS.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let command = script(
        dir.path(),
        "fails",
        "echo 'starting' >&2\necho 'crm-open: bad token' >&2\nexit 3",
    );
    let outcome = run(&spec(command, &[], 10), &answered(CallFields::sample())).await;
    match &outcome {
        HookOutcome::Exited {
            code,
            stderr_tail,
            took,
        } => {
            assert_eq!(*code, Some(3));
            assert_eq!(stderr_tail, "starting\ncrm-open: bad token");
            assert!(*took < Duration::from_secs(5));
        }
        other => panic!("{other:?}"),
    }
    assert!(!outcome.succeeded());
    let line = outcome.to_string();
    assert!(line.starts_with("exited with code 3 after "), "{line}");
    assert!(line.ends_with(" ms; stderr: crm-open: bad token"), "{line}");
}

#[tokio::test]
async fn a_flood_on_stderr_neither_blocks_the_hook_nor_grows_the_outcome() {
    let _one = SCRIPTS.lock().await;
    let dir = tempfile::tempdir().unwrap();
    // 1 MiB: far more than a pipe holds, so an unread pipe would block the script until its timeout.
    let body = "head -c 1048576 /dev/zero | tr '\\0' 'x' >&2\necho >&2\necho 'the last line' >&2";
    let command = script(dir.path(), "noisy", body);
    let outcome = run(&spec(command, &[], 10), &answered(CallFields::sample())).await;
    let HookOutcome::Exited {
        code: Some(0),
        stderr_tail,
        ..
    } = &outcome
    else {
        panic!("{outcome:?}")
    };
    assert!(stderr_tail.len() <= STDERR_TAIL_BYTES);
    assert!(stderr_tail.len() > STDERR_TAIL_BYTES - 20);
    assert!(
        stderr_tail.ends_with("xxx\nthe last line"),
        "{}",
        &stderr_tail[stderr_tail.len() - 30..]
    );
}

#[tokio::test]
async fn a_hook_past_its_timeout_is_killed_with_what_it_started() {
    let _one = SCRIPTS.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let body = format!(
        "echo $$ > '{d}/pid'\nsleep 30 &\necho $! > '{d}/sleep_pid'\nwait\necho late > '{d}/late'",
        d = dir.path().display()
    );
    let command = script(dir.path(), "slow", &body);
    let started = Instant::now();
    let outcome = run(&spec(command, &[], 1), &answered(CallFields::sample())).await;
    let took = started.elapsed();

    let HookOutcome::TimedOut { after } = outcome else {
        panic!("{outcome:?}")
    };
    assert!(
        after >= Duration::from_secs(1) && took < Duration::from_secs(4),
        "{after:?} {took:?}"
    );
    assert!(
        outcome.to_string().starts_with("timed out after "),
        "{outcome}"
    );
    let hook = read_pid(&dir.path().join("pid"));
    let sleep = read_pid(&dir.path().join("sleep_pid"));
    // The hook itself is killed and reaped: not even a zombie is left.
    assert!(
        !Path::new(&format!("/proc/{hook}")).exists(),
        "the hook {hook} is still there"
    );
    // What it started goes too (the app does not reap it; whoever adopted it does).
    let deadline = Instant::now() + Duration::from_secs(2);
    while alive(sleep) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!alive(sleep), "the hook's child {sleep} outlived it");
    assert!(!dir.path().join("late").exists());
}

#[tokio::test]
async fn dropping_the_run_kills_the_hook() {
    let _one = SCRIPTS.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let command = script(
        dir.path(),
        "slow",
        &format!("echo $$ > '{}/pid'\nexec sleep 30", dir.path().display()),
    );
    let event = answered(CallFields::sample());
    let hook = spec(command, &[], 60);
    let pid_file = dir.path().join("pid");
    let cut_short = tokio::time::timeout(Duration::from_millis(500), run(&hook, &event)).await;
    assert!(
        cut_short.is_err(),
        "the hook should still have been running"
    );
    let pid = read_pid(&pid_file);
    let deadline = Instant::now() + Duration::from_secs(2);
    while alive(pid) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!alive(pid), "the hook {pid} outlived its dropped run");
}

#[tokio::test]
async fn a_command_that_cannot_start_says_why() {
    let _one = SCRIPTS.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let outcome = run(
        &spec(missing.clone(), &[], 5),
        &answered(CallFields::sample()),
    )
    .await;
    let HookOutcome::NotStarted { reason } = &outcome else {
        panic!("{outcome:?}")
    };
    assert!(
        reason.starts_with(&format!("{}: ", missing.display())),
        "{reason}"
    );
    assert!(
        outcome.to_string().starts_with("did not start: "),
        "{outcome}"
    );

    let not_executable = script(dir.path(), "plain", "exit 0");
    std::fs::set_permissions(&not_executable, std::fs::Permissions::from_mode(0o644)).unwrap();
    let outcome = run(
        &spec(not_executable, &[], 5),
        &answered(CallFields::sample()),
    )
    .await;
    assert!(
        matches!(outcome, HookOutcome::NotStarted { .. }),
        "{outcome:?}"
    );
}

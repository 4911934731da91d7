//! Running one hook. The command is started directly (never through a shell, so nothing in a call's values is ever
//! interpreted), with stdin closed, stdout discarded and the event only in its environment
//! ([`crate::hooks::environment`]). At its timeout it is killed and reaped, on unix with every process it started
//! (it runs in its own process group); the last [`STDERR_TAIL_BYTES`] of its stderr are kept for the log.
//!
//! The caller spawns [`run`] on a task of its own: the call desk never waits for a hook. Dropping the future kills
//! the hook's process. It needs a Tokio runtime with its I/O and time drivers (Tauri's async runtime has both).

use std::fmt;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::AsyncReadExt;
use tokio::process::{ChildStderr, Command};

use crate::event::CrmEvent;
use crate::hooks::{environment, HookSpec, MAX_TIMEOUT_SECONDS};

/// How much of the end of a hook's stderr the outcome keeps.
pub const STDERR_TAIL_BYTES: usize = 2048;

/// After the hook exits, how long its stderr may still take to reach its end (a process it left behind may hold
/// the pipe open; its output is then cut short).
const DRAIN: Duration = Duration::from_millis(200);

/// How a hook's run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HookOutcome {
    /// It exited by itself.
    Exited {
        /// Its exit code; `None` when a signal ended it.
        code: Option<i32>,
        /// The end of its stderr (at most [`STDERR_TAIL_BYTES`], lossy UTF-8, trailing space trimmed).
        stderr_tail: String,
        /// From start to exit.
        took: Duration,
    },
    /// It ran past its timeout and was killed.
    TimedOut {
        /// How long it ran.
        after: Duration,
    },
    /// It could not be started (missing, not executable, …).
    NotStarted {
        /// The command and the system's reason.
        reason: String,
    },
}

impl fmt::Display for HookOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HookOutcome::Exited {
                code,
                stderr_tail,
                took,
            } => {
                match code {
                    Some(code) => {
                        write!(f, "exited with code {code} after {} ms", took.as_millis())?
                    }
                    None => write!(f, "ended by a signal after {} ms", took.as_millis())?,
                }
                match stderr_tail
                    .lines()
                    .rev()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                {
                    Some(line) => write!(f, "; stderr: {}", clip(line, 200)),
                    None => Ok(()),
                }
            }
            HookOutcome::TimedOut { after } => {
                write!(f, "timed out after {} ms and was killed", after.as_millis())
            }
            HookOutcome::NotStarted { reason } => write!(f, "did not start: {reason}"),
        }
    }
}

impl HookOutcome {
    /// Exited with code 0.
    pub fn succeeded(&self) -> bool {
        matches!(self, HookOutcome::Exited { code: Some(0), .. })
    }
}

fn clip(line: &str, chars: usize) -> String {
    match line.char_indices().nth(chars) {
        Some((end, _)) => format!("{}…", &line[..end]),
        None => line.to_string(),
    }
}

/// Runs `spec` for `event` and says how it ended. Never panics and never waits longer than the hook's timeout
/// (plus the moment killing takes).
pub async fn run(spec: &HookSpec, event: &CrmEvent) -> HookOutcome {
    let started = Instant::now();
    let mut command = Command::new(&spec.command);
    command
        .args(&spec.args)
        .envs(environment(event))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    #[cfg(unix)]
    command.process_group(0);
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => {
            return HookOutcome::NotStarted {
                reason: format!("{}: {e}", spec.command.display()),
            }
        }
    };
    tracing::debug!(command = %spec.command.display(), event = %event.moment, "hook started");

    let tail = Arc::new(Mutex::new(Vec::with_capacity(STDERR_TAIL_BYTES)));
    let mut reader = child
        .stderr
        .take()
        .map(|stderr| tokio::spawn(read_tail(stderr, Arc::clone(&tail))));
    // Validation keeps the timeout in range; an unchecked spec still never runs for 0 s or for hours.
    let timeout = Duration::from_secs(spec.timeout_seconds.clamp(1, MAX_TIMEOUT_SECONDS));

    let outcome = match tokio::time::timeout(timeout, child.wait()).await {
        Ok(status) => {
            let took = started.elapsed();
            if let Some(reader) = reader.as_mut() {
                let _ = tokio::time::timeout(DRAIN, reader).await;
            }
            HookOutcome::Exited {
                code: status.ok().and_then(|s| s.code()),
                stderr_tail: tail_text(&tail),
                took,
            }
        }
        Err(_) => {
            #[cfg(unix)]
            kill_group(child.id());
            // Kills the hook itself (where the group could not be) and reaps it.
            if let Err(e) = child.kill().await {
                tracing::warn!(command = %spec.command.display(), "killing a timed-out hook: {e}");
            }
            HookOutcome::TimedOut {
                after: started.elapsed(),
            }
        }
    };
    if let Some(reader) = reader {
        reader.abort();
    }
    outcome
}

/// SIGKILL to the hook's process group (its id: it was started with `process_group(0)`), so a shell script's
/// children go with it.
#[cfg(unix)]
fn kill_group(id: Option<u32>) {
    use rustix::process::{kill_process_group, Pid, Signal};
    // Never 0 or 1: those would name the app's own group or every process.
    let Some(pid) = id
        .and_then(|id| i32::try_from(id).ok())
        .filter(|&id| id > 1)
        .and_then(Pid::from_raw)
    else {
        return;
    };
    if let Err(e) = kill_process_group(pid, Signal::KILL) {
        tracing::debug!("killing hook process group {id:?}: {e}");
    }
}

/// Reads `stderr` to its end, keeping only its last [`STDERR_TAIL_BYTES`].
async fn read_tail(mut stderr: ChildStderr, tail: Arc<Mutex<Vec<u8>>>) {
    let mut chunk = [0u8; 1024];
    loop {
        match stderr.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                let mut tail = tail.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                tail.extend_from_slice(&chunk[..n]);
                if tail.len() > STDERR_TAIL_BYTES {
                    let excess = tail.len() - STDERR_TAIL_BYTES;
                    tail.drain(..excess);
                }
            }
        }
    }
}

/// The kept bytes as text: a character cut at the front is dropped, invalid UTF-8 replaced, trailing space trimmed.
fn tail_text(tail: &Mutex<Vec<u8>>) -> String {
    let tail = tail.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let start = tail
        .iter()
        .take(3)
        .take_while(|&&b| b & 0b1100_0000 == 0b1000_0000)
        .count();
    String::from_utf8_lossy(&tail[start..])
        .trim_end()
        .to_string()
}

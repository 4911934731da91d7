//! Hooks: commands IT runs at the call's moments, from the machine policy file only (never the agent's settings:
//! a setting the agent can edit must not choose a program to run).
//!
//! ```toml
//! [[hooks]]
//! on = ["answered", "ended"]
//! command = "/usr/local/bin/crm-open"   # absolute; run directly, never through a shell
//! args = ["--quiet"]
//! timeout_seconds = 5                   # 1 to 300; default 10
//! ```
//!
//! The event reaches the command only as environment variables ([`environment`]); see [`crate::hook_runner`]
//! for how it runs.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::event::{CrmEvent, Moment};

/// A hook's timeout when the policy gives none.
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 10;
/// The longest timeout a hook may have.
pub const MAX_TIMEOUT_SECONDS: u64 = 300;

/// One `[[hooks]]` table of the policy file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HookSpec {
    /// The moments it runs at.
    pub on: Vec<Moment>,
    /// The program: an absolute path to an executable file.
    pub command: PathBuf,
    /// Its arguments, as they are (no shell, no expansion).
    #[serde(default)]
    pub args: Vec<String>,
    /// Killed after this many seconds (1 to 300).
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
}

fn default_timeout() -> u64 {
    DEFAULT_TIMEOUT_SECONDS
}

/// Why a hook cannot run, naming the key and, for the command, the path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HookError {
    /// `on = []`.
    #[error("on: names no event; use one or more of {}", Moment::ALL.map(Moment::name).join(", "))]
    NoEvents,
    /// A relative command would depend on the app's working folder.
    #[error("command: {} is not an absolute path", path.display())]
    NotAbsolute {
        /// The command as written.
        path: PathBuf,
    },
    /// Nothing there (or it cannot be read).
    #[error("command: {} does not exist ({reason})", path.display())]
    Missing {
        /// The command as written.
        path: PathBuf,
        /// The system's reason.
        reason: String,
    },
    /// A folder, a device…
    #[error("command: {} is not a regular file", path.display())]
    NotAFile {
        /// The command as written.
        path: PathBuf,
    },
    /// No execute permission bit.
    #[error("command: {} is not executable", path.display())]
    NotExecutable {
        /// The command as written.
        path: PathBuf,
    },
    /// 0 or more than [`MAX_TIMEOUT_SECONDS`].
    #[error("timeout_seconds: {0} is outside 1 to {MAX_TIMEOUT_SECONDS}")]
    Timeout(u64),
}

/// A [`HookError`] with the hook's place in the policy file: `hooks[0].command: /opt/x is not executable`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("hooks[{index}].{error}")]
pub struct HookProblem {
    /// The hook's index in `[[hooks]]`.
    pub index: usize,
    /// What is wrong with it.
    pub error: HookError,
}

impl HookSpec {
    /// Checks what a hand-written policy can get wrong; the command is looked at on disk (its existence, kind
    /// and, on unix, an execute bit).
    pub fn validate(&self) -> Result<(), HookError> {
        if self.on.is_empty() {
            return Err(HookError::NoEvents);
        }
        if !(1..=MAX_TIMEOUT_SECONDS).contains(&self.timeout_seconds) {
            return Err(HookError::Timeout(self.timeout_seconds));
        }
        check_command(&self.command)
    }

    /// Whether it runs at `moment`.
    pub fn runs_on(&self, moment: Moment) -> bool {
        self.on.contains(&moment)
    }
}

fn check_command(command: &Path) -> Result<(), HookError> {
    if !command.is_absolute() {
        return Err(HookError::NotAbsolute {
            path: command.to_path_buf(),
        });
    }
    let meta = std::fs::metadata(command).map_err(|e| HookError::Missing {
        path: command.to_path_buf(),
        reason: e.to_string(),
    })?;
    if !meta.is_file() {
        return Err(HookError::NotAFile {
            path: command.to_path_buf(),
        });
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o111 == 0 {
            return Err(HookError::NotExecutable {
                path: command.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Every hook's problems, in order, each with its index.
pub fn validate_all(hooks: &[HookSpec]) -> Result<(), Vec<HookProblem>> {
    let problems: Vec<HookProblem> = hooks
        .iter()
        .enumerate()
        .filter_map(|(index, hook)| {
            hook.validate()
                .err()
                .map(|error| HookProblem { index, error })
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The hooks that run at `moment`.
pub fn hooks_for(hooks: &[HookSpec], moment: Moment) -> impl Iterator<Item = &HookSpec> {
    hooks.iter().filter(move |h| h.runs_on(moment))
}

/// The environment a hook receives for `event`, besides the app's own. Every variable is always set (empty when
/// the event has no such value), so a script never sees a value left over from the app's own environment. NUL
/// characters, which no environment can carry, are dropped.
///
/// | variable | value |
/// |---|---|
/// | `UCAC_EVENT` | the moment's name (`answered`, `wrap_up`, …) |
/// | `UCAC_AT` | when, RFC 3339 UTC |
/// | `UCAC_GUID`, `UCAC_NUMBER`, `UCAC_CAMPAIGN`, `UCAC_DIRECTION`, `UCAC_AGENT`, `UCAC_EXTENSION` | the call's |
/// | `UCAC_DISPOSITION` | for `filed`: the levels joined by `" / "` |
/// | `UCAC_MOTIVE` | for breaks: the break's motive |
/// | `UCAC_CTI` | the CTI record as JSON text (empty when there is none) |
pub fn environment(event: &CrmEvent) -> Vec<(&'static str, String)> {
    let call = event.call.as_ref();
    let of = |get: fn(&crate::fields::CallFields) -> String| call.map(get).unwrap_or_default();
    let cti = match call.map(|c| &c.cti) {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(cti) => cti.to_string(),
    };
    vec![
        ("UCAC_EVENT", event.moment.name().to_string()),
        ("UCAC_AT", event.at.clone()),
        ("UCAC_GUID", of(|c| c.guid.clone())),
        ("UCAC_NUMBER", of(|c| c.number.clone())),
        ("UCAC_CAMPAIGN", of(|c| c.campaign.clone())),
        ("UCAC_DIRECTION", of(|c| c.direction.name().to_string())),
        ("UCAC_AGENT", of(|c| c.agent.clone())),
        ("UCAC_EXTENSION", of(|c| c.extension.clone())),
        (
            "UCAC_DISPOSITION",
            event.disposition.clone().unwrap_or_default(),
        ),
        ("UCAC_MOTIVE", event.motive.clone().unwrap_or_default()),
        ("UCAC_CTI", cti),
    ]
    .into_iter()
    .map(|(name, value)| {
        (
            name,
            if value.contains('\0') {
                value.replace('\0', "")
            } else {
                value
            },
        )
    })
    .collect()
}

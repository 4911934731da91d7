//! The machine-wide policy: a read-only TOML file IT installs next to the app that presets any setting and can
//! lock any of them. It works on the settings' TOML form (dotted paths such as `hotkeys.dial`), so every field
//! [`Settings`] has — or gains later — can be preset and locked without code of its own.
//!
//! ```toml
//! locked = ["server_url", "hotkeys.dial"]   # top level, before any [table]
//! [settings]
//! server_url = "https://acme.ucontactcloud.com"
//! [settings.hotkeys]
//! dial = "Ctrl+Alt+D"
//! ```
//!
//! Installers write locks as a `[lock]` table instead (`server_url = true`), which INI writers can produce.
//!
//! Effective settings: compiled defaults ← presets ← the agent's `settings.toml` ← locked presets. A broken file
//! never stops the app: each bad part (bad TOML, unknown key, wrong type, invalid value) is a problem naming the
//! file and the key, and everything else still applies. The app never writes the policy file.

use std::path::{Path, PathBuf};

use serde::Serialize;
use toml::{Table, Value};

use crate::settings::{Settings, APP_DIR};
use agent_error::{AgentError, ErrorCode, Phrase, Result};

mod table;

pub use table::covers;

/// Environment variable naming another policy file (tests, trials on one desk).
pub const POLICY_ENV: &str = "UCAC_POLICY_FILE";

/// Where IT installs the policy on this platform.
pub fn default_location() -> PathBuf {
    #[cfg(windows)]
    let base = std::env::var_os("ProgramData")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(r"C:\ProgramData"));
    #[cfg(target_os = "macos")]
    let base = PathBuf::from("/Library/Application Support");
    #[cfg(not(any(windows, target_os = "macos")))]
    let base = PathBuf::from("/etc");
    base.join(APP_DIR).join("policy.toml")
}

/// The policy file to read: `UCAC_POLICY_FILE` when set, else the platform's.
pub fn location() -> PathBuf {
    std::env::var_os(POLICY_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(default_location)
}

/// The policy as read: the presets and locks that passed, and what was refused.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    file: PathBuf,
    found: bool,
    presets: Table,
    locked: Vec<String>,
    problems: Vec<String>,
    /// IT's commands for the call's moments (`[[hooks]]`): only from here, never from the agent's settings.
    hooks: Vec<crm::HookSpec>,
}

/// What Settings shows about the policy.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PolicyView {
    /// The file read (or looked for).
    pub file: String,
    /// The file exists.
    pub found: bool,
    /// Settings the policy presets (dotted paths).
    pub preset: Vec<String>,
    /// Settings the policy locks (dotted paths; a table locks everything under it).
    pub locked: Vec<String>,
    /// What was refused, each naming the file and the key.
    pub problems: Vec<String>,
    /// The hooks that run, as `on: command` lines (`answered, ended: /usr/local/bin/crm-open`).
    pub hooks: Vec<String>,
}

fn settings_table(settings: &Settings) -> Table {
    match Value::try_from(settings) {
        Ok(Value::Table(t)) => t,
        _ => Table::new(),
    }
}

fn settings_from(table: Table) -> std::result::Result<Settings, String> {
    Value::Table(table)
        .try_into::<Settings>()
        .map_err(|e| e.message().to_string())
}

impl Policy {
    /// Reads the policy at [`location`]; a missing file is an empty policy.
    pub fn load() -> Self {
        Self::load_from(&location())
    }

    /// Reads the policy at `path`: never fails, problems are kept in the policy (and logged).
    pub fn load_from(path: &Path) -> Self {
        let source = path.display().to_string();
        let policy = match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&source, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Self::default(),
            Err(e) => Self {
                found: true,
                problems: vec![format!("{source}: cannot be read: {e}")],
                ..Self::default()
            },
        };
        let policy = Self {
            file: path.to_path_buf(),
            ..policy
        };
        for problem in &policy.problems {
            tracing::warn!(%problem, "policy: part of the file refused");
        }
        policy
    }

    /// Reads a policy from its text; `source` names the file in problems.
    pub fn parse(source: &str, text: &str) -> Self {
        let mut policy = Self {
            file: PathBuf::from(source),
            found: true,
            ..Self::default()
        };
        let doc: Table = match toml::from_str(text) {
            Ok(doc) => doc,
            Err(e) => {
                let line = e
                    .span()
                    .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
                let at = line.map(|l| format!(" (line {l})")).unwrap_or_default();
                policy.problems.push(format!(
                    "{source}: not valid TOML{at}: {}; nothing in it applies",
                    e.message()
                ));
                return policy;
            }
        };
        let mut presets = Table::new();
        let mut locked = Vec::new();
        for (key, value) in doc {
            match (key.as_str(), value) {
                ("settings", Value::Table(t)) => presets = t,
                ("locked", Value::Array(list)) => {
                    for item in list {
                        match item {
                            Value::String(path) => locked.push(path.trim().to_string()),
                            other => policy.problems.push(format!(
                                "{source}: locked: {other} is not a setting's name (a quoted string like \"server_url\")"
                            )),
                        }
                    }
                }
                // The installers' form (an INI writer cannot write a list): `[lock]` with `path = true`.
                ("lock", Value::Table(t)) => {
                    for (path, value) in table::leaves(&t) {
                        match value {
                            Value::Boolean(true) => locked.push(path),
                            Value::Boolean(false) => {}
                            other => policy.problems.push(format!(
                                "{source}: lock.{path} = {other}: use true or false"
                            )),
                        }
                    }
                }
                ("hooks", Value::Array(list)) => policy.accept_hooks(source, list),
                ("hooks", other) => policy.problems.push(format!(
                    "{source}: hooks must be [[hooks]] tables, not a {}",
                    other.type_str()
                )),
                ("settings", other) | ("locked", other) | ("lock", other) => policy.problems.push(format!(
                    "{source}: {key} must be {}, not a {}",
                    match key.as_str() {
                        "settings" => "a [settings] table",
                        "lock" => "a [lock] table",
                        _ => "a list of setting names",
                    },
                    other.type_str()
                )),
                (other, _) => policy.problems.push(format!(
                    "{source}: unknown key {other:?} (a policy has `locked = [...]`, [settings], [lock] and [[hooks]])"
                )),
            }
        }
        policy.accept_presets(source, &presets);
        policy.accept_locks(source, locked);
        policy
    }

    /// Keeps each hook that reads and whose command is an absolute path to an executable file; the rest become
    /// problems naming the hook's place and the path (`hooks[1].command: /opt/x is not executable`).
    fn accept_hooks(&mut self, source: &str, list: Vec<Value>) {
        for (index, item) in list.into_iter().enumerate() {
            // A hook that does not read is named by its place; one that reads, by its key (`.command: …`).
            let checked = match item.try_into::<crm::HookSpec>() {
                Err(e) => Err(format!(": {}", e.message().trim())),
                Ok(spec) => spec.validate().map(|()| spec).map_err(|e| format!(".{e}")),
            };
            match checked {
                Ok(spec) => self.hooks.push(spec),
                Err(why) => self.problems.push(format!(
                    "{source}: hooks[{index}]{why}; this hook does not run"
                )),
            }
        }
    }

    /// IT's hooks that passed the checks.
    pub fn hooks(&self) -> &[crm::HookSpec] {
        &self.hooks
    }

    /// Keeps each preset that deserializes, names a real setting and validates; the rest become problems.
    fn accept_presets(&mut self, source: &str, presets: &Table) {
        for (path, value) in table::leaves(presets) {
            let mut candidate = self.presets.clone();
            table::set(&mut candidate, &path, value);
            let refused = match settings_from(candidate.clone()) {
                Err(why) => Some(format!("wrong type: {why}")),
                Ok(settings) if table::get(&settings_table(&settings), &path).is_none() => {
                    Some("not a setting".to_string())
                }
                Ok(settings) => settings.validate().err().map(|e| e.to_string()),
            };
            match refused {
                Some(why) => self
                    .problems
                    .push(format!("{source}: settings.{path}: {why}; ignored")),
                None => self.presets = candidate,
            }
        }
    }

    /// Keeps each lock that names a setting with a value (from a preset or the defaults).
    fn accept_locks(&mut self, source: &str, locked: Vec<String>) {
        let Ok(preset) = settings_from(self.presets.clone()) else {
            return;
        };
        let known = settings_table(&preset);
        for path in locked {
            if !path.is_empty() && table::get(&known, &path).is_some() {
                if !self.locked.contains(&path) {
                    self.locked.push(path);
                }
            } else {
                self.problems.push(format!(
                    "{source}: locked: {path:?} is not a setting, or has no value to keep (give it one under [settings]); not locked"
                ));
            }
        }
    }

    /// True when `path` (dotted) is locked, itself or through a table above it.
    pub fn is_locked(&self, path: &str) -> bool {
        self.locked.iter().any(|lock| covers(lock, path))
    }

    /// What refused parts the file had, each naming the file and key.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// The effective settings from the agent's own settings (as a TOML table; `None` for none): presets under the
    /// agent's values, locked presets over them. Fails only if the agent's values do not fit the settings.
    pub fn apply(&self, user: Option<&Table>) -> Result<Settings> {
        let mut merged = self.presets.clone();
        for (path, value) in user.map(table::leaves).unwrap_or_default() {
            // An empty `[table]` in the agent's file must not wipe the presets under it.
            let keeps_presets = value.as_table().is_some_and(Table::is_empty)
                && table::get(&merged, &path).is_some();
            if !self.is_locked(&path) && !keeps_presets {
                table::set(&mut merged, &path, value);
            }
        }
        for lock in &self.locked {
            // A lock without a preset keeps the default: the agent's value is dropped above.
            if let Some(value) = table::get(&self.presets, lock) {
                table::set(&mut merged, lock, value.clone());
            }
        }
        let settings = settings_from(merged).map_err(|why| {
            AgentError::phrased(
                ErrorCode::InvalidSettings,
                Phrase::new("error.policy.settings").with("detail", why.as_str()),
                format!("settings: {why}"),
            )
        })?;
        settings.validate()?;
        Ok(settings)
    }

    /// The effective settings from the agent's `settings.toml` at `path`. An unreadable or invalid agent file is
    /// set aside (logged; the policy and defaults still apply).
    pub fn load_settings(&self, path: &Path) -> Settings {
        let user = match std::fs::read_to_string(path) {
            Ok(text) => match toml::from_str::<Table>(&text) {
                Ok(t) => Some(t),
                Err(e) => {
                    tracing::warn!(file = %path.display(), err = %e.message(), "settings unreadable, using the defaults");
                    None
                }
            },
            Err(_) => None,
        };
        self.apply(user.as_ref()).unwrap_or_else(|err| {
            tracing::warn!(file = %path.display(), %err, "settings invalid, using the defaults");
            self.apply(None).unwrap_or_default()
        })
    }

    /// Refuses a change of any locked setting between `current` and `proposed`, naming the first one.
    pub fn check(&self, current: &Settings, proposed: &Settings) -> Result<()> {
        let (before, after) = (settings_table(current), settings_table(proposed));
        match self
            .locked
            .iter()
            .find(|lock| table::get(&before, lock) != table::get(&after, lock))
        {
            Some(lock) => Err(AgentError::phrased(
                ErrorCode::LockedSetting,
                Phrase::new("error.policy.locked")
                    .with("setting", lock.as_str())
                    .with("file", self.file.display().to_string()),
                format!(
                    "{lock} is set by your organization and cannot be changed (policy file {})",
                    self.file.display()
                ),
            )),
            None => Ok(()),
        }
    }

    /// Checks `proposed` against `current` (locks), then saves it to the agent's settings file.
    pub fn save(&self, current: &Settings, proposed: &Settings, path: &Path) -> Result<()> {
        self.check(current, proposed)?;
        proposed.save(path)
    }

    /// For Settings.
    pub fn view(&self) -> PolicyView {
        PolicyView {
            file: self.file.display().to_string(),
            found: self.found,
            preset: table::leaves(&self.presets)
                .into_iter()
                .map(|(p, _)| p)
                .collect(),
            locked: self.locked.clone(),
            problems: self.problems.clone(),
            hooks: self
                .hooks
                .iter()
                .map(|h| {
                    let on: Vec<&str> = h.on.iter().map(|m| m.name()).collect();
                    format!("{}: {}", on.join(", "), h.command.display())
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests;

//! The settings in effect and their one writer. Every change — Settings' *Save*, the first sign-in's server and
//! user, the campaigns learnt from the server, autostart decided after the first sign-in — goes through
//! [`SettingsStore::update`]: it takes the lock, applies the edit to a copy, refuses a change to anything the
//! machine policy locks, validates, saves the file atomically, and only then makes the copy current. It answers
//! what changed ([`Change`]) so the caller applies just that.

use std::path::{Path, PathBuf};

use parking_lot::RwLock;

use crate::policy::Policy;
use crate::settings::Settings;
use agent_error::Result;

/// The settings in effect (the agent's with the policy's presets and locks), the policy, and the file they live in.
pub struct SettingsStore {
    policy: Policy,
    file: PathBuf,
    current: RwLock<Settings>,
}

/// The settings before and after one update.
#[derive(Debug, Clone)]
pub struct Change {
    /// As they were.
    pub before: Settings,
    /// As they are now.
    pub after: Settings,
}

impl Change {
    /// True when the part `of` picks differs.
    pub fn changed<T: PartialEq>(&self, of: impl Fn(&Settings) -> &T) -> bool {
        of(&self.before) != of(&self.after)
    }

    /// True when nothing changed (nothing was written).
    pub fn is_empty(&self) -> bool {
        self.before == self.after
    }
}

impl SettingsStore {
    /// Reads the agent's file at `file` under `policy` (an unreadable or invalid file gives the policy's and the
    /// default values; see [`Policy::load_settings`]).
    pub fn load(policy: Policy, file: PathBuf) -> Self {
        let current = RwLock::new(policy.load_settings(&file));
        Self {
            policy,
            file,
            current,
        }
    }

    /// A copy of the settings in effect.
    pub fn get(&self) -> Settings {
        self.current.read().clone()
    }

    /// The machine policy (read once at start; never written).
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The agent's settings file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Applies `edit` to a copy; refuses it when it touches a locked setting or leaves an invalid value (naming
    /// it); saves the copy and makes it current. Nothing is written when the edit changes nothing. On any error the
    /// settings in effect and the file stay as they were.
    pub fn update(&self, edit: impl FnOnce(&mut Settings)) -> Result<Change> {
        let mut current = self.current.write();
        let mut proposed = current.clone();
        edit(&mut proposed);
        if proposed != *current {
            self.policy.check(&current, &proposed)?;
            proposed.save(&self.file)?;
        }
        let before = std::mem::replace(&mut *current, proposed);
        Ok(Change {
            before,
            after: current.clone(),
        })
    }

    /// [`SettingsStore::update`] with a whole new set (Settings' *Save*).
    pub fn replace(&self, proposed: Settings) -> Result<Change> {
        self.update(|settings| *settings = proposed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use agent_error::ErrorCode;

    fn store(policy: &str) -> (tempfile::TempDir, SettingsStore) {
        let dir = tempfile::tempdir().unwrap();
        let policy = Policy::parse("policy.toml", policy);
        let store = SettingsStore::load(policy, dir.path().join("settings.toml"));
        (dir, store)
    }

    #[test]
    fn an_update_is_saved_and_says_what_changed() {
        let (_dir, store) = store("");
        let change = store
            .update(|s| s.campaigns = vec!["Ventas".into()])
            .unwrap();
        assert!(change.changed(|s| &s.campaigns));
        assert!(!change.changed(|s| &s.hotkeys));
        assert_eq!(store.get().campaigns, ["Ventas"]);
        let saved = Settings::load(store.file()).unwrap();
        assert_eq!(saved.campaigns, ["Ventas"]);
    }

    #[test]
    fn a_locked_setting_is_refused_and_nothing_changes() {
        let (_dir, store) =
            store("locked = [\"server_url\"]\n[settings]\nserver_url = \"https://pbx.example\"\n");
        let err = store
            .update(|s| {
                s.server_url = "https://elsewhere.example".into();
                s.notifications = false;
            })
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::LockedSetting);
        assert_eq!(store.get().server_url, "https://pbx.example");
        assert!(store.get().notifications, "the whole edit is refused");
        assert!(!store.file().exists(), "nothing written");
    }

    #[test]
    fn an_invalid_value_is_refused_by_name() {
        let (_dir, store) = store("");
        let err = store.update(|s| s.history_days = 0).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidSettings);
        assert!(err.to_string().contains("history_days"), "{err}");
        assert_eq!(store.get().history_days, 7);
    }

    #[test]
    fn an_edit_that_changes_nothing_writes_nothing() {
        let (_dir, store) = store("");
        let change = store.update(|_| {}).unwrap();
        assert!(change.is_empty());
        assert!(!store.file().exists());
    }
}

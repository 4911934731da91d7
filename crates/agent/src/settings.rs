//! Settings: defaults compiled in, the agent's choices in `settings.toml` in the platform's config folder. Never
//! a secret. Written atomically (temporary file + rename), so a crash mid-save cannot leave half a file.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::profile::IdentityOverrides;
use agent_error::{AgentError, ErrorCode, Phrase, Result};
use hotkeys::Bindings;

/// Folder name under the platform's config and data folders.
pub const APP_DIR: &str = "ucontact-agent-companion";

/// Where the app keeps things. `UCAC_CONFIG_DIR` and `UCAC_DATA_DIR` override the platform folders (tests, demo,
/// portable setups).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// `settings.toml` and `dispositions/`.
    pub config_dir: PathBuf,
    /// The outbox database.
    pub data_dir: PathBuf,
    /// Log files.
    pub log_dir: PathBuf,
}

impl Paths {
    /// The platform folders, or the environment overrides.
    pub fn from_env() -> Self {
        let env = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let config_dir = env("UCAC_CONFIG_DIR").unwrap_or_else(|| {
            dirs::config_dir()
                .unwrap_or_else(|| PathBuf::from("."))
                .join(APP_DIR)
        });
        let data_dir = env("UCAC_DATA_DIR").unwrap_or_else(|| {
            dirs::data_dir()
                .unwrap_or_else(|| PathBuf::from("."))
                .join(APP_DIR)
        });
        let log_dir = env("UCAC_LOG_DIR").unwrap_or_else(|| {
            dirs::state_dir()
                .or_else(dirs::cache_dir)
                .unwrap_or_else(|| data_dir.clone())
                .join(APP_DIR)
                .join("logs")
        });
        Self {
            config_dir,
            data_dir,
            log_dir,
        }
    }

    /// Everything under one folder (`--profile-dir`): for tests, demos and portable setups.
    pub fn under(dir: &Path) -> Self {
        Self {
            config_dir: dir.join("config"),
            data_dir: dir.join("data"),
            log_dir: dir.join("logs"),
        }
    }

    /// The settings file.
    pub fn settings_file(&self) -> PathBuf {
        self.config_dir.join("settings.toml")
    }

    /// The disposition trees folder.
    pub fn trees_dir(&self) -> PathBuf {
        self.config_dir.join("dispositions")
    }

    /// The last good copy of the remote disposition trees (server, shared source).
    pub fn tree_cache_file(&self) -> PathBuf {
        self.data_dir.join("trees-cache.json")
    }

    /// The outbox database.
    pub fn outbox_file(&self) -> PathBuf {
        self.data_dir.join("outbox.sqlite3")
    }
}

/// Everything the agent can set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The uContact server root.
    pub server_url: String,
    /// The agent's user name.
    pub agent_user: String,
    /// A PEM file with the private CA of an on-premise server (empty: the system's authorities only). TLS is always
    /// verified.
    pub ca_certificate: String,
    /// Identity fields the agent overrides.
    pub identity: IdentityOverrides,
    /// Campaigns offered in the dial picker.
    pub campaigns: Vec<String>,
    /// The campaign picked by default.
    pub default_campaign: String,
    /// The last call must be disposed before the next dial.
    pub require_wrap_up: bool,
    /// Global hotkeys.
    pub hotkeys: Bindings,
    /// Start with the session: `None` until decided (turned on after the first sign-in).
    pub autostart: Option<bool>,
    /// Start hidden in the tray.
    pub start_hidden: bool,
    /// Desktop notifications.
    pub notifications: bool,
    /// `auto`, `en` or `es`.
    pub language: String,
    /// A `tel:`/`callto:` link or a number on the command line dials at once (default: prefill and confirm).
    pub dial_links_at_once: bool,
    /// How encrypted CTI blobs are read (the secret itself is in the keychain).
    pub cti_crypto: cti::crypto::CtiCryptoConfig,
    /// The local bridge for paired browser pages (off by default; `[bridge]`).
    pub bridge: bridge::BridgeConfig,
    /// Where and when the app looks for updates (`[update]`; off by default).
    pub update: update_terms::UpdateSettings,
    /// Where disposition trees come from besides the local folder (`[trees]`: server, shared URL or folder).
    pub trees: disposition_tree::TreeSources,
    /// Break motives (`[breaks]`).
    pub breaks: crate::breaks::BreakSettings,
    /// The wrap-up time limit per campaign (`[wrap_up_limit]`; none by default).
    pub wrap_up_limit: crate::wrap_up::rules::WrapUpLimits,
    /// The HTTP(S) proxy (`[proxy]`; the system's by default); its password is in the keychain.
    pub proxy: proxy_settings::ProxySettings,
    /// How many minutes before a callback its reminder is shown (0: at the time itself).
    pub callback_reminder_minutes: u32,
    /// Days the local call history keeps (Today screen); at least 1.
    pub history_days: u32,
    /// Forget the call history at sign-out (a shared computer).
    pub clear_history_on_sign_out: bool,
    /// The app as the agent's phone (`[phone]`; off by default).
    pub phone: phone::PhoneSettings,
    /// The CRM's address for a call, opened in the default browser (`[screen_pop]`; no template by default).
    pub screen_pop: crm::ScreenPopSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            server_url: String::new(),
            agent_user: String::new(),
            ca_certificate: String::new(),
            identity: IdentityOverrides::default(),
            campaigns: Vec::new(),
            default_campaign: String::new(),
            require_wrap_up: true,
            hotkeys: Bindings::default(),
            autostart: None,
            start_hidden: false,
            notifications: true,
            language: "auto".into(),
            dial_links_at_once: false,
            cti_crypto: cti::crypto::CtiCryptoConfig::default(),
            bridge: bridge::BridgeConfig::default(),
            update: update_terms::UpdateSettings::default(),
            trees: disposition_tree::TreeSources::default(),
            breaks: crate::breaks::BreakSettings::default(),
            wrap_up_limit: crate::wrap_up::rules::WrapUpLimits::default(),
            proxy: proxy_settings::ProxySettings::default(),
            callback_reminder_minutes: 2,
            history_days: 7,
            clear_history_on_sign_out: false,
            phone: phone::PhoneSettings::default(),
            screen_pop: crm::ScreenPopSettings::default(),
        }
    }
}

/// The longest lead a callback's reminder may have: a day.
pub const MAX_REMINDER_MINUTES: u32 = 24 * 60;

/// A setting refused: `phrase` in the agent's language, `message` the same in English.
fn invalid(phrase: Phrase, message: String) -> AgentError {
    AgentError::phrased(ErrorCode::InvalidSettings, phrase, message)
}

/// A settings file that cannot be read or written: `what` is `read`, `create`, `write` or `replace`.
fn file_error(what: &'static str, path: &Path, e: impl std::fmt::Display) -> AgentError {
    let (shown, detail) = (path.display().to_string(), e.to_string());
    let phrase = match what {
        "read" => Phrase::new("error.settings.cannot_read")
            .with("path", shown)
            .with("detail", detail),
        "create" => Phrase::new("error.settings.cannot_create")
            .with("path", shown)
            .with("detail", detail),
        "write" => Phrase::new("error.settings.cannot_write")
            .with("path", shown)
            .with("detail", detail),
        _ => Phrase::new("error.settings.cannot_replace")
            .with("path", shown)
            .with("detail", detail),
    };
    invalid(phrase, format!("cannot {what} {}: {e}", path.display()))
}

impl Settings {
    /// Reads the settings; a missing file gives the defaults. Unknown keys (from newer versions) are ignored.
    pub fn load(path: &Path) -> Result<Self> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(file_error("read", path, e)),
        };
        Self::parse(&path.display().to_string(), &text)
    }

    /// Reads and checks settings from a file's text; `source` names the file in errors. Unknown keys are ignored.
    pub fn parse(source: &str, text: &str) -> Result<Self> {
        let settings: Settings = toml::from_str(text).map_err(|e| {
            invalid(
                Phrase::new("error.settings.unreadable")
                    .with("file", source)
                    .with("detail", e.message()),
                format!("{source}: {}", e.message()),
            )
        })?;
        settings.validate()?;
        Ok(settings)
    }

    /// The file's text as [`Settings::save`] writes it.
    pub fn to_toml(&self) -> Result<String> {
        // Settings always serialize: the library's words if they ever do not.
        toml::to_string_pretty(self)
            .map_err(|e| AgentError::new(ErrorCode::InvalidSettings, e.to_string()))
    }

    /// Checks values a hand-edited file could get wrong, naming the key.
    pub fn validate(&self) -> Result<()> {
        if !matches!(self.language.as_str(), "auto" | "en" | "es") {
            return Err(invalid(
                Phrase::new("error.settings.language")
                    .with("value", format!("{:?}", self.language)),
                format!(
                    "language = {:?}: use \"auto\", \"en\" or \"es\"",
                    self.language
                ),
            ));
        }
        let url = self.server_url.trim();
        if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
            return Err(invalid(
                Phrase::new("error.settings.server_url").with("value", format!("{url:?}")),
                format!("server_url = {url:?}: it must start with https://"),
            ));
        }
        if self.callback_reminder_minutes > MAX_REMINDER_MINUTES {
            return Err(invalid(
                Phrase::new("error.settings.callback_minutes")
                    .with("value", self.callback_reminder_minutes.to_string())
                    .with("max", MAX_REMINDER_MINUTES.to_string()),
                format!(
                    "callback_reminder_minutes = {}: at most {MAX_REMINDER_MINUTES} (a day)",
                    self.callback_reminder_minutes
                ),
            ));
        }
        if !(1..=366).contains(&self.history_days) {
            return Err(invalid(
                Phrase::new("error.settings.history_days")
                    .with("value", self.history_days.to_string()),
                format!(
                    "history_days = {}: keep the call history between 1 and 366 days",
                    self.history_days
                ),
            ));
        }
        self.bridge.validate()?;
        self.update.validate()?;
        self.wrap_up_limit.validate()?;
        self.trees.validate()?;
        self.proxy.validate()?;
        self.phone
            .check()
            .map_err(crate::phone_words::phone_error)?;
        if let Err(problems) = self.screen_pop.validate() {
            let problem = problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            return Err(invalid(
                Phrase::new("error.settings.screen_pop").with("problem", problem.clone()),
                format!("screen_pop: {problem}"),
            ));
        }
        self.hotkeys.validate()
    }

    /// Saves atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        self.validate()?;
        let text = self.to_toml()?;
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| file_error("create", dir, e))?;
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, text).map_err(|e| file_error("write", &tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| file_error("replace", path, e))
    }

    /// The private CA file, when one is set.
    pub fn ca_certificate_path(&self) -> Option<PathBuf> {
        Some(self.ca_certificate.trim())
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
    }

    /// How long before a callback its reminder is shown.
    pub fn callback_reminder_lead(&self) -> std::time::Duration {
        std::time::Duration::from_secs(u64::from(self.callback_reminder_minutes) * 60)
    }

    /// The campaign to dial in: the one picked, else the default, else the identity's, else the first listed.
    pub fn campaign_or_default(
        &self,
        picked: Option<&str>,
        identity_outqueue: &str,
    ) -> Option<String> {
        [
            picked.unwrap_or(""),
            &self.default_campaign,
            identity_outqueue,
            self.campaigns.first().map(String::as_str).unwrap_or(""),
        ]
        .into_iter()
        .find(|c| !c.trim().is_empty())
        .map(|c| c.trim().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_then_load_round_trips_and_missing_file_gives_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("settings.toml");
        assert_eq!(Settings::load(&path).unwrap(), Settings::default());
        let settings = Settings {
            server_url: "https://acme.example".into(),
            agent_user: "alice".into(),
            campaigns: vec!["Ventas->".into(), "Cobranzas->".into()],
            autostart: Some(true),
            ..Settings::default()
        };
        settings.save(&path).unwrap();
        assert_eq!(Settings::load(&path).unwrap(), settings);
        assert!(!path.with_extension("toml.tmp").exists());
    }

    #[test]
    fn unknown_keys_are_tolerated_and_bad_values_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, "future_option = 3\nlanguage = \"es\"\n").unwrap();
        assert_eq!(Settings::load(&path).unwrap().language, "es");
        std::fs::write(&path, "language = \"fr\"\n").unwrap();
        let err = Settings::load(&path).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidSettings);
        assert!(err.to_string().contains("language = \"fr\""), "{err}");
        std::fs::write(&path, "require_wrap_up = \"yes\"\n").unwrap();
        assert!(Settings::load(&path)
            .unwrap_err()
            .to_string()
            .contains("settings.toml"));
        std::fs::write(&path, "[hotkeys]\ndial = \"Ctrl+Alt+Banana\"\n").unwrap();
        assert_eq!(
            Settings::load(&path).unwrap_err().code(),
            ErrorCode::InvalidHotkey
        );
    }

    #[test]
    fn campaign_choice_falls_back_in_order() {
        let s = Settings {
            campaigns: vec!["Cobranzas->".into()],
            ..Settings::default()
        };
        assert_eq!(
            s.campaign_or_default(Some("Ventas->"), "").as_deref(),
            Some("Ventas->")
        );
        assert_eq!(
            s.campaign_or_default(None, "Otra->").as_deref(),
            Some("Otra->")
        );
        assert_eq!(
            s.campaign_or_default(None, "").as_deref(),
            Some("Cobranzas->")
        );
        assert_eq!(Settings::default().campaign_or_default(None, ""), None);
    }
}

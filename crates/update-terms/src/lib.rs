//! Updates the contact center controls: where the app looks for them (`[update]` in the settings: a feed URL or
//! `off`, optionally a pinned version), how often (at start, then every few hours), and when it may update at
//! all — never during a call, a wrap-up or while the outbox holds anything, because a restart then would cut a
//! customer off or hold back a disposition. Plain rules, no Tauri: the shell (`src-tauri/src/updater.rs`) asks
//! these questions and drives tauri-plugin-updater, which downloads and verifies the signed package.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use url::Url;

use agent_error::{AgentError, ErrorCode, Phrase, Result};

/// What the agent sees once an update is downloaded and verified.
pub const READY_MESSAGE: &str = "Update ready — restart when you are between calls";

/// `[update]` in the settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateSettings {
    /// The update feed (`latest.json`) URL, or `off` (the default: IT names the feed).
    pub source: String,
    /// Install only this version (`x.y.z`), even when the feed offers a newer one; empty: the newest.
    pub pinned: String,
    /// Hours between checks after the one at start (1–168).
    pub check_every_hours: u32,
    /// Install a verified update when the agent signs out, without asking (a policy usually sets and locks it);
    /// otherwise the agent picks the moment with *Restart now*.
    pub install_at_sign_out: bool,
}

impl Default for UpdateSettings {
    fn default() -> Self {
        Self {
            source: "off".into(),
            pinned: String::new(),
            check_every_hours: 4,
            install_at_sign_out: false,
        }
    }
}

/// Where updates come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateSource {
    /// No update checks.
    Off,
    /// This feed.
    Feed(Url),
}

/// A release version, `major.minor.patch` (what the bundler and the feed use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u64, pub u64, pub u64);

impl Version {
    /// Parses `x.y.z` (a leading `v` is accepted, as in tags); anything else is refused naming the text.
    pub fn parse(text: &str) -> Result<Self> {
        let bad = || {
            invalid(
                Phrase::new("error.update.version").with("value", format!("{text:?}")),
                format!("{text:?} is not a version: use x.y.z, e.g. 0.1.2"),
            )
        };
        let parts: Vec<&str> = text.trim().trim_start_matches('v').split('.').collect();
        let [a, b, c] = parts.as_slice() else {
            return Err(bad());
        };
        let num = |s: &str| s.parse::<u64>().map_err(|_| bad());
        Ok(Self(num(a)?, num(b)?, num(c)?))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// An `[update]` setting refused: `phrase` in the agent's language, `message` the same in English.
fn invalid(phrase: Phrase, message: String) -> AgentError {
    AgentError::phrased(ErrorCode::InvalidSettings, phrase, message)
}

impl UpdateSettings {
    /// The source, checked: `off`, an `https://` URL, or `http://` to this machine only (a test feed). The
    /// packages are signature-checked either way; https keeps the feed itself from being swapped on the way.
    pub fn source(&self) -> Result<UpdateSource> {
        let text = self.source.trim();
        if text.is_empty() || text.eq_ignore_ascii_case("off") {
            return Ok(UpdateSource::Off);
        }
        let url = Url::parse(text).map_err(|e| {
            invalid(
                Phrase::new("error.update.source")
                    .with("value", format!("{text:?}"))
                    .with("detail", e.to_string()),
                format!("[update] source = {text:?}: {e} (use the feed's https:// URL or \"off\")"),
            )
        })?;
        let loopback = matches!(
            url.host_str(),
            Some("127.0.0.1") | Some("localhost") | Some("[::1]")
        );
        match url.scheme() {
            "https" => Ok(UpdateSource::Feed(url)),
            "http" if loopback => Ok(UpdateSource::Feed(url)),
            _ => Err(invalid(
                Phrase::new("error.update.source_https").with("value", format!("{text:?}")),
                format!(
                    "[update] source = {text:?}: the feed must be https:// (http:// only on this machine, for tests)"
                ),
            )),
        }
    }

    /// The pinned version, if any.
    pub fn pinned(&self) -> Result<Option<Version>> {
        let text = self.pinned.trim();
        if text.is_empty() {
            return Ok(None);
        }
        Version::parse(text).map(Some).map_err(|_| {
            invalid(
                Phrase::new("error.update.pinned").with("value", format!("{text:?}")),
                format!("[update] pinned: {text:?} is not a version: use x.y.z, e.g. 0.1.2"),
            )
        })
    }

    /// Checks the table, naming the key that is wrong.
    pub fn validate(&self) -> Result<()> {
        self.source()?;
        self.pinned()?;
        if !(1..=168).contains(&self.check_every_hours) {
            return Err(invalid(
                Phrase::new("error.update.check_every_hours")
                    .with("value", self.check_every_hours.to_string()),
                format!(
                    "[update] check_every_hours = {}: use 1 to 168",
                    self.check_every_hours
                ),
            ));
        }
        Ok(())
    }

    /// Time between checks.
    pub fn interval(&self) -> Duration {
        Duration::from_secs(u64::from(self.check_every_hours.clamp(1, 168)) * 3600)
    }

    /// Whether the version the feed offers should be installed over `current`: with a pin, exactly the pinned
    /// version (and nothing when it runs already — a pin may also take a desk back to an older release);
    /// without, anything newer. A version that does not parse is never installed.
    pub fn wants(&self, current: &str, offered: &str) -> bool {
        let (Ok(current), Ok(offered)) = (Version::parse(current), Version::parse(offered)) else {
            return false;
        };
        match self.pinned() {
            Ok(Some(pin)) => offered == pin && current != pin,
            Ok(None) => offered > current,
            Err(_) => false,
        }
    }
}

/// Why the app may not update now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    /// A call is being dialed or is up.
    Call,
    /// The call ended and its disposition is still open.
    WrapUp,
    /// This many items wait in the outbox.
    Outbox(usize),
}

impl fmt::Display for Busy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Busy::Call => write!(f, "a call is up"),
            Busy::WrapUp => write!(f, "the last call's disposition is still open"),
            Busy::Outbox(1) => write!(f, "1 item waits to be sent"),
            Busy::Outbox(n) => write!(f, "{n} items wait to be sent"),
        }
    }
}

/// What the desk is doing, as far as an update cares (the shell maps the desk's call state onto it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeskActivity {
    /// No call on the desk.
    Idle,
    /// Dialing or in a call.
    Call,
    /// The last call's disposition is still open.
    WrapUp,
}

/// What keeps the desk from updating now, if anything.
pub fn busy(desk: DeskActivity, outbox_items: usize) -> Option<Busy> {
    match desk {
        DeskActivity::Call => Some(Busy::Call),
        DeskActivity::WrapUp => Some(Busy::WrapUp),
        DeskActivity::Idle if outbox_items > 0 => Some(Busy::Outbox(outbox_items)),
        DeskActivity::Idle => None,
    }
}

/// The refusal of an install the agent asked for while busy.
pub fn not_now(reason: Busy) -> AgentError {
    let phrase = match reason {
        Busy::Call => Phrase::new("error.update.busy_call"),
        Busy::WrapUp => Phrase::new("error.update.busy_wrap_up"),
        Busy::Outbox(1) => Phrase::new("error.update.busy_outbox_one"),
        Busy::Outbox(n) => Phrase::new("error.update.busy_outbox").with("count", n.to_string()),
    };
    AgentError::phrased(
        ErrorCode::CallInProgress,
        phrase,
        format!("Not now: {reason}. The update waits until you are between calls."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(source: &str, pinned: &str) -> UpdateSettings {
        UpdateSettings {
            source: source.into(),
            pinned: pinned.into(),
            ..UpdateSettings::default()
        }
    }

    #[test]
    fn off_by_default_and_feeds_must_be_https_or_loopback() {
        assert_eq!(
            UpdateSettings::default().source().unwrap(),
            UpdateSource::Off
        );
        assert!(matches!(
            with("https://updates.example.com/latest.json", "").source(),
            Ok(UpdateSource::Feed(_))
        ));
        assert!(matches!(
            with("http://127.0.0.1:8080/latest.json", "").source(),
            Ok(UpdateSource::Feed(_))
        ));
        let err = with("http://updates.example.com/latest.json", "")
            .source()
            .unwrap_err();
        assert!(err.to_string().contains("must be https://"), "{err}");
        let err = with("updates.example.com", "").validate().unwrap_err();
        assert!(err.to_string().contains("[update] source"), "{err}");
    }

    #[test]
    fn newer_only_unless_pinned() {
        let free = with("off", "");
        assert!(free.wants("0.1.0", "0.1.1"));
        assert!(free.wants("0.1.9", "0.2.0"));
        assert!(!free.wants("0.1.1", "0.1.1"));
        assert!(!free.wants("0.1.1", "0.1.0"));
        assert!(!free.wants("0.1.0", "next"));

        let pinned = with("off", "0.1.1");
        assert!(pinned.wants("0.1.0", "0.1.1"));
        assert!(
            !pinned.wants("0.1.0", "0.1.2"),
            "a pin never takes a newer one"
        );
        assert!(!pinned.wants("0.1.1", "0.1.1"));
        assert!(pinned.wants("0.1.2", "0.1.1"), "a pin may take a desk back");
    }

    #[test]
    fn installing_at_sign_out_is_off_unless_the_file_says_so() {
        assert!(!UpdateSettings::default().install_at_sign_out);
        let forced: UpdateSettings = toml::from_str("install_at_sign_out = true").unwrap();
        assert!(forced.install_at_sign_out && forced.validate().is_ok());
    }

    #[test]
    fn bad_values_name_the_key() {
        let err = with("off", "1.2").validate().unwrap_err();
        assert!(err.to_string().contains("[update] pinned"), "{err}");
        let hours = UpdateSettings {
            check_every_hours: 0,
            ..UpdateSettings::default()
        };
        assert!(hours
            .validate()
            .unwrap_err()
            .to_string()
            .contains("check_every_hours"));
        assert_eq!(Version::parse("v1.2.3").unwrap(), Version(1, 2, 3));
    }

    #[test]
    fn never_during_a_call_a_wrap_up_or_with_items_waiting() {
        assert_eq!(busy(DeskActivity::Call, 0), Some(Busy::Call));
        assert_eq!(busy(DeskActivity::WrapUp, 0), Some(Busy::WrapUp));
        assert_eq!(busy(DeskActivity::Idle, 2), Some(Busy::Outbox(2)));
        assert_eq!(busy(DeskActivity::Idle, 0), None);
        assert!(not_now(Busy::Outbox(2))
            .to_string()
            .contains("2 items wait to be sent"));
    }
}

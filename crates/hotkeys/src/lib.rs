//! Hotkeys: parsing "Ctrl+Alt+D" into a checked combination, the bindings with their defaults, and the
//! debounce that makes a double press count once (a second AgentCall would ring the customer twice).

use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use agent_error::{AgentError, ErrorCode, Phrase, Result};

/// What a hotkey does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HotkeyAction {
    /// Dial the number in the field, or the phone number on the clipboard.
    Dial,
    /// Hang up the current call.
    HangUp,
    /// Open and focus the disposition form.
    OpenDisposition,
    /// Show or hide the window.
    ToggleWindow,
    /// Go on a break with the last motive, or end the break.
    ToggleBreak,
    /// Turn the compact always-on-top bar on or off.
    ToggleCompact,
    /// Answer the call ringing in the app (the app as the agent's phone).
    Answer,
    /// Mute or unmute the microphone (the app as the phone).
    ToggleMute,
    /// Put the call on hold or resume it (the app as the phone).
    ToggleHold,
}

impl HotkeyAction {
    /// The action's key in the settings' `[hotkeys]` table.
    pub fn name(self) -> &'static str {
        match self {
            Self::Dial => "dial",
            Self::HangUp => "hang_up",
            Self::OpenDisposition => "open_disposition",
            Self::ToggleWindow => "toggle_window",
            Self::ToggleBreak => "toggle_break",
            Self::ToggleCompact => "toggle_compact",
            Self::Answer => "answer",
            Self::ToggleMute => "toggle_mute",
            Self::ToggleHold => "toggle_hold",
        }
    }

    /// True for the actions of the app as the agent's phone: registered only while the phone is on, so an agent
    /// whose phone is elsewhere has no key taken for nothing.
    pub fn is_phone(self) -> bool {
        matches!(self, Self::Answer | Self::ToggleMute | Self::ToggleHold)
    }

    /// Every action, in settings order.
    pub const ALL: [HotkeyAction; 9] = [
        Self::Dial,
        Self::HangUp,
        Self::OpenDisposition,
        Self::ToggleWindow,
        Self::ToggleBreak,
        Self::ToggleCompact,
        Self::Answer,
        Self::ToggleMute,
        Self::ToggleHold,
    ];
}

/// A key combination: modifiers and one key, in canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Hotkey {
    /// Ctrl (Cmd on macOS when written CommandOrControl).
    pub ctrl: bool,
    /// Alt / Option.
    pub alt: bool,
    /// Shift.
    pub shift: bool,
    /// Super / Windows / Cmd.
    pub meta: bool,
    /// The key: `A`–`Z`, `0`–`9`, `F1`–`F24` or a named key such as `Space`.
    pub key: String,
}

const NAMED_KEYS: &[&str] = &[
    "Space",
    "Enter",
    "Tab",
    "Escape",
    "Backspace",
    "Delete",
    "Insert",
    "Home",
    "End",
    "PageUp",
    "PageDown",
    "Up",
    "Down",
    "Left",
    "Right",
];

/// `text` is no usable hotkey: `phrase` (with `{hotkey}` set to `text`) says why, `why` is its English reason.
fn bad(text: &str, phrase: Phrase, why: &str) -> AgentError {
    AgentError::phrased(
        ErrorCode::InvalidHotkey,
        phrase,
        format!("\"{text}\" is not a usable hotkey: {why}"),
    )
}

impl std::str::FromStr for Hotkey {
    type Err = AgentError;

    fn from_str(text: &str) -> Result<Self> {
        let mut hotkey = Hotkey {
            ctrl: false,
            alt: false,
            shift: false,
            meta: false,
            key: String::new(),
        };
        let parts: Vec<&str> = text.split('+').map(str::trim).collect();
        if parts.iter().any(|p| p.is_empty()) {
            return Err(bad(
                text,
                Phrase::new("error.hotkey.spelling").with("hotkey", text),
                "write it like Ctrl+Alt+D",
            ));
        }
        let (key, modifiers) = parts.split_last().ok_or_else(|| {
            bad(
                text,
                Phrase::new("error.hotkey.empty").with("hotkey", text),
                "it is empty",
            )
        })?;
        for m in modifiers {
            let flag = match m.to_ascii_lowercase().as_str() {
                "ctrl" | "control" | "commandorcontrol" | "cmdorctrl" => &mut hotkey.ctrl,
                "alt" | "option" => &mut hotkey.alt,
                "shift" => &mut hotkey.shift,
                "super" | "meta" | "cmd" | "command" | "win" => &mut hotkey.meta,
                _ => {
                    return Err(bad(
                        text,
                        Phrase::new("error.hotkey.modifier")
                            .with("hotkey", text)
                            .with("modifier", *m),
                        &format!("\"{m}\" is not a modifier (Ctrl, Alt, Shift, Super)"),
                    ))
                }
            };
            if *flag {
                return Err(bad(
                    text,
                    Phrase::new("error.hotkey.twice")
                        .with("hotkey", text)
                        .with("modifier", *m),
                    &format!("{m} is written twice"),
                ));
            }
            *flag = true;
        }
        hotkey.key = canonical_key(key).ok_or_else(|| {
            bad(
                text,
                Phrase::new("error.hotkey.key")
                    .with("hotkey", text)
                    .with("key", *key),
                &format!("\"{key}\" is not a key it can use"),
            )
        })?;
        let function_key = hotkey.key.starts_with('F') && hotkey.key.len() > 1;
        if !(hotkey.ctrl || hotkey.alt || hotkey.meta || function_key) {
            // A bare letter or Shift+letter would fire while the agent types in the CRM.
            return Err(bad(
                text,
                Phrase::new("error.hotkey.needs_modifier").with("hotkey", text),
                "it needs Ctrl, Alt or Super (or a function key), or it would fire while typing",
            ));
        }
        Ok(hotkey)
    }
}

fn canonical_key(key: &str) -> Option<String> {
    let upper = key.to_ascii_uppercase();
    let upper = upper
        .strip_prefix("KEY")
        .filter(|k| k.len() == 1)
        .map(str::to_string)
        .unwrap_or(upper);
    let upper = upper
        .strip_prefix("DIGIT")
        .filter(|k| k.len() == 1)
        .map(str::to_string)
        .unwrap_or(upper);
    if upper.len() == 1 && upper.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Some(upper);
    }
    if let Some(n) = upper.strip_prefix('F').and_then(|n| n.parse::<u8>().ok()) {
        return (1..=24).contains(&n).then(|| format!("F{n}"));
    }
    let alias = match upper.as_str() {
        "ESC" => "Escape",
        "RETURN" => "Enter",
        "ARROWUP" => "Up",
        "ARROWDOWN" => "Down",
        "ARROWLEFT" => "Left",
        "ARROWRIGHT" => "Right",
        _ => "",
    };
    if !alias.is_empty() {
        return Some(alias.to_string());
    }
    NAMED_KEYS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(key))
        .map(|k| k.to_string())
}

impl fmt::Display for Hotkey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (on, name) in [
            (self.ctrl, "Ctrl"),
            (self.alt, "Alt"),
            (self.shift, "Shift"),
            (self.meta, "Super"),
        ] {
            if on {
                write!(f, "{name}+")?;
            }
        }
        f.write_str(&self.key)
    }
}

/// The bindings, as written in settings. An action missing from the file (one added since it was written) gets
/// its default combination, unless the agent already uses that combination for another action: then it stays off
/// instead of making the whole set invalid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bindings {
    /// Dial.
    pub dial: String,
    /// Hang up.
    pub hang_up: String,
    /// Disposition form.
    pub open_disposition: String,
    /// Show/hide.
    pub toggle_window: String,
    /// Break on/off.
    pub toggle_break: String,
    /// Compact bar on/off (settings files from before the bar get the default).
    pub toggle_compact: String,
    /// Answer the ringing call (the app as the phone).
    pub answer: String,
    /// Mute on/off (the app as the phone).
    pub toggle_mute: String,
    /// Hold on/off (the app as the phone).
    pub toggle_hold: String,
}

impl Default for Bindings {
    fn default() -> Self {
        Self {
            dial: "Ctrl+Alt+D".into(),
            hang_up: "Ctrl+Alt+H".into(),
            open_disposition: "Ctrl+Alt+W".into(),
            toggle_window: "Ctrl+Alt+U".into(),
            toggle_break: "Ctrl+Alt+B".into(),
            toggle_compact: "Ctrl+Alt+M".into(),
            answer: "Ctrl+Alt+A".into(),
            toggle_mute: "Ctrl+Alt+K".into(),
            toggle_hold: "Ctrl+Alt+J".into(),
        }
    }
}

impl<'de> Deserialize<'de> for Bindings {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let written = std::collections::BTreeMap::<String, String>::deserialize(deserializer)?;
        Ok(Bindings::from_written(&written))
    }
}

impl Bindings {
    /// The bindings from what a settings file holds (action name → combination; unknown names are ignored).
    fn from_written(written: &std::collections::BTreeMap<String, String>) -> Bindings {
        let mut out = Bindings::default();
        let mut missing = Vec::new();
        for action in HotkeyAction::ALL {
            match written.get(action.name()) {
                Some(text) => *out.get_mut(action) = text.clone(),
                None => missing.push(action),
            }
        }
        let taken: Vec<Hotkey> = written.values().filter_map(|t| t.parse().ok()).collect();
        for action in missing {
            let default: Option<Hotkey> = out.get(action).parse().ok();
            if default.is_some_and(|d| taken.contains(&d)) {
                out.get_mut(action).clear();
            }
        }
        out
    }

    fn get_mut(&mut self, action: HotkeyAction) -> &mut String {
        match action {
            HotkeyAction::Dial => &mut self.dial,
            HotkeyAction::HangUp => &mut self.hang_up,
            HotkeyAction::OpenDisposition => &mut self.open_disposition,
            HotkeyAction::ToggleWindow => &mut self.toggle_window,
            HotkeyAction::ToggleBreak => &mut self.toggle_break,
            HotkeyAction::ToggleCompact => &mut self.toggle_compact,
            HotkeyAction::Answer => &mut self.answer,
            HotkeyAction::ToggleMute => &mut self.toggle_mute,
            HotkeyAction::ToggleHold => &mut self.toggle_hold,
        }
    }

    /// The text bound to `action`.
    pub fn get(&self, action: HotkeyAction) -> &str {
        match action {
            HotkeyAction::Dial => &self.dial,
            HotkeyAction::HangUp => &self.hang_up,
            HotkeyAction::OpenDisposition => &self.open_disposition,
            HotkeyAction::ToggleWindow => &self.toggle_window,
            HotkeyAction::ToggleBreak => &self.toggle_break,
            HotkeyAction::ToggleCompact => &self.toggle_compact,
            HotkeyAction::Answer => &self.answer,
            HotkeyAction::ToggleMute => &self.toggle_mute,
            HotkeyAction::ToggleHold => &self.toggle_hold,
        }
    }

    /// Parses every binding; an empty binding is "off". Two actions on one combination are refused.
    pub fn parsed(&self) -> Result<Vec<(HotkeyAction, Hotkey)>> {
        let mut seen: HashMap<Hotkey, HotkeyAction> = HashMap::new();
        let mut out = Vec::new();
        for action in HotkeyAction::ALL {
            let text = self.get(action).trim();
            if text.is_empty() {
                continue;
            }
            let hotkey: Hotkey = text.parse()?;
            // A phone key left at its default gives way to a combination the agent or IT chose for another action
            // before the phone's keys existed (`Ctrl+Alt+K` for dialing, say): it is off, not an error.
            let default = Bindings::default();
            if action.is_phone() && seen.contains_key(&hotkey) && text == default.get(action) {
                continue;
            }
            if let Some(other) = seen.insert(hotkey.clone(), action) {
                return Err(AgentError::phrased(
                    ErrorCode::InvalidHotkey,
                    Phrase::new("error.hotkey.bound_twice")
                        .with("hotkey", hotkey.to_string())
                        .with("first", format!("{other:?}"))
                        .with("second", format!("{action:?}")),
                    format!("{hotkey} is bound twice ({other:?} and {action:?})"),
                ));
            }
            out.push((action, hotkey));
        }
        Ok(out)
    }

    /// Checks the bindings.
    pub fn validate(&self) -> Result<()> {
        self.parsed().map(|_| ())
    }
}

/// Counts repeated presses of the same action within a window once.
#[derive(Debug)]
pub struct Debounce {
    window: Duration,
    last: HashMap<HotkeyAction, Instant>,
}

impl Debounce {
    /// Presses closer than `window` to the last accepted one are ignored.
    pub fn new(window: Duration) -> Self {
        Self {
            window,
            last: HashMap::new(),
        }
    }

    /// True if this press counts.
    pub fn accept(&mut self, action: HotkeyAction, now: Instant) -> bool {
        match self.last.get(&action) {
            Some(previous) if now.saturating_duration_since(*previous) < self.window => false,
            _ => {
                self.last.insert(action, now);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests;

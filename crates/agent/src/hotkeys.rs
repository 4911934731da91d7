//! Hotkeys: parsing "Ctrl+Alt+D" into a checked combination, the bindings with their defaults, and the
//! debounce that makes a double press count once (a second AgentCall would ring the customer twice).

use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::{AgentError, ErrorCode, Result};

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
}

impl HotkeyAction {
    /// Every action, in settings order.
    pub const ALL: [HotkeyAction; 6] = [
        Self::Dial,
        Self::HangUp,
        Self::OpenDisposition,
        Self::ToggleWindow,
        Self::ToggleBreak,
        Self::ToggleCompact,
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

fn bad(text: &str, why: &str) -> AgentError {
    AgentError::new(
        ErrorCode::InvalidHotkey,
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
            return Err(bad(text, "write it like Ctrl+Alt+D"));
        }
        let (key, modifiers) = parts.split_last().ok_or_else(|| bad(text, "it is empty"))?;
        for m in modifiers {
            let flag = match m.to_ascii_lowercase().as_str() {
                "ctrl" | "control" | "commandorcontrol" | "cmdorctrl" => &mut hotkey.ctrl,
                "alt" | "option" => &mut hotkey.alt,
                "shift" => &mut hotkey.shift,
                "super" | "meta" | "cmd" | "command" | "win" => &mut hotkey.meta,
                _ => {
                    return Err(bad(
                        text,
                        &format!("\"{m}\" is not a modifier (Ctrl, Alt, Shift, Super)"),
                    ))
                }
            };
            if *flag {
                return Err(bad(text, &format!("{m} is written twice")));
            }
            *flag = true;
        }
        hotkey.key = canonical_key(key)
            .ok_or_else(|| bad(text, &format!("\"{key}\" is not a key it can use")))?;
        let function_key = hotkey.key.starts_with('F') && hotkey.key.len() > 1;
        if !(hotkey.ctrl || hotkey.alt || hotkey.meta || function_key) {
            // A bare letter or Shift+letter would fire while the agent types in the CRM.
            return Err(bad(
                text,
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

/// The bindings, as written in settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
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
        }
    }
}

impl Bindings {
    /// The text bound to `action`.
    pub fn get(&self, action: HotkeyAction) -> &str {
        match action {
            HotkeyAction::Dial => &self.dial,
            HotkeyAction::HangUp => &self.hang_up,
            HotkeyAction::OpenDisposition => &self.open_disposition,
            HotkeyAction::ToggleWindow => &self.toggle_window,
            HotkeyAction::ToggleBreak => &self.toggle_break,
            HotkeyAction::ToggleCompact => &self.toggle_compact,
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
            if let Some(other) = seen.insert(hotkey.clone(), action) {
                return Err(AgentError::new(
                    ErrorCode::InvalidHotkey,
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
mod tests {
    use super::*;

    #[test]
    fn parses_aliases_and_prints_canonically() {
        for (input, canonical) in [
            ("ctrl+alt+d", "Ctrl+Alt+D"),
            ("CommandOrControl+Shift+KeyH", "Ctrl+Shift+H"),
            ("Option+Control+Digit1", "Ctrl+Alt+1"),
            ("F9", "F9"),
            ("Super+esc", "Super+Escape"),
        ] {
            let hotkey: Hotkey = input.parse().unwrap();
            assert_eq!(hotkey.to_string(), canonical, "{input}");
            assert_eq!(
                canonical.parse::<Hotkey>().unwrap(),
                hotkey,
                "round trip of {canonical}"
            );
        }
    }

    #[test]
    fn refuses_what_would_misfire_or_cannot_be_a_key() {
        for (input, why) in [
            ("D", "needs Ctrl"),
            ("Shift+D", "needs Ctrl"),
            ("Ctrl+Alt+Banana", "not a key"),
            ("Ctrl+Hyper+D", "not a modifier"),
            ("Ctrl+Ctrl+D", "twice"),
            ("Ctrl++D", "like Ctrl+Alt+D"),
            ("F25", "not a key"),
        ] {
            let err = input.parse::<Hotkey>().unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidHotkey);
            assert!(err.to_string().contains(why), "{input}: {err}");
        }
    }

    #[test]
    fn defaults_are_the_ctrl_alt_family_and_duplicates_are_refused() {
        let parsed = Bindings::default().parsed().unwrap();
        assert_eq!(parsed.len(), 6);
        assert!(parsed.iter().all(|(_, h)| h.ctrl && h.alt));
        let clash = Bindings {
            hang_up: "ctrl+alt+d".into(),
            ..Bindings::default()
        };
        assert!(clash
            .validate()
            .unwrap_err()
            .to_string()
            .contains("bound twice"));
        let off = Bindings {
            toggle_window: String::new(),
            ..Bindings::default()
        };
        assert_eq!(off.parsed().unwrap().len(), parsed.len() - 1);
    }

    #[test]
    fn a_double_press_counts_once_per_action() {
        let mut debounce = Debounce::new(Duration::from_millis(600));
        let t0 = Instant::now();
        assert!(debounce.accept(HotkeyAction::Dial, t0));
        assert!(!debounce.accept(HotkeyAction::Dial, t0 + Duration::from_millis(120)));
        assert!(
            debounce.accept(HotkeyAction::HangUp, t0 + Duration::from_millis(130)),
            "other actions are independent"
        );
        assert!(debounce.accept(HotkeyAction::Dial, t0 + Duration::from_millis(700)));
    }
}

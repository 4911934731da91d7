//! Parsing, printing, the bindings' defaults and clashes, and the debounce.

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
    assert_eq!(parsed.len(), 9);
    let phone: Vec<String> = parsed
        .iter()
        .filter(|(a, _)| a.is_phone())
        .map(|(_, h)| h.to_string())
        .collect();
    assert_eq!(
        phone,
        ["Ctrl+Alt+A", "Ctrl+Alt+K", "Ctrl+Alt+J"],
        "answer, mute, hold"
    );
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
fn an_action_added_since_the_file_was_written_steps_aside_from_the_agents_keys() {
    // A file from before the compact bar, with Ctrl+Alt+M already used for the window.
    let old: Bindings = toml::from_str(
        "dial = \"Ctrl+Alt+D\"\nhang_up = \"Ctrl+Alt+H\"\ntoggle_window = \"ctrl+alt+m\"\n",
    )
    .unwrap();
    assert_eq!(old.toggle_window, "ctrl+alt+m");
    assert_eq!(old.toggle_compact, "", "the new action stays off");
    assert_eq!(
        old.toggle_break, "Ctrl+Alt+B",
        "the others get their defaults"
    );
    assert!(old.validate().is_ok());
    let written: Bindings =
        toml::from_str("hang_up = \"Ctrl+Alt+H\"\ntoggle_compact = \"Ctrl+Alt+H\"\n").unwrap();
    assert!(
        written.validate().is_err(),
        "two combinations the agent wrote still clash"
    );
    let names: Vec<&str> = HotkeyAction::ALL.iter().map(|a| a.name()).collect();
    let serde_names: Vec<String> = HotkeyAction::ALL
        .iter()
        .map(|a| {
            serde_json::to_value(a)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(names, serde_names);
    let round: Bindings = toml::from_str(&toml::to_string(&Bindings::default()).unwrap()).unwrap();
    assert_eq!(round, Bindings::default());
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

#[test]
fn a_phone_key_at_its_default_gives_way_to_a_chosen_combination() {
    let chosen = Bindings {
        dial: "Ctrl+Alt+K".into(),
        ..Bindings::default()
    };
    let parsed = chosen.parsed().unwrap();
    let on: Vec<HotkeyAction> = parsed.iter().map(|(a, _)| *a).collect();
    assert!(
        on.contains(&HotkeyAction::Dial) && !on.contains(&HotkeyAction::ToggleMute),
        "{on:?}"
    );
    // Chosen on purpose, a clash is still refused.
    let both = Bindings {
        toggle_mute: "Ctrl+Alt+D".into(),
        ..Bindings::default()
    };
    assert!(both.parsed().is_err());
}

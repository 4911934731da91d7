//! The policy: presets and locks over the agent's settings, and each way a policy file can be broken.

use super::*;

const GOOD: &str = r#"
locked = ["server_url", "hotkeys.dial", "require_wrap_up"]

[settings]
server_url = "https://acme.example"
campaigns = ["Ventas->", "Cobranzas->"]
default_campaign = "Ventas->"
language = "es"
require_wrap_up = true

[settings.hotkeys]
dial = "Ctrl+Shift+D"

[settings.identity]
callerid = "59821234567"
"#;

fn user(text: &str) -> Table {
    toml::from_str(text).unwrap()
}

#[test]
fn presets_fill_what_the_agent_has_not_set_and_locks_win_over_the_agents_file() {
    let policy = Policy::parse("policy.toml", GOOD);
    assert!(policy.problems().is_empty(), "{:?}", policy.problems());
    let agent = user(
        "server_url = \"https://elsewhere.example\"\nlanguage = \"en\"\nrequire_wrap_up = false\n\
         [hotkeys]\ndial = \"Ctrl+Alt+X\"\nhang_up = \"Ctrl+Alt+J\"\n[identity]\n",
    );
    let s = policy.apply(Some(&agent)).unwrap();
    assert_eq!(s.server_url, "https://acme.example", "locked");
    assert!(s.require_wrap_up, "locked");
    assert_eq!(s.hotkeys.dial, "Ctrl+Shift+D", "locked");
    assert_eq!(s.hotkeys.hang_up, "Ctrl+Alt+J", "not locked: the agent's");
    assert_eq!(s.language, "en", "a preset the agent changed");
    assert_eq!(s.campaigns, ["Ventas->", "Cobranzas->"]);
    assert_eq!(
        s.identity.callerid, "59821234567",
        "an empty [identity] keeps it"
    );
    let fresh = policy.apply(None).unwrap();
    assert_eq!(fresh.language, "es");
    assert_eq!(fresh.hotkeys.hang_up, Settings::default().hotkeys.hang_up);
}

#[test]
fn a_changed_locked_setting_is_refused_by_name_and_others_save() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("settings.toml");
    let policy = Policy::parse("/etc/ucontact-agent-companion/policy.toml", GOOD);
    let current = policy.apply(None).unwrap();
    let mut changed = current.clone();
    changed.hotkeys.dial = "Ctrl+Alt+Q".into();
    let err = policy.save(&current, &changed, &file).unwrap_err();
    assert_eq!(err.code(), ErrorCode::LockedSetting);
    assert!(
        err.to_string()
            .starts_with("hotkeys.dial is set by your organization"),
        "{err}"
    );
    assert!(!file.exists(), "nothing saved");
    let mut allowed = current.clone();
    allowed.language = "en".into();
    allowed.hotkeys.hang_up = "Ctrl+Alt+Y".into();
    policy.save(&current, &allowed, &file).unwrap();
    assert_eq!(policy.load_settings(&file), allowed);
}

#[test]
fn a_locked_table_locks_every_key_under_it() {
    let policy = Policy::parse(
        "p",
        "locked = [\"bridge\"]\n[settings.bridge]\nport = 47900\n",
    );
    assert!(policy.problems().is_empty(), "{:?}", policy.problems());
    assert!(policy.is_locked("bridge.enabled"));
    let current = policy.apply(None).unwrap();
    assert_eq!(current.bridge.port, 47900);
    let mut on = current.clone();
    on.bridge.enabled = !on.bridge.enabled;
    let err = policy.check(&current, &on).unwrap_err();
    assert!(err.to_string().starts_with("bridge is set"), "{err}");
}

#[test]
fn a_lock_without_a_preset_keeps_the_default() {
    let policy = Policy::parse("p", "locked = [\"dial_links_at_once\"]\n");
    let s = policy
        .apply(Some(&user("dial_links_at_once = true\n")))
        .unwrap();
    assert!(!s.dial_links_at_once);
}

#[test]
fn bad_toml_is_named_with_its_line_and_nothing_applies() {
    let policy = Policy::parse(
        "policy.toml",
        "[settings]\nserver_url = \"https://a\"\nlanguage = \n",
    );
    assert_eq!(policy.problems().len(), 1);
    let problem = &policy.problems()[0];
    assert!(
        problem.starts_with("policy.toml: not valid TOML (line 3)"),
        "{problem}"
    );
    assert_eq!(policy.apply(None).unwrap(), Settings::default());
}

#[test]
fn unknown_keys_wrong_types_and_bad_values_are_refused_one_by_one() {
    let text = r#"
locked = ["server_url", "colour", 7]
theme = "dark"
[settings]
server_url = "https://acme.example"
colour = "blue"
require_wrap_up = "yes"
language = "fr"
default_campaign = "Ventas->"
[settings.hotkeys]
dial = "Ctrl+Alt+Banana"
banana = "x"
"#;
    let policy = Policy::parse("policy.toml", text);
    let problems = policy.problems().join("\n");
    for expected in [
        "policy.toml: unknown key \"theme\"",
        "policy.toml: settings.colour: not a setting",
        "policy.toml: settings.require_wrap_up: wrong type",
        "policy.toml: settings.language: language = \"fr\"",
        "policy.toml: settings.hotkeys.dial:",
        "policy.toml: settings.hotkeys.banana: not a setting",
        "policy.toml: locked: \"colour\" is not a setting",
        "policy.toml: locked: 7 is not a setting's name",
    ] {
        assert!(
            problems.contains(expected),
            "{expected:?} missing in:\n{problems}"
        );
    }
    // What could be read still applies.
    let s = policy.apply(None).unwrap();
    assert_eq!(s.server_url, "https://acme.example");
    assert_eq!(s.default_campaign, "Ventas->");
    assert!(policy.is_locked("server_url"));
    assert_eq!(policy.view().locked, ["server_url"]);
}

#[test]
fn a_missing_file_is_an_empty_policy_and_the_file_is_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let missing = Policy::load_from(&dir.path().join("policy.toml"));
    assert!(!missing.view().found && missing.problems().is_empty());
    let file = dir.path().join("present.toml");
    std::fs::write(&file, GOOD).unwrap();
    let before = std::fs::metadata(&file).unwrap().modified().unwrap();
    let policy = Policy::load_from(&file);
    let settings_file = dir.path().join("settings.toml");
    let current = policy.load_settings(&settings_file);
    let mut changed = current.clone();
    changed.language = "en".into();
    policy.save(&current, &changed, &settings_file).unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), GOOD);
    assert_eq!(
        std::fs::metadata(&file).unwrap().modified().unwrap(),
        before
    );
    assert_eq!(policy.view().file, file.display().to_string());
}

#[test]
fn an_invalid_agent_file_is_set_aside_but_the_policy_still_applies() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("settings.toml");
    std::fs::write(&file, "language = \"fr\"\n").unwrap();
    let policy = Policy::parse("p", GOOD);
    let s = policy.load_settings(&file);
    assert_eq!(s.server_url, "https://acme.example");
    assert_eq!(s.language, "es");
}

#[test]
fn the_installers_lock_table_locks_like_the_list() {
    // As the MSI's IniFile and the NSIS hook write it: `key=value` lines under sections.
    let text = "[settings]\nserver_url=\"https://acme.example\"\n[lock]\nserver_url=true\nhotkeys.dial=true\nlanguage=false\n";
    let policy = Policy::parse("p", text);
    assert!(policy.problems().is_empty(), "{:?}", policy.problems());
    assert_eq!(policy.view().locked, ["hotkeys.dial", "server_url"]);
    assert!(!policy.is_locked("language"));
    let bad = Policy::parse("p", "[lock]\nserver_url = \"yes\"\n");
    assert!(
        bad.problems()[0].contains("lock.server_url = \"yes\": use true or false"),
        "{:?}",
        bad.problems()
    );
}

#[test]
fn the_call_history_settings_can_be_preset_and_locked() {
    let policy = Policy::parse(
        "policy.toml",
        "locked = [\"clear_history_on_sign_out\"]\n[settings]\nhistory_days = 2\nclear_history_on_sign_out = true\n",
    );
    assert!(policy.problems().is_empty(), "{:?}", policy.problems());
    let s = policy
        .apply(Some(&user("clear_history_on_sign_out = false\n")))
        .unwrap();
    assert_eq!(s.history_days, 2, "a preset");
    assert!(
        s.clear_history_on_sign_out,
        "locked: a shared computer forgets"
    );
    let defaults = Settings::default();
    assert_eq!(
        (defaults.history_days, defaults.clear_history_on_sign_out),
        (7, false)
    );
    let zero = Settings {
        history_days: 0,
        ..Settings::default()
    };
    assert!(zero
        .validate()
        .unwrap_err()
        .to_string()
        .contains("history_days"));
}

#[test]
fn it_presets_and_locks_the_screen_pop_and_keeps_only_hooks_that_can_run() {
    let dir = tempfile::tempdir().unwrap();
    let hook = dir.path().join("crm-open");
    std::fs::write(&hook, "#!/bin/sh\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let text = format!(
        r#"locked = ["screen_pop"]

[[settings.screen_pop.templates]]
url = "https://crm.example.com/search?phone={{number}}"
when = "ring"

[[hooks]]
on = ["answered"]
command = "{}"

[[hooks]]
on = ["ended"]
command = "relative/crm-open"

[[hooks]]
on = ["hung"]
command = "{}"
"#,
        hook.display(),
        hook.display()
    );
    let policy = Policy::parse("policy.toml", &text);
    let agent = user("[screen_pop]\ntemplates = []\n");
    let settings = policy.apply(Some(&agent)).unwrap();
    assert_eq!(
        settings.screen_pop.templates.len(),
        1,
        "locked: the agent's empty list loses"
    );
    assert!(policy.is_locked("screen_pop.templates"));
    assert_eq!(policy.hooks().len(), 1, "only the hook that can run");
    assert_eq!(policy.hooks()[0].command, hook);
    let problems = policy.problems().join("\n");
    assert!(
        problems.contains("hooks[1].command: relative/crm-open is not an absolute path"),
        "{problems}"
    );
    assert!(
        problems.contains("hooks[2]: unknown event \"hung\""),
        "{problems}"
    );
    assert_eq!(
        policy.view().hooks,
        [format!("answered: {}", hook.display())]
    );
}

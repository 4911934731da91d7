//! IT's hooks as the policy file writes them, what validation tells IT, and the environment a hook sees.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::event::{CrmEvent, Moment};
use crate::fields::CallFields;
use crate::hooks::{environment, hooks_for, validate_all, HookError, HookSpec};

#[derive(serde::Deserialize)]
struct Policy {
    hooks: Vec<HookSpec>,
}

fn hook(command: &Path) -> HookSpec {
    HookSpec {
        on: vec![Moment::Answered],
        command: command.to_path_buf(),
        args: Vec::new(),
        timeout_seconds: 10,
    }
}

/// An executable file in `dir`.
fn executable(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, "#!/bin/sh\nexit 0\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

#[test]
fn the_documented_table_loads() {
    let policy: Policy = toml::from_str(
        r#"
[[hooks]]
on = ["answered", "ended"]
command = "/usr/local/bin/crm-open"
args = ["--quiet"]
timeout_seconds = 5

[[hooks]]
on = ["break_started"]
command = "/usr/local/bin/away"
"#,
    )
    .unwrap();
    assert_eq!(
        policy.hooks[0],
        HookSpec {
            on: vec![Moment::Answered, Moment::Ended],
            command: PathBuf::from("/usr/local/bin/crm-open"),
            args: vec!["--quiet".to_string()],
            timeout_seconds: 5,
        }
    );
    assert_eq!(
        (policy.hooks[1].args.len(), policy.hooks[1].timeout_seconds),
        (0, 10)
    );
}

#[test]
fn a_misspelt_event_or_key_is_refused_by_name() {
    let err = toml::from_str::<Policy>("[[hooks]]\non = [\"answerd\"]\ncommand = \"/bin/true\"\n")
        .err()
        .unwrap();
    assert!(
        err.to_string()
            .contains("unknown event \"answerd\"; known: ringing"),
        "{err}"
    );
    let err = toml::from_str::<Policy>(
        "[[hooks]]\non = [\"ended\"]\ncommand = \"/bin/true\"\ntimeout = 5\n",
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("timeout"), "{err}");
}

#[test]
fn a_good_hook_validates() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = hook(&executable(dir.path(), "crm-open"));
    assert_eq!(spec.validate(), Ok(()));
    spec.timeout_seconds = 300;
    assert_eq!(spec.validate(), Ok(()));
    spec.timeout_seconds = 1;
    assert_eq!(spec.validate(), Ok(()));
}

#[test]
fn validation_names_the_hook_the_key_and_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let good = executable(dir.path(), "ok");
    let missing = dir.path().join("nowhere");
    let hooks = vec![
        hook(Path::new("bin/crm-open")),
        hook(&missing),
        hook(dir.path()),
        HookSpec {
            on: Vec::new(),
            ..hook(&good)
        },
        HookSpec {
            timeout_seconds: 0,
            ..hook(&good)
        },
        HookSpec {
            timeout_seconds: 301,
            ..hook(&good)
        },
        hook(&good),
    ];
    let problems = validate_all(&hooks).unwrap_err();
    let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 6, "{messages:#?}");
    assert_eq!(
        messages[0],
        "hooks[0].command: bin/crm-open is not an absolute path"
    );
    assert!(
        messages[1].starts_with(&format!(
            "hooks[1].command: {} does not exist (",
            missing.display()
        )),
        "{}",
        messages[1]
    );
    assert_eq!(
        messages[2],
        format!(
            "hooks[2].command: {} is not a regular file",
            dir.path().display()
        )
    );
    assert_eq!(
        messages[3],
        "hooks[3].on: names no event; use one or more of ringing, dialing, answered, ended, wrap_up, filed, \
         break_started, break_ended"
    );
    assert_eq!(
        messages[4],
        "hooks[4].timeout_seconds: 0 is outside 1 to 300"
    );
    assert_eq!(
        messages[5],
        "hooks[5].timeout_seconds: 301 is outside 1 to 300"
    );
    assert_eq!(validate_all(&hooks[6..]), Ok(()));
}

#[cfg(unix)]
#[test]
fn a_file_without_an_execute_bit_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = executable(dir.path(), "x");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = hook(&path).validate().unwrap_err();
    assert_eq!(err, HookError::NotExecutable { path: path.clone() });
    assert_eq!(
        validate_all(&[hook(&path)]).unwrap_err()[0].to_string(),
        format!("hooks[0].command: {} is not executable", path.display())
    );
    // Any execute bit will do (a group-only or other-only one included).
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o610)).unwrap();
    assert_eq!(hook(&path).validate(), Ok(()));
}

#[test]
fn hooks_for_picks_those_listening_to_the_moment() {
    let a = HookSpec {
        on: vec![Moment::Answered, Moment::Ended],
        ..hook(Path::new("/a"))
    };
    let b = HookSpec {
        on: vec![Moment::Ended],
        ..hook(Path::new("/b"))
    };
    let hooks = [a, b];
    let commands = |m| {
        hooks_for(&hooks, m)
            .map(|h| h.command.display().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(commands(Moment::Ended), ["/a", "/b"]);
    assert_eq!(commands(Moment::Answered), ["/a"]);
    assert!(commands(Moment::Ringing).is_empty());
}

fn env_of(event: &CrmEvent) -> Vec<(String, String)> {
    environment(event)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

#[test]
fn a_filed_call_gives_every_variable() {
    let event = CrmEvent::for_call(Moment::Filed, "2025-03-14T15:12:00Z", CallFields::sample())
        .with_disposition(&["Sale", "Card"]);
    let guid = CallFields::sample().guid;
    let expected: Vec<(String, String)> = [
        ("UCAC_EVENT", "filed"),
        ("UCAC_AT", "2025-03-14T15:12:00Z"),
        ("UCAC_GUID", guid.as_str()),
        ("UCAC_NUMBER", "+598 99 123 456"),
        ("UCAC_CAMPAIGN", "Ventas->"),
        ("UCAC_DIRECTION", "inbound"),
        ("UCAC_AGENT", "alice"),
        ("UCAC_EXTENSION", "1001"),
        ("UCAC_DISPOSITION", "Sale / Card"),
        ("UCAC_MOTIVE", ""),
        (
            "UCAC_CTI",
            r#"{"contact":"Ana Pérez","data":{"customer_id":"C-42"}}"#,
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(env_of(&event), expected);
}

#[test]
fn a_break_has_empty_call_variables_and_its_motive() {
    let env = env_of(&CrmEvent::for_break(
        Moment::BreakStarted,
        "2025-03-14T16:00:00Z",
        "Lunch",
    ));
    let get = |name: &str| {
        env.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap()
    };
    assert_eq!(get("UCAC_EVENT"), "break_started");
    assert_eq!(get("UCAC_MOTIVE"), "Lunch");
    for name in [
        "UCAC_GUID",
        "UCAC_NUMBER",
        "UCAC_DIRECTION",
        "UCAC_CTI",
        "UCAC_DISPOSITION",
    ] {
        assert_eq!(get(name), "", "{name}");
    }
}

#[test]
fn no_cti_is_empty_and_nul_characters_are_dropped() {
    let call = CallFields {
        cti: serde_json::Value::Null,
        number: "09\u{0}9".to_string(),
        ..CallFields::sample()
    };
    let env = env_of(&CrmEvent::for_call(Moment::Answered, "t", call));
    let get = |name: &str| {
        env.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(get("UCAC_CTI"), "");
    assert_eq!(get("UCAC_NUMBER"), "099");
    let call = CallFields {
        cti: json!({"note": "a\u{0}b"}),
        ..CallFields::sample()
    };
    let env = env_of(&CrmEvent::for_call(Moment::Answered, "t", call));
    let cti = &env.iter().find(|(k, _)| k == "UCAC_CTI").unwrap().1;
    // In JSON text a NUL is an escape, so the CTI arrives whole.
    assert_eq!(cti, r#"{"note":"a\u0000b"}"#);
}

//! The window's one gateway to the app, `ui/js/backend.js`, checked against the app's two lists: one function
//! per command (`commands/list.rs`, which also builds the capability's permission set and the invoke handler) and
//! per event (`events.rs`), nothing invoked or listened to that the app does not have, and no other UI module
//! reaching Tauri. A command renamed on one side only fails here, not in an agent's hands.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn ui_js() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/js")
}

/// Every `name` in `call('name'` in `text`, in order (with repeats).
fn quoted_after<'a>(text: &'a str, call: &str) -> Vec<&'a str> {
    let opening = format!("{call}('");
    text.match_indices(&opening)
        .filter_map(|(at, _)| {
            let rest = &text[at + opening.len()..];
            rest.find('\'').map(|end| &rest[..end])
        })
        .collect()
}

fn once_each(found: &[&str], what: &str) -> BTreeSet<String> {
    let set: BTreeSet<String> = found.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        set.len(),
        found.len(),
        "backend.js has more than one function for a {what}: {found:?}"
    );
    set
}

/// Fails naming what only one side has.
fn same(backend: BTreeSet<String>, list: &[&str], list_file: &str) {
    let app: BTreeSet<String> = list.iter().map(|s| s.to_string()).collect();
    let only_js: Vec<_> = backend.difference(&app).collect();
    let only_app: Vec<_> = app.difference(&backend).collect();
    assert!(
        only_js.is_empty() && only_app.is_empty(),
        "only in ui/js/backend.js: {only_js:?}; only in {list_file}: {only_app:?}"
    );
}

#[test]
fn backend_js_has_one_function_per_command_and_per_event() {
    let backend = std::fs::read_to_string(ui_js().join("backend.js")).expect("ui/js/backend.js");
    let invoked = once_each(&quoted_after(&backend, "invoke"), "command");
    same(
        invoked,
        crate::commands::COMMANDS,
        "src-tauri/src/commands/list.rs",
    );
    let listened = once_each(&quoted_after(&backend, "listen"), "event");
    same(listened, crate::events::EVENTS, "src-tauri/src/events.rs");
}

#[test]
fn no_other_ui_module_reaches_tauri() {
    for entry in std::fs::read_dir(ui_js()).expect("ui/js") {
        let path = entry.expect("a file").path();
        if path.file_name().is_some_and(|n| n == "backend.js") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a UI module");
        assert!(
            !text.contains("__TAURI") && !text.contains(".invoke("),
            "{} talks to Tauri itself: go through backend.js",
            path.display()
        );
    }
}

#[test]
fn every_event_is_sent_through_the_list() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src");
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src") {
            let path = entry.expect("a file").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name == "events.rs" || name == "boundary_tests.rs" {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a source file");
            assert!(
                !text.contains(".emit("),
                "{} emits an event itself: use events::emit with a name from events::EVENTS",
                path.display()
            );
        }
    }
}

#[test]
fn the_window_is_sent_exactly_the_notices_app_js_acts_on() {
    use agent::desk::NoticeKind::{self, *};
    let app_js = std::fs::read_to_string(ui_js().join("app.js")).expect("ui/js/app.js");
    let every = [
        CallPlaced,
        CallEnded,
        DispositionSaved,
        DispositionWaiting,
        SignInLost,
        CallRinging,
        DisposedInPortal,
        WaitingDispositionDropped,
    ];
    // A kind added to the desk fails to compile here until it is placed in the list above.
    let _listed = |kind: NoticeKind| match kind {
        CallPlaced
        | CallEnded
        | DispositionSaved
        | DispositionWaiting
        | SignInLost
        | CallRinging
        | DisposedInPortal
        | WaitingDispositionDropped => (),
    };
    for kind in every {
        let name = serde_json::to_value(kind).unwrap();
        let named = app_js.contains(&format!("'{}'", name.as_str().unwrap()));
        assert_eq!(
            crate::events::WINDOW_NOTICES.contains(&kind),
            named,
            "{name}: in events::WINDOW_NOTICES is not the same as named in app.js ({named})"
        );
    }
}

/// The keys of a language table (`ui/i18n/*.js`: one `'key': 'text',` per line).
fn text_keys(language: &str) -> BTreeSet<String> {
    let path = ui_js().join(format!("../i18n/{language}.js"));
    let text = std::fs::read_to_string(&path).expect("a language table");
    text.lines()
        .filter_map(|line| line.strip_prefix("  '"))
        .filter_map(|rest| rest.split_once('\'').map(|(key, _)| key.to_string()))
        .collect()
}

/// The window loads only the language it shows (`ui/js/i18n.js`), with no other table to fall back on: a key
/// missing from one would be shown to its agents as the key itself.
#[test]
fn both_languages_have_every_text() {
    let (en, es) = (text_keys("en"), text_keys("es"));
    assert!(
        en.len() > 300,
        "the English table was read: {} keys",
        en.len()
    );
    let only_en: Vec<_> = en.difference(&es).collect();
    let only_es: Vec<_> = es.difference(&en).collect();
    assert!(
        only_en.is_empty() && only_es.is_empty(),
        "only in en.js: {only_en:?}; only in es.js: {only_es:?}"
    );
}

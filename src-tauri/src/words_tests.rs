//! Every text the Rust code names by key (`Phrase::new("key")`: errors and desk notices the window words in the
//! agent's language) is in both tables, with the same `{name}`s as the `.with("name", …)` calls that follow it: a
//! key missing from a table would be shown to the agent as the English message (the window) or as the key itself
//! (the app process), a parameter missing from the call as an empty gap.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::words::Table;

/// A `Phrase::new("key")` in the source: where, the key, and the names of the `.with("name", …)` calls chained
/// right after it.
#[derive(Debug)]
struct Use {
    at: String,
    key: String,
    names: BTreeSet<String>,
}

/// The `.rs` files under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The string literal `rest` starts with (after whitespace), and what follows it.
fn literal(rest: &str) -> Option<(&str, &str)> {
    let rest = rest.trim_start().strip_prefix('"')?;
    let end = rest.find('"')?;
    Some((&rest[..end], &rest[end + 1..]))
}

/// `rest` past the `)` closing an already open `(` (strings and chars with parentheses are not expected here).
fn past_close(rest: &str) -> Option<&str> {
    let mut depth = 1;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&rest[i + 1..]);
                }
            }
            _ => {}
        }
    }
    None
}

/// The `Phrase::new("…")` uses in `source`.
fn uses(file: &str, source: &str) -> Vec<Use> {
    let mut found = Vec::new();
    for (offset, _) in source.match_indices("Phrase::new(") {
        let rest = &source[offset + "Phrase::new(".len()..];
        let Some((key, mut rest)) = literal(rest) else {
            continue; // a key from a variable: its literals are found where they are written
        };
        let line = source[..offset].lines().count() + 1;
        rest = rest.trim_start().strip_prefix(')').unwrap_or(rest);
        let mut names = BTreeSet::new();
        while let Some(call) = rest.trim_start().strip_prefix(".with(") {
            let Some((name, after)) = literal(call) else {
                break;
            };
            names.insert(name.to_string());
            let Some(after) = past_close(after) else {
                break;
            };
            rest = after;
        }
        found.push(Use {
            at: format!("{file}:{line}"),
            key: key.to_string(),
            names,
        });
    }
    found
}

/// The `{name}`s of a text.
fn placeholders(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            names.insert(name.to_string());
        }
        rest = &rest[open + close + 1..];
    }
    names
}

/// Every `Phrase::new("…")` of the crates and the app.
fn every_use() -> Vec<Use> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    let mut files = Vec::new();
    rust_files(&root.join("src-tauri/src"), &mut files);
    let crates = std::fs::read_dir(root.join("crates")).expect("the crates folder");
    for krate in crates.flatten() {
        rust_files(&krate.path().join("src"), &mut files);
    }
    let mut found = Vec::new();
    for path in files {
        let source =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        if file.ends_with("words_tests.rs") {
            continue;
        }
        found.extend(uses(&file, &source));
    }
    found
}

#[test]
fn every_key_the_code_names_is_in_both_tables_with_its_parameters() {
    let uses = every_use();
    assert!(
        uses.iter().any(|u| u.key.starts_with("error.")),
        "the sources were read: {} uses",
        uses.len()
    );
    let (en, es) = (Table::of("en"), Table::of("es"));
    let mut problems = Vec::new();
    for u in &uses {
        for (language, table) in [("en.js", &en), ("es.js", &es)] {
            match table.get(&u.key) {
                None => problems.push(format!("{}: {:?} is not in {language}", u.at, u.key)),
                Some(text) if placeholders(text) != u.names => problems.push(format!(
                    "{}: {:?} in {language} has {:?}, the code sets {:?}",
                    u.at,
                    u.key,
                    placeholders(text),
                    u.names
                )),
                Some(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_use_reads_with_its_chained_parameters() {
    let source = r#"let p = Phrase::new("error.x")
        .with("number", n.to_string())
        .with("why", format!("({a})"));
        Phrase::new(key).with("a", 1); Phrase::new( "b.c" ) ;"#;
    let found = uses("f.rs", source);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].key, "error.x");
    assert_eq!(
        found[0].names,
        BTreeSet::from(["number".to_string(), "why".to_string()])
    );
    assert_eq!(found[1].key, "b.c");
    assert!(found[1].names.is_empty());
    assert_eq!(
        placeholders("{n} of {total}: {{not}} {}"),
        BTreeSet::from(["n".to_string(), "total".to_string()])
    );
}

/// The Spanish table speaks to the agent as *usted* throughout (the register of the contact centers' own
/// software): a *tú* or *vos* form among them reads as a different writer, or as a slip.
#[test]
fn the_spanish_table_says_usted_throughout() {
    const ES: &str = include_str!("../../ui/i18n/es.js");
    const OTHER_REGISTER: &[&str] = &[
        "tu",
        "tus",
        "te",
        "contigo",
        "puedes",
        "tienes",
        "quieres",
        "podés",
        "tenés",
        "querés",
        "escribí",
        "presioná",
        "elegí",
        "probá",
        "revisá",
        "ingresá",
        "usá",
        "pegá",
        "esperá",
        "fijate",
        "mirá",
    ];
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let slips: Vec<String> = ES
        .lines()
        .filter_map(|line| {
            // Only the texts (after the key), not the keys or the comments.
            let text = line.split_once("':")?.1;
            let found: Vec<String> = words(text)
                .into_iter()
                .filter(|w| OTHER_REGISTER.contains(&w.as_str()))
                .collect();
            (!found.is_empty()).then(|| format!("{found:?} in {}", line.trim()))
        })
        .collect();
    assert!(slips.is_empty(), "{}", slips.join("\n"));
}

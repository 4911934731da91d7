//! Dotted paths (`hotkeys.dial`) into TOML tables: the policy works on the settings' TOML form, so any field a
//! `Settings` struct gains is covered without code of its own.

use toml::{Table, Value};

/// Every leaf of `table` as (`a.b.c`, value); arrays are leaves (a list is set as a whole).
pub fn leaves(table: &Table) -> Vec<(String, Value)> {
    fn walk(prefix: &str, table: &Table, out: &mut Vec<(String, Value)>) {
        for (key, value) in table {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            match value {
                Value::Table(inner) if !inner.is_empty() => walk(&path, inner, out),
                other => out.push((path, other.clone())),
            }
        }
    }
    let mut out = Vec::new();
    walk("", table, &mut out);
    out
}

/// The value at `path`, if there is one.
pub fn get<'a>(table: &'a Table, path: &str) -> Option<&'a Value> {
    let (parents, last) = split(path);
    let mut here = table;
    for key in parents {
        here = here.get(key)?.as_table()?;
    }
    here.get(last)
}

/// Sets `path` to `value`, making the tables on the way (a non-table on the way is replaced).
pub fn set(table: &mut Table, path: &str, value: Value) {
    let (parents, last) = split(path);
    let mut here = table;
    for key in parents {
        let entry = here
            .entry(key.to_string())
            .or_insert_with(|| Value::Table(Table::new()));
        if !entry.is_table() {
            *entry = Value::Table(Table::new());
        }
        here = entry.as_table_mut().expect("made a table just above");
    }
    here.insert(last.to_string(), value);
}

/// True when `path` is `lock` or lies under it (`hotkeys.dial` under `hotkeys`).
pub fn covers(lock: &str, path: &str) -> bool {
    path == lock
        || path
            .strip_prefix(lock)
            .is_some_and(|rest| rest.starts_with('.'))
}

fn split(path: &str) -> (Vec<&str>, &str) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop().unwrap_or("");
    (parts, last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_write_and_remove_nested_keys() {
        let mut t: Table = toml::from_str("a = 1\n[h]\ndial = \"x\"\n[e]\n").unwrap();
        let mut found = leaves(&t);
        found.sort_by(|a, b| a.0.cmp(&b.0));
        let names: Vec<_> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(names, ["a", "e", "h.dial"]);
        assert_eq!(get(&t, "h.dial").and_then(Value::as_str), Some("x"));
        set(&mut t, "n.m.k", Value::Boolean(true));
        assert_eq!(get(&t, "n.m.k"), Some(&Value::Boolean(true)));
        assert!(covers("hotkeys", "hotkeys.dial"));
        assert!(covers("hotkeys.dial", "hotkeys.dial"));
        assert!(!covers("hotkeys", "hotkeys_extra"));
    }
}

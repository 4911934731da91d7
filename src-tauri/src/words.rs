//! The words the app process shows — the tray's menu and tooltip, notifications — from the same tables as the
//! window's (`ui/i18n/en.js`, `ui/i18n/es.js`: one table per language, held to the same keys by a test), in the
//! same language: the one picked in Settings, else the OS's. Only the language in use is parsed; both tables are
//! in the binary (~25 KiB each).
//!
//! The tables are ES modules for the page, one `'key': 'text',` per line; this module reads that form (a key in
//! single quotes, a text in single or double quotes, `\'`, `\"` and `\\` escaped), and a test checks that every line
//! of both tables reads.

use std::collections::HashMap;

use parking_lot::RwLock;

const EN: &str = include_str!("../../ui/i18n/en.js");
const ES: &str = include_str!("../../ui/i18n/es.js");

/// One language's texts.
#[derive(Debug)]
pub struct Table {
    language: &'static str,
    texts: HashMap<String, String>,
}

impl Table {
    /// The table of `language` (`en` or `es`; anything else is English).
    pub fn of(language: &str) -> Self {
        let (language, source) = match language {
            "es" => ("es", ES),
            _ => ("en", EN),
        };
        let texts = parse(source)
            .filter_map(Result::ok)
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        Self { language, texts }
    }

    /// `key`'s text as the table has it, if it has it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.texts.get(key).map(String::as_str)
    }

    /// `key`'s text with `{name}` replaced by the value of `name` in `params`; the key itself when the table lacks it
    /// (a test keeps every key the app uses in both tables).
    pub fn t(&self, key: &str, params: &[(&str, &str)]) -> String {
        let Some(text) = self.texts.get(key) else {
            tracing::warn!(key, "no such text");
            return key.to_string();
        };
        fill(text, params)
    }
}

/// `text` with each `{name}` replaced by its value in `params` (an unknown name becomes empty, as in the page).
fn fill(text: &str, params: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..close];
        if let Some((_, value)) = params.iter().find(|(n, _)| *n == name) {
            out.push_str(value);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The language for a Settings value: `en` or `es` as set, else (`auto`) the OS's when it is Spanish, else English.
pub fn pick(setting: &str) -> &'static str {
    match setting {
        "en" => "en",
        "es" => "es",
        _ => match sys_locale::get_locale() {
            Some(locale) if locale.to_ascii_lowercase().starts_with("es") => "es",
            _ => "en",
        },
    }
}

/// The words in use, managed by the app (created in `setup`); the language changes with the setting.
pub struct Words {
    table: RwLock<Table>,
}

impl Words {
    /// The words for a Settings language value (`auto`, `en`, `es`).
    pub fn for_setting(setting: &str) -> Self {
        Self {
            table: RwLock::new(Table::of(pick(setting))),
        }
    }

    /// Follows a new Settings language value; true when the language in use changed.
    pub fn set_language(&self, setting: &str) -> bool {
        let wanted = pick(setting);
        if self.table.read().language == wanted {
            return false;
        }
        *self.table.write() = Table::of(wanted);
        true
    }

    /// `key`'s text in the language in use, `{name}`s filled from `params`.
    pub fn t(&self, key: &str, params: &[(&str, &str)]) -> String {
        self.table.read().t(key, params)
    }

    /// A phrase (a key and its parameters: `agent_error::Phrase`) in the language in use.
    pub fn phrase(&self, phrase: &agent_error::Phrase) -> String {
        let params: Vec<(&str, &str)> = phrase
            .params
            .iter()
            .map(|(n, v)| (*n, v.as_str()))
            .collect();
        self.t(phrase.key, &params)
    }

    /// Runs `read` with the table in use (to word several texts at once).
    pub fn with<R>(&self, read: impl FnOnce(&Table) -> R) -> R {
        read(&self.table.read())
    }
}

/// `key`'s text in the agent's language (the app's [`Words`]).
pub fn t(app: &tauri::AppHandle, key: &str, params: &[(&str, &str)]) -> String {
    use tauri::Manager;
    app.state::<Words>().t(key, params)
}

/// Each entry line of a table as `(key, text)`, or the line that does not read; other lines (comments, the module's
/// first and last lines, blank lines) are skipped.
pub fn parse(source: &str) -> impl Iterator<Item = Result<(&str, String), &str>> {
    source.lines().filter_map(|line| {
        let entry = line.trim();
        if !entry.starts_with('\'') {
            return None;
        }
        Some(parse_entry(entry).ok_or(line))
    })
}

fn parse_entry(entry: &str) -> Option<(&str, String)> {
    let rest = entry.strip_prefix('\'')?;
    let (key, rest) = rest.split_once("': ")?;
    let body = rest.strip_suffix(',')?;
    let quote = body.chars().next().filter(|q| *q == '\'' || *q == '"')?;
    let inner = body.strip_prefix(quote)?.strip_suffix(quote)?;
    let mut text = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.push(chars.next().filter(|e| matches!(e, '\'' | '"' | '\\'))?),
            // An unescaped quote of the same kind would have ended the string.
            c if c == quote => return None,
            c => text.push(c),
        }
    }
    Some((key, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_of_both_tables_reads() {
        for (name, source) in [("en.js", EN), ("es.js", ES)] {
            let bad: Vec<&str> = parse(source).filter_map(Result::err).collect();
            assert!(bad.is_empty(), "{name}: lines that do not read: {bad:?}");
        }
    }

    #[test]
    fn an_entry_reads_with_either_quote_and_its_escapes() {
        assert_eq!(
            parse_entry(r"'a.b': 'the campaign\'s list',"),
            Some(("a.b", "the campaign's list".to_string()))
        );
        assert_eq!(
            parse_entry(r#"'a.c': "say \"hi\"","#),
            Some(("a.c", "say \"hi\"".to_string()))
        );
        assert_eq!(parse_entry(r"'a.d': 'broken' + x,"), None);
        assert_eq!(parse_entry(r"'a.e': 'it's',"), None);
    }

    #[test]
    fn a_text_is_filled_from_its_parameters_in_the_language_asked() {
        let es = Table::of("es");
        let en = Table::of("en");
        assert_eq!(
            en.t("tray.call_in_call", &[("number", "099")]),
            "in call with 099"
        );
        assert_eq!(
            es.t("tray.call_in_call", &[("number", "099")]),
            "en llamada con 099"
        );
        assert_eq!(fill("{a} and {b}", &[("a", "1")]), "1 and ");
        assert_eq!(en.t("no.such.key", &[]), "no.such.key");
    }

    #[test]
    fn a_language_set_in_settings_wins_over_the_os() {
        assert_eq!(pick("es"), "es");
        assert_eq!(pick("en"), "en");
        let words = Words::for_setting("en");
        assert!(words.set_language("es"));
        assert!(!words.set_language("es"), "already Spanish");
        assert_eq!(words.t("tray.quit", &[]), "Salir");
    }
}

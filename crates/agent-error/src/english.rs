//! Debug builds check that an error's English `message` is its phrase's English text (`ui/i18n/en.js`) with the
//! parameters filled in, so the two never tell different stories: a mismatch is printed to stderr (run a crate's
//! tests with `-- --nocapture | grep 'phrase and message'` to see them). Release builds do not carry the table.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use crate::Phrase;

const EN: &str = include_str!("../../../ui/i18n/en.js");

/// The English table: `'key': 'text',` lines (single or double quoted text, `\'` `\"` `\\` escapes).
fn table() -> &'static HashMap<&'static str, String> {
    static TABLE: OnceLock<HashMap<&'static str, String>> = OnceLock::new();
    TABLE.get_or_init(|| EN.lines().filter_map(entry).collect())
}

fn entry(line: &'static str) -> Option<(&'static str, String)> {
    let rest = line.trim().strip_prefix('\'')?;
    let (key, rest) = rest.split_once('\'')?;
    let rest = rest.strip_prefix(':')?.trim_start();
    let quote = rest.chars().next()?;
    let body = rest[1..]
        .trim_end()
        .strip_suffix(',')?
        .strip_suffix(quote)?;
    let mut text = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        text.push(if c == '\\' { chars.next()? } else { c });
    }
    Some((key, text))
}

/// `text` with each `{name}` replaced by its value (an unknown name becomes empty, as in the page).
fn fill(text: &str, params: &BTreeMap<&'static str, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if after[..close]
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_') =>
            {
                out.push_str(params.get(&after[..close]).map_or("", String::as_str));
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The English words of `phrase`, when en.js has its key.
pub(crate) fn english(phrase: &Phrase) -> Option<String> {
    table()
        .get(phrase.key)
        .map(|text| fill(text, &phrase.params))
}

/// Prints a phrase whose English is not `message`.
pub(crate) fn check(phrase: &Phrase, message: &str) {
    match english(phrase) {
        Some(text) if text == message => {}
        Some(text) => eprintln!(
            "agent-error: phrase and message differ for {}: en.js says {text:?}, the message is {message:?}",
            phrase.key
        ),
        None => eprintln!(
            "agent-error: phrase and message: {} is not in en.js (message {message:?})",
            phrase.key
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_english_of_a_phrase_is_its_text_filled_in() {
        let phrase = Phrase::new("error.server.timeout").with("endpoint", "auth/AgentLogin");
        assert_eq!(
            english(&phrase).as_deref(),
            Some("auth/AgentLogin: the server did not answer in time")
        );
        assert!(table().len() > 300, "en.js read: {}", table().len());
    }
}

//! What a support report leaves out: every value the app knows is personal or secret, anything that looks like a
//! phone number, and the values of fields whose names say they hold one. The logs are written not to hold these in
//! the first place; this is the second line, for a file that leaves the desk.

/// Field names whose values are replaced wherever they appear as `name=value` or `name: value` (tracing's
/// format, TOML, JSON). Matched case-insensitively on the whole name.
const PERSONAL_FIELDS: &[&str] = &[
    "password",
    "passphrase",
    "token",
    "md5secret",
    "secret",
    "key",
    "authorization",
    "number",
    "phone",
    "callerid",
    "destination",
    "alternatives",
    "agentphone",
    "comment",
    "data",
    "paramsandvalues",
    "parandvalues",
];

/// A run of digits and phone separators with this many digits or more is taken for a phone number.
const PHONE_DIGITS: usize = 7;

/// What replaces a value that is left out.
pub const REMOVED: &str = "<removed>";

/// Removes personal and secret values from text meant for support.
#[derive(Debug, Default, Clone)]
pub struct Redactor {
    known: Vec<String>,
}

impl Redactor {
    /// A redactor that also removes these exact values (numbers on the desk, the caller ID, comments in the
    /// outbox…). Values shorter than three characters are ignored: they would blank out ordinary words.
    pub fn with_known<I, S>(values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut known: Vec<String> = values
            .into_iter()
            .map(Into::into)
            .filter(|v| v.trim().chars().count() >= 3)
            .collect();
        // Longest first, so a value that contains another is removed whole.
        known.sort_by_key(|v| std::cmp::Reverse(v.len()));
        known.dedup();
        Self { known }
    }

    /// Redacts a log: each line keeps its leading timestamp (digits that are not a phone number) as it is.
    pub fn log(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for line in text.split_inclusive('\n') {
            let (stamp, rest) = split_timestamp(line);
            out.push_str(stamp);
            out.push_str(&self.text(rest));
        }
        out
    }

    /// Redacts any text (settings, policy, one log line without its timestamp).
    pub fn text(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for value in &self.known {
            if text.contains(value.as_str()) {
                text = text.replace(value.as_str(), REMOVED);
            }
        }
        let text = redact_fields(&text);
        let text = redact_basic_auth(&text);
        redact_phone_numbers(&text)
    }
}

/// tracing's lines start with an RFC 3339 timestamp; its digits are not personal.
fn split_timestamp(line: &str) -> (&str, &str) {
    let trimmed = line.trim_start();
    let lead = line.len() - trimmed.len();
    let end = trimmed.find(' ').unwrap_or(0);
    let stamp = &trimmed[..end];
    let looks_like_time = stamp.len() >= 19
        && stamp.as_bytes()[4] == b'-'
        && stamp.as_bytes()[10] == b'T'
        && stamp
            .bytes()
            .all(|b| b.is_ascii_digit() || b"-:T.Z+".contains(&b));
    if looks_like_time {
        line.split_at(lead + end)
    } else {
        ("", line)
    }
}

/// `name=value`, `name: value`, `name = "value"`, `"name":"value"` for the personal field names.
fn redact_fields(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((name_start, name_end)) = next_word(rest) {
        let name = rest[name_start..name_end].trim_matches('"');
        let after = &rest[name_end..];
        let sep_len = separator_len(after);
        out.push_str(&rest[..name_end]);
        if sep_len > 0 && is_personal(name) {
            out.push_str(&after[..sep_len]);
            let value = &after[sep_len..];
            let value_len = value_len(value);
            if value_len > 0 {
                out.push_str(REMOVED);
            }
            rest = &value[value_len..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn is_personal(name: &str) -> bool {
    let name = name.rsplit(['.', '_', '-']).next().unwrap_or(name);
    PERSONAL_FIELDS.iter().any(|f| f.eq_ignore_ascii_case(name))
        || name.to_ascii_lowercase().ends_with("password")
        || name.to_ascii_lowercase().ends_with("token")
}

/// The next identifier-like word (letters, digits, `_`, `.`, `-`, optionally quoted): its byte range.
fn next_word(text: &str) -> Option<(usize, usize)> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-';
    let start = text.find(|c: char| c.is_ascii_alphabetic())?;
    let len = text[start..]
        .find(|c: char| !is_word(c))
        .unwrap_or(text.len() - start);
    let mut end = start + len;
    if text[end..].starts_with('"') {
        end += 1;
    }
    Some((start, end))
}

/// `=`, `:` or ` = ` right after a name, with the spaces around it.
fn separator_len(after: &str) -> usize {
    let spaces = after.len() - after.trim_start_matches(' ').len();
    let rest = &after[spaces..];
    if !(rest.starts_with('=') || rest.starts_with(':')) || rest.starts_with("::") {
        return 0;
    }
    let rest = &rest[1..];
    spaces + 1 + (rest.len() - rest.trim_start_matches(' ').len())
}

/// A quoted value up to its closing quote, or a bare value up to a space, comma, brace or the end of line.
fn value_len(value: &str) -> usize {
    if let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let mut escaped = false;
        for (i, c) in value.char_indices().skip(1) {
            match c {
                '\\' if !escaped => escaped = true,
                c if c == quote && !escaped => return i + 1,
                '\n' => return i,
                _ => escaped = false,
            }
        }
        return value.len();
    }
    value
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | ']' | ';' | '&'))
        .unwrap_or(value.len())
}

/// `Basic <token>` and `Bearer <token>`, whatever the field is called.
fn redact_basic_auth(text: &str) -> String {
    let mut out = text.to_owned();
    for scheme in ["Basic ", "Bearer "] {
        let mut from = 0;
        while let Some(at) = out[from..].find(scheme) {
            let start = from + at + scheme.len();
            let len = out[start..]
                .find(|c: char| c.is_whitespace() || c == '"' || c == ',')
                .unwrap_or(out.len() - start);
            if len > 0 && out[start..start + len] != *REMOVED {
                out.replace_range(start..start + len, REMOVED);
            }
            from = start + REMOVED.len().min(out.len() - start);
        }
    }
    out
}

/// Runs of digits with spaces, dashes, dots, brackets or a leading `+` holding at least [`PHONE_DIGITS`] digits.
fn redact_phone_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let mut digits = 0;
    let flush = |out: &mut String, run: &mut String, digits: &mut usize| {
        if *digits >= PHONE_DIGITS {
            // Keep the separators around the number (a trailing space belongs to the text, not the number).
            let trimmed = run.trim_end_matches([' ', '-', '.', '(', ')']);
            let tail = &run[trimmed.len()..];
            out.push_str(REMOVED);
            out.push_str(tail);
        } else {
            out.push_str(run);
        }
        run.clear();
        *digits = 0;
    };
    for c in text.chars() {
        let joins =
            c.is_ascii_digit() || (!run.is_empty() && matches!(c, ' ' | '-' | '.' | '(' | ')'));
        if c == '+' && run.is_empty() || joins {
            if c.is_ascii_digit() {
                digits += 1;
            }
            run.push(c);
        } else {
            flush(&mut out, &mut run, &mut digits);
            if c == '(' || c == '+' {
                run.push(c);
            } else {
                out.push(c);
            }
        }
    }
    flush(&mut out, &mut run, &mut digits);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_in_any_format_are_removed_and_short_numbers_kept() {
        let r = Redactor::default();
        assert_eq!(r.text("dialing 099 123 456 now"), "dialing <removed> now");
        assert_eq!(r.text("to +598-99-123-456."), "to <removed>.");
        assert_eq!(r.text("(02) 2901 2345"), "<removed>");
        assert_eq!(
            r.text("retry 3 of 5, port 47813"),
            "retry 3 of 5, port 47813"
        );
        assert_eq!(r.text("http 502 after 1200 ms"), "http 502 after 1200 ms");
    }

    #[test]
    fn the_log_timestamp_stays_but_numbers_after_it_go() {
        let r = Redactor::default();
        let line =
            "2026-12-01T21:47:17.123456Z  WARN agent: dial link refused err=099123456 is busy\n";
        let out = r.log(line);
        assert!(out.starts_with("2026-12-01T21:47:17.123456Z "), "{out}");
        assert!(!out.contains("099123456"), "{out}");
    }

    #[test]
    fn personal_fields_lose_their_values_in_log_toml_and_json() {
        let r = Redactor::default();
        assert_eq!(
            r.text("number=0991 comment=\"call me\" guid=abc"),
            "number=<removed> comment=<removed> guid=abc"
        );
        assert_eq!(
            r.text("callerid = \"59821\"\nserver_url = \"https://x\""),
            "callerid = <removed>\nserver_url = \"https://x\""
        );
        assert_eq!(
            r.text(r#"{"comment":"he said \"no\"","l1":"Venta"}"#),
            r#"{"comment":<removed>,"l1":"Venta"}"#
        );
        assert_eq!(
            r.text("identity.callerid: 42"),
            "identity.callerid: <removed>"
        );
        assert_eq!(
            r.text("proxy_password = \"x\""),
            "proxy_password = <removed>"
        );
    }

    #[test]
    fn tokens_after_basic_or_bearer_and_known_values_are_removed() {
        let r = Redactor::with_known(["s3cr3t-token", "Quiere la tarjeta", "ab"]);
        let out = r.text(
            "Authorization Basic czNjcjN0 then s3cr3t-token, note: Quiere la tarjeta; ab stays",
        );
        assert!(
            !out.contains("czNjcjN0") && !out.contains("s3cr3t") && !out.contains("tarjeta"),
            "{out}"
        );
        assert!(out.contains("ab stays"), "{out}");
    }

    proptest::proptest! {
        /// Whatever surrounds it, no run of seven digits (a phone number however it is written) survives.
        #[test]
        fn no_seven_digit_run_survives(before in "\\PC{0,20}", number in "[0-9]{7,12}", after in "\\PC{0,20}") {
            let out = Redactor::default().text(&format!("{before}{number}{after}"));
            let mut run = 0;
            for c in out.chars() {
                run = if c.is_ascii_digit() { run + 1 } else { 0 };
                proptest::prop_assert!(run < PHONE_DIGITS, "{out:?}");
            }
        }
    }

    #[test]
    fn text_without_anything_personal_is_unchanged() {
        let r = Redactor::default();
        let text =
            "2026-12-01T21:47:17Z  INFO companion: bridge listening address=127.0.0.1:47813\n";
        assert_eq!(r.log(text), text);
    }
}

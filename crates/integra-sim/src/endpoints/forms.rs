//! forms/FormGet, which on a real server runs any SQL the user's rights allow. The simulator understands exactly
//! one read-only statement, the one uContact's own forms use to read the disposition tree:
//! `SELECT value1,value2,value3 FROM dispositions WHERE campaign = '<name>'` (any letter case and spacing, an
//! optional `ccdata.` schema and trailing `;`, quotes in the name doubled). Anything else answers `0`.

use serde_json::{json, Value};

use super::{zero, Reply, Sim};
use crate::http::extract::{Authorized, Fields};

/// A token of the statement.
#[derive(Debug, PartialEq)]
enum Token {
    /// A keyword or a name (letters, digits, `_`, `.`), lowercased.
    Word(String),
    /// `,`, `=` or `;`.
    Punct(char),
    /// A quoted string, quotes undoubled.
    Literal(String),
}

fn tokenize(sql: &str) -> Option<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            ',' | '=' | ';' => {
                tokens.push(Token::Punct(c));
                chars.next();
            }
            '\'' => {
                chars.next();
                let mut literal = String::new();
                loop {
                    match chars.next()? {
                        '\'' if chars.peek() == Some(&'\'') => {
                            chars.next();
                            literal.push('\'');
                        }
                        '\'' => break,
                        // A backslash escapes in MySQL; refusing it keeps the literal's end unambiguous.
                        '\\' => return None,
                        other => literal.push(other),
                    }
                }
                tokens.push(Token::Literal(literal));
            }
            c if c.is_ascii_alphanumeric() || c == '_' || c == '.' => {
                let mut word = String::new();
                while let Some(&c) = chars
                    .peek()
                    .filter(|c| c.is_ascii_alphanumeric() || **c == '_' || **c == '.')
                {
                    word.push(c.to_ascii_lowercase());
                    chars.next();
                }
                tokens.push(Token::Word(word));
            }
            // Comments, operators, parentheses, wildcards: not part of the one statement.
            _ => return None,
        }
    }
    Some(tokens)
}

/// The campaign of the dispositions query, or `None` for any other statement.
pub(crate) fn dispositions_campaign(sql: &str) -> Option<String> {
    let mut tokens = tokenize(sql)?;
    if tokens.last() == Some(&Token::Punct(';')) {
        tokens.pop();
    }
    let word = |w: &str| Token::Word(w.to_string());
    let table_ok = |t: &Token| matches!(t, Token::Word(w) if w == "dispositions" || w == "ccdata.dispositions");
    match tokens.as_slice() {
        [select, v1, Token::Punct(','), v2, Token::Punct(','), v3, from, table, r#where, column, Token::Punct('='), Token::Literal(name)]
            if *select == word("select")
                && *v1 == word("value1")
                && *v2 == word("value2")
                && *v3 == word("value3")
                && *from == word("from")
                && table_ok(table)
                && *r#where == word("where")
                && *column == word("campaign") =>
        {
            Some(name.clone())
        }
        _ => None,
    }
}

/// FormGet: `query` and `dsn` (e.g. `Repo`); the rows as a JSON array of objects.
pub(crate) async fn form_get(sim: Sim, _: Authorized, f: Fields) -> Reply {
    if !f.has_all(&["dsn"]) {
        return zero();
    }
    let Some(campaign) = dispositions_campaign(f.get("query")) else {
        return zero();
    };
    let rows: Vec<Value> = sim
        .seed
        .dispositions
        .iter()
        .filter(|d| d.campaign == campaign)
        .map(|d| json!({"value1": d.value1, "value2": d.value2, "value3": d.value3}))
        .collect();
    Reply::Json(Value::Array(rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dispositions_select_is_understood_in_its_usual_spellings() {
        for sql in [
            "SELECT value1,value2,value3 FROM dispositions WHERE campaign = 'Ventas->'",
            "select value1, value2, value3 from ccdata.dispositions where campaign='Ventas->';",
            "SELECT\n  VALUE1 ,VALUE2,value3\nFROM dispositions\nWHERE campaign = 'Ventas->' ;",
        ] {
            assert_eq!(
                dispositions_campaign(sql).as_deref(),
                Some("Ventas->"),
                "{sql}"
            );
        }
        let quoted = "SELECT value1,value2,value3 FROM dispositions WHERE campaign = 'O''Brien->'";
        assert_eq!(dispositions_campaign(quoted).as_deref(), Some("O'Brien->"));
    }

    #[test]
    fn anything_else_is_refused() {
        for sql in [
            "DELETE FROM dispositions",
            "SELECT * FROM dispositions WHERE campaign = 'Ventas->'",
            "SELECT value1,value2,value3 FROM users WHERE campaign = 'Ventas->'",
            "SELECT value1,value2,value3 FROM dispositions WHERE campaign = 'x' OR '1'='1'",
            "SELECT value1,value2,value3 FROM dispositions WHERE campaign = 'x'; DROP TABLE x; --'",
            "SELECT value1,value2,value3 FROM dispositions WHERE campaign = 'x' -- '",
            "SELECT value1,value2,value3 FROM dispositions WHERE campaign = 'x\\'",
            "SELECT value1,value2,value3 FROM dispositions WHERE campaign = 'unterminated",
            "UPDATE dispositions SET value1 = 'x' WHERE campaign = 'Ventas->'",
            "",
        ] {
            assert_eq!(dispositions_campaign(sql), None, "{sql}");
        }
    }
}

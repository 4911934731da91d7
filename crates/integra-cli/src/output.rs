//! Printing results on stdout: a line or an aligned table for people, JSON with `--json` for scripts.
//! Errors never come here; they go to stderr (see `main.rs`).

use serde::Serialize;
use serde_json::{json, Value};

/// Where results go.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// `--json` was given.
    pub json: bool,
}

impl Output {
    /// Prints `value` as JSON, or what `human` renders.
    pub fn show(&self, value: &impl Serialize, human: impl FnOnce() -> String) {
        if self.json {
            let text = serde_json::to_string_pretty(value)
                .unwrap_or_else(|e| json!({ "error": e.to_string() }).to_string());
            println!("{text}");
        } else {
            println!("{}", human());
        }
    }

    /// Confirms an action: `message` for people; `{"ok": true, "message": …, …details}` with `--json`.
    pub fn done(&self, message: &str, details: Value) {
        let mut value = json!({ "ok": true, "message": message });
        if let (Value::Object(target), Value::Object(extra)) = (&mut value, details) {
            target.extend(extra);
        }
        self.show(&value, || message.to_string());
    }
}

/// Lays out rows as columns aligned on the widest cell, two spaces apart.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut out = vec![line(header.to_vec())];
    out.extend(
        rows.iter()
            .map(|r| line(r.iter().map(String::as_str).collect())),
    );
    out.join("\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_aligns_columns_by_characters_not_bytes() {
        let t = super::table(
            &["queue", "calls"],
            &[
                vec!["Ventas->".into(), "3".into()],
                vec!["Buzón".into(), "12".into()],
            ],
        );
        assert_eq!(t, "queue     calls\nVentas->  3\nBuzón     12");
    }
}

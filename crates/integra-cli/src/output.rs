//! Printing results: a readable line or table by default, JSON with `--json`.

use serde::Serialize;

/// Where results go.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// `--json` was given.
    pub json: bool,
}

impl Output {
    /// Prints `value` as JSON, or `human` otherwise.
    pub fn show(&self, value: &impl Serialize, human: impl FnOnce() -> String) {
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into())
            );
        } else {
            println!("{}", human());
        }
    }

    /// Prints a confirmation of an action: `{"ok":true,...}` with `--json`.
    pub fn done(&self, what: &str) {
        self.show(&serde_json::json!({ "ok": true, "done": what }), || {
            what.to_string()
        });
    }
}

/// Lays out rows as aligned columns.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
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
    fn table_aligns_columns() {
        let t = super::table(
            &["queue", "calls"],
            &[
                vec!["Ventas->".into(), "3".into()],
                vec!["x".into(), "12".into()],
            ],
        );
        assert_eq!(t, "queue     calls\nVentas->  3\nx         12");
    }
}

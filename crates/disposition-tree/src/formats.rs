//! Tree files as a shared source publishes them: TOML or JSON, one campaign per file or one file for all.
//!
//! - TOML, one tree: the `dispositions/` format (`campaign = …`, `[[l1]]`, …); many: `[[trees]]` entries of it.
//! - JSON, one tree: `{"campaign": "Ventas->", "l1": [{"name": "Contactado", "l2": [...]}]}`; many: an array of
//!   those, or `{"trees": [...]}`. Keys and rules are the TOML file's (`l1`/`l2`/`l3`, `name`, `action`).

use serde::Deserialize;

use super::{invalid, DispositionTree, FileTree};
use agent_error::{Phrase, Result};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Many {
    trees: Vec<FileTree>,
}

/// True when the text is JSON (an object, or an array of objects); TOML otherwise, even when it starts with a
/// `[table]` header.
fn looks_like_json(text: &str) -> bool {
    let mut rest = text.trim_start().chars();
    match rest.next() {
        Some('{') => true,
        Some('[') => matches!(
            rest.find(|c: &char| !c.is_whitespace()),
            Some('{') | Some(']')
        ),
        _ => false,
    }
}

/// Every tree in one file's text, validated; `source` names the file in errors. Two trees for one campaign in a
/// file are refused.
pub fn parse_trees(source: &str, text: &str) -> Result<Vec<DispositionTree>> {
    let files: Vec<FileTree> = if looks_like_json(text) {
        let json = |e: serde_json::Error| {
            invalid(
                source,
                Phrase::new("error.tree.json")
                    .with("source", source)
                    .with("detail", e.to_string()),
                format!("not valid JSON: {e}"),
            )
        };
        match serde_json::from_str::<serde_json::Value>(text).map_err(json)? {
            serde_json::Value::Array(_) => serde_json::from_str(text).map_err(json)?,
            serde_json::Value::Object(o) if o.contains_key("trees") => {
                serde_json::from_str::<Many>(text).map_err(json)?.trees
            }
            _ => vec![serde_json::from_str(text).map_err(json)?],
        }
    } else {
        let toml_err = |e: toml::de::Error| {
            invalid(
                source,
                Phrase::new("error.tree.file")
                    .with("source", source)
                    .with("detail", e.message()),
                e.message().to_string(),
            )
        };
        let table: toml::Table = toml::from_str(text).map_err(toml_err)?;
        if table.contains_key("trees") {
            toml::from_str::<Many>(text).map_err(toml_err)?.trees
        } else {
            vec![toml::from_str(text).map_err(toml_err)?]
        }
    };
    let mut trees: Vec<DispositionTree> = Vec::new();
    for file in files {
        let tree = DispositionTree::from_file(source, file)?;
        if trees.iter().any(|t| t.campaign == tree.campaign) {
            return Err(invalid(
                source,
                Phrase::new("error.tree.second")
                    .with("source", source)
                    .with("campaign", tree.campaign.as_str()),
                format!("a second tree for {}", tree.campaign),
            ));
        }
        trees.push(tree);
    }
    Ok(trees)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DialerAction;

    #[test]
    fn toml_and_json_one_or_many_give_the_same_trees() {
        let one_toml = "campaign = \"V->\"\n[[l1]]\nname = \"A\"\naction = \"SCHEDULE\"\n";
        let many_toml =
            "[[trees]]\ncampaign = \"V->\"\n[[trees.l1]]\nname = \"A\"\naction = \"SCHEDULE\"\n\
                         [[trees]]\ncampaign = \"C->\"\n[[trees.l1]]\nname = \"B\"\n";
        let one_json = r#"{"campaign": "V->", "l1": [{"name": "A", "action": "SCHEDULE"}]}"#;
        let many_json = r#"[{"campaign": "V->", "l1": [{"name": "A", "action": "SCHEDULE"}]},
                            {"campaign": "C->", "l1": [{"name": "B"}]}]"#;
        let wrapped =
            r#"{"trees": [{"campaign": "V->", "l1": [{"name": "A", "action": "SCHEDULE"}]}]}"#;
        let v = &parse_trees("one.toml", one_toml).unwrap()[0];
        assert_eq!(
            v.leaf(&["A".into()]).unwrap().action,
            Some(DialerAction::Schedule)
        );
        for text in [many_toml, one_json, many_json, wrapped] {
            assert_eq!(&parse_trees("f", text).unwrap()[0], v, "{text}");
        }
        assert_eq!(parse_trees("f", many_json).unwrap()[1].campaign, "C->");
    }

    #[test]
    fn broken_files_say_where_and_why() {
        let err = parse_trees("all.json", "{\"campaign\": \"V->\", \"l1\": [").unwrap_err();
        assert!(
            err.to_string().starts_with("all.json: not valid JSON"),
            "{err}"
        );
        let err = parse_trees(
            "all.json",
            r#"[{"campaign": "V->", "l1": [{"name": "A", "colour": 1}]}]"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
        let twice = r#"[{"campaign": "V->", "l1": [{"name": "A"}]}, {"campaign": "V->", "l1": [{"name": "B"}]}]"#;
        assert!(parse_trees("f", twice)
            .unwrap_err()
            .to_string()
            .contains("a second tree for V->"));
        assert!(parse_trees("f", "[[trees]]\ncampaign = \"\"\n").is_err());
    }
}

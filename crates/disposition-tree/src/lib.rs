//! Disposition trees: level 1 → level 2 → level 3 per campaign, from one TOML file per campaign in the config
//! folder's `dispositions/` (uContact has no endpoint that lists them). Leaves may carry a dialer action.
//!
//! ```toml
//! campaign = "Ventas->"
//! [[l1]]
//! name = "Contactado"
//!   [[l1.l2]]
//!   name = "Venta"
//!     [[l1.l2.l3]]
//!     name = "Tarjeta"
//! [[l1]]
//! name = "Volver a llamar"
//!   [[l1.l2]]
//!   name = "Agendar"
//!   action = "SCHEDULE"
//! ```
//!
//! Sample trees, also the demo's and the benchmark's: `examples/dispositions/` in this crate.

use serde::{Deserialize, Serialize};

use agent_error::{AgentError, ErrorCode, Phrase, Result};

mod catalog;
mod formats;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
mod set;
mod sources;

pub use catalog::{OriginKind, Remote, Sourced, TreeOrigin};
pub use formats::parse_trees;
pub use set::{folder_stamp, TreeSet};
pub use sources::{http_client, TreeSources};

/// A dialer action a leaf triggers after its disposition is filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DialerAction {
    /// Open the respool editor.
    Respool,
    /// Promote the next alternative number, retries 0 (uContact's spelling, no underscore).
    #[serde(rename = "RESPOOLALTERNATIVE")]
    RespoolAlternative,
    /// Add the number to this campaign's blacklist.
    Blacklist,
    /// Add the number to every campaign's blacklist (`*`).
    BlacklistAll,
    /// Call again at a chosen date-time.
    Schedule,
}

/// A node of the tree, at any level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// The code's label, sent as l1, l2 or l3.
    pub name: String,
    /// Action of a leaf.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<DialerAction>,
    /// The next level (empty for a leaf).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

/// One campaign's tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispositionTree {
    /// The campaign.
    pub campaign: String,
    /// Level 1 codes.
    pub levels: Vec<Node>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileTree {
    campaign: String,
    #[serde(default)]
    l1: Vec<FileL1>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileL1 {
    name: String,
    action: Option<DialerAction>,
    #[serde(default)]
    l2: Vec<FileL2>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileL2 {
    name: String,
    action: Option<DialerAction>,
    #[serde(default)]
    l3: Vec<FileL3>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileL3 {
    name: String,
    action: Option<DialerAction>,
}

/// A problem of the tree file `source`: `phrase` (whose `{source}` is `source`) and its English `message`, without
/// the file's name.
fn invalid(source: &str, phrase: Phrase, message: String) -> AgentError {
    AgentError::phrased(
        ErrorCode::InvalidTree,
        phrase,
        format!("{source}: {message}"),
    )
}

impl DispositionTree {
    /// Parses and validates one tree file's text; `source` names it in errors.
    pub fn parse(source: &str, text: &str) -> Result<Self> {
        let file: FileTree = toml::from_str(text).map_err(|e| {
            invalid(
                source,
                Phrase::new("error.tree.file")
                    .with("source", source)
                    .with("detail", e.message()),
                e.message().to_string(),
            )
        })?;
        Self::from_file(source, file)
    }

    /// A tree from a file's parsed form (TOML or JSON), validated; `source` names it in errors.
    pub(crate) fn from_file(source: &str, file: FileTree) -> Result<Self> {
        let node = |name: String, action, children| Node {
            name: name.trim().to_string(),
            action,
            children,
        };
        let levels = file
            .l1
            .into_iter()
            .map(|a| {
                let l2 =
                    a.l2.into_iter()
                        .map(|b| {
                            node(
                                b.name,
                                b.action,
                                b.l3.into_iter()
                                    .map(|c| node(c.name, c.action, vec![]))
                                    .collect(),
                            )
                        })
                        .collect();
                node(a.name, a.action, l2)
            })
            .collect();
        let tree = DispositionTree {
            campaign: file.campaign.trim().to_string(),
            levels,
        };
        tree.validate(source)?;
        Ok(tree)
    }

    /// A tree from the dispositions table's rows (value1, value2, value3), as FormGet returns them.
    pub fn from_rows(campaign: &str, rows: &[(String, String, String)]) -> Self {
        let mut levels: Vec<Node> = Vec::new();
        for (v1, v2, v3) in rows {
            let path = [v1, v2, v3]
                .into_iter()
                .map(|v| v.trim())
                .take_while(|v| !v.is_empty());
            let mut siblings = &mut levels;
            for name in path {
                let index = match siblings.iter().position(|n| n.name == name) {
                    Some(i) => i,
                    None => {
                        siblings.push(Node {
                            name: name.to_string(),
                            action: None,
                            children: vec![],
                        });
                        siblings.len() - 1
                    }
                };
                siblings = &mut siblings[index].children;
            }
        }
        DispositionTree {
            campaign: campaign.to_string(),
            levels,
        }
    }

    fn validate(&self, source: &str) -> Result<()> {
        if self.campaign.is_empty() {
            return Err(invalid(
                source,
                Phrase::new("error.tree.no_campaign").with("source", source),
                "campaign is empty".into(),
            ));
        }
        if self.levels.is_empty() {
            return Err(invalid(
                source,
                Phrase::new("error.tree.no_levels").with("source", source),
                "it has no level-1 codes ([[l1]] entries)".into(),
            ));
        }
        fn check(source: &str, nodes: &[Node], path: &str) -> Result<()> {
            let mut seen = std::collections::HashSet::new();
            for node in nodes {
                let here = if path.is_empty() {
                    node.name.clone()
                } else {
                    format!("{path} → {}", node.name)
                };
                if node.name.is_empty() {
                    return Err(invalid(
                        source,
                        Phrase::new("error.tree.empty_name")
                            .with("source", source)
                            .with("path", path),
                        format!("a code under \"{path}\" has an empty name"),
                    ));
                }
                if node.name.contains('|') {
                    return Err(invalid(
                        source,
                        Phrase::new("error.tree.pipe")
                            .with("source", source)
                            .with("code", here.as_str()),
                        format!("\"{here}\": '|' is reserved (tags are l1|l2|l3)"),
                    ));
                }
                if !seen.insert(node.name.to_lowercase()) {
                    return Err(invalid(
                        source,
                        Phrase::new("error.tree.twice")
                            .with("source", source)
                            .with("code", here.as_str()),
                        format!("\"{here}\" appears twice at the same level"),
                    ));
                }
                if node.action.is_some() && !node.children.is_empty() {
                    return Err(invalid(
                        source,
                        Phrase::new("error.tree.action_on_branch")
                            .with("source", source)
                            .with("code", here.as_str()),
                        format!(
                            "\"{here}\" has an action but also sub-codes: actions go on leaves"
                        ),
                    ));
                }
                check(source, &node.children, &here)?;
            }
            Ok(())
        }
        check(source, &self.levels, "")
    }

    /// The children at `path` (names from level 1 down); the top level for an empty path.
    pub fn children(&self, path: &[String]) -> Option<&[Node]> {
        let mut nodes: &[Node] = &self.levels;
        for name in path {
            nodes = &nodes.iter().find(|n| &n.name == name)?.children;
        }
        Some(nodes)
    }

    /// The children at `path` whose name contains `query` (ignoring case and accents), in order; the UI numbers
    /// them 1–9 for number keys.
    pub fn filter(&self, path: &[String], query: &str) -> Vec<&Node> {
        let query = fold(query.trim());
        self.children(path)
            .unwrap_or(&[])
            .iter()
            .filter(|n| fold(&n.name).contains(&query))
            .collect()
    }

    /// The leaf at `path`, if `path` ends on one.
    pub fn leaf(&self, path: &[String]) -> Option<&Node> {
        let (last, parent) = path.split_last()?;
        let node = self.children(parent)?.iter().find(|n| &n.name == last)?;
        node.children.is_empty().then_some(node)
    }
}

/// Lower case without the accents Spanish uses, so "buzon" finds "Buzón".
fn fold(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../examples/dispositions/Ventas.toml");

    #[test]
    fn the_documented_example_loads() {
        let tree = DispositionTree::parse("Ventas.toml", EXAMPLE).unwrap();
        assert_eq!(tree.campaign, "Ventas->");
        let path = ["Contactado".to_string(), "Venta".to_string()];
        let names: Vec<_> = tree
            .children(&path)
            .unwrap()
            .iter()
            .map(|n| n.name.as_str())
            .collect();
        assert_eq!(names, ["Tarjeta", "Efectivo"]);
        let schedule = tree
            .leaf(&["Volver a llamar".into(), "Agendar".into()])
            .unwrap();
        assert_eq!(schedule.action, Some(DialerAction::Schedule));
    }

    #[test]
    fn filter_ignores_case_and_accents() {
        let tree = DispositionTree::parse("t", EXAMPLE).unwrap();
        let found: Vec<_> = tree
            .filter(&["No contactado".into()], "buzon")
            .iter()
            .map(|n| n.name.clone())
            .collect();
        assert_eq!(found, ["Buzón de voz"]);
        assert_eq!(tree.filter(&[], "").len(), tree.levels.len());
    }

    fn error_of(text: &str) -> String {
        DispositionTree::parse("t.toml", text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn each_invalid_tree_says_why() {
        assert!(error_of("campaign = \"\"\n[[l1]]\nname = \"A\"").contains("campaign is empty"));
        assert!(error_of("campaign = \"V->\"").contains("no level-1 codes"));
        assert!(
            error_of("campaign = \"V->\"\n[[l1]]\nname = \"A\"\n[[l1]]\nname = \"a\"")
                .contains("appears twice")
        );
        assert!(error_of("campaign = \"V->\"\n[[l1]]\nname = \"A\"\naction = \"SCHEDULE\"\n[[l1.l2]]\nname = \"B\"").contains("actions go on leaves"));
        assert!(
            error_of("campaign = \"V->\"\n[[l1]]\nname = \"A\"\naction = \"CALL_MOM\"")
                .contains("t.toml")
        );
        assert!(error_of("campaign = \"V->\"\n[[l1]]\nname = \"A|B\"").contains("reserved"));
        assert!(error_of("campaign = \"V->\"\n[[l1]]\nname = \" \"").contains("empty name"));
        assert!(error_of("campaign = \"V->\"\n[[l1]]\nname = \"A\"\n[[l1.l2]]\nname = \"B\"\n[[l1.l2.l3]]\nname = \"C\"\nl4 = 1").contains("l4"));
    }

    #[test]
    fn trees_from_table_rows_group_by_level() {
        let rows = vec![
            (
                "Contactado".to_string(),
                "Venta".to_string(),
                "Tarjeta".to_string(),
            ),
            (
                "Contactado".to_string(),
                "Venta".to_string(),
                "Efectivo".to_string(),
            ),
            (
                "No contactado".to_string(),
                "Ocupado".to_string(),
                String::new(),
            ),
        ];
        let tree = DispositionTree::from_rows("Ventas->", &rows);
        assert_eq!(tree.levels.len(), 2);
        assert_eq!(
            tree.children(&["Contactado".into(), "Venta".into()])
                .unwrap()
                .len(),
            2
        );
        assert!(tree
            .leaf(&["No contactado".into(), "Ocupado".into()])
            .is_some());
    }
}

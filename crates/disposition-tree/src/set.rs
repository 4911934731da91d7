//! Every campaign's disposition tree, loaded from the config folder's `dispositions/*.toml`, with the files that
//! were refused and a cheap fingerprint of the folder to notice edits.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{invalid, DialerAction, DispositionTree, OriginKind, TreeOrigin};
use agent_error::Phrase;

/// Every campaign's tree from a folder, and what could not be loaded.
#[derive(Debug, Clone, Default)]
pub struct TreeSet {
    trees: BTreeMap<String, DispositionTree>,
    /// Files that were refused, with the reason (shown in settings; the rest still load).
    pub problems: Vec<String>,
    /// Where each campaign's tree came from, and when.
    pub origins: BTreeMap<String, TreeOrigin>,
}

impl TreeSet {
    /// Loads every `*.toml` in `dir`. A missing folder is an empty set.
    pub fn load_dir(dir: &Path) -> Self {
        let mut set = TreeSet::default();
        for path in tree_files(dir) {
            let source = path.display().to_string();
            let loaded = std::fs::read_to_string(&path)
                .map_err(|e| {
                    invalid(
                        &source,
                        Phrase::new("error.tree.file")
                            .with("source", source.as_str())
                            .with("detail", e.to_string()),
                        e.to_string(),
                    )
                })
                .and_then(|text| DispositionTree::parse(&source, &text));
            match loaded {
                Ok(tree) if set.trees.contains_key(&tree.campaign) => set
                    .problems
                    .push(format!("{source}: a second tree for {}", tree.campaign)),
                Ok(tree) => {
                    let changed = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
                    let origin = TreeOrigin {
                        kind: OriginKind::Local,
                        source: source.clone(),
                        updated: changed.map(chrono::DateTime::<chrono::Utc>::from),
                        from_cache: false,
                    };
                    set.origins.insert(tree.campaign.clone(), origin);
                    set.trees.insert(tree.campaign.clone(), tree);
                }
                Err(e) => set.problems.push(e.to_string()),
            }
        }
        set
    }

    /// Adds or replaces a tree (for example one read from the server).
    pub fn insert(&mut self, tree: DispositionTree) {
        self.trees.insert(tree.campaign.clone(), tree);
    }

    /// The tree of `campaign`.
    pub fn for_campaign(&self, campaign: &str) -> Option<&DispositionTree> {
        self.trees.get(campaign.trim())
    }

    /// The dialer action of the leaf at `path` (l1, l2, l3; empty levels ignored) in `campaign`'s tree, if any.
    pub fn action_for(&self, campaign: &str, path: &[&str]) -> Option<DialerAction> {
        let path: Vec<String> = path
            .iter()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        self.for_campaign(campaign)?.leaf(&path)?.action
    }

    /// Campaigns with a tree.
    pub fn campaigns(&self) -> impl Iterator<Item = &str> {
        self.trees.keys().map(String::as_str)
    }
}

fn tree_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

/// A cheap fingerprint of the folder (names, sizes, modification times) to notice edits without a watcher thread.
pub fn folder_stamp(dir: &Path) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    tree_files(dir)
        .into_iter()
        .map(|p| {
            let meta = std::fs::metadata(&p).ok();
            let stamp = (
                meta.as_ref().map(|m| m.len()).unwrap_or(0),
                meta.and_then(|m| m.modified().ok()),
            );
            (p, stamp.0, stamp.1)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../examples/dispositions/Ventas.toml");

    #[test]
    fn a_folder_loads_good_files_and_reports_bad_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Ventas.toml"), EXAMPLE).unwrap();
        std::fs::write(dir.path().join("broken.toml"), "campaign = ").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
        let before = folder_stamp(dir.path());
        let set = TreeSet::load_dir(dir.path());
        assert!(set.for_campaign("Ventas->").is_some());
        assert_eq!(set.problems.len(), 1);
        assert!(set.problems[0].contains("broken.toml"));
        std::fs::write(
            dir.path().join("broken.toml"),
            "campaign = \"X->\"\n[[l1]]\nname = \"A\"\n",
        )
        .unwrap();
        assert_ne!(
            folder_stamp(dir.path()),
            before,
            "an edit changes the stamp"
        );
        assert!(TreeSet::load_dir(dir.path()).for_campaign("X->").is_some());
        assert!(TreeSet::load_dir(&dir.path().join("missing"))
            .for_campaign("Ventas->")
            .is_none());
    }

    #[test]
    fn a_leafs_action_is_found_by_its_codes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Ventas.toml"), EXAMPLE).unwrap();
        let set = TreeSet::load_dir(dir.path());
        assert_eq!(
            set.action_for("Ventas->", &["No contactado", "Ocupado", ""]),
            Some(DialerAction::RespoolAlternative)
        );
        assert_eq!(
            set.action_for("Ventas->", &["Contactado", "Venta", "Tarjeta"]),
            None
        );
        assert_eq!(
            set.action_for("Otra->", &["No contactado", "Ocupado"]),
            None
        );
    }
}

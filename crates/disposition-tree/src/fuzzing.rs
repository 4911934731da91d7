//! The entry point for the `disposition_tree` fuzz target in `fuzz/` (the `fuzzing` feature): a tree file as an
//! administrator hands it to the app. Not a stable API and not part of the normal build: the function runs
//! [`DispositionTree::parse`] on raw bytes and panics when a tree breaks the rules `parse` promises; a plain parse
//! error is fine. The unit test below replays the committed corpus and regression inputs.

use std::collections::HashSet;

use crate::{DispositionTree, Node};

/// A fuzz target: takes any bytes, panics only when a property is broken.
pub type Target = fn(&[u8]);

/// Every target of this crate by its `cargo fuzz` name.
pub const TARGETS: &[(&str, Target)] = &[("disposition_tree", disposition_tree)];

/// A disposition tree file (files are read as UTF-8 text).
pub fn disposition_tree(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(tree) = DispositionTree::parse("fuzz.toml", text) else {
        return;
    };
    assert!(!tree.campaign.is_empty() && tree.campaign == tree.campaign.trim());
    assert!(!tree.levels.is_empty(), "a tree without codes was accepted");
    fn check(nodes: &[Node], depth: usize) {
        assert!(depth <= 3 || nodes.is_empty(), "more than three levels");
        let mut seen = HashSet::new();
        for node in nodes {
            assert!(!node.name.is_empty() && node.name == node.name.trim());
            assert!(
                !node.name.contains('|'),
                "{:?} would break the l1|l2|l3 tag",
                node.name
            );
            assert!(
                seen.insert(node.name.to_lowercase()),
                "{:?} twice",
                node.name
            );
            assert!(node.action.is_none() || node.children.is_empty());
            check(&node.children, depth + 1);
        }
    }
    check(&tree.levels, 1);
    let first = [tree.levels[0].name.clone()];
    let _ = (
        tree.filter(&[], text),
        tree.filter(&first, "a"),
        tree.leaf(&first),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_seeds_and_crashes_pass() {
        integra::fuzzing::replay_committed(TARGETS);
    }
}

//! Putting a campaign's tree together from its sources, in order: the server's table (names), the shared source
//! (names and leaf actions), the local `dispositions/` folder (a whole tree per campaign, over the others). The
//! last good remote copy is cached in the data folder, so an agent who starts offline still has the trees; a
//! source that fails is reported and its campaigns fall back to that copy — never to a silent empty tree.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::sources::{from_server, from_shared, Fetched};
use super::{DispositionTree, Node, TreeSet, TreeSources};

/// Where a campaign's tree came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OriginKind {
    /// The server's dispositions table: names only, no dialer actions.
    Server,
    /// The server's names with the shared file's leaf actions.
    ServerAndShared,
    /// The shared URL or folder.
    Shared,
    /// The local `dispositions/` folder (overrides the others).
    Local,
}

/// A tree with its source, as fetched (and as cached).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sourced {
    /// The tree.
    pub tree: DispositionTree,
    /// What gave it.
    pub kind: OriginKind,
    /// The URL or file (or `server`).
    pub source: String,
    /// When it was read from the source.
    pub fetched_at: DateTime<Utc>,
}

/// A campaign's tree source and age, for Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TreeOrigin {
    /// What gave it.
    pub kind: OriginKind,
    /// The URL, file or `server`.
    pub source: String,
    /// When it was read (a local file: when it was last changed).
    pub updated: Option<DateTime<Utc>>,
    /// The copy in use is the cached one: the source failed at the last look.
    pub from_cache: bool,
}

/// The remote trees (server and shared source) after the last look, with what failed.
#[derive(Debug, Clone, Default)]
pub struct Remote {
    /// Campaign → tree in use.
    pub trees: BTreeMap<String, Sourced>,
    /// Campaigns whose tree is the cached copy.
    pub from_cache: BTreeSet<String>,
    /// Sources that failed and anything they said, in words (shown in Settings, logged).
    pub problems: Vec<String>,
}

fn read_cache(file: &Path) -> BTreeMap<String, Sourced> {
    std::fs::read_to_string(file)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn write_cache(file: &Path, trees: &BTreeMap<String, Sourced>) -> std::io::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = file.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_vec_pretty(trees).unwrap_or_default())?;
    std::fs::rename(&tmp, file)
}

/// The shared file's leaf actions on the server's names (matched by path); leaves with an action the server's
/// table lacks are reported.
fn with_actions(
    names: &DispositionTree,
    file: &DispositionTree,
    source: &str,
    problems: &mut Vec<String>,
) -> DispositionTree {
    fn walk(
        nodes: &mut [Node],
        file: &[Node],
        path: &str,
        source: &str,
        problems: &mut Vec<String>,
    ) {
        for theirs in file {
            let here = if path.is_empty() {
                theirs.name.clone()
            } else {
                format!("{path} → {}", theirs.name)
            };
            match nodes
                .iter_mut()
                .find(|n| n.name.to_lowercase() == theirs.name.to_lowercase())
            {
                Some(ours) if ours.children.is_empty() => ours.action = theirs.action,
                Some(ours) => walk(
                    &mut ours.children,
                    &theirs.children,
                    &here,
                    source,
                    problems,
                ),
                None if theirs.action.is_some() || !theirs.children.is_empty() => {
                    problems.push(format!(
                        "{source}: \"{here}\" is not in the server's dispositions table; left out"
                    ))
                }
                None => {}
            }
        }
    }
    let mut tree = names.clone();
    walk(&mut tree.levels, &file.levels, "", source, problems);
    tree
}

impl Remote {
    /// The cached copy alone (at start, before the sources are asked).
    pub fn cached(cache_file: &Path) -> Self {
        let trees = read_cache(cache_file);
        Self {
            from_cache: trees.keys().cloned().collect(),
            trees,
            problems: Vec::new(),
        }
    }

    /// Asks the sources for `campaigns`: the server (when `server` is given and the settings allow) and the
    /// shared source. A campaign whose source failed keeps its cached copy; the good results replace the cache.
    pub async fn fetch(
        config: &TreeSources,
        campaigns: &[String],
        server: Option<&integra::Client>,
        http: &reqwest::Client,
        cache_file: &Path,
    ) -> Self {
        let server_part = match server {
            Some(client) if config.server => from_server(client, &config.dsn, campaigns).await,
            // Not signed in yet: the server was not asked, so its campaigns keep their cached copies.
            None if config.server => Fetched {
                failed: campaigns.iter().cloned().collect(),
                ..Fetched::default()
            },
            _ => Fetched::default(),
        };
        let shared = from_shared(config, campaigns, http).await;
        let now = Utc::now();
        let mut cache = read_cache(cache_file);
        let mut out = Remote::default();
        out.problems.extend(server_part.problems.iter().cloned());
        out.problems.extend(shared.problems.iter().cloned());
        let wanted: BTreeSet<String> = campaigns
            .iter()
            .cloned()
            .chain(shared.trees.keys().cloned())
            .chain(server_part.trees.keys().cloned())
            .collect();
        let mut fresh_ok = false;
        for campaign in wanted {
            let fresh = match (
                server_part.trees.get(&campaign),
                shared.trees.get(&campaign),
            ) {
                (Some((names, _)), Some((file, source))) => Some(Sourced {
                    tree: with_actions(names, file, source, &mut out.problems),
                    kind: OriginKind::ServerAndShared,
                    source: format!("server + {source}"),
                    fetched_at: now,
                }),
                (Some((names, source)), None) => Some(Sourced {
                    tree: names.clone(),
                    kind: OriginKind::Server,
                    source: source.clone(),
                    fetched_at: now,
                }),
                (None, Some((file, source))) => Some(Sourced {
                    tree: file.clone(),
                    kind: OriginKind::Shared,
                    source: source.clone(),
                    fetched_at: now,
                }),
                (None, None) => None,
            };
            let failed =
                server_part.failed.contains(&campaign) || shared.failed.contains(&campaign);
            match (failed, cache.get(&campaign), fresh) {
                // A source failed: the last good copy is better than half of it.
                (true, Some(cached), _) => {
                    out.from_cache.insert(campaign.clone());
                    out.trees.insert(campaign, cached.clone());
                }
                (true, None, Some(partial)) => {
                    out.trees.insert(campaign, partial);
                }
                (false, _, Some(good)) => {
                    cache.insert(campaign.clone(), good.clone());
                    out.trees.insert(campaign, good);
                    fresh_ok = true;
                }
                (_, _, None) => {}
            }
        }
        if fresh_ok {
            if let Err(e) = write_cache(cache_file, &cache) {
                out.problems.push(format!(
                    "the tree cache {} cannot be written: {e}",
                    cache_file.display()
                ));
            }
        }
        for campaign in &out.from_cache {
            out.problems.push(format!(
                "{campaign}: using the copy cached {}",
                out.trees[campaign].fetched_at.format("%Y-%m-%d %H:%M UTC")
            ));
        }
        out
    }

    /// Every campaign's tree: these remote ones, each replaced by a local file for its campaign, with the
    /// origins and all problems (remote and local). Campaigns in `expected` without a tree anywhere are
    /// reported too.
    pub fn with_local(&self, local_dir: &Path, expected: &[String]) -> TreeSet {
        let mut set = TreeSet::load_dir(local_dir);
        let mut problems = self.problems.clone();
        problems.append(&mut set.problems);
        for (campaign, sourced) in &self.trees {
            if set.for_campaign(campaign).is_some() {
                continue;
            }
            set.insert(sourced.tree.clone());
            set.origins.insert(
                campaign.clone(),
                TreeOrigin {
                    kind: sourced.kind,
                    source: sourced.source.clone(),
                    updated: Some(sourced.fetched_at),
                    from_cache: self.from_cache.contains(campaign),
                },
            );
        }
        for campaign in expected {
            let campaign = campaign.trim();
            if !campaign.is_empty() && set.for_campaign(campaign).is_none() {
                problems.push(format!(
                    "{campaign}: no disposition tree from the server, the shared source or {}",
                    local_dir.display()
                ));
            }
        }
        set.problems = problems;
        set
    }
}

//! Where disposition trees come from besides the local `dispositions/` folder: the server's `dispositions` table
//! (forms/FormGet: names only, read-only) and a shared source IT names — an `http(s)://` URL or a folder or file
//! path (a network share), one file per campaign (`{campaign}` in it) or one file for all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{parse_trees, DispositionTree};
use agent_error::{AgentError, ErrorCode, Phrase, Result};

/// The `[trees]` settings (usually set by the policy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TreeSources {
    /// Read the codes' names from the server's dispositions table (FormGet), when the user may.
    pub server: bool,
    /// The data source FormGet reads through (`Repo` on most servers).
    pub dsn: String,
    /// A URL or folder/file path with tree files (TOML or JSON); `{campaign}` in it means one file per campaign.
    /// Empty: none.
    pub shared: String,
}

impl Default for TreeSources {
    fn default() -> Self {
        Self {
            server: true,
            dsn: "Repo".into(),
            shared: String::new(),
        }
    }
}

/// What a campaign name keeps unencoded in a URL path segment (RFC 3986's unreserved characters).
const UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The placeholder for one file per campaign.
const PER_CAMPAIGN: &str = "{campaign}";

impl TreeSources {
    /// Checks what a hand-edited file or a policy could get wrong, naming the key.
    pub fn validate(&self) -> Result<()> {
        let shared = self.shared.trim();
        let scheme = shared
            .split_once("://")
            .map(|(s, _)| s.to_ascii_lowercase());
        match scheme.as_deref() {
            None | Some("http") | Some("https") => Ok(()),
            Some(other) => Err(AgentError::phrased(
                ErrorCode::InvalidSettings,
                Phrase::new("error.tree.shared_scheme")
                    .with("value", format!("{shared:?}"))
                    .with("scheme", other),
                format!("trees.shared = {shared:?}: {other}:// is not supported; use https://, http:// or a folder path"),
            )),
        }
    }

    fn is_url(&self) -> bool {
        let s = self.shared.trim().to_ascii_lowercase();
        s.starts_with("http://") || s.starts_with("https://")
    }
}

/// Trees one source gave, and whether it failed (then the cached copy is used).
#[derive(Debug, Default)]
pub(crate) struct Fetched {
    /// Campaign → tree and where it came from (a URL or file).
    pub trees: BTreeMap<String, (DispositionTree, String)>,
    /// Campaigns the source could not answer for (all of them when the source is down).
    pub failed: BTreeSet<String>,
    /// The source failed as a whole (a down server or share); per-campaign failures are in `failed`.
    pub down: bool,
    /// What went wrong, in words.
    pub problems: Vec<String>,
}

/// The server's rows of each campaign; a campaign without rows has no tree there. The first error stops the
/// reading (a user without FormGet rights gets the same answer for every campaign).
pub(crate) async fn from_server(
    client: &integra::Client,
    dsn: &str,
    campaigns: &[String],
) -> Fetched {
    let mut out = Fetched::default();
    for (i, campaign) in campaigns.iter().enumerate() {
        match client
            .disposition_rows(&integra::Campaign::new(campaign.as_str()), dsn)
            .await
        {
            Ok(rows) if rows.is_empty() => {}
            Ok(rows) => {
                let rows: Vec<_> = rows
                    .into_iter()
                    .map(|r| (r.value1, r.value2, r.value3))
                    .collect();
                let tree = DispositionTree::from_rows(campaign, &rows);
                out.trees.insert(campaign.clone(), (tree, "server".into()));
            }
            Err(err) => {
                out.problems.push(format!(
                    "the server's dispositions table (forms/FormGet, dsn {dsn}): {err}"
                ));
                out.failed.extend(campaigns[i..].iter().cloned());
                out.down = true;
                break;
            }
        }
    }
    out
}

/// An HTTP client for a shared URL: TLS always verified, the private CA of the settings trusted, bounded waits,
/// and the same proxy as the API client (`[proxy]`).
pub fn http_client(
    ca_certificate: Option<&Path>,
    proxy: &integra::proxy::ProxyConfig,
) -> Result<reqwest::Client> {
    let builder = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(15));
    let mut builder = proxy.apply(builder)?;
    if let Some(path) = ca_certificate {
        let pem = std::fs::read(path).map_err(|e| {
            AgentError::phrased(
                ErrorCode::InvalidSettings,
                Phrase::new("error.tree.ca_certificate")
                    .with("path", path.display().to_string())
                    .with("detail", e.to_string()),
                format!("ca_certificate {}: {e}", path.display()),
            )
        })?;
        for cert in reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
            AgentError::phrased(
                ErrorCode::InvalidSettings,
                Phrase::new("error.tree.ca_certificate")
                    .with("path", path.display().to_string())
                    .with("detail", e.to_string()),
                format!("ca_certificate {}: {e}", path.display()),
            )
        })? {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder
        .build()
        .map_err(|e| AgentError::new(ErrorCode::InvalidSettings, e.to_string()))
}

/// One location's text: `Ok(None)` when it does not exist (a campaign without its own file).
async fn read(
    http: &reqwest::Client,
    location: &str,
    is_url: bool,
) -> std::result::Result<Option<String>, String> {
    if !is_url {
        return match std::fs::read_to_string(location) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.to_string()),
        };
    }
    let answer = http.get(location).send().await.map_err(|e| {
        let what = if e.is_timeout() {
            "no answer in time"
        } else if e.is_connect() {
            "cannot connect"
        } else {
            "request failed"
        };
        format!("{what} ({e})")
    })?;
    match answer.status() {
        reqwest::StatusCode::NOT_FOUND => Ok(None),
        status if status.is_success() => answer.text().await.map(Some).map_err(|e| e.to_string()),
        status => Err(format!("the server answered HTTP {status}")),
    }
}

/// The trees of the shared source for `campaigns` (per-campaign files) or all it has (one file, a folder).
pub(crate) async fn from_shared(
    config: &TreeSources,
    campaigns: &[String],
    http: &reqwest::Client,
) -> Fetched {
    let spec = config.shared.trim();
    let mut out = Fetched::default();
    if spec.is_empty() {
        return out;
    }
    let is_url = config.is_url();
    let mut locations: Vec<(String, Option<String>)> = Vec::new();
    if spec.contains(PER_CAMPAIGN) {
        for campaign in campaigns {
            let name = if is_url {
                percent_encoding::utf8_percent_encode(campaign, UNRESERVED).to_string()
            } else {
                campaign.replace(['/', '\\'], "_")
            };
            locations.push((spec.replace(PER_CAMPAIGN, &name), Some(campaign.clone())));
        }
    } else if !is_url && Path::new(spec).is_dir() {
        locations.extend(
            folder_files(Path::new(spec))
                .into_iter()
                .map(|p| (p.display().to_string(), None)),
        );
    } else {
        locations.push((spec.to_string(), None));
    }
    for (location, campaign) in locations {
        let fail = |out: &mut Fetched, why: String| {
            out.problems.push(format!("{location}: {why}"));
            match &campaign {
                Some(c) => {
                    out.failed.insert(c.clone());
                }
                None => {
                    out.failed.extend(campaigns.iter().cloned());
                    out.down = true;
                }
            }
        };
        match read(http, &location, is_url).await {
            Ok(None) if campaign.is_some() => {}
            Ok(None) => fail(&mut out, "not found".into()),
            Err(why) => fail(&mut out, why),
            Ok(Some(text)) => match parse_trees(&location, &text) {
                Ok(trees) => {
                    for tree in trees {
                        if campaign.as_ref().is_some_and(|c| c != &tree.campaign) {
                            out.problems.push(format!(
                                "{location}: the file is for {}, not {}; ignored",
                                tree.campaign,
                                campaign.as_deref().unwrap_or_default()
                            ));
                            continue;
                        }
                        out.trees
                            .insert(tree.campaign.clone(), (tree, location.clone()));
                    }
                }
                Err(e) => {
                    out.problems.push(e.to_string());
                    match &campaign {
                        Some(c) => {
                            out.failed.insert(c.clone());
                        }
                        None => {
                            out.failed.extend(campaigns.iter().cloned());
                            out.down = true;
                        }
                    }
                }
            },
        }
    }
    out
}

fn folder_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json"))
        .collect();
    files.sort();
    files
}

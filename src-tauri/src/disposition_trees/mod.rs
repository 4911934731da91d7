//! Disposition trees in the shell: the remote ones (server, shared source; or their cached copy) with the local
//! folder's over them. The local folder is re-read when a file changes — checked as each call starts and whenever
//! the window asks for a tree, and cheap (a directory listing), so no watcher thread is needed. The remote sources
//! are asked after a sign-in, when the settings change, from Settings' *Refresh*, and every half hour. Each new set
//! is told to the window (`trees` event), which keeps the trees it was given until then: one read per campaign,
//! not one per call.

pub mod commands;

use std::time::Duration;

use agent::filing::LeafActions;
use agent::settings::{Paths, Settings};
use disposition_tree::{
    folder_stamp, http_client, DialerAction, DispositionTree, Remote, TreeOrigin, TreeSet,
};
use parking_lot::{Mutex, RwLock};
use tauri::{AppHandle, Manager};

use crate::state::AppState;

type Stamp = Vec<(std::path::PathBuf, u64, Option<std::time::SystemTime>)>;

/// The trees' one owner (in [`AppState`]): the set in use, the remote trees it was built from, and the local
/// folder as last looked at.
pub struct DispositionTrees {
    in_use: RwLock<TreeSet>,
    remote: RwLock<Remote>,
    folder_seen: Mutex<Option<Stamp>>,
}

impl DispositionTrees {
    /// The last good copy of the remote trees first, so an agent who starts offline has the trees; the sources are
    /// asked later ([`watch`]).
    pub fn load(paths: &Paths, settings: &Settings) -> Self {
        let remote = Remote::cached(&paths.tree_cache_file());
        let in_use = assemble(paths, &remote, settings);
        Self {
            in_use: RwLock::new(in_use),
            remote: RwLock::new(remote),
            folder_seen: Mutex::new(None),
        }
    }

    /// The tree of `campaign`, if one is known.
    pub fn for_campaign(&self, campaign: &str) -> Option<DispositionTree> {
        self.in_use.read().for_campaign(campaign).cloned()
    }

    /// The problems found in the tree files.
    pub fn problems(&self) -> Vec<String> {
        self.in_use.read().problems.clone()
    }

    /// Where each campaign's tree came from, and the problems found.
    pub fn origins(&self) -> (std::collections::BTreeMap<String, TreeOrigin>, Vec<String>) {
        let set = self.in_use.read();
        (set.origins.clone(), set.problems.clone())
    }
}

impl LeafActions for DispositionTrees {
    fn action_for(&self, campaign: &str, codes: &[&str; 3]) -> Option<DialerAction> {
        self.in_use.read().action_for(campaign, codes)
    }
}

/// The campaigns whose trees are asked for: the settings' list and the default one.
pub fn campaigns(settings: &Settings) -> Vec<String> {
    let mut list: Vec<String> = settings
        .campaigns
        .iter()
        .chain(std::iter::once(&settings.default_campaign))
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    list.dedup();
    list
}

/// The trees in use from `remote` and the local folder; every problem is logged.
pub fn assemble(paths: &Paths, remote: &Remote, settings: &Settings) -> TreeSet {
    let set = remote.with_local(&paths.trees_dir(), &campaigns(settings));
    for problem in &set.problems {
        tracing::warn!(%problem, "disposition trees");
    }
    set
}

fn rebuild(app: &AppHandle) {
    let state = app.state::<AppState>();
    let remote = state.trees.remote.read().clone();
    let set = assemble(&state.paths, &remote, &state.settings());
    *state.trees.in_use.write() = set;
    crate::events::emit(app, crate::events::TREES, ());
}

/// Rebuilds the trees if the local folder changed since the last look.
pub fn reload_if_changed(app: &AppHandle) {
    let state = app.state::<AppState>();
    let now = folder_stamp(&state.paths.trees_dir());
    let mut seen = state.trees.folder_seen.lock();
    if seen.as_ref() == Some(&now) {
        return;
    }
    rebuild(app);
    *seen = Some(now);
}

/// Asks the remote sources again (the server only when signed in) and rebuilds the trees.
pub async fn refresh(app: &AppHandle) {
    let state = app.state::<AppState>();
    let settings = state.settings();
    // The same proxy as the API client (its password, when there is one, from the keychain).
    let secrets = state.secrets.clone();
    let proxy_settings = settings.proxy.clone();
    let proxy = crate::commands::blocking(move || proxy_settings.to_config(&*secrets)).await;
    let http = match proxy
        .and_then(|proxy| http_client(settings.ca_certificate_path().as_deref(), &proxy))
    {
        Ok(http) => http,
        Err(err) => {
            tracing::warn!(%err, "disposition trees: no HTTP client");
            return;
        }
    };
    let client = state
        .signed_in
        .read()
        .await
        .as_ref()
        .map(|l| l.session.client.clone());
    let remote = Remote::fetch(
        &settings.trees,
        &campaigns(&settings),
        client.as_ref(),
        &http,
        &state.paths.tree_cache_file(),
    )
    .await;
    *state.trees.remote.write() = remote;
    rebuild(app);
}

/// Refreshes now and then every half hour, for the whole run.
pub fn watch(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            refresh(&app).await;
            tokio::time::sleep(Duration::from_secs(30 * 60)).await;
        }
    });
}

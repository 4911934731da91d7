//! Disposition trees in the shell: the remote ones (server, shared source; or their cached copy) with the local
//! folder's over them. The local folder is re-read when a file changes — checked as each call starts and whenever
//! the window asks for a tree, and cheap (a directory listing), so no watcher thread is needed. The remote sources
//! are asked after a sign-in, when the settings change, from Settings' *Refresh*, and every half hour. Each new set
//! is told to the window (`trees` event), which keeps the trees it was given until then: one read per campaign,
//! not one per call.

use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use agent::settings::{Paths, Settings};
use disposition_tree::{folder_stamp, http_client, Remote, TreeSet};
use tauri::{AppHandle, Manager};

use crate::state::AppState;

type Stamp = Vec<(std::path::PathBuf, u64, Option<std::time::SystemTime>)>;

fn last() -> &'static Mutex<Option<Stamp>> {
    static LAST: OnceLock<Mutex<Option<Stamp>>> = OnceLock::new();
    LAST.get_or_init(|| Mutex::new(None))
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
    let remote = state
        .remote_trees
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let set = assemble(&state.paths, &remote, &state.settings());
    *state.trees.write().unwrap_or_else(|p| p.into_inner()) = set;
    crate::events::emit(app, crate::events::TREES, ());
}

/// Rebuilds the trees if the local folder changed since the last look.
pub fn reload_if_changed(app: &AppHandle) {
    let state = app.state::<AppState>();
    let now = folder_stamp(&state.paths.trees_dir());
    let mut seen = last().lock().unwrap_or_else(|p| p.into_inner());
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
        .live
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
    *state
        .remote_trees
        .write()
        .unwrap_or_else(|p| p.into_inner()) = remote;
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

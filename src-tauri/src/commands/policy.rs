//! The machine-wide policy and where the disposition trees come from, for Settings.

use std::collections::BTreeMap;

use agent::policy::PolicyView;
use disposition_tree::TreeOrigin;
use serde::Serialize;
use tauri::{AppHandle, State};

use super::CommandResult;
use crate::state::AppState;

/// The policy as read: file, presets, locks and the parts refused.
#[tauri::command]
pub async fn policy_status(state: State<'_, AppState>) -> CommandResult<PolicyView> {
    Ok(state.policy.view())
}

/// Each campaign's tree source and age, and every source's problems.
#[derive(Debug, Serialize)]
pub struct TreeSourcesView {
    /// Campaign → where its tree came from.
    pub origins: BTreeMap<String, TreeOrigin>,
    /// Sources that failed, files refused, campaigns without a tree.
    pub problems: Vec<String>,
}

fn view(app: &AppHandle, state: &AppState) -> TreeSourcesView {
    crate::trees::reload_if_changed(app);
    let trees = state.trees.read().unwrap_or_else(|p| p.into_inner());
    TreeSourcesView {
        origins: trees.origins.clone(),
        problems: trees.problems.clone(),
    }
}

/// Where each campaign's tree comes from now.
#[tauri::command]
pub async fn tree_sources(
    app: AppHandle,
    state: State<'_, AppState>,
) -> CommandResult<TreeSourcesView> {
    Ok(view(&app, &state))
}

/// Asks the tree sources again, then says where each tree comes from.
#[tauri::command]
pub async fn refresh_trees(
    app: AppHandle,
    state: State<'_, AppState>,
) -> CommandResult<TreeSourcesView> {
    crate::trees::refresh(&app).await;
    Ok(view(&app, &state))
}

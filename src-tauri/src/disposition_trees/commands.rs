//! Disposition trees from the window: a campaign's tree, the problems in the tree files, and where each tree
//! comes from (Settings).

use std::collections::BTreeMap;

use agent_error::{AgentError, ErrorCode, IpcError};
use disposition_tree::{DispositionTree, TreeOrigin};
use serde::Serialize;
use tauri::{AppHandle, State};

use crate::commands::CommandResult;
use crate::state::AppState;

/// The disposition tree of a campaign (reloaded from the folder when a file changed).
#[tauri::command]
pub async fn disposition_tree(
    app: AppHandle,
    state: State<'_, AppState>,
    campaign: String,
) -> CommandResult<Option<DispositionTree>> {
    super::reload_if_changed(&app);
    Ok(state.trees.for_campaign(&campaign))
}

/// Problems found in the disposition tree files, one `{code: invalid_tree, message}` each.
#[tauri::command]
pub async fn tree_problems(state: State<'_, AppState>) -> CommandResult<Vec<IpcError>> {
    let problems = state.trees.problems().into_iter();
    Ok(problems
        .map(|problem| AgentError::new(ErrorCode::InvalidTree, problem).into())
        .collect())
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
    super::reload_if_changed(app);
    let (origins, problems) = state.trees.origins();
    TreeSourcesView { origins, problems }
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
    super::refresh(&app).await;
    Ok(view(&app, &state))
}

//! "Save a support report" (Settings and the tray): gathers what the shell knows — versions, the settings and
//! policy in effect, the outbox's counts, the connection light, the hotkeys — and has `support_report` write the
//! zip with every personal or secret value left out. The keychain is never read for it.

use std::path::PathBuf;

use agent_error::AgentError;
use support_report::{self as support, Redactor, ReportParts};
use tauri::{AppHandle, Manager};

use crate::commands::{blocking, CommandResult};
use crate::state::AppState;

/// Where reports go: `UCAC_REPORT_DIR`, else the Downloads folder (XDG's, Windows' and macOS' own, through
/// Tauri's path resolver), else the home folder, else the temporary folder.
fn report_dir(app: &AppHandle) -> PathBuf {
    let paths = app.path();
    std::env::var_os("UCAC_REPORT_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| paths.download_dir().ok().filter(|d| d.is_dir()))
        .or_else(|| paths.home_dir().ok())
        .unwrap_or_else(std::env::temp_dir)
}

/// Saves a report and answers its path.
pub async fn save(app: &AppHandle) -> Result<String, AgentError> {
    let state = app.state::<AppState>();
    let settings = state.settings();
    let live = state.signed_in.read().await.clone();
    let mut known: Vec<String> = vec![state.draft().number];
    let mut outbox_counts = Vec::new();
    if let Some(live) = &live {
        let identity = &live.session.identity;
        known.extend([identity.callerid.clone(), identity.extension.clone()]);
        known.extend(live.desk.snapshot().await.number);
        let desk = live.desk.clone();
        match blocking(move || desk.outbox_items()).await {
            Ok(items) => {
                let mut counts = std::collections::BTreeMap::<String, u64>::new();
                for item in &items {
                    *counts
                        .entry(format!("{:?}", item.state).to_lowercase())
                        .or_default() += 1;
                }
                outbox_counts = counts.into_iter().collect();
            }
            Err(err) => outbox_counts.push((format!("unreadable: {err}"), 0)),
        }
    } else {
        outbox_counts.push(("not signed in".into(), 0));
    }
    let policy_view = state.policy().view();
    let policy = policy_view.found.then(|| {
        let text = std::fs::read_to_string(&policy_view.file).unwrap_or_default();
        let problems = policy_view
            .problems
            .iter()
            .map(|p| format!("# problem: {p}\n"))
            .collect::<String>();
        format!("# {}\n{problems}{text}", policy_view.file)
    });
    let light = app.state::<crate::connection::ConnectionLight>().view();
    let mut checks = vec![format!("connection: {}", light.tooltip())];
    for hotkey in app
        .state::<crate::shortcuts::HotkeyRegistry>()
        .report()
        .iter()
    {
        let how = match &hotkey.problem {
            None if hotkey.registered => "registered".to_string(),
            None => "not registered".to_string(),
            Some(problem) => format!("not registered: {}", problem.message),
        };
        checks.push(format!(
            "hotkey {:?} {}: {how}",
            hotkey.action, hotkey.combo
        ));
    }
    let parts = ReportParts {
        versions: vec![
            ("app".into(), env!("CARGO_PKG_VERSION").into()),
            ("os".into(), os_version()),
            (
                "webkit".into(),
                tauri::webview_version().unwrap_or_else(|e| e.to_string()),
            ),
            ("tauri".into(), tauri::VERSION.into()),
        ],
        settings_toml: settings.to_toml().unwrap_or_else(|e| e.to_string()),
        policy,
        outbox_counts,
        log_dir: state.paths.log_dir.clone(),
        checks,
    };
    let path = report_dir(app).join(support::report_file_name(chrono::Local::now()));
    let redactor = Redactor::with_known(known);
    let saved = blocking(move || support::save_report(&path, &parts, &redactor)).await?;
    tracing::info!(path = %saved.path.display(), "support report saved");
    Ok(saved.path.display().to_string())
}

fn os_version() -> String {
    let pretty = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_owned())
        });
    let base = format!("{} {}", std::env::consts::OS, std::env::consts::ARCH);
    match pretty {
        Some(name) => format!("{base} ({name})"),
        None => base,
    }
}

/// Saves a support report; answers where it is.
#[tauri::command]
pub async fn save_support_report(app: AppHandle) -> CommandResult<String> {
    Ok(save(&app).await?)
}

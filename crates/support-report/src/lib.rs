//! "Save a support report": one zip an agent or IT can send to support, with what helps find a problem (recent
//! logs, the settings and policy in effect, versions, the outbox's counts, the recent warnings and errors) and
//! nothing personal or secret: every text goes through [`Redactor`] on its way in, and the keychain is never read.

mod redact;

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

pub use redact::{Redactor, REMOVED};

use agent_error::{AgentError, ErrorCode, Phrase, Result};

/// How much of each log file the report keeps: its end, where the problem usually is.
const LOG_TAIL_BYTES: u64 = 2 * 1024 * 1024;
/// How many warning and error lines `errors.txt` keeps.
const RECENT_ERRORS: usize = 200;

/// Everything a report is made of, gathered by the shell (which knows the versions and the live state).
#[derive(Debug, Default, Clone)]
pub struct ReportParts {
    /// `(what, version)`: the app, the OS, WebKit, Tauri…
    pub versions: Vec<(String, String)>,
    /// The settings in effect, as TOML.
    pub settings_toml: String,
    /// The policy file in effect (its text) or why it could not be read; `None` when there is none.
    pub policy: Option<String>,
    /// The outbox's items per state (`waiting`, `refused`…).
    pub outbox_counts: Vec<(String, u64)>,
    /// The folder of the app's log files.
    pub log_dir: PathBuf,
    /// Lines of other checks (connection state, hotkeys registered…), already plain words.
    pub checks: Vec<String>,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedReport {
    /// The zip file.
    pub path: PathBuf,
    /// The files inside it.
    pub entries: Vec<String>,
}

/// Writes the report to `path` (a `.zip`), every text redacted by `redactor`.
pub fn save_report(path: &Path, parts: &ReportParts, redactor: &Redactor) -> Result<SavedReport> {
    let mut files: Vec<(String, String)> = vec![
        ("README.txt".into(), readme()),
        ("summary.txt".into(), redactor.text(&summary(parts))),
        ("settings.toml".into(), redactor.text(&parts.settings_toml)),
    ];
    if let Some(policy) = &parts.policy {
        files.push(("policy.toml".into(), redactor.text(policy)));
    }
    let mut errors = Vec::new();
    for log in log_files(&parts.log_dir) {
        let tail = read_tail(&log, LOG_TAIL_BYTES).map_err(|e| storage(&log, e))?;
        let tail = redactor.log(&tail);
        errors.extend(
            tail.lines()
                .filter(|l| l.contains(" WARN ") || l.contains(" ERROR "))
                .map(str::to_owned),
        );
        let name = log.file_name().unwrap_or_default().to_string_lossy();
        files.push((format!("logs/{name}"), tail));
    }
    let skip = errors.len().saturating_sub(RECENT_ERRORS);
    let mut recent = errors[skip..].join("\n");
    if recent.is_empty() {
        recent = "No warnings or errors in the logs.".into();
    }
    files.push(("errors.txt".into(), recent + "\n"));
    write_zip(path, &files)?;
    Ok(SavedReport {
        path: path.to_owned(),
        entries: files.into_iter().map(|(name, _)| name).collect(),
    })
}

/// The file name a report gets in a folder: `ucontact-agent-companion-report-YYYYMMDD-HHMMSS.zip`.
pub fn report_file_name(now: chrono::DateTime<chrono::Local>) -> String {
    format!(
        "ucontact-agent-companion-report-{}.zip",
        now.format("%Y%m%d-%H%M%S")
    )
}

fn readme() -> String {
    "uContact Agent Companion support report\n\n\
     summary.txt    versions, the outbox's counts, checks\n\
     settings.toml  the settings in effect\n\
     policy.toml    the machine-wide policy in effect (when there is one)\n\
     errors.txt     the recent warnings and errors from the logs\n\
     logs/          the end of each log file\n\n\
     Left out on purpose: passwords, tokens and keys (they stay in the OS keychain and are never read for this),\n\
     phone numbers, comments and CTI data (each replaced by <removed>).\n"
        .into()
}

fn summary(parts: &ReportParts) -> String {
    let mut text = String::from("Versions\n");
    for (what, version) in &parts.versions {
        text.push_str(&format!("  {what}: {version}\n"));
    }
    text.push_str("\nOutbox\n");
    if parts.outbox_counts.is_empty() {
        text.push_str("  empty\n");
    }
    for (state, count) in &parts.outbox_counts {
        text.push_str(&format!("  {state}: {count}\n"));
    }
    if !parts.checks.is_empty() {
        text.push_str("\nChecks\n");
        for check in &parts.checks {
            text.push_str(&format!("  {check}\n"));
        }
    }
    text
}

/// The log folder's files, oldest first (rotated files sort before the current one).
fn log_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// The last `max` bytes of a file, starting at a line boundary, as text (invalid UTF-8 replaced).
fn read_tail(path: &Path, max: u64) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    let start = len.saturating_sub(max);
    file.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::with_capacity((len - start) as usize);
    file.read_to_end(&mut bytes)?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if start == 0 {
        return Ok(text);
    }
    // The first line was cut by the seek: drop it.
    Ok(text
        .split_once('\n')
        .map(|(_, rest)| rest.to_owned())
        .unwrap_or_default())
}

fn write_zip(path: &Path, files: &[(String, String)]) -> Result<()> {
    let tmp = path.with_extension("zip.part");
    let file = std::fs::File::create(&tmp).map_err(|e| storage(&tmp, e))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o600);
    for (name, text) in files {
        zip.start_file(name.as_str(), options)
            .and_then(|()| zip.write_all(text.as_bytes()).map_err(Into::into))
            .map_err(|e| storage(&tmp, std::io::Error::other(e)))?;
    }
    zip.finish()
        .map_err(|e| storage(&tmp, std::io::Error::other(e)))?;
    std::fs::rename(&tmp, path).map_err(|e| storage(path, e))
}

fn storage(path: &Path, err: std::io::Error) -> AgentError {
    AgentError::phrased(
        ErrorCode::Storage,
        Phrase::new("error.report.not_written")
            .with("path", path.display().to_string())
            .with("detail", err.to_string()),
        format!(
            "The support report could not be written to {}: {err}",
            path.display()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unzip(path: &Path) -> Vec<(String, String)> {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut entry = zip.by_index(i).unwrap();
                let mut text = String::new();
                entry.read_to_string(&mut text).unwrap();
                (entry.name().to_owned(), text)
            })
            .collect()
    }

    #[test]
    fn the_report_holds_logs_settings_counts_and_errors_without_personal_values() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        std::fs::create_dir_all(&logs).unwrap();
        std::fs::write(
            logs.join("companion.log"),
            "2026-12-01T10:00:00.000001Z  INFO companion: signed in agent=alice\n\
             2026-12-01T10:01:00.000001Z  WARN companion: dial link refused err=\"099 123 456 has letters\"\n\
             2026-12-01T10:02:00.000001Z ERROR agent::courier: outbox unreadable comment=\"Quiere la tarjeta\"\n",
        )
        .unwrap();
        let parts = ReportParts {
            versions: vec![("app".into(), "0.1.0".into())],
            settings_toml:
                "server_url = \"https://acme\"\n[identity]\ncallerid = \"59821234567\"\n".into(),
            policy: Some("[settings]\nserver_url = \"https://acme\"\n".into()),
            outbox_counts: vec![("waiting".into(), 2), ("refused".into(), 1)],
            log_dir: logs,
            checks: vec!["connection: green".into()],
        };
        let out = dir.path().join("report.zip");
        let saved = save_report(&out, &parts, &Redactor::with_known(["alice-secret-pw"])).unwrap();
        assert_eq!(
            saved.entries,
            [
                "README.txt",
                "summary.txt",
                "settings.toml",
                "policy.toml",
                "logs/companion.log",
                "errors.txt"
            ]
        );
        let files = unzip(&out);
        let all: String = files.iter().map(|(_, t)| t.as_str()).collect();
        for personal in ["099 123 456", "59821234567", "Quiere la tarjeta"] {
            assert!(!all.contains(personal), "{personal} leaked");
        }
        let get = |name: &str| &files.iter().find(|(n, _)| n == name).unwrap().1;
        assert!(get("summary.txt").contains("waiting: 2"));
        assert!(get("settings.toml").contains("https://acme"));
        let errors = get("errors.txt");
        assert_eq!(errors.lines().count(), 2, "{errors}");
        assert!(errors.contains("dial link refused") && errors.contains("outbox unreadable"));
        assert!(get("logs/companion.log").contains("signed in agent=alice"));
    }

    #[test]
    fn only_the_end_of_a_long_log_is_kept_from_a_line_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.log");
        let line = "2026-12-01T10:00:00Z  INFO companion: a line of the log\n";
        std::fs::write(&path, line.repeat(1000)).unwrap();
        let tail = read_tail(&path, 200).unwrap();
        assert!(tail.len() <= 200 && tail.starts_with("2026-"), "{tail:?}");
    }

    #[test]
    fn an_unwritable_folder_is_a_storage_error_naming_it() {
        let err = save_report(
            Path::new("/nonexistent-folder/report.zip"),
            &ReportParts::default(),
            &Redactor::default(),
        )
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::Storage);
        assert!(err.to_string().contains("/nonexistent-folder"), "{err}");
    }
}

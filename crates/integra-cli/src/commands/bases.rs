//! `bases upload`: a dialer base file, checked line by line, then streamed to the server with a progress bar on
//! stderr when stderr is a terminal.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use integra::{BaseUpload, Campaign, Progress};
use serde_json::json;

use crate::failure::Failure;
use crate::output::Output;
use crate::session::Session;

/// `integra bases …`.
#[derive(Debug, Clone, Subcommand)]
pub enum BasesCommand {
    /// Upload a base: one record per line, campaign;number;k=v:k=v;alt1:alt2;priority;agentphone (the last two
    /// optional). Every line is checked before anything is sent.
    Upload {
        /// Dialer campaign.
        #[arg(long)]
        campaign: String,
        /// The base file (UTF-8).
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        /// uContact time zone name (sends uploadbasewithtimezone).
        #[arg(long)]
        timezone: Option<String>,
        /// File name the server records [default: the file's own name]
        #[arg(long)]
        filename: Option<String>,
    },
}

/// A bar for the bytes sent, when someone is watching stderr.
fn progress_bar() -> Option<(ProgressBar, Progress)> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    let shown = bar.clone();
    let progress: Progress = Arc::new(move |sent: u64, total: u64| {
        shown.set_length(total);
        shown.set_position(sent);
    });
    Some((bar, progress))
}

/// Runs a bases subcommand.
pub async fn run(session: &Session, cmd: BasesCommand, out: Output) -> Result<(), Failure> {
    let BasesCommand::Upload {
        campaign,
        file,
        timezone,
        filename,
    } = cmd;
    if timezone.as_deref().is_some_and(|tz| tz.trim().is_empty()) {
        return Err(Failure::Usage("--timezone is empty".into()));
    }
    // Counted (and checked) first: a bad line is reported, naming it, before a byte is sent.
    let rows = integra::base::count_rows(&file).await?;
    let upload = BaseUpload {
        campaign: Campaign::new(campaign),
        username: session.user.clone(),
        filename,
        timezone,
    };
    let sent = match progress_bar() {
        Some((bar, progress)) => {
            let sent = session
                .client
                .upload_base_with_progress(&upload, &file, progress)
                .await;
            bar.finish_and_clear();
            sent
        }
        None => session.client.upload_base(&upload, &file).await,
    };
    sent.map_err(|e| {
        Failure::from(e).hint_if_rejected(format!(
            "check that campaign {} exists and that every line's campaign is right",
            upload.campaign
        ))
    })?;
    out.done(
        &format!(
            "uploaded {rows} records to {} (the server loads them in the background)",
            upload.campaign
        ),
        json!({ "rows": rows, "campaign": upload.campaign, "timezone": upload.timezone }),
    );
    Ok(())
}

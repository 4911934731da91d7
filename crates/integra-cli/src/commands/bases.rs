//! bases upload, with a progress bar on a terminal.

use std::io::IsTerminal;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};
use integra::{BaseUpload, Campaign};

use crate::cli::BasesCommand;
use crate::failure::Failure;
use crate::output::Output;
use crate::session::Session;

pub async fn run(session: &Session, cmd: BasesCommand, out: Output) -> Result<(), Failure> {
    let BasesCommand::Upload {
        campaign,
        file,
        timezone,
    } = cmd;
    let upload = BaseUpload {
        campaign: Campaign::new(campaign),
        username: session.user.clone(),
        filename: None,
        timezone,
    };
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})")
                .expect("static template")
                .progress_chars("=> "),
        );
        bar
    });
    let progress: Option<integra::Progress> = bar.clone().map(|bar| {
        Arc::new(move |sent: u64, total: u64| {
            bar.set_length(total);
            bar.set_position(sent);
        }) as integra::Progress
    });
    let rows = integra::base::count_rows(&file).await?;
    session.client.upload_base(&upload, &file, progress).await?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    out.show(
        &serde_json::json!({"ok": true, "rows": rows, "campaign": upload.campaign}),
        || {
            format!(
                "uploaded {rows} records to {} (the server loads them in the background)",
                upload.campaign
            )
        },
    );
    Ok(())
}

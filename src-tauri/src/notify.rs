//! Desktop notifications (freedesktop Notifications on Linux), off when the agent turned them off.

use agent::desk::NoticeKind;
use tauri::{AppHandle, Manager};

use crate::state::AppState;

/// Shows a notice as a desktop notification, if enabled.
pub fn notice(app: &AppHandle, kind: NoticeKind, text: &str) {
    let enabled = app.state::<AppState>().settings().notifications;
    if !enabled {
        return;
    }
    let summary = match kind {
        NoticeKind::CallPlaced => "Call placed",
        NoticeKind::CallEnded => "Call ended",
        NoticeKind::DispositionSaved => "Disposition saved",
        NoticeKind::DispositionWaiting => "Disposition waiting",
        NoticeKind::SignInLost => "Sign-in lost",
        NoticeKind::CallRinging => "Call ringing",
        NoticeKind::DisposedInPortal => "Disposed in the portal",
        NoticeKind::WaitingDispositionDropped => "Waiting disposition dropped",
    };
    show(summary, text);
}

/// Shows a notification now, off the UI thread (D-Bus round trip).
pub fn show(summary: &str, body: &str) {
    let (summary, body) = (summary.to_string(), body.to_string());
    std::thread::spawn(move || {
        let result = notify_rust::Notification::new()
            .appname("uContact Agent Companion")
            .summary(&summary)
            .body(&body)
            .timeout(notify_rust::Timeout::Milliseconds(6000))
            .show();
        if let Err(err) = result {
            tracing::warn!(%err, "notification not shown");
        }
    });
}

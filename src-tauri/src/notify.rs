//! Desktop notifications (freedesktop Notifications on Linux), off when the agent turned them off.

use agent::desk::NoticeKind;
use agent_error::Phrase;
use tauri::{AppHandle, Manager};

use crate::state::AppState;
use crate::words::Words;

/// Shows a desk notice as a desktop notification, if enabled, in the agent's language: the summary by its kind,
/// the body from its phrase (or its text, when the words are a server's or an error's).
pub fn notice(app: &AppHandle, kind: NoticeKind, text: &str, phrase: Option<&Phrase>) {
    let enabled = app.state::<AppState>().settings().notifications;
    if !enabled {
        return;
    }
    let key = match kind {
        NoticeKind::CallPlaced => "notify.call_placed",
        NoticeKind::CallEnded => "notify.call_ended",
        NoticeKind::DispositionSaved => "notify.disposition_saved",
        NoticeKind::DispositionWaiting => "notify.disposition_waiting",
        NoticeKind::SignInLost => "notify.sign_in_lost",
        NoticeKind::CallRinging => "notify.call_ringing",
        NoticeKind::DisposedInPortal => "notify.disposed_in_portal",
        NoticeKind::WaitingDispositionDropped => "notify.waiting_disposition_dropped",
    };
    let words = app.state::<Words>();
    let body = match phrase {
        Some(phrase) => {
            let params: Vec<(&str, &str)> = phrase
                .params
                .iter()
                .map(|(n, v)| (*n, v.as_str()))
                .collect();
            words.t(phrase.key, &params)
        }
        None => text.to_string(),
    };
    show(&words.t(key, &[]), &body);
}

/// Shows a notification whose summary is the text `key` and whose body is `err`, both in the agent's language (an
/// error worded by key is said in it; one in someone else's words is said as written).
pub fn tell_error(app: &AppHandle, key: &str, err: &agent_error::AgentError) {
    let words = app.state::<Words>();
    let body = err
        .phrase()
        .map_or_else(|| err.to_string(), |phrase| words.phrase(phrase));
    show(&words.t(key, &[]), &body);
}

/// Shows a notification now whose summary is the text `key` in the agent's language.
pub fn tell(app: &AppHandle, key: &str, body: &str) {
    show(&app.state::<Words>().t(key, &[]), body);
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

/// How long a notification with actions stays.
#[derive(Debug, Clone, Copy)]
pub enum Stays {
    /// Until the agent acts on it.
    UntilActed,
    /// This many seconds (a ringing call's is over by then).
    Seconds(u32),
}

/// Shows a notification with buttons (`(id, label)`; `default` is a click on the notification itself), off the UI
/// thread, and runs `on_action` with the id the agent picked. Where the notification server offers no actions
/// (Windows, macOS through notify-rust) it is a plain notification and the window's own buttons do the same.
pub fn ask(
    summary: String,
    body: String,
    actions: Vec<(&'static str, String)>,
    stays: Stays,
    on_action: impl FnOnce(&str) + Send + 'static,
) {
    std::thread::spawn(move || {
        let mut notification = notify_rust::Notification::new();
        notification
            .appname("uContact Agent Companion")
            .summary(&summary)
            .body(&body)
            .timeout(match stays {
                Stays::UntilActed => notify_rust::Timeout::Never,
                Stays::Seconds(s) => notify_rust::Timeout::Milliseconds(s * 1000),
            });
        for (id, label) in &actions {
            notification.action(id, label);
        }
        match notification.show() {
            #[cfg(all(unix, not(target_os = "macos")))]
            Ok(handle) => handle.wait_for_action(|action| {
                // "__closed": dismissed or timed out; nothing to do.
                if actions.iter().any(|(id, _)| *id == action) {
                    on_action(action);
                }
            }),
            #[cfg(not(all(unix, not(target_os = "macos"))))]
            Ok(_) => drop(on_action),
            Err(err) => tracing::warn!(%err, "notification not shown"),
        }
    });
}

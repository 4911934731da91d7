//! Going live after a sign-in (typed, or restored from the keychain at start): start the call desk, forward its
//! events to the window, notifications and the tray, and turn autostart on after the first sign-in; and signing
//! off again.

use agent::desk::{self, DeskEvent, DeskOptions};
use agent::session::Session;
use tauri::{AppHandle, Manager};

use crate::state::{AppState, SignedIn};
use crate::{autostart, connection, events, notify, tray};

/// Starts the desk for `session` and makes it the app's live session. Without the outbox (no keychain to seal
/// it) there is no desk: nothing the agent types could be kept safely.
pub async fn go_live(app: &AppHandle, session: Session) -> Result<(), agent_error::AgentError> {
    let state = app.state::<AppState>();
    let outbox = state.outbox()?;
    learn_campaigns(&state, &session).await;
    let settings = state.settings();
    let options = DeskOptions {
        require_wrap_up: settings.require_wrap_up,
        wrap_up_failed_dials: settings.wrap_up_limit.failed_dial_seconds.is_some(),
        ..DeskOptions::default()
    };
    let desk = desk::spawn(session.clone(), state.secrets.clone(), outbox, options);
    let mut events = desk.subscribe();
    let forward = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut feed = events::DeskFeed::default();
        // Whether the last desk view was idle (the app starts with nothing to hand back).
        let mut was_idle = true;
        while let Some(event) = crate::events::next(&mut events).await {
            on_desk_event(&forward, &mut feed, &mut was_idle, &event);
        }
    });
    let breaks = crate::breaks::start(app, session.identity.clone(), desk.clone()).await?;
    let wrap_up = crate::wrap_up::start(app, session.identity.agent.clone(), desk.clone())?;
    crate::history::start(app, &session.identity.agent, desk.clone(), breaks.clone()).await;
    crate::phone::start(app, &session, &settings, desk.clone()).await;
    crate::crm_link::start(app, &session.identity, &desk, &breaks);
    *state.signed_in.write().await = Some(SignedIn {
        session,
        desk: desk.clone(),
        breaks,
        wrap_up,
    });
    autostart::after_sign_in(app);
    // The server's dispositions table can be read now.
    let trees = app.clone();
    tauri::async_runtime::spawn(async move { crate::disposition_trees::refresh(&trees).await });
    // Anything left from an earlier run goes out now.
    desk.nudge();
    events::emit(app, events::SESSION, true);
    connection::session(app, true);
    Ok(())
}

/// Signs out: AgentLogoff + EndSession on the server (bounded), token and password forgotten; the history cleared
/// when the settings ask for it; the window, the connection light and a waiting update are told.
pub async fn sign_off(app: &AppHandle) -> Result<(), agent_error::AgentError> {
    let state = app.state::<AppState>();
    crate::phone::stop(app).await;
    crate::crm_link::stop(app);
    let signed_in = state.signed_in.write().await.take();
    if let Some(signed_in) = signed_in {
        let bound = std::time::Duration::from_secs(3);
        signed_in.session.sign_out(&*state.secrets, bound).await?;
    }
    crate::history::at_sign_out(&state);
    events::emit(app, events::SESSION, false);
    connection::session(app, false);
    crate::updater::install_at_sign_out(app).await;
    Ok(())
}

/// A first sign-in knows no campaigns: offer the server's outbound ones, so the agent can dial at once. Best
/// effort: without the right to read them, Settings is where to add them. Which one is the default stays
/// `agent::campaigns`' decision.
async fn learn_campaigns(state: &AppState, session: &Session) {
    if !state.settings().campaigns.is_empty() || state.policy().is_locked("campaigns") {
        return;
    }
    let outbound = session.outbound_campaigns().await;
    if outbound.is_empty() {
        return;
    }
    if let Err(err) = state.settings.update(|s| s.campaigns = outbound) {
        tracing::warn!(%err, "campaigns not saved");
    }
}

fn on_desk_event(
    app: &AppHandle,
    feed: &mut events::DeskFeed,
    was_idle: &mut bool,
    event: &DeskEvent,
) {
    if feed.wants(event) {
        events::emit(app, events::DESK, event);
    }
    match event {
        DeskEvent::State { view } => {
            tray::show_state(app, view);
            // Once per call: the desk publishes its idle view again when only the outbox count changes.
            let idle = view.state == agent::desk::CallState::Idle;
            let was_idle = std::mem::replace(was_idle, idle);
            if idle && !was_idle {
                give_back_freed_memory();
            }
            if was_idle && !idle {
                // The window keeps the trees it read: a tree file changed since is read now, and told.
                let app = app.clone();
                tauri::async_runtime::spawn_blocking(move || {
                    crate::disposition_trees::reload_if_changed(&app)
                });
            }
        }
        DeskEvent::Notice { kind, text, phrase } => {
            if *kind == agent::desk::NoticeKind::SignInLost {
                connection::sign_in_lost(app, text);
            }
            notify::notice(app, *kind, text, phrase.as_ref())
        }
        // The window lists the items; the tray follows the view's pending count.
        DeskEvent::Outbox { pending, rejected } => connection::outbox(app, *pending, *rejected),
        DeskEvent::Connection { failure } => connection::reached(app, failure.as_ref()),
        // The history records these on its own task (crate::history).
        DeskEvent::Fact { .. } => {}
    }
}

/// Between calls, the memory glibc kept after the call's frees goes back to the OS (`heap-trim`): without it the app
/// process grew ~1 MiB per 100 calls with a live heap that never passed ~7 MiB (BENCHMARKS.md, Decisions: heap trim between calls). On a
/// blocking thread: it takes the allocator's locks for a moment, and the desk and the hotkeys must not wait for it.
fn give_back_freed_memory() {
    tauri::async_runtime::spawn_blocking(|| {
        let started = std::time::Instant::now();
        let released = heap_trim::trim();
        tracing::debug!(
            released,
            took_us = started.elapsed().as_micros() as u64,
            "freed memory handed back"
        );
    });
}

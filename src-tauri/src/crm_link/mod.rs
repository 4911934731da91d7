//! The CRM beside the call: the desk's, the breaks' and the phone's moments (`moments`) become `crm::CrmEvent`s,
//! handed to the three that take them — the screen pop (the default browser opens the CRM's URL, `screen_pop`),
//! IT's hooks (commands from the policy file, `crm::hooks`) and paired CRM pages (the bridge's `/v1/events`).
//! None of them is waited for: a slow browser, a hanging hook or a page that reads slowly never holds up the desk.

pub mod commands;
mod moments;
mod screen_pop;

use agent::breaks::Breaks;
use agent::desk::{DeskEvent, DeskHandle};
use agent::profile::Identity;
use crm::CrmEvent;
use parking_lot::Mutex;
use tauri::{AppHandle, Manager};

use crate::state::AppState;
pub use moments::Moments;

/// The CRM link of the signed-in agent, managed by the app: the moments' memory, and which calls had their pop.
#[derive(Default)]
pub struct CrmLink {
    moments: Mutex<Option<Moments>>,
    popped: Mutex<crm::PopLedger>,
}

/// Follows `desk` and `breaks` for the agent who just signed in (the task ends with the desk).
pub fn start(app: &AppHandle, identity: &Identity, desk: &DeskHandle, breaks: &Breaks) {
    *app.state::<CrmLink>().moments.lock() = Some(Moments::new(identity));
    let mut desk_events = desk.subscribe();
    let mut break_changes = breaks.subscribe();
    let desk_app = app.clone();
    tauri::async_runtime::spawn(async move {
        while let Some(event) = crate::events::next(&mut desk_events).await {
            let made = with_moments(&desk_app, |m| match &event {
                DeskEvent::State { view } => m
                    .on_view(view)
                    .into_iter()
                    .map(|moment| m.event(moment))
                    .collect(),
                DeskEvent::Fact { fact } => m.on_fact(fact).into_iter().collect(),
                _ => Vec::new(),
            });
            for event in made {
                dispatch(&desk_app, event);
            }
        }
    });
    let break_app = app.clone();
    tauri::async_runtime::spawn(async move {
        while let Some(status) = crate::events::next(&mut break_changes).await {
            let made = with_moments(&break_app, |m| m.on_break(&status).into_iter().collect());
            for event in made {
                dispatch(&break_app, event);
            }
        }
    });
}

/// Signed out: no more moments until the next sign-in.
pub fn stop(app: &AppHandle) {
    app.state::<CrmLink>().moments.lock().take();
}

/// The app's phone rings with a call the agent did not place.
pub fn phone_ringing(app: &AppHandle, number: Option<&str>, guid: Option<&str>) {
    let made = with_moments(app, |m| vec![m.on_phone_ringing(number, guid)]);
    for event in made {
        dispatch(app, event);
    }
}

/// The phone's ringing call ended without being answered.
pub fn phone_missed(app: &AppHandle) {
    with_moments(app, |m| {
        m.on_phone_missed();
        Vec::new()
    });
}

/// The tray's *Open in CRM*: as the call card's `O`; a failure is said as for a hotkey.
pub fn open_from_tray(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(err) = screen_pop::on_demand(&app).await {
            crate::events::emit(&app, crate::events::ACTION_ERROR, err.to_ipc());
            crate::notify::tell_error(&app, "notify.crm_not_opened", &err);
        }
    });
}

/// The events `f` makes, each with the call's key at that moment (see [`Moments::call_key`]).
fn with_moments(
    app: &AppHandle,
    f: impl FnOnce(&mut Moments) -> Vec<CrmEvent>,
) -> Vec<(CrmEvent, String)> {
    let link = app.state::<CrmLink>();
    let mut moments = link.moments.lock();
    let Some(moments) = moments.as_mut() else {
        return Vec::new();
    };
    let made = f(moments);
    let key = moments.call_key();
    made.into_iter().map(|event| (event, key.clone())).collect()
}

/// Hands `event` to the paired pages, the hooks that listen for it, and the screen pop.
fn dispatch(app: &AppHandle, (event, call_key): (CrmEvent, String)) {
    tracing::debug!(moment = event.moment.name(), "crm event");
    crate::bridge::publish(app, &event);
    run_hooks(app, &event);
    screen_pop::on_event(app, &event, &call_key);
}

/// Starts each of IT's hooks for this moment on its own task; the outcome goes to the log.
fn run_hooks(app: &AppHandle, event: &CrmEvent) {
    let state = app.state::<AppState>();
    for (index, spec) in state.policy().hooks().iter().enumerate() {
        if !spec.on.contains(&event.moment) {
            continue;
        }
        let (spec, event) = (spec.clone(), event.clone());
        tauri::async_runtime::spawn(async move {
            let outcome = crm::run(&spec, &event).await;
            let moment = event.moment.name();
            let command = spec.command.display().to_string();
            match outcome {
                crm::HookOutcome::Exited { code: Some(0), .. } => {
                    tracing::info!(index, moment, command, %outcome, "hook ran")
                }
                _ => tracing::warn!(index, moment, command, %outcome, "hook failed"),
            }
        });
    }
}

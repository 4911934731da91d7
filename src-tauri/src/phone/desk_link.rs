//! The phone and the call desk follow each other, so every way of dialing and hanging up (window, hotkeys, links,
//! the bridge, callbacks) works with the phone on without a hook of its own:
//! - the desk starts dialing → the call that rings within the own-call window is the agent's (answered by itself);
//! - the desk's call ends (hang-up sent HungupPhone, or "customer hung up") → the phone waits for the server's BYE
//!   and sends its own after `phone::SERVER_BYE_GRACE`;
//! - the phone's call ends (a BYE either way) → the desk's call ends: no "customer hung up" guess is needed;
//! - a call the agent did not place rings → a notification (*Answer*, *Reject*) and the ring tone until it is answered or gone; once
//!   answered it becomes the desk's inbound call (its GUID from the INVITE's header when there is one, else the
//!   portal's event fills it in later).

use std::time::Duration;

use agent::desk::{CallState, DeskEvent, DeskHandle};
use bridge::{CallDirection, PortalEvent, PortalEventKind};
use phone::{CallEvent, Caller, Phone};
use tauri::{AppHandle, Manager};
use tokio::sync::broadcast::error::RecvError;

use crate::state::AppState;
use crate::{events, notify, words};

/// Follows `desk` and `phone` until either ends.
pub(super) async fn follow(app: AppHandle, phone: Phone, desk: DeskHandle, own_window: Duration) {
    let mut desk_events = desk.subscribe();
    let mut calls = phone.subscribe();
    let mut last = desk.snapshot().await.state;
    let mut ringer: Option<voice::Ringer> = None;
    loop {
        tokio::select! {
            event = events::next(&mut desk_events) => {
                let Some(event) = event else { return };
                if let DeskEvent::State { view } = event {
                    if view.state == CallState::Dialing && last != CallState::Dialing {
                        phone.expect_own_call(own_window);
                    }
                    if last == CallState::InCall && view.state != CallState::InCall {
                        phone.end_after(phone::SERVER_BYE_GRACE);
                    }
                    last = view.state;
                }
            }
            call = calls.recv() => match call {
                Ok(event) => on_call(&app, &desk, &mut ringer, event).await,
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return,
            },
        }
    }
}

async fn on_call(
    app: &AppHandle,
    desk: &DeskHandle,
    ringer: &mut Option<voice::Ringer>,
    event: CallEvent,
) {
    events::emit(app, events::PHONE_CALL, super::PhoneCall::of(&event));
    super::follow_flags(app, &event);
    match event {
        CallEvent::Ringing { caller, guid, .. } => {
            let number = Some(caller.number.as_str()).filter(|n| !n.is_empty());
            crate::crm_link::phone_ringing(app, number, guid.as_deref());
            *ringer = voice::Ringer::start()
                .inspect_err(|e| tracing::warn!(%e, "no ring tone"))
                .ok();
            ring_notification(app, &caller);
        }
        CallEvent::Answered {
            own: false,
            caller,
            guid,
            ..
        } => {
            *ringer = None;
            let ringing = PortalEvent {
                kind: PortalEventKind::Ringing,
                name: "phone".into(),
                guid,
                campaign: None,
                number: Some(caller.number).filter(|n| !n.is_empty()),
                direction: Some(CallDirection::Inbound),
                channel: Some("telephony".into()),
            };
            if let Err(err) = desk.portal_event(ringing).await {
                tracing::warn!(%err, "the answered call is not on the desk");
            }
        }
        CallEvent::Ended {
            answered, caller, ..
        } => {
            *ringer = None;
            if desk.snapshot().await.state == CallState::InCall {
                if let Err(err) = desk.customer_hung_up().await {
                    tracing::warn!(%err, "the desk did not take the end of the call");
                }
            }
            if !answered {
                crate::crm_link::phone_missed(app);
                let body = words::t(
                    app,
                    "notify.phone_missed_body",
                    &[("caller", &who(&caller))],
                );
                notify::tell(app, "notify.phone_missed", &body);
            }
        }
        _ => {}
    }
}

/// The ringing call's notification, with *Answer* and *Reject* (a click on it brings the window up): the agent
/// can take the call from wherever they are, as with the answer hotkey. It goes by itself after 30 s.
fn ring_notification(app: &AppHandle, caller: &Caller) {
    if !app.state::<AppState>().settings().notifications {
        return;
    }
    let summary = words::t(app, "notify.phone_ringing", &[]);
    let body = words::t(
        app,
        "notify.phone_ringing_body",
        &[("caller", &who(caller))],
    );
    let actions = vec![
        ("answer", words::t(app, "phone.answer", &[])),
        ("reject", words::t(app, "phone.reject", &[])),
        ("default", words::t(app, "tray.show", &[])),
    ];
    let app = app.clone();
    notify::ask(
        summary,
        body,
        actions,
        notify::Stays::Seconds(30),
        move |action| {
            let app2 = app.clone();
            match action {
                "answer" => tauri::async_runtime::spawn(async move {
                    if let Err(err) = super::hotkey(&app2, hotkeys::HotkeyAction::Answer).await {
                        events::emit(&app2, events::ACTION_ERROR, err.to_ipc());
                    }
                }),
                "reject" => tauri::async_runtime::spawn(async move {
                    super::reject_ringing(&app2).await;
                }),
                _ => tauri::async_runtime::spawn(async move { crate::window::show(&app2) }),
            };
        },
    );
}

/// "Ana Ruiz (0991234567)", or the number alone.
fn who(caller: &Caller) -> String {
    match &caller.name {
        Some(name) if !caller.number.is_empty() => format!("{name} ({})", caller.number),
        Some(name) => name.clone(),
        None => caller.number.clone(),
    }
}

//! Calls the app did not place, as the portal's events bring them (through the bridge's parser) to the desk
//! against the simulator: an inbound call rings, ends into wrap-up by itself and is disposed with its GUID; a
//! disposition filed in the portal is not filed again, and one still waiting in the outbox is dropped.

use std::time::Duration;

use agent::desk::{CallState, DeskEvent, NoticeKind};
use agent_error::ErrorCode;
use bridge::{parse_event, BridgeRequest, CallDirection, PortalEvent};
use cti::{Cti, CtiSource};
use integra_sim::Faults;
use serde_json::{json, Value};

use crate::support::{fixture, form, sent, Fixture};

fn event(body: Value) -> PortalEvent {
    match parse_event(&serde_json::to_vec(&body).unwrap()).unwrap() {
        BridgeRequest::Portal(event) => event,
        other => panic!("{other:?}"),
    }
}

fn ringing() -> PortalEvent {
    event(json!({"action": "gettingCall",
        "params": {"guid": "in-42", "campaign": "Soporte", "number": "099 123 456"}}))
}

async fn notice(
    events: &mut tokio::sync::broadcast::Receiver<DeskEvent>,
    want: NoticeKind,
) -> String {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let DeskEvent::Notice { kind, text, .. } = events.recv().await.unwrap() {
                if kind == want {
                    return text;
                }
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no {want:?} notice"))
}

async fn disposition_guids(f: &Fixture) -> Vec<String> {
    sent(&f.sim, "api/DispositionCall")
        .iter()
        .map(|e| e.field("guid").unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn an_inbound_call_rings_ends_by_itself_and_is_disposed_with_its_guid() {
    let f = fixture(true).await;
    let mut events = f.desk.subscribe();
    let view = f.desk.portal_event(ringing()).await.unwrap();
    assert_eq!(
        (
            view.state,
            view.number.as_deref(),
            view.campaign.as_deref(),
            view.guid.as_deref(),
            view.direction
        ),
        (
            CallState::InCall,
            Some("099123456"),
            Some("Soporte"),
            Some("in-42"),
            Some(CallDirection::Inbound)
        )
    );
    let text = notice(&mut events, NoticeKind::CallRinging).await;
    assert!(
        text.contains("099123456") && text.contains("Soporte") && text.contains("in-42"),
        "{text}"
    );
    assert!(
        sent(&f.sim, "Agents/AgentCall").is_empty(),
        "the app placed nothing"
    );

    let view = f
        .desk
        .portal_event(event(
            json!({"action": "finishedCall", "params": {"guid": "in-42"}}),
        ))
        .await
        .unwrap();
    assert_eq!(view.state, CallState::WrapUp);
    notice(&mut events, NoticeKind::CallEnded).await;
    let done = f.desk.dispose(form("Venta", "", "")).await.unwrap();
    assert!(done.delivered);
    assert_eq!(disposition_guids(&f).await, ["in-42"]);
    let entry = &sent(&f.sim, "api/DispositionCall")[0];
    assert_eq!(
        (entry.field("campaign"), entry.field("callerid")),
        (Some("Soporte"), Some("099123456"))
    );
}

#[tokio::test]
async fn a_dialer_call_from_the_newer_portal_takes_its_number_from_the_cti() {
    let f = fixture(true).await;
    let view = f
        .desk
        .portal_event(event(json!({"event": "assignedInteraction",
            "data": {"guid": "d-7", "campaign": "Ventas->", "channel": "telephony"}})))
        .await
        .unwrap();
    assert_eq!(
        (view.state, view.direction, view.number),
        (CallState::InCall, Some(CallDirection::Outbound), None)
    );
    let cti = Cti::parse(
        r#"{"Guid":"d-7","Campaign":"Ventas->","Callerid":"098765432"}"#,
        CtiSource::Bridge,
    )
    .unwrap();
    let view = f.desk.attach_cti(cti).await.unwrap();
    assert_eq!(view.number.as_deref(), Some("098765432"));
    // The same call told again (both vocabularies) changes nothing.
    let again = f
        .desk
        .portal_event(event(
            json!({"action": "gettingCall", "params": {"guid": "d-7"}}),
        ))
        .await
        .unwrap();
    assert_eq!((again.guid, again.number), (view.guid, view.number));
}

#[tokio::test]
async fn a_disposition_sent_from_the_portal_is_not_sent_again() {
    let f = fixture(true).await;
    let mut events = f.desk.subscribe();
    f.desk.portal_event(ringing()).await.unwrap();
    f.desk
        .portal_event(event(json!({"event": "finishedInteraction"})))
        .await
        .unwrap();
    let view = f
        .desk
        .portal_event(event(
            json!({"event": "sentDisposition", "data": {"guid": "in-42"}}),
        ))
        .await
        .unwrap();
    assert_eq!(
        view.state,
        CallState::Idle,
        "the desk leaves wrap-up without filing"
    );
    let text = notice(&mut events, NoticeKind::DisposedInPortal).await;
    assert!(
        text.contains("disposed in the portal") && !text.contains("dropped"),
        "{text}"
    );
    assert_eq!(
        f.desk
            .dispose(form("Venta", "", ""))
            .await
            .unwrap_err()
            .code(),
        ErrorCode::NoCall
    );
    assert!(disposition_guids(&f).await.is_empty());
    assert_eq!(f.desk.outbox_items().unwrap().len(), 0);
    f.desk
        .dial("099000111", None)
        .await
        .expect("the next call can be placed");
}

#[tokio::test]
async fn a_disposition_still_waiting_in_the_outbox_is_dropped_when_the_portal_filed_it() {
    let f = fixture(true).await;
    let mut events = f.desk.subscribe();
    f.desk.portal_event(ringing()).await.unwrap();
    f.desk.customer_hung_up().await.unwrap();
    f.sim.set_faults(Faults {
        drop_next: 100,
        path_contains: Some("DispositionCall".into()),
        ..Default::default()
    });
    assert!(
        !f.desk
            .dispose(form("Venta", "", ""))
            .await
            .unwrap()
            .delivered
    );
    assert_eq!(f.desk.outbox_items().unwrap().len(), 1);
    f.desk
        .portal_event(event(
            json!({"action": "sentDispositions", "params": {"guid": "in-42"}}),
        ))
        .await
        .unwrap();
    let text = notice(&mut events, NoticeKind::WaitingDispositionDropped).await;
    assert!(text.contains("in-42") && text.contains("dropped"), "{text}");
    assert!(f.desk.outbox_items().unwrap().is_empty());
    assert_eq!(f.desk.snapshot().await.pending_outbox, 0);
    f.sim.set_faults(Faults::default());
    assert_eq!(f.desk.flush().await.unwrap(), 0);
    // The one try that was cut off before the portal's event; none after it, and the server recorded none.
    assert_eq!(disposition_guids(&f).await, ["in-42"]);
    assert_eq!(
        f.sim.state()["dispositions"],
        json!([]),
        "the server never gets a second disposition"
    );
}

#[tokio::test]
async fn events_of_another_call_are_refused_and_leave_the_desk_as_it_was() {
    let f = fixture(true).await;
    f.desk.portal_event(ringing()).await.unwrap();
    let other =
        event(json!({"action": "gettingCall", "params": {"guid": "in-43", "number": "099555666"}}));
    let err = f.desk.portal_event(other.clone()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::CallInProgress);
    assert!(
        err.to_string().contains("in-43") && err.to_string().contains("in-42"),
        "{err}"
    );
    let err = f
        .desk
        .portal_event(event(
            json!({"action": "finishedCall", "params": {"guid": "in-43"}}),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoCall);
    let view = f.desk.snapshot().await;
    assert_eq!(
        (view.state, view.guid.as_deref()),
        (CallState::InCall, Some("in-42"))
    );
    // In wrap-up with the rule on, a new ring is refused until the disposition is filed.
    f.desk.hang_up().await.unwrap();
    assert_eq!(
        f.desk.portal_event(other).await.unwrap_err().code(),
        ErrorCode::WrapUpRequired
    );
    // An end with no call on the desk says so.
    let f = fixture(true).await;
    let err = f
        .desk
        .portal_event(event(json!({"event": "finishedInteraction"})))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoCall);
}

#[tokio::test]
async fn a_call_the_phone_answered_without_a_guid_keeps_its_disposition_until_the_portal_names_it()
{
    let f = fixture(true).await;
    // The app's phone answered an inbound call whose INVITE carried no GUID.
    let unnamed = PortalEvent {
        guid: None,
        ..ringing()
    };
    let view = f.desk.portal_event(unnamed).await.unwrap();
    assert_eq!(view.state, CallState::InCall);
    f.desk.customer_hung_up().await.unwrap();
    let err = f
        .desk
        .dispose(form("Contactado", "Venta", "Tarjeta"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("no GUID yet"), "{err}");
    assert!(
        disposition_guids(&f).await.is_empty(),
        "nothing was sent without the GUID"
    );
    // The portal's event names the call: filing now goes out with its GUID.
    let named = f.desk.portal_event(ringing()).await.unwrap();
    assert_eq!(
        (named.state, named.guid.as_deref()),
        (CallState::WrapUp, Some("in-42"))
    );
    f.desk
        .dispose(form("Contactado", "Venta", "Tarjeta"))
        .await
        .unwrap();
    assert_eq!(disposition_guids(&f).await, ["in-42"]);
}

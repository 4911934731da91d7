//! How the portal's call events become requests: both vocabularies, the payload shapes a page may forward
//! (documented, guessed, as JSON text, numbers as numbers), and the refusals a page author sees.

use serde_json::json;

use super::portal::{CallDirection, PortalEvent, PortalEventKind};
use super::request::{parse_event, BridgeRequest, RequestError};

fn event(value: serde_json::Value) -> Result<PortalEvent, RequestError> {
    match parse_event(&serde_json::to_vec(&value).unwrap())? {
        BridgeRequest::Portal(event) => Ok(event),
        other => panic!("not a portal event: {other:?}"),
    }
}

fn refusal(value: serde_json::Value) -> String {
    match event(value.clone()) {
        Err(
            RequestError::Invalid(m) | RequestError::Malformed(m) | RequestError::UnknownAction(m),
        ) => m,
        Ok(ok) => panic!("{value} was taken: {ok:?}"),
    }
}

#[test]
fn uphone_getting_call_is_an_inbound_ring_with_its_call() {
    let got = event(json!({"action": "gettingCall",
        "params": {"guid": "in-1", "campaign": "Soporte", "number": "099123456", "date": "2026-12-02 10:00:00"}}))
    .unwrap();
    assert_eq!(
        got,
        PortalEvent {
            kind: PortalEventKind::Ringing,
            name: "gettingCall".into(),
            guid: Some("in-1".into()),
            campaign: Some("Soporte".into()),
            number: Some("099123456".into()),
            direction: Some(CallDirection::Inbound),
            channel: None,
        }
    );
}

#[test]
fn the_newer_portal_assigned_interaction_reads_its_documented_fields() {
    let got = event(json!({"event": "assignedInteraction",
        "data": {"guid": "d-9", "campaign": "Ventas->", "channel": "telephony", "clientId": 44}}))
    .unwrap();
    assert_eq!(got.kind, PortalEventKind::Ringing);
    assert_eq!(
        (
            got.guid.as_deref(),
            got.campaign.as_deref(),
            got.channel.as_deref()
        ),
        (Some("d-9"), Some("Ventas->"), Some("telephony"))
    );
    // Not said by the event: the desk decides (the documented payload has no number or direction).
    assert_eq!((got.number, got.direction), (None, None));
}

#[test]
fn each_name_of_both_vocabularies_maps_to_its_kind_in_any_case() {
    use PortalEventKind::*;
    for (body, kind) in [
        (
            json!({"action": "finishedCall", "params": {"guid": "g"}}),
            Finished,
        ),
        (
            json!({"action": "SENTDISPOSITIONS", "params": {"guid": "g"}}),
            Disposed,
        ),
        (
            json!({"event": "finishedInteraction", "data": {"guid": "g"}}),
            Finished,
        ),
        (
            json!({"event": "sentdisposition", "data": {"guid": "g"}}),
            Disposed,
        ),
        (
            json!({"event": " assignedInteraction ", "data": {"guid": "g"}}),
            Ringing,
        ),
    ] {
        assert_eq!(event(body.clone()).unwrap().kind, kind, "{body}");
    }
}

#[test]
fn guessed_spellings_numbers_and_json_text_are_read() {
    let got = event(json!({"event": "assignedInteraction",
        "data": "{\"GUID\": 778, \"Campaign\": \"Soporte\", \"callerIdNum\": 59899123456, \"direction\": \"IN\"}"}))
    .unwrap();
    assert_eq!(
        (
            got.guid.as_deref(),
            got.campaign.as_deref(),
            got.number.as_deref(),
            got.direction
        ),
        (
            Some("778"),
            Some("Soporte"),
            Some("59899123456"),
            Some(CallDirection::Inbound)
        )
    );
    let got = event(json!({"action": "gettingCall",
        "params": {"guid": "x", "callerid": " 099 123 456 ", "direction": "outbound"}}))
    .unwrap();
    assert_eq!(got.number.as_deref(), Some("099 123 456"));
    assert_eq!(
        got.direction,
        Some(CallDirection::Outbound),
        "the field wins over the name"
    );
    // An unknown direction word is left unknown; gettingCall still means inbound.
    let got =
        event(json!({"action": "gettingCall", "params": {"guid": "x", "direction": "sideways"}}))
            .unwrap();
    assert_eq!(got.direction, Some(CallDirection::Inbound));
}

#[test]
fn an_end_or_disposition_without_payload_applies_to_the_call_on_the_desk() {
    for body in [
        json!({"action": "finishedCall"}),
        json!({"action": "sentDispositions", "params": null}),
        json!({"event": "finishedInteraction", "data": ""}),
        json!({"event": "sentDisposition", "data": {}}),
    ] {
        let got = event(body.clone()).unwrap();
        assert_eq!((got.guid, got.number), (None, None), "{body}");
    }
}

#[test]
fn a_ring_without_a_guid_is_refused_naming_it() {
    for body in [
        json!({"action": "gettingCall", "params": {"number": "099123456"}}),
        json!({"event": "assignedInteraction"}),
        json!({"event": "assignedInteraction", "data": {"guid": "   "}}),
    ] {
        assert!(refusal(body.clone()).contains("no call guid"), "{body}");
    }
}

#[test]
fn wrong_types_are_refused_naming_the_field() {
    assert!(
        refusal(json!({"event": "assignedInteraction", "data": {"guid": {"id": 1}}}))
            .contains("\"guid\" must be text")
    );
    assert!(
        refusal(json!({"action": "gettingCall", "params": {"guid": "g", "number": ["099"]}}))
            .contains("\"number\" must be text")
    );
    assert!(
        refusal(json!({"action": "finishedCall", "params": {"guid": true}})).contains("\"guid\"")
    );
    assert!(refusal(json!({"event": "sentDisposition", "data": [1, 2]}))
        .contains("must be a JSON object"));
    assert!(refusal(json!({"event": 7})).contains("\"event\" must be a string"));
    assert!(refusal(json!({"action": null})).contains("\"action\" must be a string"));
    assert!(refusal(json!(["gettingCall"])).contains("JSON object"));
    assert!(matches!(
        event(json!({"event": "finishedInteraction", "data": "{not json"})),
        Err(RequestError::Malformed(_))
    ));
}

#[test]
fn other_events_and_bodies_are_refused_with_what_the_bridge_takes() {
    let message = refusal(json!({"event": "changedTheme", "data": {"theme": "dark"}}));
    assert!(
        message.contains("changedTheme") && message.contains("sentDisposition"),
        "{message}"
    );
    assert!(matches!(
        event(json!({"action": "makeCall", "params": {"number": "1"}})),
        Err(RequestError::UnknownAction(_))
    ));
    assert!(refusal(json!({"data": {"guid": "g"}})).contains("names no event"));
    assert!(matches!(
        parse_event(b"{not json"),
        Err(RequestError::Malformed(_))
    ));
    assert!(matches!(
        parse_event(b"  "),
        Err(RequestError::Malformed(_))
    ));
}

//! The moments' names and the event's JSON, the contract with CRM pages.

use serde_json::json;

use crate::event::{CrmEvent, Moment};
use crate::fields::{CallFields, Direction};

fn call() -> CallFields {
    CallFields {
        guid: "g-1".to_string(),
        number: "099123456".to_string(),
        campaign: "Ventas".to_string(),
        direction: Direction::Outbound,
        agent: "alice".to_string(),
        extension: "1001".to_string(),
        cti: serde_json::Value::Null,
    }
}

#[test]
fn an_answered_call_is_this_json() {
    let event = CrmEvent::for_call(Moment::Answered, "2025-03-14T15:09:26Z", call());
    assert_eq!(
        event.to_json(),
        json!({
            "event": "answered",
            "at": "2025-03-14T15:09:26Z",
            "call": {
                "guid": "g-1", "number": "099123456", "campaign": "Ventas", "direction": "outbound",
                "agent": "alice", "extension": "1001", "cti": null
            }
        })
    );
}

#[test]
fn a_filed_call_carries_its_disposition_levels() {
    let event = CrmEvent::for_call(Moment::Filed, "2025-03-14T15:12:00Z", call())
        .with_disposition(&["Sale", "Card", "Visa"]);
    let json = event.to_json();
    assert_eq!(json["event"], "filed");
    assert_eq!(json["disposition"], "Sale / Card / Visa");
    assert!(json.get("motive").is_none());
}

#[test]
fn a_break_has_a_null_call_and_its_motive() {
    let event = CrmEvent::for_break(Moment::BreakStarted, "2025-03-14T16:00:00Z", "Lunch");
    assert_eq!(
        event.to_json(),
        json!({"event": "break_started", "at": "2025-03-14T16:00:00Z", "call": null, "motive": "Lunch"})
    );
}

#[test]
fn the_json_reads_back_as_the_same_event() {
    let event = CrmEvent::for_call(Moment::WrapUp, "2025-03-14T15:10:00Z", CallFields::sample());
    let back: CrmEvent = serde_json::from_str(&serde_json::to_string(&event).unwrap()).unwrap();
    assert_eq!(back, event);
}

#[test]
fn every_moment_parses_from_its_name_and_serializes_as_it() {
    for moment in Moment::ALL {
        assert_eq!(moment.name().parse::<Moment>(), Ok(moment));
        assert_eq!(serde_json::to_value(moment).unwrap(), json!(moment.name()));
        assert_eq!(moment.to_string(), moment.name());
    }
    let names: Vec<&str> = Moment::ALL.iter().map(|m| m.name()).collect();
    assert_eq!(
        names,
        [
            "ringing",
            "dialing",
            "answered",
            "ended",
            "wrap_up",
            "filed",
            "break_started",
            "break_ended"
        ]
    );
}

#[test]
fn an_unknown_word_is_named_with_the_known_ones() {
    let err = "hangup".parse::<Moment>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown event \"hangup\"; known: ringing, dialing, answered, ended, wrap_up, filed, break_started, \
         break_ended"
    );
    // Case matters, as in every other settings word.
    assert!("Answered".parse::<Moment>().is_err());
    // Deserializing says the same.
    let err = serde_json::from_str::<Moment>("\"answerd\"").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("unknown event \"answerd\"; known: ringing"),
        "{err}"
    );
}

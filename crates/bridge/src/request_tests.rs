//! How page bodies become requests: the shapes portal forms actually produce (CTI as a JSON string, numbers as
//! numbers), and the refusals a page author sees.

use serde_json::json;

use super::request::{parse_action, parse_cti, BridgeRequest, RequestError};

fn body(value: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&value).unwrap()
}

fn cti_sample() -> serde_json::Value {
    json!({"Guid": "a1b2", "Campaign": "Ventas->", "Callerid": "098344484", "ParAndValues": "", "Answer": "FALSE"})
}

#[test]
fn cti_arrives_the_same_however_the_portal_wraps_it() {
    let expected = BridgeRequest::Cti(cti_sample());
    let as_string = cti_sample().to_string();
    for shape in [
        cti_sample(),
        json!({ "CTI": cti_sample() }),
        json!({ "CTI": as_string }),
        json!(as_string),
    ] {
        assert_eq!(
            parse_cti(&body(shape.clone())),
            Ok(expected.clone()),
            "{shape}"
        );
    }
    assert_eq!(
        parse_action(&body(json!({"action": "CTI", "CTI": as_string}))),
        Ok(expected)
    );
}

#[test]
fn a_cti_that_is_not_an_object_is_refused() {
    for shape in [
        json!({}),
        json!([1, 2]),
        json!({"CTI": null}),
        json!({"CTI": "{not json"}),
    ] {
        assert!(parse_cti(&body(shape.clone())).is_err(), "{shape}");
    }
    assert!(matches!(
        parse_action(&body(json!({"action": "CTI"}))),
        Err(RequestError::Invalid(_))
    ));
}

#[test]
fn a_call_takes_numbers_written_as_numbers_and_leaves_empty_fields_to_the_app() {
    let request = parse_action(&body(
        json!({"action": "call", "campaign": "", "callerid": 1001, "destination": 98344484}),
    ));
    assert_eq!(
        request,
        Ok(BridgeRequest::Call {
            campaign: None,
            callerid: Some("1001".into()),
            destination: "98344484".into()
        })
    );
    let Err(RequestError::Invalid(message)) =
        parse_action(&body(json!({"action": "call", "destination": "  "})))
    else {
        panic!("a call without a destination must be refused");
    };
    assert!(message.contains("destination"), "{message}");
}

#[test]
fn schedule_needs_the_date_format_ucontact_takes() {
    let dialer = json!({"campaign": "Ventas->", "destination": "098344484"});
    let Ok(BridgeRequest::Schedule {
        call_date,
        dialer: got,
    }) = parse_action(&body(
        json!({"action": "schedule", "callDate": "2026-12-01 15:00:00", "objectDialer": dialer}),
    ))
    else {
        panic!("a well-formed schedule must parse");
    };
    assert_eq!(call_date.to_string(), "2026-12-01 15:00:00");
    assert_eq!(got, dialer);
    let Err(RequestError::Invalid(message)) = parse_action(&body(
        json!({"action": "schedule", "callDate": "01/12/2026 15:00", "objectDialer": dialer}),
    )) else {
        panic!("a date in another format must be refused");
    };
    assert!(message.contains("YYYY-MM-DD HH:MM:SS"), "{message}");
}

#[test]
fn respool_takes_the_object_or_the_object_as_text() {
    let record = json!({"campaign": "Ventas->", "destination": "098124484", "retries": 0});
    for shape in [record.clone(), json!(record.to_string())] {
        assert_eq!(
            parse_action(&body(json!({"action": "respool", "objetoRespool": shape}))),
            Ok(BridgeRequest::Respool(record.clone()))
        );
    }
    assert!(matches!(
        parse_action(&body(json!({"action": "respool", "objetoRespool": 5}))),
        Err(RequestError::Invalid(_))
    ));
}

#[test]
fn the_page_author_learns_what_is_wrong() {
    assert!(matches!(
        parse_action(b"{\"action\": "),
        Err(RequestError::Malformed(_))
    ));
    assert!(matches!(
        parse_action(b"  "),
        Err(RequestError::Malformed(_))
    ));
    assert!(matches!(
        parse_action(&body(json!({"action": "explode"}))),
        Err(RequestError::UnknownAction(m)) if m.contains("explode")
    ));
    assert!(matches!(
        parse_action(&body(json!({"action": "callWithPhone", "destination": "1"}))),
        Err(RequestError::UnknownAction(m)) if m.contains("call")
    ));
    assert!(matches!(
        parse_action(&body(json!({"destination": "1"}))),
        Err(RequestError::Invalid(_))
    ));
    assert!(matches!(
        parse_action(&body(json!({"action": "tag", "guid": "a1b2"}))),
        Err(RequestError::Invalid(m)) if m.contains("message")
    ));
}

//! A call's fields as templates and hooks read them, CTI paths included.

use serde_json::json;

use crate::fields::{CallFields, Direction, Field, FieldNameError};

fn call_with_cti(cti: serde_json::Value) -> CallFields {
    CallFields {
        cti,
        ..CallFields::sample()
    }
}

fn cti(path: &str) -> Field {
    Field::parse(path).unwrap()
}

#[test]
fn plain_fields_give_the_calls_values() {
    let call = CallFields::sample();
    assert_eq!(call.value(&Field::Number), "+598 99 123 456");
    assert_eq!(call.value(&Field::Guid), call.guid);
    assert_eq!(call.value(&Field::Campaign), "Ventas->");
    assert_eq!(call.value(&Field::Direction), "inbound");
    assert_eq!(call.value(&Field::Agent), "alice");
    assert_eq!(call.value(&Field::Extension), "1001");
    let outbound = CallFields {
        direction: Direction::Outbound,
        ..call
    };
    assert_eq!(outbound.value(&Field::Direction), "outbound");
}

#[test]
fn a_cti_path_walks_nested_objects() {
    let call = CallFields::sample();
    assert_eq!(call.value(&cti("cti.contact")), "Ana Pérez");
    assert_eq!(call.value(&cti("cti.data.customer_id")), "C-42");
}

#[test]
fn cti_numbers_and_booleans_are_their_json_text() {
    let call =
        call_with_cti(json!({"n": 42, "x": 1.5, "neg": -7, "vip": true, "opted_out": false}));
    assert_eq!(call.value(&cti("cti.n")), "42");
    assert_eq!(call.value(&cti("cti.x")), "1.5");
    assert_eq!(call.value(&cti("cti.neg")), "-7");
    assert_eq!(call.value(&cti("cti.vip")), "true");
    assert_eq!(call.value(&cti("cti.opted_out")), "false");
}

#[test]
fn what_is_not_a_scalar_at_the_path_is_empty() {
    let call = call_with_cti(json!({"null": null, "list": [1, 2], "obj": {"a": 1}, "s": "text"}));
    for path in [
        "cti.null",
        "cti.list",
        "cti.obj",
        "cti.missing",
        "cti.s.deeper",
        "cti.list.0",
        "cti.obj.b",
    ] {
        assert_eq!(call.value(&cti(path)), "", "{path}");
    }
    let no_record = call_with_cti(serde_json::Value::Null);
    assert_eq!(no_record.value(&cti("cti.contact")), "");
}

#[test]
fn field_names_parse_and_print_back() {
    for name in [
        "number",
        "guid",
        "campaign",
        "direction",
        "agent",
        "extension",
        "cti.a",
        "cti.data.customer_id",
        "cti.A-1_b",
    ] {
        assert_eq!(Field::parse(name).unwrap().to_string(), name);
    }
    assert_eq!(
        Field::parse("cti.data.customer_id"),
        Ok(Field::Cti(vec![
            "data".to_string(),
            "customer_id".to_string()
        ]))
    );
}

#[test]
fn bad_field_names_say_which_kind_of_bad() {
    for name in ["phone", "Number", "", "cti", " number", "ctix.a"] {
        assert_eq!(Field::parse(name), Err(FieldNameError::Unknown), "{name:?}");
    }
    for name in ["cti.", "cti.a..b", "cti.a b", "cti.a.", "cti.ñ", "cti.a/b"] {
        assert_eq!(
            Field::parse(name),
            Err(FieldNameError::BadCtiPath),
            "{name:?}"
        );
    }
}

#[test]
fn direction_and_call_fields_serialize_in_snake_case() {
    assert_eq!(
        serde_json::to_value(Direction::Outbound).unwrap(),
        json!("outbound")
    );
    let call = CallFields::sample();
    let back: CallFields = serde_json::from_value(serde_json::to_value(&call).unwrap()).unwrap();
    assert_eq!(back, call);
}

#[test]
fn the_sample_needs_encoding_so_the_preview_shows_it() {
    let call = CallFields::sample();
    assert!(call.campaign.contains('>'));
    assert!(!call.value(&cti("cti.contact")).is_ascii());
    assert!(call.number.contains(' ') && call.number.contains('+'));
}

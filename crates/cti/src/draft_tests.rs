//! Tests of the respool draft's rules (kept beside `draft.rs` so each file stays small).

use super::*;
use proptest::prelude::*;
use serde_json::json;

fn dialer(main: &str, alternatives: &str, priority: i64) -> DialerCti {
    let value = json!({"campaign":"Ventas->","destination":main,"dialerbase":"basetest","status":1,
        "data":"Par1=Val1:Par2=Val2","alternatives":alternatives,"contact":222,"retries":4,
        "priority":priority,"agentphone":"1001"});
    DialerCti::from_object(value.as_object().unwrap()).unwrap()
}

/// The record just called on 098344484, with two alternatives.
fn just_called() -> RespoolDraft {
    RespoolDraft::new(
        &dialer("098344484", "098124484:099121212", 9999),
        ["098 344 484"],
    )
}

#[test]
fn the_number_just_called_is_refused_with_a_hint_to_promote() {
    let draft = just_called();
    let err = draft.submit().unwrap_err();
    assert_eq!(err.code(), ErrorCode::SpooledDestination);
    assert!(err.to_string().contains("promote an alternative"), "{err}");
    assert!(draft.view().main_spooled);
}

#[test]
fn promoting_swaps_the_main_number_and_resets_retries() {
    let mut draft = just_called();
    draft.promote(1).unwrap();
    let spool = draft.submit().unwrap();
    assert_eq!(
        (
            spool.destination.as_str(),
            spool.alternatives.as_str(),
            spool.retries
        ),
        ("099121212", "098124484:098344484", 0)
    );
    assert_eq!(
        (
            spool.campaign.as_str(),
            spool.status,
            spool.contact,
            spool.dialerbase.as_str()
        ),
        ("Ventas->", 1, 222, "basetest")
    );
}

#[test]
fn promote_next_takes_the_first_alternative_not_on_the_spool() {
    let mut draft = RespoolDraft::new(
        &dialer("098344484", "098344484:099121212", 9999),
        ["098344484"],
    );
    draft.promote_next().unwrap();
    assert_eq!(draft.main(), "099121212");
    assert_eq!(draft.submit().unwrap().retries, 0);
}

#[test]
fn nothing_to_promote_is_its_own_error() {
    let mut draft = RespoolDraft::new(&dialer("098344484", "", 9999), ["098344484"]);
    assert_eq!(
        draft.promote_next().unwrap_err().code(),
        ErrorCode::NoAlternative
    );
    assert_eq!(draft.submit().unwrap_err().code(), ErrorCode::NoAlternative);
    assert!(!draft.view().can_promote_next);
}

#[test]
fn a_spooled_alternative_cannot_be_promoted() {
    let mut draft = RespoolDraft::new(
        &dialer("098344484", "098124484", 9999),
        ["098344484", "098124484"],
    );
    assert_eq!(
        draft.promote(0).unwrap_err().code(),
        ErrorCode::SpooledDestination
    );
    assert!(!draft.view().alternatives[0].can_promote);
    assert_eq!(draft.submit().unwrap_err().code(), ErrorCode::NoAlternative);
}

#[test]
fn a_record_whose_main_was_not_called_can_be_sent_as_is() {
    let draft = RespoolDraft::new(&dialer("098124484", "", 50), ["098344484"]);
    assert_eq!(draft.submit().unwrap().destination, "098124484");
    assert_eq!(draft.view().submit_refusal, None);
}

#[test]
fn alternatives_reorder_within_bounds() {
    let mut draft = just_called();
    draft.move_down(0).unwrap();
    assert_eq!(draft.alternatives(), ["099121212", "098124484"]);
    draft.move_up(1).unwrap();
    assert_eq!(draft.alternatives(), ["098124484", "099121212"]);
    assert_eq!(
        draft.move_up(0).unwrap_err().to_string(),
        "the first alternative cannot move up"
    );
    assert_eq!(
        draft.move_down(1).unwrap_err().to_string(),
        "the last alternative cannot move down"
    );
    assert_eq!(
        draft.promote(5).unwrap_err().to_string(),
        "there is no alternative number 6 (there are 2)"
    );
    let view = draft.view();
    assert!(!view.alternatives[0].can_move_up && view.alternatives[0].can_move_down);
}

#[test]
fn priority_one_is_reserved_for_schedules() {
    let mut draft = just_called();
    let err = draft.set_priority(1).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidRespool);
    assert_eq!(
        err.to_string(),
        "priority 1 is reserved for scheduled calls; use 2 or more"
    );
    assert_eq!(
        draft.set_priority(0).unwrap_err().to_string(),
        "priority must be 2 or more, got 0"
    );
    draft.set_priority(2).unwrap();
    draft.promote(0).unwrap();
    assert_eq!(draft.submit().unwrap().priority, 2);
}

#[test]
fn a_record_that_came_with_priority_one_needs_a_new_priority() {
    let mut draft = RespoolDraft::new(&dialer("098124484", "", 1), ["098344484"]);
    let refusal = draft.view().submit_refusal.unwrap();
    assert_eq!(refusal.code, ErrorCode::InvalidRespool);
    assert!(refusal.message.contains("reserved"));
    draft.set_priority(10).unwrap();
    assert!(draft.submit().is_ok());
}

#[test]
fn retries_cannot_go_negative() {
    let mut draft = just_called();
    assert_eq!(
        draft.set_retries(-1).unwrap_err().to_string(),
        "retries cannot be negative (got -1)"
    );
    draft.set_retries(3).unwrap();
    assert_eq!(draft.view().retries, 3);
}

#[test]
fn data_pairs_are_set_in_place_added_and_removed() {
    let mut draft = just_called();
    draft.set_data("Par1", "New").unwrap();
    draft.set_data(" Par3 ", "x=y").unwrap();
    draft.remove_data("Par2").unwrap();
    draft.promote(0).unwrap();
    assert_eq!(draft.submit().unwrap().data, "Par1=New:Par3=x=y");
    for (key, value, message) in [
        ("", "v", "a data name cannot be empty"),
        ("a=b", "v", "the data name 'a=b' cannot contain '=' or ':'"),
        ("a:b", "v", "the data name 'a:b' cannot contain '=' or ':'"),
        (
            "k",
            "1:2",
            "the value of 'k' cannot contain ':' (it separates the pairs)",
        ),
    ] {
        assert_eq!(draft.set_data(key, value).unwrap_err().to_string(), message);
    }
    assert_eq!(
        draft.remove_data("nope").unwrap_err().to_string(),
        "there is no data named 'nope'"
    );
}

#[test]
fn the_agent_phone_is_digits_or_empty() {
    let mut draft = just_called();
    draft.set_agentphone(" 1002 ").unwrap();
    assert_eq!(draft.view().agentphone, "1002");
    draft.set_agentphone("").unwrap();
    assert_eq!(
        draft.set_agentphone("SIP/1001").unwrap_err().to_string(),
        "the agent phone must be an extension in digits like 1001, got 'SIP/1001'"
    );
    assert_eq!(draft.view().agentphone, "");
}

#[test]
fn the_view_shows_read_only_fields_and_why_submit_is_refused() {
    let json = serde_json::to_value(just_called().view()).unwrap();
    assert_eq!(
        json["read_only"],
        json!({"campaign":"Ventas->","status":1,"contact":222,"dialerbase":"basetest"})
    );
    assert_eq!(json["submit_refusal"]["code"], "spooled_destination");
    assert_eq!(json["alternatives"][1]["number"], "099121212");
    assert_eq!(json["data"][0], json!({"key":"Par1","value":"Val1"}));
}

#[derive(Debug, Clone)]
enum Edit {
    Promote(usize),
    PromoteNext,
    Up(usize),
    Down(usize),
    Retries(i64),
    Priority(i64),
    SetData(String, String),
    RemoveData(String),
    AgentPhone(String),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0usize..5).prop_map(Edit::Promote),
        Just(Edit::PromoteNext),
        (0usize..5).prop_map(Edit::Up),
        (0usize..5).prop_map(Edit::Down),
        (-3i64..6).prop_map(Edit::Retries),
        (-2i64..6).prop_map(Edit::Priority),
        ("[a-z=:]{0,3}", "[a-z0-9=:]{0,3}").prop_map(|(k, v)| Edit::SetData(k, v)),
        "[a-z]{0,2}".prop_map(Edit::RemoveData),
        "[0-9a/]{0,4}".prop_map(Edit::AgentPhone),
    ]
}

fn apply(draft: &mut RespoolDraft, edit: &Edit) -> Result<()> {
    match edit {
        Edit::Promote(i) => draft.promote(*i),
        Edit::PromoteNext => draft.promote_next(),
        Edit::Up(i) => draft.move_up(*i),
        Edit::Down(i) => draft.move_down(*i),
        Edit::Retries(n) => draft.set_retries(*n),
        Edit::Priority(n) => draft.set_priority(*n),
        Edit::SetData(k, v) => draft.set_data(k, v),
        Edit::RemoveData(k) => draft.remove_data(k),
        Edit::AgentPhone(p) => draft.set_agentphone(p),
    }
}

proptest! {
    #[test]
    fn no_sequence_of_edits_breaks_the_dialer_rules(
        main in "0[0-9]{8}",
        alternatives in proptest::collection::vec("0[0-9]{8}", 0..4),
        priority in -1i64..4,
        also_spooled in proptest::option::of(0usize..4),
        edits in proptest::collection::vec(edit(), 0..25),
    ) {
        let cti = dialer(&main, &alternatives.join(":"), priority);
        let mut spooled = vec![main.clone()];
        spooled.extend(also_spooled.and_then(|i| alternatives.get(i).cloned()));
        let mut draft = RespoolDraft::new(&cti, &spooled);
        for edit in &edits {
            let before = draft.clone();
            if apply(&mut draft, edit).is_err() {
                prop_assert_eq!(&draft, &before, "a refused edit changed the draft: {:?}", edit);
            }
            prop_assert_eq!(draft.view().submit_refusal.is_none(), draft.submit().is_ok());
            if let Ok(spool) = draft.submit() {
                prop_assert_eq!(
                    (spool.campaign.as_str(), spool.status, spool.contact, spool.dialerbase.as_str()),
                    (cti.campaign(), cti.status(), cti.contact(), cti.dialerbase())
                );
                prop_assert!(!spooled.contains(&spool.destination), "respooled {}", spool.destination);
                prop_assert!(spool.priority > 1 && spool.retries >= 0);
                prop_assert!(spool.destination == main || alternatives.contains(&spool.destination));
                let mut sent: Vec<&str> = spool.alternatives.split(':').filter(|s| !s.is_empty()).collect();
                sent.push(&spool.destination);
                sent.sort_unstable();
                let mut all: Vec<&str> = alternatives.iter().map(String::as_str).collect();
                all.push(&main);
                all.sort_unstable();
                prop_assert_eq!(sent, all, "numbers were lost or invented");
            }
        }
    }
}

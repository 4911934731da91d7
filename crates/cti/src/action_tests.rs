//! Tests of the dialer action plans.

use super::*;
use crate::CtiSource;
use agent_error::ErrorCode;

const DIALER: &str = r#"{"Guid":"g-1","Campaign":"Ventas->","Callerid":"098344484","Answer":"FALSE",
    "campaign":"Ventas->","destination":"098344484","dialerbase":"basetest","status":1,
    "data":"Par1=Val1:Par2=Val2","alternatives":"098124484:099121212","contact":222,"retries":4,
    "priority":9999,"agentphone":"1001"}"#;

fn dialer_call() -> CallFacts {
    CallFacts {
        campaign: Campaign::new("Ventas->"),
        number: phone_number::normalize("098344484").unwrap(),
        cti: Some(Cti::parse(DIALER, CtiSource::Bridge).unwrap()),
    }
}

fn own_call() -> CallFacts {
    let number = phone_number::normalize("099 123 456").unwrap();
    CallFacts {
        campaign: Campaign::new("Salida->"),
        cti: Some(Cti::from_own_call(
            &Campaign::new("Salida->"),
            &number,
            &integra::CallGuid::new("g-2"),
        )),
        number,
    }
}

#[test]
fn respool_opens_the_editor_on_the_called_record() {
    let DialerPlan::EditRespool(draft) = plan(DialerAction::Respool, &dialer_call()).unwrap()
    else {
        panic!("expected the editor");
    };
    let view = draft.view();
    assert!(view.main_spooled, "the number just called is on the spool");
    assert_eq!(view.read_only.dialerbase, "basetest");
}

#[test]
fn respool_alternative_sends_the_next_number_with_retries_zero() {
    let DialerPlan::Respool(spool) =
        plan(DialerAction::RespoolAlternative, &dialer_call()).unwrap()
    else {
        panic!("expected a respool");
    };
    assert_eq!(
        (
            spool.destination.as_str(),
            spool.alternatives.as_str(),
            spool.retries,
            spool.contact
        ),
        ("098124484", "098344484:099121212", 0, 222)
    );
}

#[test]
fn respool_actions_need_a_dialer_record_and_an_alternative() {
    for action in [DialerAction::Respool, DialerAction::RespoolAlternative] {
        assert_eq!(
            plan(action, &own_call()).unwrap_err().code(),
            ErrorCode::NoDialerCti
        );
        let no_cti = CallFacts {
            cti: None,
            ..own_call()
        };
        assert_eq!(
            plan(action, &no_cti).unwrap_err().code(),
            ErrorCode::NoDialerCti
        );
    }
    let lonely = Cti::parse(
        r#"{"campaign":"V->","destination":"098344484","dialerbase":"b","priority":5}"#,
        CtiSource::Pasted,
    )
    .unwrap();
    let call = CallFacts {
        cti: Some(lonely),
        ..dialer_call()
    };
    assert_eq!(
        plan(DialerAction::RespoolAlternative, &call)
            .unwrap_err()
            .code(),
        ErrorCode::NoAlternative
    );
}

#[test]
fn blacklist_is_for_the_campaign_and_all_campaigns_asks_first() {
    let DialerPlan::Blacklist(one) = plan(DialerAction::Blacklist, &own_call()).unwrap() else {
        panic!("expected a blacklist plan");
    };
    assert_eq!(one.entry, BlackEntry::new("099123456", "Salida->"));
    assert!(!one.needs_confirmation);
    let DialerPlan::Blacklist(all) = plan(DialerAction::BlacklistAll, &own_call()).unwrap() else {
        panic!("expected a blacklist plan");
    };
    assert_eq!(all.entry, BlackEntry::new("099123456", "*"));
    assert!(all.needs_confirmation);
    assert!(all.question.unwrap().contains("099123456"));
}

#[test]
fn schedule_asks_for_a_time_then_carries_the_dialer_record() {
    assert_eq!(
        plan(DialerAction::Schedule, &dialer_call()).unwrap(),
        DialerPlan::PickSchedule
    );
    let at = integra::datetime::parse_datetime("2030-01-02 10:00:00").unwrap();
    let plan = plan_schedule(&dialer_call(), at, None);
    let json = serde_json::to_value(&plan).unwrap();
    assert_eq!(
        json["call"],
        serde_json::json!({"calldate":"2030-01-02 10:00:00","campaign":"Ventas->","destination":"098344484",
            "alternatives":"098124484:099121212","agentphone":"1001","data":"Par1=Val1:Par2=Val2"})
    );
    assert_eq!(json["schedule"], "2030-01-02 10:00:00");
    assert_eq!(plan.camptoreschedule, Some(Campaign::new("Ventas->")));
}

#[test]
fn scheduling_an_own_call_uses_its_campaign_and_the_chosen_dialer() {
    let at = integra::datetime::parse_datetime("2030-01-02 10:00:00").unwrap();
    let plan = plan_schedule(&own_call(), at, Some(Campaign::new("Recall->")));
    assert_eq!(
        (
            plan.call.campaign.as_str(),
            plan.call.destination.as_str(),
            plan.call.alternatives.as_str()
        ),
        ("Salida->", "099123456", "")
    );
    assert_eq!(plan.camptoreschedule, Some(Campaign::new("Recall->")));
    assert_eq!(plan_schedule(&own_call(), at, None).camptoreschedule, None);
}

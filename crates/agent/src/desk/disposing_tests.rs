//! The disposition plan as a pure function: what is refused before anything is sent, what the DispositionCall
//! carries, and how it goes out.

use super::*;
use crate::desk::CallState;
use cti::{Cti, CtiSource};

const DIALER: &str = r#"{"Guid":"g-1","Campaign":"Ventas->","Callerid":"098344484","Answer":"FALSE",
    "campaign":"Ventas->","destination":"098344484","dialerbase":"basetest","status":1,
    "data":"Par1=Val1:Par2=Val2","alternatives":"098124484:099121212","contact":222,"retries":4,
    "priority":9999,"agentphone":"1001"}"#;

fn wrap_up() -> CallView {
    CallView {
        state: CallState::WrapUp,
        number: Some("098344484".into()),
        campaign: Some("Ventas->".into()),
        guid: Some("g-1".into()),
        cti: Some(Cti::parse(DIALER, CtiSource::Bridge).unwrap()),
        ..CallView::default()
    }
}

fn now() -> NaiveDateTime {
    integra::datetime::parse_datetime("2030-01-01 09:00").unwrap()
}

fn filing(view: &CallView, refused: Option<i64>) -> Filing<'_> {
    Filing {
        view,
        agent: "alice",
        require_wrap_up: true,
        refused,
        now: now(),
    }
}

fn form(l1: &str, l2: &str) -> DispositionForm {
    DispositionForm {
        l1: l1.into(),
        l2: l2.into(),
        comment: "cliente conforme".into(),
        ..Default::default()
    }
}

fn disposition(plan: &DispositionPlan) -> &Disposition {
    match &plan.job {
        Job::Disposition(d) => d,
        other => panic!("expected a disposition, got {other:?}"),
    }
}

#[test]
fn the_disposition_carries_the_call_the_agent_and_a_tag_of_the_codes() {
    let view = wrap_up();
    let plan = plan_disposition(&filing(&view, None), form(" Contactado ", "Venta"), None).unwrap();
    let d = disposition(&plan);
    assert_eq!(
        (d.guid.as_str(), d.agent.as_str(), d.callerid.as_str()),
        ("g-1", "alice", "098344484")
    );
    assert_eq!((d.l1.as_str(), d.l2.as_str()), ("Contactado", "Venta"));
    assert_eq!(
        d.tag, "Contactado|Venta",
        "empty levels are left out of the tag"
    );
    assert_eq!(plan.sending, Sending::Submit);
    assert_eq!(plan.guid, "g-1");
    assert!(plan.follow.job.is_none() && plan.follow.draft.is_none());
}

#[test]
fn a_refused_disposition_of_the_call_is_replaced_not_duplicated() {
    let view = wrap_up();
    let plan = plan_disposition(&filing(&view, Some(7)), form("Contactado", ""), None).unwrap();
    assert_eq!(plan.sending, Sending::Replace(7));
}

#[test]
fn nothing_is_planned_outside_wrap_up_or_without_a_level_one_code() {
    let idle = CallView::default();
    let err = plan_disposition(&filing(&idle, None), form("Contactado", ""), None)
        .err()
        .unwrap();
    assert_eq!(err.code(), ErrorCode::NoCall, "{err}");
    let view = wrap_up();
    let err = plan_disposition(&filing(&view, None), form("  ", "Venta"), None)
        .err()
        .unwrap();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
}

#[test]
fn a_blacklist_waits_for_the_agents_yes_then_follows_with_their_name() {
    let view = wrap_up();
    let err = plan_disposition(
        &filing(&view, None),
        form("No llamar", ""),
        Some(DialerAction::Blacklist),
    )
    .err()
    .unwrap();
    assert_eq!(err.code(), ErrorCode::ConfirmationRequired);
    let confirmed = DispositionForm {
        confirmed: true,
        ..form("No llamar", "")
    };
    let plan = plan_disposition(
        &filing(&view, None),
        confirmed,
        Some(DialerAction::Blacklist),
    )
    .unwrap();
    let Some(Job::Blacklist(entry)) = &plan.follow.job else {
        panic!("expected a blacklist entry to follow");
    };
    assert_eq!(entry.username.as_deref(), Some("alice"));
}

#[test]
fn a_schedule_leaf_needs_a_future_date_and_the_disposition_carries_it() {
    let view = wrap_up();
    let at = |text: &str| DispositionForm {
        schedule: Some(text.into()),
        ..form("Volver a llamar", "Agendar")
    };
    let past = plan_disposition(
        &filing(&view, None),
        at("2029-12-31 10:00"),
        Some(DialerAction::Schedule),
    )
    .err()
    .unwrap();
    assert_eq!(past.code(), ErrorCode::InvalidSchedule, "{past}");
    let plan = plan_disposition(
        &filing(&view, None),
        at("2030-01-02 10:00"),
        Some(DialerAction::Schedule),
    )
    .unwrap();
    let d = disposition(&plan);
    assert_eq!(
        d.schedule,
        Some(integra::datetime::parse_datetime("2030-01-02 10:00").unwrap())
    );
    assert_eq!(d.camptoreschedule, Some(Campaign::new("Ventas->")));
    assert!(matches!(plan.follow.job, Some(Job::Schedule(_))));
}

#[test]
fn a_respool_leaf_opens_the_editor_after_the_disposition() {
    let view = wrap_up();
    let plan = plan_disposition(
        &filing(&view, None),
        form("Contactado", ""),
        Some(DialerAction::Respool),
    )
    .unwrap();
    assert!(plan.follow.draft.is_some() && plan.follow.job.is_none());
}

use super::*;

fn identity() -> Identity {
    Identity {
        agent: "alice".into(),
        name: "Alice Agent".into(),
        extension: "1001".into(),
        context: "from-internal".into(),
        tech: "SIP".into(),
        callerid: String::new(),
        outqueue: "Ventas->".into(),
    }
}

fn view(
    state: CallState,
    guid: Option<&str>,
    direction: Option<bridge::CallDirection>,
) -> CallView {
    CallView {
        state,
        number: Some("099 555 123".into()),
        campaign: Some("Ventas->".into()),
        guid: guid.map(Into::into),
        direction,
        ..CallView::default()
    }
}

#[test]
fn an_outbound_call_dials_is_answered_ends_and_goes_to_wrap_up_once_each() {
    let mut moments = Moments::new(&identity());
    let out = Some(bridge::CallDirection::Outbound);
    assert_eq!(
        moments.on_view(&view(CallState::Dialing, None, out)),
        vec![Moment::Dialing]
    );
    assert_eq!(
        moments.on_view(&view(CallState::InCall, Some("g1"), out)),
        vec![Moment::Answered]
    );
    // The same state again (a refresh, the outbox count) is no new moment.
    assert!(moments
        .on_view(&view(CallState::InCall, Some("g1"), out))
        .is_empty());
    assert_eq!(
        moments.on_view(&view(CallState::WrapUp, Some("g1"), out)),
        vec![Moment::Ended, Moment::WrapUp]
    );
    assert!(moments
        .on_view(&view(CallState::Idle, None, None))
        .is_empty());
    let call = moments.current().expect("the last call is kept for filed");
    assert_eq!(
        (
            call.guid.as_str(),
            call.number.as_str(),
            call.agent.as_str(),
            call.extension.as_str()
        ),
        ("g1", "099 555 123", "alice", "1001")
    );
    assert_eq!(call.direction, Direction::Outbound);
}

#[test]
fn a_portal_call_rings_and_is_answered_but_a_call_the_phone_rang_rings_once() {
    let mut moments = Moments::new(&identity());
    let inbound = Some(bridge::CallDirection::Inbound);
    assert_eq!(
        moments.on_view(&view(CallState::InCall, Some("p1"), inbound)),
        vec![Moment::Ringing, Moment::Answered]
    );
    moments.on_view(&view(CallState::Idle, None, None));

    let rang = moments.on_phone_ringing(Some("099555123"), None);
    assert_eq!(rang.moment, Moment::Ringing);
    assert_eq!(
        rang.call.as_ref().map(|c| c.direction),
        Some(Direction::Inbound)
    );
    assert_eq!(
        moments.on_view(&view(CallState::InCall, Some("p2"), inbound)),
        vec![Moment::Answered]
    );
}

#[test]
fn filed_names_the_call_and_its_codes_and_a_break_starts_and_ends_with_its_motive() {
    let mut moments = Moments::new(&identity());
    moments.on_view(&view(CallState::InCall, Some("g7"), None));
    let filed = moments
        .on_fact(&CallFact::Filed {
            guid: "g7".into(),
            disposition: "Venta / Tarjeta".into(),
            delivered: true,
            refused: false,
        })
        .expect("filed");
    assert_eq!(filed.disposition.as_deref(), Some("Venta / Tarjeta"));
    assert_eq!(filed.call.map(|c| c.number), Some("099 555 123".into()));

    let on = BreakStatus {
        state: BreakState::OnBreak,
        motive: Some("Almuerzo".into()),
        ..BreakStatus::default()
    };
    let started = moments.on_break(&on).expect("started");
    assert_eq!(
        (started.moment, started.motive.as_deref()),
        (Moment::BreakStarted, Some("Almuerzo"))
    );
    assert!(
        moments.on_break(&on).is_none(),
        "the same status again is not a second break"
    );
    let ended = moments.on_break(&BreakStatus::default()).expect("ended");
    assert_eq!(
        (ended.moment, ended.motive.as_deref()),
        (Moment::BreakEnded, Some("Almuerzo"))
    );
    assert!(moments.on_break(&BreakStatus::default()).is_none());
}

#[test]
fn the_cti_is_the_portal_fields_and_the_dialer_record_with_its_data_as_an_object() {
    let text = r#"{"Guid":"g1","Campaign":"Ventas->","Callerid":"099","Region":"Norte",
        "campaign":"Ventas->","destination":"099","dialerbase":"base1","contact":42,"data":"customer_id=C-42:plan=Oro"}"#;
    let parsed = cti::Cti::parse(text, cti::CtiSource::Pasted).expect("a CTI");
    let fields = cti_fields(&parsed);
    assert_eq!(fields["contact"], 42);
    assert_eq!(fields["data"]["customer_id"], "C-42");
    assert_eq!(fields["Region"], "Norte");
}

#[test]
fn a_call_is_named_by_its_guid_else_by_its_place_so_the_same_number_twice_is_two_calls() {
    let mut moments = Moments::new(&identity());
    let out = Some(bridge::CallDirection::Outbound);
    moments.on_view(&view(CallState::Dialing, None, out));
    let first = moments.call_key();
    moments.on_view(&view(CallState::InCall, Some("g1"), out));
    assert_eq!(moments.call_key(), "g1");
    moments.on_view(&view(CallState::Idle, None, None));
    moments.on_view(&view(CallState::Dialing, None, out));
    assert_ne!(
        moments.call_key(),
        first,
        "the same number dialed again is another call"
    );
}

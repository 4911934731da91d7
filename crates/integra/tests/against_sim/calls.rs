//! AgentCall, hang-up, tags, dispositions, workflows.

use integra::{AgentCall, Campaign, Disposition, Error, TagRecord};

use crate::support::*;

fn call_to(destination: &str) -> AgentCall {
    AgentCall {
        callerid: "59821234567".into(),
        agent: "alice".into(),
        phone: "1001".into(),
        tech: "SIP".into(),
        context: "agentes".into(),
        outqueue: Campaign::new("Ventas->"),
        destination: destination.into(),
    }
}

#[tokio::test]
async fn agent_call_sends_every_identity_field_and_returns_the_guid() {
    let (sim, client) = signed_in().await;
    let guid = client.agent_call(&call_to("099123456")).await.unwrap();
    let entry = only_request(&sim, "Agents/AgentCall");
    assert_eq!(
        fields(&entry),
        [
            ("callerid", "59821234567"),
            ("agent", "alice"),
            ("phone", "1001"),
            ("tech", "SIP"),
            ("context", "agentes"),
            ("outqueue", "Ventas->"),
            ("destination", "099123456"),
        ]
    );
    assert_eq!(entry.response, guid.as_str());
    assert_eq!(sim.state()["calls"][0]["guid"], guid.as_str());
}

#[tokio::test]
async fn a_refused_call_is_rejected_not_retried() {
    let (sim, client) = signed_in().await;
    let err = client.agent_call(&call_to("12")).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Rejected {
                endpoint: "Agents/AgentCall",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(sim.journal().len(), 1, "AgentCall is never sent twice");
}

#[tokio::test]
async fn agent_call_with_data_adds_the_data_field() {
    let (sim, client) = signed_in().await;
    client
        .agent_call_with_data(&call_to("099123456"), r#"{"crm":42}"#)
        .await
        .unwrap();
    let entry = only_request(&sim, "Agents/AgentCallwithData");
    assert_eq!(entry.field("data"), Some(r#"{"crm":42}"#));
}

#[tokio::test]
async fn hangup_ends_the_agents_call() {
    let (sim, client) = signed_in().await;
    client.agent_call(&call_to("099123456")).await.unwrap();
    sim.clear_journal();
    client.hangup("1001").await.unwrap();
    let entry = only_request(&sim, "Agents/HungupPhone");
    assert_eq!(fields(&entry), [("phone", "1001")]);
    assert_eq!(sim.state()["calls"][0]["state"], "hung_up");
}

#[tokio::test]
async fn tag_and_disposition_send_exact_fields() {
    let (sim, client) = signed_in().await;
    let guid = client.agent_call(&call_to("099123456")).await.unwrap();
    sim.clear_journal();
    let tag = TagRecord {
        phone: "099123456".into(),
        guid: guid.clone(),
        data: "cliente VIP".into(),
    };
    client.tag_record(&tag).await.unwrap();
    let entry = only_request(&sim, "Agents/TagRecord");
    assert_eq!(
        fields(&entry),
        [
            ("phone", "099123456"),
            ("guid", guid.as_str()),
            ("data", "cliente VIP")
        ]
    );

    sim.clear_journal();
    let disposition = Disposition {
        campaign: "Ventas->".into(),
        agent: "alice".into(),
        callerid: "099123456".into(),
        guid: guid.to_string(),
        l1: "Volver a llamar".into(),
        l2: "Agendar".into(),
        comment: "Llamar después de las 18 h, pidió hablar con Núñez".into(),
        schedule: Some(
            integra::datetime::parse_datetime("schedule", "2030-05-06 18:30:00").unwrap(),
        ),
        camptoreschedule: Some("Cobranzas->".into()),
        ..Default::default()
    };
    client.disposition_call(&disposition).await.unwrap();
    let entry = only_request(&sim, "api/DispositionCall");
    assert_eq!(
        fields(&entry),
        [
            ("campaign", "Ventas->"),
            ("agent", "alice"),
            ("callerid", "099123456"),
            ("guid", guid.as_str()),
            ("l1", "Volver a llamar"),
            ("l2", "Agendar"),
            ("l3", ""),
            ("d1", ""),
            ("d2", ""),
            (
                "comment",
                "Llamar después de las 18 h, pidió hablar con Núñez"
            ),
            ("schedule", "2030-05-06 18:30:00"),
            ("camptoreschedule", "Cobranzas->"),
            ("tag", ""),
        ]
    );
}

#[tokio::test]
async fn call_workflow_sends_json_params() {
    let (sim, client) = signed_in().await;
    let answer = client
        .call_workflow("from-crm", "500", &serde_json::json!({"id": 7}))
        .await
        .unwrap();
    assert_eq!(answer, "OK");
    let entry = only_request(&sim, "admin/CallWorkflow");
    assert_eq!(
        entry.json_field("jsonparams"),
        Some(serde_json::json!({"id": 7}))
    );
}

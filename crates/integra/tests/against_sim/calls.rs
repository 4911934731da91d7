//! AgentCall (never retried), hang-up, tags, dispositions, workflows.

use std::time::Duration;

use integra::datetime::parse_datetime;
use integra::{AgentCall, Campaign, Client, Disposition, Error, TagRecord};
use integra_sim::Faults;
use serde_json::json;

use crate::support::*;

pub fn call_to(destination: &str) -> AgentCall {
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

const CALL_FIELDS: [(&str, &str); 7] = [
    ("callerid", "59821234567"),
    ("agent", "alice"),
    ("phone", "1001"),
    ("tech", "SIP"),
    ("context", "agentes"),
    ("outqueue", "Ventas->"),
    ("destination", "099123456"),
];

#[tokio::test]
async fn agent_call_sends_the_seven_fields_and_returns_the_guid() {
    let (sim, client, token) = signed_in().await;
    let guid = client.agent_call(&call_to("099123456")).await.unwrap();
    let entry = only_request(&sim, "Agents/AgentCall");
    assert_token(&entry, &token);
    assert_eq!(fields(&entry), CALL_FIELDS);
    assert_eq!(entry.response, guid.as_str());
    let call = &sim.state()["calls"][0];
    assert_eq!(
        (
            &call["guid"],
            &call["destination"],
            &call["campaign"],
            &call["phone"]
        ),
        (
            &json!(guid.as_str()),
            &json!("099123456"),
            &json!("Ventas->"),
            &json!("1001")
        )
    );
}

#[tokio::test]
async fn a_refused_call_is_rejected_and_sent_once() {
    let (sim, client, _) = signed_in().await;
    let err = client.agent_call(&call_to("12")).await.unwrap_err();
    assert!(
        matches!(&err, Error::Rejected { endpoint: "Agents/AgentCall", body } if body == "0"),
        "{err:?}"
    );
    assert_eq!(requested(&sim), ["Agents/AgentCall"]);
}

#[tokio::test]
async fn agent_call_is_not_retried_after_a_dropped_connection() {
    let (sim, client, _) = signed_in().await;
    sim.set_faults(Faults {
        drop_next: 1,
        path_contains: Some("AgentCall".into()),
        ..Default::default()
    });
    let err = client.agent_call(&call_to("099123456")).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { .. } | Error::Connect { .. }),
        "{err:?}"
    );
    assert!(
        err.is_transient(),
        "transient, yet AgentCall must not be repeated"
    );
    assert_eq!(requested(&sim), ["Agents/AgentCall"], "sent exactly once");
}

#[tokio::test]
async fn agent_call_is_not_retried_after_a_timeout() {
    let (sim, _, token) = signed_in().await;
    let client = Client::builder(sim.base_url())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    client.set_token(Some(token));
    sim.set_faults(Faults {
        latency_ms: 1_500,
        ..Default::default()
    });
    let err = client.agent_call(&call_to("099123456")).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                endpoint: "Agents/AgentCall"
            }
        ),
        "{err:?}"
    );
    assert_eq!(requested(&sim), ["Agents/AgentCall"], "sent exactly once");
    assert_eq!(
        sim.state()["calls"].as_array().unwrap().len(),
        1,
        "the server did start the call"
    );
}

#[tokio::test]
async fn agent_call_with_data_adds_the_data_field() {
    let (sim, client, token) = signed_in().await;
    let guid = client
        .agent_call_with_data(&call_to("099123456"), r#"{"crm":42,"nombre":"Núñez"}"#)
        .await
        .unwrap();
    let entry = only_request(&sim, "Agents/AgentCallwithData");
    assert_token(&entry, &token);
    let mut expected = CALL_FIELDS.to_vec();
    expected.push(("data", r#"{"crm":42,"nombre":"Núñez"}"#));
    assert_eq!(fields(&entry), expected);
    assert_eq!(sim.state()["calls"][0]["guid"], guid.as_str());
}

#[tokio::test]
async fn hangup_ends_the_agents_call() {
    let (sim, client, token) = signed_in().await;
    client.agent_call(&call_to("099123456")).await.unwrap();
    sim.clear_journal();
    client.hangup("1001").await.unwrap();
    let entry = only_request(&sim, "Agents/HungupPhone");
    assert_token(&entry, &token);
    assert_eq!(fields(&entry), [("phone", "1001")]);
    assert_eq!(entry.response, "1");
    assert_eq!(sim.state()["calls"][0]["state"], "hung_up");
}

#[tokio::test]
async fn hangup_without_a_call_is_rejected() {
    let (sim, client, _) = signed_in().await;
    let err = client.hangup("1001").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Rejected {
                endpoint: "Agents/HungupPhone",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        requested(&sim),
        ["Agents/HungupPhone"],
        "a 0 is not a reason to try the other spelling"
    );
}

#[tokio::test]
async fn tag_record_sends_exact_fields_and_takes_the_empty_answer() {
    let (sim, client, token) = signed_in().await;
    let guid = client.agent_call(&call_to("099123456")).await.unwrap();
    sim.clear_journal();
    let tag = TagRecord {
        phone: "099123456".into(),
        guid: guid.clone(),
        data: "cliente VIP & recurrente".into(),
    };
    client.tag_record(&tag).await.unwrap();
    let entry = only_request(&sim, "Agents/TagRecord");
    assert_token(&entry, &token);
    assert_eq!(
        fields(&entry),
        [
            ("phone", "099123456"),
            ("guid", guid.as_str()),
            ("data", "cliente VIP & recurrente")
        ]
    );
    assert_eq!(entry.response, "", "TagRecord answers an empty body");
    assert_eq!(sim.state()["tags"][0]["data"], "cliente VIP & recurrente");
}

#[tokio::test]
async fn disposition_sends_all_thirteen_fields() {
    let (sim, client, token) = signed_in().await;
    let guid = client.agent_call(&call_to("099123456")).await.unwrap();
    sim.clear_journal();
    let disposition = Disposition {
        campaign: "Ventas->".into(),
        agent: "alice".into(),
        callerid: "099123456".into(),
        guid: guid.to_string(),
        l1: "Volver a llamar".into(),
        l2: "Agendar".into(),
        l3: String::new(),
        d1: "id=7".into(),
        d2: String::new(),
        comment: "Llamar después de las 18 h, pidió hablar con Núñez".into(),
        schedule: Some(parse_datetime("2030-05-06 18:30:00").unwrap()),
        camptoreschedule: Some(Campaign::new("Cobranzas->")),
        tag: "agendado".into(),
    };
    client.disposition_call(&disposition).await.unwrap();
    let entry = only_request(&sim, "api/DispositionCall");
    assert_token(&entry, &token);
    let expected = [
        ("campaign", "Ventas->"),
        ("agent", "alice"),
        ("callerid", "099123456"),
        ("guid", guid.as_str()),
        ("l1", "Volver a llamar"),
        ("l2", "Agendar"),
        ("l3", ""),
        ("d1", "id=7"),
        ("d2", ""),
        (
            "comment",
            "Llamar después de las 18 h, pidió hablar con Núñez",
        ),
        ("schedule", "2030-05-06 18:30:00"),
        ("camptoreschedule", "Cobranzas->"),
        ("tag", "agendado"),
    ];
    assert_eq!(fields(&entry), expected);
    let stored = &sim.state()["dispositions"][0];
    for (name, value) in expected {
        assert_eq!(stored[name], value, "{name}");
    }
}

#[tokio::test]
async fn disposition_sends_absent_optionals_as_empty_strings() {
    let (sim, client, _) = signed_in().await;
    let disposition = Disposition {
        campaign: "Ventas->".into(),
        agent: "alice".into(),
        callerid: "099123456".into(),
        guid: "7e4e7db9-f080-494e-b04b-7c8e47711558".into(),
        l1: "Contactado".into(),
        ..Default::default()
    };
    client.disposition_call(&disposition).await.unwrap();
    let entry = only_request(&sim, "api/DispositionCall");
    let empty: Vec<&str> = fields(&entry)
        .into_iter()
        .filter(|(_, v)| v.is_empty())
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        empty,
        [
            "l2",
            "l3",
            "d1",
            "d2",
            "comment",
            "schedule",
            "camptoreschedule",
            "tag"
        ]
    );
}

#[tokio::test]
async fn call_workflow_sends_json_params_and_returns_the_answer() {
    let (sim, client, token) = signed_in().await;
    let answer = client
        .call_workflow("from-crm", "500", &json!({"id": 7, "nota": "¿llamar?"}))
        .await
        .unwrap();
    assert_eq!(answer, "OK");
    let entry = only_request(&sim, "admin/CallWorkflow");
    assert_token(&entry, &token);
    assert_eq!(
        fields(&entry).iter().map(|(k, _)| *k).collect::<Vec<_>>(),
        ["context", "extension", "jsonparams"]
    );
    assert_eq!(
        (entry.field("context"), entry.field("extension")),
        (Some("from-crm"), Some("500"))
    );
    assert_eq!(
        entry.json_field("jsonparams"),
        Some(json!({"id": 7, "nota": "¿llamar?"}))
    );
}

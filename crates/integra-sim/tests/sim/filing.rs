//! What agents file about calls: TagRecord, DispositionCall and CallWorkflow.

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn tag_record_answers_an_empty_body_and_stores_the_tag() {
    let sim = start().await;
    let token = alice(&sim).await;
    let tag = [
        ("phone", "099123456"),
        ("guid", "g-1"),
        ("data", "promesa de pago"),
    ];
    let reply = post(&sim, "Agents/TagRecord", Some(&token), &tag).await;
    assert_eq!((reply.status, reply.body.as_str()), (200, ""));
    assert_eq!(
        sim.state()["tags"],
        json!([{"phone": "099123456", "guid": "g-1", "data": "promesa de pago"}])
    );
    assert_eq!(
        post(&sim, "Agents/TagRecord", Some(&token), &[("guid", "g-1")])
            .await
            .body,
        "0"
    );
}

#[tokio::test]
async fn disposition_keeps_all_thirteen_fields_and_checks_the_schedule() {
    let sim = start().await;
    let token = alice(&sim).await;
    let mut fields = vec![
        ("campaign", "Ventas->"),
        ("agent", "alice"),
        ("callerid", "099123456"),
        ("guid", "g-1"),
        ("l1", "Contactado"),
        ("l2", "Venta"),
        ("l3", "Tarjeta"),
        ("d1", "x"),
        ("d2", ""),
        ("comment", "llamar de tarde & pronto"),
        ("schedule", "2026-12-01 15:00:00"),
        ("camptoreschedule", "Cobranzas->"),
        ("tag", ""),
    ];
    assert_eq!(
        post(&sim, "api/DispositionCall", Some(&token), &fields)
            .await
            .body,
        "1"
    );
    let filed = &sim.state()["dispositions"][0];
    assert_eq!(filed.as_object().unwrap().len(), 13);
    assert_eq!(filed["comment"], "llamar de tarde & pronto");
    assert_eq!(filed["camptoreschedule"], "Cobranzas->");

    fields[10].1 = "2026-12-01T15:00";
    assert_eq!(
        post(&sim, "api/DispositionCall", Some(&token), &fields)
            .await
            .body,
        "0"
    );
    for required in ["campaign", "agent", "callerid", "guid", "l1"] {
        let without: Vec<_> = fields
            .iter()
            .filter(|(k, _)| *k != required && *k != "schedule")
            .copied()
            .collect();
        assert_eq!(
            post(&sim, "api/DispositionCall", Some(&token), &without)
                .await
                .body,
            "0",
            "{required}"
        );
    }
    assert_eq!(sim.state()["dispositions"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn call_workflow_answers_ok_for_a_json_object() {
    let sim = start().await;
    let token = alice(&sim).await;
    let good = [
        ("context", "flows"),
        ("extension", "s"),
        ("jsonparams", r#"{"a":1}"#),
    ];
    assert_eq!(
        post(&sim, "admin/CallWorkflow", Some(&token), &good)
            .await
            .body,
        "OK"
    );
    let bad = [
        ("context", "flows"),
        ("extension", "s"),
        ("jsonparams", "a=1"),
    ];
    assert_eq!(
        post(&sim, "admin/CallWorkflow", Some(&token), &bad)
            .await
            .body,
        "0"
    );
    assert_eq!(sim.state()["workflows"][0]["jsonparams"], json!({"a": 1}));
}

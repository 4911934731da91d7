//! AgentCall and the call's life, HungupPhone/HangupPhone, TagRecord, DispositionCall and CallWorkflow.

use std::time::Duration;

use integra_sim::SimConfig;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn agent_call_returns_a_new_guid_as_plain_text() {
    let sim = start().await;
    let token = alice(&sim).await;
    let reply = post(
        &sim,
        "Agents/AgentCall",
        Some(&token),
        &pairs(&call_fields("099123456")),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert!(reply.content_type.starts_with("text/plain"));
    let guid = uuid::Uuid::parse_str(&reply.body).expect("a GUID");
    let call = &sim.state()["calls"][0];
    assert_eq!(call["guid"], guid.to_string());
    assert_eq!(
        (
            &call["phone"],
            &call["destination"],
            &call["campaign"],
            &call["state"]
        ),
        (
            &json!("1001"),
            &json!("099123456"),
            &json!("Ventas->"),
            &json!("connected")
        )
    );
}

#[tokio::test]
async fn agent_call_answers_zero_without_any_of_its_seven_parameters_or_with_a_blank_one_but_callerid(
) {
    let sim = start().await;
    let token = alice(&sim).await;
    let all = call_fields("099123456");
    for (missing, _) in &all {
        let fields: Vec<_> = all.iter().filter(|(k, _)| k != missing).cloned().collect();
        let reply = post(&sim, "Agents/AgentCall", Some(&token), &pairs(&fields)).await;
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (200, "0"),
            "without {missing}"
        );
        let blank: Vec<_> = all
            .iter()
            .map(|(k, v)| {
                (
                    *k,
                    if k == missing {
                        " ".to_string()
                    } else {
                        v.clone()
                    },
                )
            })
            .collect();
        if *missing == "callerid" {
            // Sent but empty: the call goes out with the campaign's DID.
            continue;
        }
        assert_eq!(
            post(&sim, "Agents/AgentCall", Some(&token), &pairs(&blank))
                .await
                .body,
            "0"
        );
    }
    assert_eq!(sim.state()["calls"], json!([]));
}

#[tokio::test]
async fn agent_call_refuses_bad_destinations_and_unknown_campaigns() {
    let sim = start().await;
    let token = alice(&sim).await;
    for destination in ["Ventas->", "099-abc", "12", "099 123 456"] {
        let reply = post(
            &sim,
            "Agents/AgentCall",
            Some(&token),
            &pairs(&call_fields(destination)),
        )
        .await;
        assert_eq!(reply.body, "0", "{destination}");
    }
    let mut fields = call_fields("099123456");
    fields[5].1 = "Ventas".into();
    assert_eq!(
        post(&sim, "Agents/AgentCall", Some(&token), &pairs(&fields))
            .await
            .body,
        "0"
    );
}

#[tokio::test]
async fn percent_decoding_is_exact_with_or_without_charset() {
    let sim = start().await;
    let token = alice(&sim).await;
    let body =
        "callerid=59821234567&agent=alice&phone=1001&tech=SIP&context=agentes&outqueue=Ventas-%3E\
                &destination=%2B59899123456";
    let reply = post_raw(
        &sim,
        "Agents/AgentCall",
        Some(&token),
        Some("application/x-www-form-urlencoded"),
        body.into(),
    )
    .await;
    assert_eq!(reply.body.len(), 36, "{}", reply.body);
    assert_eq!(sim.state()["calls"][0]["destination"], "+59899123456");
    // `Ventas-%253E` decodes to `Ventas-%3E`, which is not a campaign: no double decoding.
    let twice = body
        .replace("1001", "1002")
        .replace("Ventas-%3E", "Ventas-%253E");
    assert_eq!(
        post_raw(&sim, "Agents/AgentCall", Some(&token), Some(FORM), twice)
            .await
            .body,
        "0"
    );
    // A JSON body is not a form: the fields are missing.
    let json_body = json!({"destination": "099123456"}).to_string();
    assert_eq!(
        post_raw(
            &sim,
            "Agents/AgentCall",
            Some(&token),
            Some("application/json"),
            json_body
        )
        .await
        .body,
        "0"
    );
}

#[tokio::test]
async fn a_call_rings_the_agent_then_connects_after_the_answer_delay() {
    let config = SimConfig {
        answer_delay: Duration::from_millis(300),
        ..SimConfig::demo()
    };
    let sim = start_with(config).await;
    let token = alice(&sim).await;
    post(
        &sim,
        "Agents/AgentCall",
        Some(&token),
        &pairs(&call_fields("099123456")),
    )
    .await;
    assert_eq!(sim.state()["calls"][0]["state"], "ringing_agent");
    let connected = eventually(Duration::from_secs(5), || async {
        sim.state()["calls"][0]["state"] == "connected"
    })
    .await;
    assert!(connected, "the call never connected");
}

#[tokio::test]
async fn hangup_ends_the_live_call_of_the_extension_once() {
    let sim = start().await;
    let token = alice(&sim).await;
    let t = Some(token.as_str());
    assert_eq!(
        post(&sim, "Agents/HungupPhone", t, &[("phone", "1001")])
            .await
            .body,
        "0",
        "no call yet"
    );
    post(
        &sim,
        "Agents/AgentCall",
        t,
        &pairs(&call_fields("099123456")),
    )
    .await;
    let busy = post(
        &sim,
        "Agents/AgentCall",
        t,
        &pairs(&call_fields("099000111")),
    )
    .await;
    assert_eq!(busy.body, "0", "one call per extension");
    assert_eq!(
        post(&sim, "Agents/HungupPhone", t, &[("phone", "1002")])
            .await
            .body,
        "0"
    );
    assert_eq!(
        post(&sim, "Agents/HungupPhone", t, &[("phone", "1001")])
            .await
            .body,
        "1"
    );
    assert_eq!(
        post(&sim, "Agents/HungupPhone", t, &[("phone", "1001")])
            .await
            .body,
        "0"
    );
    let call = &sim.state()["calls"][0];
    assert_eq!(
        (&call["state"], &call["ended_by"]),
        (&json!("hung_up"), &json!("agent"))
    );

    // The other spelling works the same.
    post(
        &sim,
        "Agents/AgentCall",
        t,
        &pairs(&call_fields("099000111")),
    )
    .await;
    assert_eq!(
        post(&sim, "Agents/HangupPhone", t, &[("phone", "1001")])
            .await
            .body,
        "1"
    );
}

#[tokio::test]
async fn the_customer_can_hang_up_through_the_admin_api() {
    let sim = start().await;
    let token = alice(&sim).await;
    let guid = post(
        &sim,
        "Agents/AgentCall",
        Some(&token),
        &pairs(&call_fields("099123456")),
    )
    .await
    .body;
    let url = format!("{}/_sim/calls/{guid}/customer-hangup", sim.base_url());
    let http = reqwest::Client::new();
    assert_eq!(http.post(&url).send().await.unwrap().status(), 200);
    let call = &sim.state()["calls"][0];
    assert_eq!(
        (&call["state"], &call["ended_by"]),
        (&json!("hung_up"), &json!("customer"))
    );
    assert_eq!(
        http.post(&url).send().await.unwrap().status(),
        404,
        "already ended"
    );
    assert_eq!(
        post(
            &sim,
            "Agents/HungupPhone",
            Some(&token),
            &[("phone", "1001")]
        )
        .await
        .body,
        "0"
    );
    let again = post(
        &sim,
        "Agents/AgentCall",
        Some(&token),
        &pairs(&call_fields("099123456")),
    )
    .await;
    assert_eq!(again.body.len(), 36, "the extension is free again");
}

#[tokio::test]
async fn agent_call_with_data_needs_data_and_keeps_it() {
    let sim = start().await;
    let token = alice(&sim).await;
    let fields = call_fields("099123456");
    assert_eq!(
        post(
            &sim,
            "Agents/AgentCallwithData",
            Some(&token),
            &pairs(&fields)
        )
        .await
        .body,
        "0"
    );
    let mut with_data = fields.clone();
    with_data.push(("data", r#"{"idcustomer":7}"#.into()));
    let guid = post(
        &sim,
        "Agents/AgentCallwithData",
        Some(&token),
        &pairs(&with_data),
    )
    .await
    .body;
    assert_eq!(guid.len(), 36);
    assert_eq!(sim.state()["calls"][0]["data"], r#"{"idcustomer":7}"#);
}

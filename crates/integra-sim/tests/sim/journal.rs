//! The journal: every request but the admin API's, as sent and as answered.

use serde_json::Value;

use crate::support::*;

#[tokio::test]
async fn entries_record_the_request_as_sent_and_the_answer() {
    let sim = start().await;
    let token = alice(&sim).await;
    sim.clear_journal();
    let guid = post(
        &sim,
        "Agents/AgentCall",
        Some(&token),
        &pairs(&call_fields("099123456")),
    )
    .await
    .body;

    let journal = sim.journal();
    assert_eq!(journal.len(), 1);
    let entry = &journal[0];
    assert_eq!(entry.method, "POST");
    assert_eq!(entry.path, "/Integra/resources/Agents/AgentCall");
    assert_eq!(entry.query, "");
    assert_eq!(entry.content_type.as_deref(), Some(FORM));
    assert_eq!(entry.authorization, Some(format!("Basic {token}")));
    assert_eq!(entry.field("outqueue"), Some("Ventas->"));
    assert_eq!(entry.field("destination"), Some("099123456"));
    assert_eq!(entry.form.len(), 7);
    assert_eq!(
        (entry.status, entry.response.as_str()),
        (200, guid.as_str())
    );
}

#[tokio::test]
async fn rejected_requests_and_recordings_are_journaled_but_admin_calls_are_not() {
    let sim = start().await;
    post(&sim, "Agents/AgentCall", None, &[]).await;
    get(&sim, "/records/7e4e7db9-f080-494e-b04b-7c8e47711558.mp3").await;
    get(&sim, "/records/nope.mp3").await;
    get(&sim, "/_sim/state").await;
    get(&sim, "/_sim/health").await;

    let journal = sim.journal();
    let seen: Vec<_> = journal
        .iter()
        .map(|e| (e.path.as_str(), e.status))
        .collect();
    assert_eq!(
        seen,
        [
            ("/Integra/resources/Agents/AgentCall", 401),
            ("/records/7e4e7db9-f080-494e-b04b-7c8e47711558.mp3", 200),
            ("/records/nope.mp3", 404),
        ]
    );
    assert_eq!(journal[0].response, "Unauthorized");
    assert!(
        journal[1].response.starts_with("<audio"),
        "{}",
        journal[1].response
    );
    assert!(journal.windows(2).all(|w| w[0].seq < w[1].seq));
}

#[tokio::test]
async fn json_fields_and_the_http_journal_agree() {
    let sim = start().await;
    let token = alice(&sim).await;
    let spool = r#"{"campaign":"Ventas->","destination":"098344484","dialerbase":"b","status":1,"contact":222,"retries":0,"priority":9999}"#;
    post(
        &sim,
        "Dialers/Respool",
        Some(&token),
        &[("callspool", spool)],
    )
    .await;
    let entry = sim.journal().pop().unwrap();
    assert_eq!(entry.json_field("callspool").unwrap()["contact"], 222);

    let http: Value = reqwest::get(format!("{}/_sim/journal", sim.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let last = http.as_array().unwrap().last().unwrap();
    assert_eq!(last["path"], "/Integra/resources/Dialers/Respool");
    assert_eq!(last["form"][0], serde_json::json!(["callspool", spool]));
    assert_eq!(last["authorization"], format!("Basic {token}"));

    let cleared = reqwest::Client::new()
        .delete(format!("{}/_sim/journal", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert!(cleared.status().is_success());
    assert!(sim.journal().is_empty());
}

#[tokio::test]
async fn huge_values_are_cut_in_the_journal() {
    let sim = start().await;
    let token = alice(&sim).await;
    let long = "x".repeat(100_000);
    post(
        &sim,
        "Agents/TagRecord",
        Some(&token),
        &[("guid", "g"), ("data", &long)],
    )
    .await;
    let entry = sim.journal().pop().unwrap();
    let kept = entry.field("data").unwrap();
    assert!(
        kept.len() < 5_000 && kept.ends_with("[100000 bytes]"),
        "{}",
        &kept[kept.len() - 20..]
    );
    assert_eq!(
        sim.state()["tags"][0]["data"].as_str().unwrap().len(),
        100_000,
        "the server itself got it all"
    );
}

#[tokio::test]
async fn entries_carry_their_arrival_time_and_can_be_read_after_a_sequence_number() {
    let sim = start().await;
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_micros() as u64;
    let token = alice(&sim).await;
    post(
        &sim,
        "Agents/AgentCall",
        Some(&token),
        &pairs(&call_fields("099123456")),
    )
    .await;
    let after = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_micros() as u64;

    let journal = sim.journal();
    assert_eq!(journal.len(), 2);
    assert!(journal
        .iter()
        .all(|e| (before..=after).contains(&e.received_us)));
    assert!(journal[0].received_us <= journal[1].received_us);

    let url = format!("{}/_sim/journal?after={}", sim.base_url(), journal[0].seq);
    let newer: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    let newer = newer.as_array().unwrap();
    assert_eq!(newer.len(), 1, "{newer:?}");
    assert_eq!(newer[0]["path"], "/Integra/resources/Agents/AgentCall");
    assert_eq!(newer[0]["received_us"], journal[1].received_us);
}

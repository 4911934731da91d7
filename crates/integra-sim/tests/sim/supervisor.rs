//! Supervisor/campaignstatus and queuesummary, with counters that move as calls are made.

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn campaign_counters_move_as_calls_are_made_and_ended() {
    let sim = start().await;
    let token = alice(&sim).await;
    let t = Some(token.as_str());
    let status = |queue: &'static str| {
        let (sim, token) = (&sim, token.clone());
        async move {
            post(
                sim,
                "Supervisor/campaignstatus",
                Some(&token),
                &[("queue", queue)],
            )
            .await
            .json()
        }
    };
    let before = status("Ventas->").await;
    assert_eq!(
        before
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| k.ends_with("->") || k.ends_with("<-"))
            .count(),
        1
    );
    assert_eq!(
        (
            &before["Ventas->"]["totalcalls"],
            &before["Ventas->"]["busy"]
        ),
        (&json!(0), &json!(0))
    );

    post(
        &sim,
        "Agents/AgentCall",
        t,
        &pairs(&call_fields("099123456")),
    )
    .await;
    let during = status("").await;
    assert_eq!(
        (
            &during["Ventas->"]["totalcalls"],
            &during["Ventas->"]["busy"]
        ),
        (&json!(1), &json!(1))
    );
    assert_eq!(during["Cobranzas->"]["totalcalls"], 0);
    assert_eq!(during["alice"]["status"], "busy");
    let summary = post(&sim, "Supervisor/queuesummary", t, &[]).await.json();
    assert_eq!(summary[0]["queue"], "Ventas->");
    assert_eq!(summary[0]["callers"], 1);

    post(&sim, "Agents/HungupPhone", t, &[("phone", "1001")]).await;
    let after = status("Ventas->").await;
    assert_eq!(
        (&after["Ventas->"]["completed"], &after["Ventas->"]["busy"]),
        (&json!(1), &json!(0))
    );
    assert_eq!(
        post(&sim, "Supervisor/campaignstatus", t, &[("queue", "Nope->")])
            .await
            .body,
        "0"
    );
}

#[tokio::test]
async fn queue_summary_ends_with_a_metadata_only_object() {
    let sim = start().await;
    let token = admin(&sim).await;
    let rows = post(&sim, "Supervisor/queuesummary", Some(&token), &[])
        .await
        .json();
    let rows = rows.as_array().unwrap();
    let queues: Vec<_> = rows.iter().filter_map(|r| r["queue"].as_str()).collect();
    assert_eq!(queues, ["Ventas->", "Cobranzas->", "Soporte<-"]);
    let last = rows.last().unwrap().as_object().unwrap();
    let mut keys: Vec<_> = last.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["dateReceived", "internalActionId"]);
    for key in [
        "loggedIn",
        "available",
        "callers",
        "holdTime",
        "talkTime",
        "longestHoldTime",
    ] {
        assert!(rows[0][key].is_u64(), "{key}");
    }
}

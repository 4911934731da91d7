//! queuesummary and campaignstatus.

use integra::{Campaign, Error, StatusEntry};

use crate::calls::call_to;
use crate::support::*;

#[tokio::test]
async fn queue_summary_lists_the_queues_and_keeps_the_metadata_apart() {
    let (sim, client, token) = signed_in().await;
    let report = client.queue_summary_report().await.unwrap();
    let entry = only_request(&sim, "Supervisor/queuesummary");
    assert_token(&entry, &token);
    assert!(entry.form.is_empty(), "queuesummary takes no fields");
    let names: Vec<_> = report.queues.iter().map(|q| q.queue.as_str()).collect();
    assert_eq!(names, ["Ventas->", "Cobranzas->", "Soporte<-"]);
    assert_eq!(
        (report.queues[0].logged_in, report.queues[0].callers),
        (1, 0),
        "alice signed in"
    );
    assert_eq!(report.metadata.len(), 1);
    assert!(!report.metadata[0].date_received.is_empty());
    assert_eq!(
        report.metadata[0].internal_action_id,
        report.queues[0].internal_action_id
    );

    let queues = client.queue_summary().await.unwrap();
    let again: Vec<_> = queues.iter().map(|q| q.queue.as_str()).collect();
    assert_eq!(again, names, "queue_summary is the report's queues");
}

#[tokio::test]
async fn campaign_status_of_one_campaign_sends_its_name() {
    let (sim, client, token) = signed_in().await;
    let status = client
        .campaign_status(Some(&Campaign::new("Ventas->")))
        .await
        .unwrap();
    let entry = only_request(&sim, "Supervisor/campaignstatus");
    assert_token(&entry, &token);
    assert_eq!(fields(&entry), [("queue", "Ventas->")]);
    let ventas = status.campaign("Ventas->").unwrap();
    assert_eq!(
        (
            ventas.totalcalls,
            ventas.logged,
            ventas.availables,
            ventas.strategy.as_str(),
            ventas.wrapup
        ),
        (0, 1, 1, "leastrecent", 3)
    );
    assert_eq!(ventas.talked, "00:00:00-0");
    assert_eq!(status.campaigns().count(), 1);
    let alice: Vec<_> = status
        .agents()
        .map(|a| (a.agent.as_str(), a.status.as_str()))
        .collect();
    assert_eq!(alice, [("alice", "available")]);
}

#[tokio::test]
async fn campaign_status_counts_move_with_calls() {
    let (sim, client, _) = signed_in().await;
    let guid = client.agent_call(&call_to("099123456")).await.unwrap();
    sim.clear_journal();
    let all = client.campaign_status(None).await.unwrap();
    let entry = only_request(&sim, "Supervisor/campaignstatus");
    assert_eq!(
        fields(&entry),
        [("queue", "")],
        "empty queue = every campaign"
    );
    assert_eq!(all.campaigns().count(), 3);
    let ventas = all.campaign("Ventas->").unwrap();
    assert_eq!(
        (ventas.totalcalls, ventas.busy, ventas.availables),
        (1, 1, 0)
    );
    match &all.entries["alice"] {
        StatusEntry::Agent(alice) => {
            assert_eq!(
                (alice.status.as_str(), alice.campaign.as_str()),
                ("busy", "Ventas->")
            )
        }
        other => panic!("alice is an agent entry, got {other:?}"),
    }

    client.hangup("1001").await.unwrap();
    let after = client
        .campaign_status(Some(&Campaign::new("Ventas->")))
        .await
        .unwrap();
    let ventas = after.campaign("Ventas->").unwrap();
    assert_eq!(
        (ventas.busy, ventas.completed + ventas.abandoned),
        (0, 1),
        "call {guid} ended"
    );
}

#[tokio::test]
async fn an_unknown_campaign_is_rejected() {
    let (_sim, client, _) = signed_in().await;
    let err = client
        .campaign_status(Some(&Campaign::new("Nadie->")))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Rejected {
                endpoint: "Supervisor/campaignstatus",
                ..
            }
        ),
        "{err:?}"
    );
}

//! queuesummary and campaignstatus.

use integra::{AgentCall, Campaign, StatusEntry};

use crate::support::*;

#[tokio::test]
async fn campaign_status_counts_move_with_calls() {
    let (sim, client) = signed_in().await;
    let before = client
        .campaign_status(Some(&Campaign::new("Ventas->")))
        .await
        .unwrap();
    let entry = only_request(&sim, "Supervisor/campaignstatus");
    assert_eq!(entry.field("queue"), Some("Ventas->"));
    assert_eq!(before.campaigns().next().unwrap().totalcalls, 0);
    client
        .agent_call(&AgentCall {
            callerid: String::new(),
            agent: "alice".into(),
            phone: "1001".into(),
            tech: "SIP".into(),
            context: "agentes".into(),
            outqueue: Campaign::new("Ventas->"),
            destination: "099123456".into(),
        })
        .await
        .unwrap();
    let all = client.campaign_status(None).await.unwrap();
    let ventas = all.campaigns().find(|c| c.campaign == "Ventas->").unwrap();
    assert_eq!((ventas.totalcalls, ventas.busy), (1, 1));
    assert!(
        matches!(&all.entries["alice"], StatusEntry::Agent { .. }),
        "signed-in agents are listed"
    );
    assert_eq!(all.campaigns().count(), 3);
}

#[tokio::test]
async fn queue_summary_leaves_out_the_metadata_row() {
    let (_sim, client) = signed_in().await;
    let queues = client.queue_summary().await.unwrap();
    let names: Vec<_> = queues.iter().map(|q| q.queue.as_str()).collect();
    assert_eq!(names, ["Ventas->", "Cobranzas->", "Soporte<-"]);
}

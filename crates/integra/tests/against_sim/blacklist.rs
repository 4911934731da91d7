//! addblack, addblackbulk, deleteblack, deleteblackbulk.

use integra::{BlackEntry, Campaign, DialerTask, Error};
use serde_json::json;

use crate::support::*;

fn ana() -> BlackEntry {
    BlackEntry {
        username: Some("alice".into()),
        name: Some("Ana Núñez".into()),
        expire_date: Some("2031-01-01".into()),
        direction: Some("O".into()),
        ..BlackEntry::new("099123456", "Ventas->")
    }
}

#[tokio::test]
async fn add_black_sends_only_the_given_fields() {
    let (sim, client, token) = signed_in().await;
    client.add_black(&ana()).await.unwrap();
    let entry = only_request(&sim, "admin/addblack");
    assert_token(&entry, &token);
    assert_eq!(entry.form.len(), 1);
    assert_eq!(
        entry.json_field("black"),
        Some(json!({
            "phone": "099123456", "campaign": "Ventas->", "username": "alice", "name": "Ana Núñez",
            "expire_date": "2031-01-01", "direction": "O"
        }))
    );
    assert_eq!(entry.response, "1");
    assert_eq!(sim.state()["blacklist"].as_array().unwrap().len(), 1);

    sim.clear_journal();
    let barred = client
        .dialer_task(&DialerTask::priority_now(
            &Campaign::new("Ventas->"),
            "099123456",
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(barred, Error::Rejected { .. }),
        "the dialer refuses a barred number: {barred:?}"
    );
}

#[tokio::test]
async fn bulk_add_and_delete_send_json_arrays() {
    let (sim, client, token) = signed_in().await;
    let entries = [ana(), BlackEntry::new("098765432", "*")];
    client.add_black_bulk(&entries).await.unwrap();
    let entry = only_request(&sim, "admin/addblackbulk");
    assert_token(&entry, &token);
    let expected = json!([
        {"phone": "099123456", "campaign": "Ventas->", "username": "alice", "name": "Ana Núñez",
         "expire_date": "2031-01-01", "direction": "O"},
        {"phone": "098765432", "campaign": "*"}
    ]);
    assert_eq!(entry.json_field("black"), Some(expected.clone()));
    assert_eq!(sim.state()["blacklist"].as_array().unwrap().len(), 2);

    sim.clear_journal();
    client.delete_black_bulk(&entries).await.unwrap();
    let entry = only_request(&sim, "admin/deleteblackbulk");
    assert_eq!(entry.json_field("black"), Some(expected));
    assert_eq!(sim.state()["blacklist"], json!([]));
}

#[tokio::test]
async fn delete_black_sends_the_entry() {
    let (sim, client, _) = signed_in().await;
    client
        .add_black(&BlackEntry::new("098765432", "*"))
        .await
        .unwrap();
    sim.clear_journal();
    client
        .delete_black(&BlackEntry::new("098765432", "*"))
        .await
        .unwrap();
    let entry = only_request(&sim, "admin/deleteblack");
    assert_eq!(
        entry.json_field("black"),
        Some(json!({"phone": "098765432", "campaign": "*"}))
    );
    assert_eq!(sim.state()["blacklist"], json!([]));
}

#[tokio::test]
async fn incomplete_entries_are_refused_before_sending() {
    let (sim, client, _) = signed_in().await;
    let err = client
        .add_black(&BlackEntry::new("099123456", ""))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                field: "campaign",
                ..
            }
        ),
        "{err:?}"
    );
    let err = client.delete_black_bulk(&[]).await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert!(sim.journal().is_empty());
}

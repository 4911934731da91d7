//! Blacklist and the disposition rows through FormGet.

use integra::{BlackEntry, Campaign};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn blacklist_single_and_bulk() {
    let (sim, client) = signed_in().await;
    let entry = BlackEntry {
        name: Some("Ana Pérez".into()),
        ..BlackEntry::new("099123456", "*")
    };
    client.add_black(&entry).await.unwrap();
    let sent = only_request(&sim, "admin/addblack");
    assert_eq!(
        sent.json_field("black"),
        Some(json!({"phone": "099123456", "campaign": "*", "name": "Ana Pérez"}))
    );

    sim.clear_journal();
    let bulk = [
        BlackEntry::new("091000001", "Ventas->"),
        BlackEntry::new("091000002", "Ventas->"),
    ];
    client.add_black_bulk(&bulk).await.unwrap();
    assert_eq!(
        only_request(&sim, "admin/addblackbulk")
            .json_field("black")
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(sim.state()["blacklist"].as_array().unwrap().len(), 3);

    client.delete_black(&entry).await.unwrap();
    client.delete_black_bulk(&bulk).await.unwrap();
    assert_eq!(sim.state()["blacklist"], json!([]));
}

#[tokio::test]
async fn disposition_rows_come_from_a_read_only_query() {
    let (sim, client) = signed_in().await;
    let rows = client
        .disposition_rows(&Campaign::new("Ventas->"), "Repo")
        .await
        .unwrap();
    assert!(rows.iter().any(
        |r| (r.value1.as_str(), r.value2.as_str(), r.value3.as_str())
            == ("Contactado", "Venta", "Tarjeta")
    ));
    let entry = only_request(&sim, "forms/FormGet");
    assert_eq!(
        entry.field("query"),
        Some("SELECT value1,value2,value3 FROM dispositions WHERE campaign = 'Ventas->'")
    );
    assert_eq!(entry.field("dsn"), Some("Repo"));
}

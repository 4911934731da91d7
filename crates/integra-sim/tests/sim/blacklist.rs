//! The blacklist: add, delete, bulk, `*` for every campaign, and its effect on the dialer.

use serde_json::json;

use crate::dialers::spool;
use crate::support::*;

#[tokio::test]
async fn blacklist_entries_are_added_and_deleted_by_phone_and_campaign() {
    let sim = start().await;
    let token = alice(&sim).await;
    let t = Some(token.as_str());
    let one =
        json!({"phone": "099000001", "campaign": "*", "name": "Ana", "direction": "O"}).to_string();
    assert_eq!(
        post(&sim, "admin/addblack", t, &[("black", &one)])
            .await
            .body,
        "1"
    );
    let bulk = json!([{"phone": "099000002", "campaign": "Ventas->"}, {"phone": "099000002", "campaign": "Cobranzas->"}]);
    assert_eq!(
        post(
            &sim,
            "admin/addblackbulk",
            t,
            &[("black", &bulk.to_string())]
        )
        .await
        .body,
        "1"
    );
    assert_eq!(sim.state()["blacklist"].as_array().unwrap().len(), 3);

    // A number barred for every campaign cannot be respooled anywhere.
    assert_eq!(
        post(
            &sim,
            "Dialers/Respool",
            t,
            &[("callspool", &spool("099000001"))]
        )
        .await
        .body,
        "0"
    );

    for missing in [
        json!({"phone": "099000001"}),
        json!({"campaign": "*"}),
        json!([]),
    ] {
        assert_eq!(
            post(
                &sim,
                "admin/addblack",
                t,
                &[("black", &missing.to_string())]
            )
            .await
            .body,
            "0",
            "{missing}"
        );
    }
    assert_eq!(
        post(&sim, "admin/addblackbulk", t, &[("black", "[]")])
            .await
            .body,
        "0"
    );
    assert_eq!(
        post(&sim, "admin/addblackbulk", t, &[("black", &one)])
            .await
            .body,
        "0",
        "bulk wants an array"
    );

    let all_campaigns = json!({"phone": "099000002", "campaign": "*"}).to_string();
    assert_eq!(
        post(&sim, "admin/deleteblack", t, &[("black", &all_campaigns)])
            .await
            .body,
        "1"
    );
    assert_eq!(sim.state()["blacklist"].as_array().unwrap().len(), 1);
    let rest = json!([{"phone": "099000001", "campaign": "*"}]).to_string();
    assert_eq!(
        post(&sim, "admin/deleteblackbulk", t, &[("black", &rest)])
            .await
            .body,
        "1"
    );
    assert_eq!(sim.state()["blacklist"], json!([]));
}

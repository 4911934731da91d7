//! uploadbase and uploadbasewithtimezone: decoding, counting, refusing, spooling, and a body far above axum's default limit.

use base64::Engine;
use serde_json::json;

use crate::dialers::spool;
use crate::support::*;

fn upload_fields(file: &str, cant: &str) -> Vec<(&'static str, String)> {
    vec![
        ("filename", "ventas.txt".into()),
        (
            "fileb64",
            base64::engine::general_purpose::STANDARD.encode(file),
        ),
        ("campaign", "Ventas->".into()),
        ("cant", cant.into()),
        ("username", "alice".into()),
    ]
}

#[tokio::test]
async fn an_uploaded_base_is_decoded_counted_and_spooled() {
    let sim = start().await;
    let token = alice(&sim).await;
    let t = Some(token.as_str());
    let file =
        "Ventas->;098344484;id=1:src=web;099124484:099111111;9999;1001\r\nVentas->;099555666;;;;\n";
    assert_eq!(
        post(
            &sim,
            "Dialers/uploadbase",
            t,
            &pairs(&upload_fields(file, "2"))
        )
        .await
        .body,
        "1"
    );
    let base = &sim.state()["bases"][0];
    assert_eq!(
        (&base["rows"], &base["campaign"], &base["timezone"]),
        (&json!(2), &json!("Ventas->"), &json!(null))
    );
    assert_eq!(
        base["first_rows"][0],
        json!([
            "Ventas->",
            "098344484",
            "id=1:src=web",
            "099124484:099111111",
            "9999",
            "1001"
        ])
    );
    // The base's numbers wait on the spool, so respooling one is refused.
    assert_eq!(
        post(
            &sim,
            "Dialers/Respool",
            t,
            &[("callspool", &spool("098344484"))]
        )
        .await
        .body,
        "0"
    );

    let mut with_tz = upload_fields(file, "2");
    assert_eq!(
        post(&sim, "Dialers/uploadbasewithtimezone", t, &pairs(&with_tz))
            .await
            .body,
        "0",
        "no timezone"
    );
    with_tz.push(("timezone", "America/Montevideo".into()));
    assert_eq!(
        post(&sim, "Dialers/uploadbasewithtimezone", t, &pairs(&with_tz))
            .await
            .body,
        "1"
    );
    assert_eq!(sim.state()["bases"][1]["timezone"], "America/Montevideo");
}

#[tokio::test]
async fn a_base_whose_count_or_records_are_wrong_is_refused() {
    let sim = start().await;
    let token = alice(&sim).await;
    let t = Some(token.as_str());
    let file = "Ventas->;098344484\nVentas->;099555666\n";
    for cant in ["3", "1", "dos", ""] {
        assert_eq!(
            post(
                &sim,
                "Dialers/uploadbase",
                t,
                &pairs(&upload_fields(file, cant))
            )
            .await
            .body,
            "0",
            "{cant}"
        );
    }
    let bad_record = "Ventas->;098344484\nVentas->;llamar\n";
    assert_eq!(
        post(
            &sim,
            "Dialers/uploadbase",
            t,
            &pairs(&upload_fields(bad_record, "2"))
        )
        .await
        .body,
        "0"
    );
    let mut not_base64 = upload_fields(file, "2");
    not_base64[1].1 = "%%%".into();
    assert_eq!(
        post(&sim, "Dialers/uploadbase", t, &pairs(&not_base64))
            .await
            .body,
        "0"
    );
    assert_eq!(sim.state()["bases"], json!([]));
}

#[tokio::test]
async fn a_base_far_above_axums_default_body_limit_goes_through() {
    let sim = start().await;
    let token = alice(&sim).await;
    let rows = 100_000;
    let file: String = (0..rows)
        .map(|i| {
            format!(
                "Ventas->;09{i:07};id={i}:src=test;098{i:06};{};\n",
                2 + i % 100
            )
        })
        .collect();
    let fields = upload_fields(&file, &rows.to_string());
    assert!(
        fields[1].1.len() > 4 * 1024 * 1024,
        "the body must exceed axum's 2 MB default"
    );
    assert_eq!(
        post(&sim, "Dialers/uploadbase", Some(&token), &pairs(&fields))
            .await
            .body,
        "1"
    );
    let state = sim.state();
    assert_eq!(state["bases"][0]["rows"], rows);
    assert_eq!(state["spool_sizes"]["Ventas->"], rows);
    assert_eq!(
        state["bases"][0]["first_rows"].as_array().unwrap().len(),
        100
    );
}

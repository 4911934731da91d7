//! getrecords, the recording files and convert, and FormGet's one read-only query.

use serde_json::{json, Value};

use crate::support::*;

fn filter(extra: Value) -> String {
    let mut f = json!({"calldatei": "", "calldatef": "", "agent": "", "campaign": "", "source": "", "destination": "",
                       "data": "", "range": "", "rating": "", "mindur": "", "exclude": "", "type": "record", "cont": ""});
    f.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    f.to_string()
}

async fn records(
    sim: &integra_sim::RunningSim,
    token: &str,
    lastrow: &str,
    limit: &str,
    f: &str,
) -> Reply {
    let fields = [
        ("lastrow", lastrow),
        ("searchLimit", limit),
        ("filter", f),
        ("Random", "1"),
    ];
    post(sim, "Cdr/getrecords", Some(token), &fields).await
}

fn guids(page: &Value) -> Vec<String> {
    page.as_array()
        .unwrap()
        .iter()
        .map(|r| r["guid"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn getrecords_pages_through_matching_records_in_date_order() {
    let sim = start().await;
    let token = admin(&sim).await;
    let all = records(&sim, &token, "0", "50", &filter(json!({})))
        .await
        .json();
    let every = guids(&all);
    assert_eq!(every.len(), 4);
    let dates: Vec<_> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["calldate"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");

    let first = guids(
        &records(&sim, &token, "0", "3", &filter(json!({})))
            .await
            .json(),
    );
    let second = guids(
        &records(&sim, &token, "3", "3", &filter(json!({})))
            .await
            .json(),
    );
    assert_eq!((first.len(), second.len()), (3, 1));
    assert_eq!([first, second].concat(), every);
    assert_eq!(
        records(&sim, &token, "4", "3", &filter(json!({})))
            .await
            .json(),
        json!([])
    );
}

#[tokio::test]
async fn getrecords_filters_by_dates_agent_campaign_and_destination() {
    let sim = start().await;
    let token = admin(&sim).await;
    let count = |extra: Value| {
        let (sim, token) = (&sim, token.clone());
        async move {
            records(sim, &token, "0", "50", &filter(extra))
                .await
                .json()
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(count(json!({"agent": "bob"})).await, 2);
    assert_eq!(count(json!({"campaign": "Cobranzas->"})).await, 1);
    assert_eq!(count(json!({"destination": "099555"})).await, 1);
    assert_eq!(
        count(json!({"calldatei": "2026-11-03 00:00:00", "calldatef": "2026-11-03 23:59:59"}))
            .await,
        2
    );
    assert_eq!(
        count(json!({"agent": "alice", "calldatei": "2026-11-03 00:00:00"})).await,
        0
    );
}

#[tokio::test]
async fn getrecords_wants_numbers_and_a_record_filter() {
    let sim = start().await;
    let token = admin(&sim).await;
    assert_eq!(
        records(&sim, &token, "x", "50", &filter(json!({})))
            .await
            .body,
        "0"
    );
    assert_eq!(
        records(&sim, &token, "0", "0", &filter(json!({})))
            .await
            .body,
        "0"
    );
    assert_eq!(records(&sim, &token, "0", "50", "{").await.body, "0");
    assert_eq!(
        records(&sim, &token, "0", "50", &filter(json!({"type": "call"})))
            .await
            .body,
        "0"
    );
}

#[tokio::test]
async fn recording_files_are_served_where_they_are_stored() {
    let sim = start().await;
    let token = admin(&sim).await;
    let all = records(&sim, &token, "0", "50", &filter(json!({})))
        .await
        .json();
    let by_dest = |d: &str| {
        let r = all
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["destination"] == d)
            .unwrap();
        (
            r["guid"].as_str().unwrap().to_string(),
            r["folder"].as_str().unwrap().to_string(),
        )
    };
    let (root, _) = by_dest("099123456");
    let (dated, dated_day) = by_dest("099555777");
    let (gsm, gsm_day) = by_dest("098765432");

    let (status, content_type, bytes) = get(&sim, &format!("/records/{root}.mp3")).await;
    assert_eq!((status, content_type.as_str()), (200, "audio/mpeg"));
    assert!(
        bytes.starts_with(b"ID3") && bytes.windows(2).any(|w| w == [0xff, 0xfb]),
        "ID3 tag and MPEG frame sync"
    );
    assert_eq!(get(&sim, &format!("/records/{dated}.mp3")).await.0, 404);
    assert_eq!(
        get(&sim, &format!("/records/{dated_day}/{dated}.mp3"))
            .await
            .0,
        200
    );

    let gsm_mp3 = format!("/records/{gsm_day}/{gsm}.mp3");
    assert_eq!(get(&sim, &gsm_mp3).await.0, 404);
    let (status, content_type, _) = get(&sim, &format!("/records/{gsm_day}/{gsm}.gsm")).await;
    assert_eq!((status, content_type.as_str()), (200, "audio/x-gsm"));
    let convert = post(
        &sim,
        "Supervisor/convert",
        Some(&token),
        &[("guid", &gsm), ("folder", &gsm_day)],
    )
    .await;
    assert_eq!(convert.body, "1");
    let (status, _, bytes) = get(&sim, &gsm_mp3).await;
    assert_eq!(status, 200);
    assert!(bytes.starts_with(b"ID3"));
    let not_gsm = post(
        &sim,
        "Supervisor/convert",
        Some(&token),
        &[("guid", &root), ("folder", "")],
    )
    .await;
    assert_eq!(not_gsm.body, "0");
}

#[tokio::test]
async fn form_get_answers_only_the_dispositions_select() {
    let sim = start().await;
    let token = alice(&sim).await;
    let t = Some(token.as_str());
    let select = "SELECT value1,value2,value3 FROM dispositions WHERE campaign = 'Cobranzas->'";
    let rows = post(
        &sim,
        "forms/FormGet",
        t,
        &[("query", select), ("dsn", "Repo")],
    )
    .await
    .json();
    assert_eq!(rows.as_array().unwrap().len(), 4);
    assert_eq!(
        rows[0],
        json!({"value1": "Contactado", "value2": "Promesa de pago", "value3": "Esta semana"})
    );

    for query in [
        "DELETE FROM dispositions WHERE campaign = 'Ventas->'",
        "UPDATE dispositions SET value1 = 'x'",
        "SELECT * FROM agents",
        "SELECT value1,value2,value3 FROM dispositions WHERE campaign = 'x' OR '1'='1'",
        "SELECT value1,value2,value3 FROM dispositions WHERE campaign = 'x'; DROP TABLE dispositions",
    ] {
        let reply = post(&sim, "forms/FormGet", t, &[("query", query), ("dsn", "Repo")]).await;
        assert_eq!((reply.status, reply.body.as_str()), (200, "0"), "{query}");
    }
    assert_eq!(
        post(&sim, "forms/FormGet", t, &[("query", select)])
            .await
            .body,
        "0",
        "dsn required"
    );
}

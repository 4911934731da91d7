//! Respool, schedules, dialer tasks, removals and base uploads.

use std::io::Write;

use integra::{
    datetime::parse_datetime, BaseUpload, CallSchedule, Campaign, DialerTask, Error, Respool,
};
use serde_json::json;

use crate::support::*;

fn spool(destination: &str) -> Respool {
    Respool {
        campaign: "Ventas->".into(),
        destination: destination.into(),
        dialerbase: "basetest".into(),
        status: 1,
        data: "Par1=Val1:Par2=Val2".into(),
        alternatives: "098124484".into(),
        contact: 222,
        retries: 0,
        priority: 9999,
        agentphone: "1001".into(),
    }
}

#[tokio::test]
async fn respool_sends_the_callspool_object() {
    let (sim, client) = signed_in().await;
    client.respool(&spool("098344484")).await.unwrap();
    let entry = only_request(&sim, "Dialers/Respool");
    assert_eq!(
        entry.json_field("callspool"),
        Some(json!({
            "campaign": "Ventas->", "destination": "098344484", "dialerbase": "basetest", "status": 1,
            "data": "Par1=Val1:Par2=Val2", "alternatives": "098124484", "contact": 222, "retries": 0,
            "priority": 9999, "agentphone": "1001"
        }))
    );
    let again = client.respool(&spool("098344484")).await.unwrap_err();
    assert!(
        matches!(again, Error::Rejected { .. }),
        "a destination already on the spool is refused: {again:?}"
    );
}

#[tokio::test]
async fn schedule_and_task_modes() {
    let (sim, client) = signed_in().await;
    let schedule = CallSchedule {
        calldate: parse_datetime("calldate", "2030-10-11 15:00:00").unwrap(),
        campaign: "Ventas->".into(),
        destination: "098344484".into(),
        alternatives: "099124484:099121212".into(),
        agentphone: "1001".into(),
        data: "Par1=Val1".into(),
    };
    client.schedule_dialer_call(&schedule).await.unwrap();
    let entry = only_request(&sim, "Dialers/ScheduleDialerCall");
    assert_eq!(
        entry.json_field("callschedule").unwrap()["calldate"],
        "2030-10-11 15:00:00"
    );

    sim.clear_journal();
    let c = Campaign::new("Ventas->");
    let tasks = [
        DialerTask::priority_now(&c, "12-345-678").data("idcustomer=7"),
        DialerTask::click_to_call(&c, "12-345-678"),
        DialerTask::any_time(
            &c,
            "12-345-678",
            parse_datetime("d", "2030-01-01 00:00:00").unwrap(),
        ),
        DialerTask::owned_by(&c, "12-345-678", "1001"),
    ];
    for task in &tasks {
        client.dialer_task(task).await.unwrap();
    }
    let sent: Vec<_> = sim
        .journal()
        .iter()
        .map(|e| e.json_field("call").unwrap())
        .collect();
    assert_eq!(sent[0]["data"], "idcustomer=7");
    assert_eq!(
        (&sent[0]["bulk"], &sent[0]["automatic"]),
        (&json!(false), &json!(true))
    );
    assert_eq!(
        (&sent[1]["bulk"], &sent[1]["automatic"]),
        (&json!(false), &json!(false))
    );
    assert_eq!(sent[2]["calldate"], "2030-01-01 00:00:00");
    assert_eq!(sent[3]["agent"], "1001");
}

#[tokio::test]
async fn removals_send_campaign_number_and_range() {
    let (sim, client) = signed_in().await;
    let c = Campaign::new("Ventas->");
    client.remove_contact(&c, "098344484").await.unwrap();
    assert_eq!(
        fields(&only_request(&sim, "Dialers/RemoveContact")),
        [("campaign", "Ventas->"), ("number", "098344484")]
    );
    sim.clear_journal();
    let (from, to) = (
        parse_datetime("f", "2030-01-01 00:00:00").unwrap(),
        parse_datetime("t", "2030-01-31 23:59:59").unwrap(),
    );
    client
        .remove_schedule(&c, "098344484", from, to)
        .await
        .unwrap();
    let entry = only_request(&sim, "Dialers/RemoveScheduleDialerCall");
    assert_eq!(
        fields(&entry),
        [
            ("campaign", "Ventas->"),
            ("destination", "098344484"),
            ("from", "2030-01-01 00:00:00"),
            ("to", "2030-01-31 23:59:59")
        ]
    );
    let backwards = client
        .remove_schedule(&c, "098344484", to, from)
        .await
        .unwrap_err();
    assert!(matches!(backwards, Error::InvalidInput { field: "to", .. }));
}

#[tokio::test]
async fn base_upload_is_decoded_by_the_server_row_for_row() {
    let (sim, client) = signed_in().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ventas.txt");
    let mut file = std::fs::File::create(&path).unwrap();
    for i in 0..1000 {
        writeln!(
            file,
            "Ventas->;0991{i:05};id={i}:src=web;0981{i:05};{};",
            10 + i % 5
        )
        .unwrap();
    }
    drop(file);
    let upload = BaseUpload {
        campaign: Campaign::new("Ventas->"),
        username: "alice".into(),
        filename: None,
        timezone: None,
    };
    client.upload_base(&upload, &path, None).await.unwrap();
    let entry = only_request(&sim, "Dialers/uploadbase");
    assert_eq!(entry.field("cant"), Some("1000"));
    assert_eq!(entry.field("filename"), Some("ventas.txt"));
    let base = &sim.state()["bases"][0];
    assert_eq!(base["rows"], 1000);
    assert_eq!(
        base["first_rows"][3],
        json!([
            "Ventas->",
            "099100003",
            "id=3:src=web",
            "098100003",
            "13",
            ""
        ])
    );

    sim.clear_journal();
    let with_tz = BaseUpload {
        timezone: Some("America/Montevideo".into()),
        ..upload
    };
    client.upload_base(&with_tz, &path, None).await.unwrap();
    assert_eq!(
        only_request(&sim, "Dialers/uploadbasewithtimezone").field("timezone"),
        Some("America/Montevideo")
    );
}

#[tokio::test]
async fn a_malformed_base_is_refused_before_anything_is_sent() {
    let (sim, client) = signed_in().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.txt");
    std::fs::write(&path, "Ventas->;099123456\nVentas->;not-a-number\n").unwrap();
    let upload = BaseUpload {
        campaign: Campaign::new("Ventas->"),
        username: "alice".into(),
        filename: None,
        timezone: None,
    };
    let err = client.upload_base(&upload, &path, None).await.unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
    assert!(sim.journal().is_empty());
}

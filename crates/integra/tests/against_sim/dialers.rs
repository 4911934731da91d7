//! Respool, schedules, dialer tasks, removals and base uploads.

use std::io::Write;
use std::path::Path;

use base64::Engine;
use integra::datetime::parse_datetime;
use integra::{BaseUpload, CallSchedule, Campaign, DialerTask, Error, Respool};
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
    let (sim, client, token) = signed_in().await;
    client.respool(&spool("098344484")).await.unwrap();
    let entry = only_request(&sim, "Dialers/Respool");
    assert_token(&entry, &token);
    assert_eq!(entry.form.len(), 1);
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
        matches!(
            again,
            Error::Rejected {
                endpoint: "Dialers/Respool",
                ..
            }
        ),
        "a destination already on the spool is refused: {again:?}"
    );
}

#[tokio::test]
async fn respool_with_the_schedule_priority_is_refused_before_sending() {
    let (sim, client, _) = signed_in().await;
    let err = client
        .respool(&Respool {
            priority: 1,
            ..spool("098344484")
        })
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                field: "priority",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(sim.journal().is_empty());
}

#[tokio::test]
async fn schedule_sends_the_callschedule_object() {
    let (sim, client, token) = signed_in().await;
    let schedule = CallSchedule {
        calldate: parse_datetime("2030-10-11 15:00:00").unwrap(),
        campaign: "Ventas->".into(),
        destination: "098344484".into(),
        alternatives: "099124484:099121212".into(),
        agentphone: "1001".into(),
        data: "Par1=Val1:Par2=Val2".into(),
    };
    client.schedule_dialer_call(&schedule).await.unwrap();
    let entry = only_request(&sim, "Dialers/ScheduleDialerCall");
    assert_token(&entry, &token);
    assert_eq!(entry.form.len(), 1);
    assert_eq!(
        entry.json_field("callschedule"),
        Some(json!({
            "calldate": "2030-10-11 15:00:00", "campaign": "Ventas->", "destination": "098344484",
            "alternatives": "099124484:099121212", "agentphone": "1001", "data": "Par1=Val1:Par2=Val2"
        }))
    );
    assert_eq!(entry.response, "1");
}

#[tokio::test]
async fn dialer_tasks_send_the_four_documented_modes() {
    let (sim, client, token) = signed_in().await;
    let campaign = Campaign::new("Ventas->");
    let at = parse_datetime("2030-01-01 00:00:00").unwrap();
    let cases = [
        (
            DialerTask::priority_now(&campaign, "12-345-678"),
            json!(null),
            "",
            false,
            true,
        ),
        (
            DialerTask::click_to_call(&campaign, "12-345-678"),
            json!(null),
            "",
            false,
            false,
        ),
        (
            DialerTask::any_time(&campaign, "12-345-678", at),
            json!("2030-01-01 00:00:00"),
            "",
            true,
            false,
        ),
        (
            DialerTask::owned_by(&campaign, "12-345-678", "alice"),
            json!(null),
            "alice",
            true,
            false,
        ),
    ];
    for (task, calldate, agent, bulk, automatic) in cases {
        sim.clear_journal();
        let task = task
            .data("idcustomer=7")
            .alternatives("099111222")
            .source("crm");
        client.dialer_task(&task).await.unwrap();
        let entry = only_request(&sim, "Dialers/DialerTask");
        assert_token(&entry, &token);
        assert_eq!(entry.form.len(), 1);
        assert_eq!(
            entry.json_field("call"),
            Some(json!({
                "calldate": calldate, "campaign": "Ventas->", "destination": "12-345-678",
                "alternatives": "099111222", "agent": agent, "data": "idcustomer=7", "source": "crm",
                "bulk": bulk, "automatic": automatic
            }))
        );
    }
    assert_eq!(sim.state()["tasks"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn removals_send_campaign_number_and_the_date_range() {
    let (sim, client, token) = signed_in().await;
    let campaign = Campaign::new("Ventas->");
    client.remove_contact(&campaign, "098344484").await.unwrap();
    let entry = only_request(&sim, "Dialers/RemoveContact");
    assert_token(&entry, &token);
    assert_eq!(
        fields(&entry),
        [("campaign", "Ventas->"), ("number", "098344484")]
    );

    sim.clear_journal();
    let from = parse_datetime("2030-10-11 00:00:00").unwrap();
    let to = parse_datetime("2030-10-11 23:59:59").unwrap();
    client
        .remove_schedule(&campaign, "098344484", from, to)
        .await
        .unwrap();
    let entry = only_request(&sim, "Dialers/RemoveScheduleDialerCall");
    assert_eq!(
        fields(&entry),
        [
            ("campaign", "Ventas->"),
            ("destination", "098344484"),
            ("from", "2030-10-11 00:00:00"),
            ("to", "2030-10-11 23:59:59")
        ]
    );
    let backwards = client
        .remove_schedule(&campaign, "098344484", to, from)
        .await
        .unwrap_err();
    assert!(
        matches!(backwards, Error::InvalidInput { field: "to", .. }),
        "{backwards:?}"
    );
}

fn upload(filename: Option<&str>) -> BaseUpload {
    BaseUpload {
        campaign: Campaign::new("Ventas->"),
        username: "admin".into(),
        filename: filename.map(str::to_string),
        timezone: None,
    }
}

fn base64_of(path: &Path) -> String {
    base64::engine::general_purpose::STANDARD.encode(std::fs::read(path).unwrap())
}

#[tokio::test]
async fn base_upload_sends_the_counted_file_as_base64() {
    let (sim, client, token) = signed_in().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ventas marzo.txt");
    std::fs::write(
        &path,
        "\u{feff}Ventas->;098344484;var1=val1:var2=val2;099124484:099111111;9999;1001\r\n\r\n\
         Ventas->;098344485;nombre=Núñez;;\r\nVentas->;098344486\r\n",
    )
    .unwrap();
    client.upload_base(&upload(None), &path).await.unwrap();
    let entry = only_request(&sim, "Dialers/uploadbase");
    assert_token(&entry, &token);
    let file = base64_of(&path);
    assert_eq!(
        fields(&entry),
        [
            ("filename", "ventas marzo.txt"),
            ("campaign", "Ventas->"),
            ("cant", "3"),
            ("username", "admin"),
            ("fileb64", file.as_str()),
        ]
    );
    let base = &sim.state()["bases"][0];
    assert_eq!(
        (&base["rows"], &base["timezone"]),
        (&json!(3), &json!(null))
    );
    assert_eq!(base["first_rows"][1][2], "nombre=Núñez");
}

#[tokio::test]
async fn base_upload_with_timezone_adds_the_field_and_uses_its_endpoint() {
    let (sim, client, _) = signed_in().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("base.txt");
    std::fs::write(&path, "Ventas->;098344484\n").unwrap();
    client
        .upload_base_with_timezone(&upload(Some("lista-1.csv")), &path, "America/Montevideo")
        .await
        .unwrap();
    let entry = only_request(&sim, "Dialers/uploadbasewithtimezone");
    let names: Vec<&str> = fields(&entry).iter().map(|(k, _)| *k).collect();
    assert_eq!(
        names,
        ["filename", "campaign", "cant", "username", "timezone", "fileb64"]
    );
    assert_eq!(
        (
            entry.field("filename"),
            entry.field("timezone"),
            entry.field("cant")
        ),
        (Some("lista-1.csv"), Some("America/Montevideo"), Some("1"))
    );
    assert_eq!(sim.state()["bases"][0]["timezone"], "America/Montevideo");
}

#[tokio::test]
async fn a_bad_base_is_refused_naming_the_line_before_sending() {
    let (sim, client, _) = signed_in().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("base.txt");
    std::fs::write(&path, "Ventas->;098344484\nVentas->;098344485;id=1;;alta\n").unwrap();
    let err = client.upload_base(&upload(None), &path).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid base file: line 2: priority \"alta\" is not a whole number"
    );
    assert!(sim.journal().is_empty());
    let missing = client
        .upload_base(&upload(None), &dir.path().join("missing.txt"))
        .await
        .unwrap_err();
    assert!(matches!(missing, Error::Io { .. }), "{missing:?}");
}

#[tokio::test]
async fn a_large_base_streams_through_and_every_row_arrives() {
    let (sim, client, _) = signed_in().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.txt");
    let rows = 100_000;
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for i in 0..rows {
        writeln!(
            out,
            "Ventas->;09{i:07};id={i}:src=web;098{i:06};{};",
            2 + i % 7
        )
        .unwrap();
    }
    out.into_inner().unwrap().sync_all().unwrap();
    let size = std::fs::metadata(&path).unwrap().len();

    let seen = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let report = seen.clone();
    client
        .upload_base_with_progress(
            &upload(None),
            &path,
            std::sync::Arc::new(move |sent, _| {
                report.store(sent, std::sync::atomic::Ordering::SeqCst)
            }),
        )
        .await
        .unwrap();
    let entry = only_request(&sim, "Dialers/uploadbase");
    assert_eq!(entry.field("cant"), Some(rows.to_string().as_str()));
    let base = &sim.state()["bases"][0];
    assert_eq!(
        (&base["rows"], &base["bytes"]),
        (&json!(rows), &json!(size))
    );
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), size);
}

//! respool, schedule, task, remove-contact and remove-schedule: what reaches the dialer.

use serde_json::json;

use crate::support::{alice, file, sent, sent_once, sim};

#[tokio::test(flavor = "multi_thread")]
async fn respool_from_flags_and_from_a_json_file() {
    let sim = sim().await;
    alice(
        &sim,
        &[
            "respool",
            "--campaign",
            "Ventas->",
            "--destination",
            "099111222",
            "--dialerbase",
            "base-nov",
            "--contact",
            "222",
            "--alternatives",
            "099333444",
            "--data",
            "id=7",
            "--priority",
            "10",
        ],
    )
    .await
    .ok();
    assert_eq!(
        sent_once(&sim, "Dialers/Respool")
            .json_field("callspool")
            .unwrap(),
        json!({
            "campaign": "Ventas->", "destination": "099111222", "dialerbase": "base-nov", "status": 1,
            "data": "id=7", "alternatives": "099333444", "contact": 222, "retries": 0, "priority": 10,
            "agentphone": ""
        })
    );

    let (_dir, path) = file(
        "spool.json",
        r#"{"campaign":"Ventas->","destination":"099555666","dialerbase":"b","status":1,"data":"",
            "alternatives":"","contact":3,"retries":0,"priority":9999,"agentphone":"1001"}"#,
    );
    alice(&sim, &["respool", "--json-file", path.to_str().unwrap()])
        .await
        .ok();
    assert_eq!(sim.state()["spool"][1]["agentphone"], "1001");

    // Never respool what already waits on the spool: the server says no, and the hint says why it may have.
    alice(&sim, &["respool", "--json-file", path.to_str().unwrap()])
        .await
        .fails(1, "not already waiting on the spool");
    alice(
        &sim,
        &[
            "respool",
            "--campaign",
            "Ventas->",
            "--destination",
            "099",
            "--dialerbase",
            "b",
            "--contact",
            "1",
            "--priority",
            "1",
        ],
    )
    .await
    .fails(2, "invalid priority: 1 is reserved");
    alice(
        &sim,
        &[
            "respool",
            "--json-file",
            path.to_str().unwrap(),
            "--campaign",
            "Cobranzas->",
        ],
    )
    .await
    .fails(2, "cannot be used with");
    let (_dir2, broken) = file("spool.json", r#"{"campaign":"Ventas->"}"#);
    alice(&sim, &["respool", "--json-file", broken.to_str().unwrap()])
        .await
        .fails(2, "not a Respool object (missing field");
    assert_eq!(sent(&sim, "Dialers/Respool").len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn schedules_and_tasks_in_each_mode() {
    let sim = sim().await;
    alice(
        &sim,
        &[
            "schedule",
            "--campaign",
            "Ventas->",
            "--destination",
            "099111222",
            "--at",
            "2030-05-01 15:00:00",
            "--data",
            "id=1",
        ],
    )
    .await
    .ok();
    let schedule = sent_once(&sim, "Dialers/ScheduleDialerCall")
        .json_field("callschedule")
        .unwrap();
    assert_eq!(
        (schedule["calldate"].as_str(), schedule["data"].as_str()),
        (Some("2030-05-01 15:00:00"), Some("id=1"))
    );

    for (mode, extra) in [
        ("priority-now", vec![]),
        ("click-to-call", vec![]),
        ("any-time", vec!["--at", "2030-06-01 09:00:00"]),
        ("owned", vec!["--agent", "1001"]),
    ] {
        let mut args = vec![
            "task",
            "--mode",
            mode,
            "--campaign",
            "Ventas->",
            "--destination",
            "099777888",
        ];
        args.extend(extra);
        alice(&sim, &args).await.ok();
    }
    let tasks: Vec<(bool, bool, serde_json::Value, String)> = sent(&sim, "Dialers/DialerTask")
        .iter()
        .map(|e| {
            let call = e.json_field("call").unwrap();
            (
                call["bulk"].as_bool().unwrap(),
                call["automatic"].as_bool().unwrap(),
                call["calldate"].clone(),
                call["agent"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        tasks,
        [
            (false, true, json!(null), String::new()),
            (false, false, json!(null), String::new()),
            (true, false, json!("2030-06-01 09:00:00"), String::new()),
            (true, false, json!(null), "1001".to_string()),
        ],
        "the reference's four modes"
    );
    alice(
        &sim,
        &[
            "task",
            "--mode",
            "owned",
            "--campaign",
            "Ventas->",
            "--destination",
            "099",
        ],
    )
    .await
    .fails(2, "--mode owned needs --agent");
    alice(
        &sim,
        &[
            "task",
            "--mode",
            "priority-now",
            "--campaign",
            "Ventas->",
            "--destination",
            "099",
            "--at",
            "2030-01-01 00:00",
        ],
    )
    .await
    .fails(2, "--at is for --mode any-time");
}

#[tokio::test(flavor = "multi_thread")]
async fn contacts_and_schedules_are_removed() {
    let sim = sim().await;
    alice(
        &sim,
        &[
            "remove-contact",
            "--campaign",
            "Ventas->",
            "--number",
            "099111222",
        ],
    )
    .await
    .ok();
    let removed = sent_once(&sim, "Dialers/RemoveContact");
    assert_eq!(
        (removed.field("campaign"), removed.field("number")),
        (Some("Ventas->"), Some("099111222"))
    );

    let range = ["--campaign", "Ventas->", "--destination", "099111222"];
    let mut args = vec!["remove-schedule"];
    args.extend(range);
    args.extend([
        "--from",
        "2030-05-01 00:00:00",
        "--to",
        "2030-05-31 23:59:59",
    ]);
    alice(&sim, &args).await.ok();
    let sent = sent_once(&sim, "Dialers/RemoveScheduleDialerCall");
    assert_eq!(
        (sent.field("from"), sent.field("to")),
        (Some("2030-05-01 00:00:00"), Some("2030-05-31 23:59:59"))
    );

    let mut backwards = vec!["remove-schedule"];
    backwards.extend(range);
    backwards.extend([
        "--from",
        "2030-06-01 00:00:00",
        "--to",
        "2030-05-01 00:00:00",
    ]);
    alice(&sim, &backwards)
        .await
        .fails(2, "--from 2030-06-01 00:00:00 is after --to");
}

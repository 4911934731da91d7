//! recordings search/fetch/convert and campaigns summary/status: what a supervisor reads.

use crate::support::{alice, as_user, sent, sim};

const NOVEMBER: [&str; 4] = [
    "--from",
    "2026-11-01 00:00:00",
    "--to",
    "2026-11-30 23:59:59",
];

#[tokio::test(flavor = "multi_thread")]
async fn recordings_search_json_reads_every_page_with_all() {
    let sim = sim().await;
    let mut args = vec!["--json", "recordings", "search", "--limit", "3", "--all"];
    args.extend(NOVEMBER);
    let rows = alice(&sim, &args).await.json();
    let guids: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["guid"].as_str().unwrap())
        .collect();
    assert_eq!(guids.len(), 4, "{rows}");
    assert!(guids.contains(&"c3d9a2b4-1e2f-4a6b-8c7d-9e0f1a2b3c4d"));
    let pages: Vec<Option<String>> = sent(&sim, "Cdr/getrecords")
        .iter()
        .map(|e| e.field("lastrow").map(str::to_string))
        .collect();
    assert_eq!(pages, [Some("0".to_string()), Some("3".to_string())]);
    let filter = sent(&sim, "Cdr/getrecords")[0]
        .json_field("filter")
        .unwrap();
    assert_eq!(
        (filter["calldatei"].as_str(), filter["type"].as_str()),
        (Some("2026-11-01 00:00:00"), Some("record"))
    );

    let mut bob = vec!["--json", "recordings", "search", "--agent", "bob"];
    bob.extend(NOVEMBER);
    let rows = alice(&sim, &bob).await.json();
    assert!(
        rows.as_array().unwrap().iter().all(|r| r["agent"] == "bob"),
        "{rows}"
    );
    assert_eq!(rows.as_array().unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn recordings_search_prints_a_table_and_says_when_more_may_follow() {
    let sim = sim().await;
    let mut args = vec!["recordings", "search", "--limit", "2"];
    args.extend(NOVEMBER);
    let run = alice(&sim, &args).await;
    let lines: Vec<&str> = run.ok().lines().collect();
    assert!(
        lines[0].starts_with("date") && lines[0].contains("destination"),
        "{}",
        run.stdout
    );
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert_eq!(
        lines[3],
        "(2 recordings; more may follow: --all reads every page)"
    );
    alice(
        &sim,
        &[
            "recordings",
            "search",
            "--from",
            "2026-11-30 00:00:00",
            "--to",
            "2026-11-01 00:00:00",
        ],
    )
    .await
    .fails(2, "is after --to");
}

#[tokio::test(flavor = "multi_thread")]
async fn recordings_are_fetched_from_where_they_are_and_gsm_converted() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let dated = dir.path().join("dated.mp3");
    let fetch = alice(
        &sim,
        &[
            "--json",
            "recordings",
            "fetch",
            "0b1f5c1e-6a7d-4c55-9a30-2f4d3b8e9a11",
            "--date",
            "2026-11-02 11:40:10",
            "-o",
            dated.to_str().unwrap(),
        ],
    )
    .await
    .json();
    assert!(fetch["url"]
        .as_str()
        .unwrap()
        .ends_with("/records/20261102/0b1f5c1e-6a7d-4c55-9a30-2f4d3b8e9a11.mp3"));
    assert!(std::fs::read(&dated).unwrap().starts_with(b"ID3"));

    let gsm_guid = "c3d9a2b4-1e2f-4a6b-8c7d-9e0f1a2b3c4d";
    let wanted = dir.path().join("gsm.mp3");
    let run = alice(
        &sim,
        &[
            "recordings",
            "fetch",
            gsm_guid,
            "--date",
            "2026-11-03",
            "-o",
            wanted.to_str().unwrap(),
        ],
    )
    .await;
    assert!(run.ok().contains("(gsm, "), "{}", run.stdout);
    assert!(
        run.stderr.contains("only a GSM recording exists"),
        "{}",
        run.stderr
    );

    alice(
        &sim,
        &[
            "recordings",
            "convert",
            gsm_guid,
            "--date",
            "2026-11-03 09:05:44",
        ],
    )
    .await
    .ok();
    let run = alice(
        &sim,
        &[
            "recordings",
            "fetch",
            gsm_guid,
            "--date",
            "2026-11-03",
            "-o",
            wanted.to_str().unwrap(),
        ],
    )
    .await;
    assert!(run.ok().contains("(mp3, "), "{}", run.stdout);
    assert!(std::fs::read(&wanted).unwrap().starts_with(b"ID3"));

    alice(
        &sim,
        &[
            "recordings",
            "fetch",
            "00000000-0000-4000-8000-000000000000",
            "--date",
            "2026-11-03",
            "-o",
            wanted.to_str().unwrap(),
        ],
    )
    .await
    .fails(
        1,
        "no recording of 00000000-0000-4000-8000-000000000000 in any place",
    );
    alice(
        &sim,
        &[
            "recordings",
            "fetch",
            gsm_guid,
            "--date",
            "03/11/2026",
            "-o",
            wanted.to_str().unwrap(),
        ],
    )
    .await
    .fails(2, "does not start with a YYYY-MM-DD date");
}

#[tokio::test(flavor = "multi_thread")]
async fn campaigns_status_table_json_and_an_unknown_queue() {
    let sim = sim().await;
    let run = alice(&sim, &["campaigns", "status", "--queue", "Ventas->"]).await;
    let lines: Vec<&str> = run.ok().lines().collect();
    assert!(
        lines[0].starts_with("campaign") && lines[0].contains("service level"),
        "{}",
        run.stdout
    );
    assert!(lines[1].starts_with("Ventas->"), "{}", run.stdout);

    alice(
        &sim,
        &[
            "call",
            "099123456",
            "--campaign",
            "Ventas->",
            "--callerid",
            "59821234567",
        ],
    )
    .await
    .ok();
    let status = as_user(
        &sim.base_url(),
        "admin",
        "admin-pw",
        &["--api-user", "--json", "campaigns", "status"],
    )
    .await
    .json();
    let ventas = &status["entries"]["Ventas->"];
    assert_eq!(ventas["kind"], "campaign", "{status}");
    assert_eq!(
        ventas["value"]["totalcalls"], 1,
        "counters move with calls: {status}"
    );
    assert!(status["entries"]["Cobranzas->"].is_object());

    alice(&sim, &["campaigns", "status", "--queue", "Nada->"])
        .await
        .fails(1, "the server knows no campaign Nada->");
}

#[tokio::test(flavor = "multi_thread")]
async fn campaigns_summary_lists_every_queue() {
    let sim = sim().await;
    let queues = alice(&sim, &["--json", "campaigns", "summary"])
        .await
        .json();
    let names: Vec<&str> = queues
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["queue"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ventas->", "Cobranzas->", "Soporte<-"]);
    let run = alice(&sim, &["campaigns", "summary"]).await;
    assert!(run.ok().starts_with("queue"), "{}", run.stdout);
    assert_eq!(run.stdout.lines().count(), 4);
}

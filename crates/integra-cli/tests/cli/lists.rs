//! blacklist (one number and CSV files) and bases upload: lists an admin maintains.

use serde_json::json;

use crate::support::{alice, file, sent, sent_once, sim};

#[tokio::test(flavor = "multi_thread")]
async fn blacklist_bulk_from_a_csv_and_back() {
    let sim = sim().await;
    let (_dir, csv) = file(
        "dnc.csv",
        "phone,campaign,username,company,job_title,name,expire_date,direction\n\
         099000001,*,admin,ACME,CTO,Ana,2030-12-31,I/O\n\
         099000002,Ventas->,,,,,,\n",
    );
    let csv = csv.to_str().unwrap();
    let run = alice(&sim, &["blacklist", "add-bulk", "--csv", csv]).await;
    assert_eq!(run.ok().trim(), "2 numbers barred");
    let black = sent_once(&sim, "admin/addblackbulk")
        .json_field("black")
        .unwrap();
    assert_eq!(
        black,
        json!([
            {"phone": "099000001", "campaign": "*", "username": "admin", "company": "ACME", "job_title": "CTO",
             "name": "Ana", "expire_date": "2030-12-31", "direction": "I/O"},
            {"phone": "099000002", "campaign": "Ventas->"}
        ]),
        "empty cells are left out of the entry"
    );
    assert_eq!(sim.state()["blacklist"].as_array().unwrap().len(), 2);

    alice(&sim, &["blacklist", "delete-bulk", "--csv", csv])
        .await
        .ok();
    assert_eq!(sim.state()["blacklist"], json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_csv_is_refused_naming_the_line_and_nothing_is_barred() {
    let sim = sim().await;
    let (_dir, csv) = file("dnc.csv", "phone,campaign\n099000001,*\n099000003,\n");
    alice(
        &sim,
        &["blacklist", "add-bulk", "--csv", csv.to_str().unwrap()],
    )
    .await
    .fails(2, "dnc.csv: line 3: phone and campaign are required");
    let (_dir, typo) = file("dnc.csv", "phone,campain\n099000001,*\n");
    alice(
        &sim,
        &["blacklist", "add-bulk", "--csv", typo.to_str().unwrap()],
    )
    .await
    .fails(2, "unknown column \"campain\"");
    alice(
        &sim,
        &["blacklist", "add-bulk", "--csv", "/nonexistent/dnc.csv"],
    )
    .await
    .fails(2, "/nonexistent/dnc.csv: cannot read it");
    assert!(sent(&sim, "admin/addblackbulk").is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn one_number_is_barred_and_released() {
    let sim = sim().await;
    let run = alice(
        &sim,
        &[
            "blacklist",
            "add",
            "--phone",
            "099000009",
            "--campaign",
            "*",
            "--name",
            "Beto",
            "--expire-date",
            "2031-01-31",
        ],
    )
    .await;
    assert_eq!(run.ok().trim(), "099000009 barred on every campaign");
    assert_eq!(
        sent_once(&sim, "admin/addblack")
            .json_field("black")
            .unwrap(),
        json!({"phone": "099000009", "campaign": "*", "name": "Beto", "expire_date": "2031-01-31"})
    );
    // A barred number is refused by the dialer.
    alice(
        &sim,
        &[
            "schedule",
            "--campaign",
            "Ventas->",
            "--destination",
            "099000009",
            "--at",
            "2030-01-01 10:00",
        ],
    )
    .await
    .fails(1, "rejected");
    alice(
        &sim,
        &[
            "blacklist",
            "delete",
            "--phone",
            "099000009",
            "--campaign",
            "*",
        ],
    )
    .await
    .ok();
    assert_eq!(sim.state()["blacklist"], json!([]));
    alice(
        &sim,
        &[
            "blacklist",
            "add",
            "--phone",
            "099",
            "--campaign",
            "*",
            "--expire-date",
            "next week",
        ],
    )
    .await
    .fails(2, "expire_date \"next week\" is not a date");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_base_upload_reaches_the_server_decoded() {
    let sim = sim().await;
    let (_dir, base) = file(
        "base-nov.txt",
        "Ventas->;099111222;id=1:plan=oro;099333444;10\nVentas->;099555666;id=2;;\n\nVentas->;099777888;id=3;;5;1001\n",
    );
    let run = alice(
        &sim,
        &[
            "--json",
            "bases",
            "upload",
            "--campaign",
            "Ventas->",
            "--file",
            base.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(run.json()["rows"], 3);
    assert!(
        run.stderr.is_empty(),
        "no progress bar when stderr is not a terminal: {}",
        run.stderr
    );
    let upload = sent_once(&sim, "Dialers/uploadbase");
    assert_eq!(
        (
            upload.field("campaign"),
            upload.field("cant"),
            upload.field("username"),
            upload.field("filename")
        ),
        (
            Some("Ventas->"),
            Some("3"),
            Some("alice"),
            Some("base-nov.txt")
        )
    );
    let stored = &sim.state()["bases"][0];
    assert_eq!(stored["rows"], 3);
    assert_eq!(
        stored["first_rows"][0],
        json!(["Ventas->", "099111222", "id=1:plan=oro", "099333444", "10"])
    );
    assert_eq!(stored["first_rows"][2][5], "1001");

    alice(
        &sim,
        &[
            "bases",
            "upload",
            "--campaign",
            "Ventas->",
            "--file",
            base.to_str().unwrap(),
            "--timezone",
            "America/Montevideo",
        ],
    )
    .await
    .ok();
    assert_eq!(sim.state()["bases"][1]["timezone"], "America/Montevideo");
    sent_once(&sim, "Dialers/uploadbasewithtimezone");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_base_line_is_named_and_nothing_is_uploaded() {
    let sim = sim().await;
    let (_dir, base) = file(
        "base.txt",
        "Ventas->;099111222;id=1;;\nVentas->;no-number;id=2;;\n",
    );
    let run = alice(
        &sim,
        &[
            "bases",
            "upload",
            "--campaign",
            "Ventas->",
            "--file",
            base.to_str().unwrap(),
        ],
    )
    .await;
    run.fails(2, "line 2");
    alice(
        &sim,
        &[
            "bases",
            "upload",
            "--campaign",
            "Ventas->",
            "--file",
            "/nonexistent/base.txt",
        ],
    )
    .await
    .fails(2, "/nonexistent/base.txt");
    assert!(sent(&sim, "Dialers/uploadbase").is_empty());
}

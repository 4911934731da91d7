//! Respool, schedules, dialer tasks and removals.

use serde_json::json;

use crate::support::*;

pub fn spool(destination: &str) -> String {
    json!({
        "campaign": "Ventas->", "destination": destination, "dialerbase": "basetest", "status": 1,
        "data": "Par1=Val1:Par2=Val2", "alternatives": "098124484", "contact": 222, "retries": 0,
        "priority": 9999, "agentphone": "1001"
    })
    .to_string()
}

#[tokio::test]
async fn respool_refuses_a_destination_already_on_the_spool() {
    let sim = start().await;
    let token = alice(&sim).await;
    let t = Some(token.as_str());
    assert_eq!(
        post(
            &sim,
            "Dialers/Respool",
            t,
            &[("callspool", &spool("098344484"))]
        )
        .await
        .body,
        "1"
    );
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
    assert_eq!(
        post(
            &sim,
            "Dialers/Respool",
            t,
            &[("callspool", &spool("098124484"))]
        )
        .await
        .body,
        "1"
    );
    assert_eq!(sim.state()["spool_sizes"]["Ventas->"], 2);
    // Once removed from the dialer, the number may be respooled.
    let remove = [("campaign", "Ventas->"), ("number", "098344484")];
    assert_eq!(
        post(&sim, "Dialers/RemoveContact", t, &remove).await.body,
        "1"
    );
    assert_eq!(
        post(
            &sim,
            "Dialers/Respool",
            t,
            &[("callspool", &spool("098344484"))]
        )
        .await
        .body,
        "1"
    );
}

#[tokio::test]
async fn respool_checks_its_fields() {
    let sim = start().await;
    let token = alice(&sim).await;
    let good: serde_json::Value = serde_json::from_str(&spool("098344484")).unwrap();
    let broken = [
        ("campaign", json!("Nope->")),
        ("destination", json!("abc")),
        ("dialerbase", json!("")),
        ("contact", json!(null)),
        ("retries", json!(-1)),
        ("priority", json!(1)),
        ("alternatives", json!("098:x")),
        ("data", json!("novalue")),
    ];
    for (field, value) in broken {
        let mut bad = good.clone();
        bad[field] = value;
        let reply = post(
            &sim,
            "Dialers/Respool",
            Some(&token),
            &[("callspool", &bad.to_string())],
        )
        .await;
        assert_eq!(reply.body, "0", "{field}");
    }
    assert_eq!(
        post(
            &sim,
            "Dialers/Respool",
            Some(&token),
            &[("callspool", "{not json")]
        )
        .await
        .body,
        "0"
    );
    assert_eq!(sim.state()["spool"], json!([]));
}

#[tokio::test]
async fn schedules_are_stored_and_removed_by_date_range() {
    let sim = start().await;
    let token = alice(&sim).await;
    let t = Some(token.as_str());
    let at = |date: &str| {
        json!({"calldate": date, "campaign": "Ventas->", "destination": "098344484", "alternatives": "099124484:099121212",
               "agentphone": "1001", "data": "Par1=Val1"})
        .to_string()
    };
    for date in ["2026-12-01 10:00:00", "2026-12-05 10:00:00"] {
        assert_eq!(
            post(
                &sim,
                "Dialers/ScheduleDialerCall",
                t,
                &[("callschedule", &at(date))]
            )
            .await
            .body,
            "1"
        );
    }
    assert_eq!(
        post(
            &sim,
            "Dialers/ScheduleDialerCall",
            t,
            &[("callschedule", &at("mañana"))]
        )
        .await
        .body,
        "0"
    );
    let range = [
        ("campaign", "Ventas->"),
        ("destination", "098344484"),
        ("from", "2026-12-01 00:00:00"),
        ("to", "2026-12-02 00:00:00"),
    ];
    assert_eq!(
        post(&sim, "Dialers/RemoveScheduleDialerCall", t, &range)
            .await
            .body,
        "1"
    );
    let left = sim.state()["schedules"].clone();
    assert_eq!(left.as_array().unwrap().len(), 1);
    assert_eq!(left[0]["calldate"], "2026-12-05 10:00:00");
    let bad_range = [
        ("campaign", "Ventas->"),
        ("destination", "098344484"),
        ("from", "yesterday"),
        ("to", "today"),
    ];
    assert_eq!(
        post(&sim, "Dialers/RemoveScheduleDialerCall", t, &bad_range)
            .await
            .body,
        "0"
    );
}

#[tokio::test]
async fn dialer_tasks_need_the_mode_flags_and_a_valid_calldate() {
    let sim = start().await;
    let token = alice(&sim).await;
    let t = Some(token.as_str());
    let mut task = json!({"calldate": null, "campaign": "Soporte<-", "destination": "12-345-678", "alternatives": "",
                          "agent": "", "data": "idcustomer=7", "source": "source", "bulk": false, "automatic": true});
    assert_eq!(
        post(
            &sim,
            "Dialers/DialerTask",
            t,
            &[("call", &task.to_string())]
        )
        .await
        .body,
        "1"
    );
    task["calldate"] = json!("2020-01-01 00:00:00");
    assert_eq!(
        post(
            &sim,
            "Dialers/DialerTask",
            t,
            &[("call", &task.to_string())]
        )
        .await
        .body,
        "1"
    );
    task["calldate"] = json!("2020-01-01");
    assert_eq!(
        post(
            &sim,
            "Dialers/DialerTask",
            t,
            &[("call", &task.to_string())]
        )
        .await
        .body,
        "0"
    );
    task["calldate"] = json!(null);
    task["bulk"] = json!("false");
    assert_eq!(
        post(
            &sim,
            "Dialers/DialerTask",
            t,
            &[("call", &task.to_string())]
        )
        .await
        .body,
        "0"
    );
    assert_eq!(sim.state()["tasks"].as_array().unwrap().len(), 2);
}

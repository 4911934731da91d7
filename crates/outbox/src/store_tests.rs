//! The outbox file on its own: what survives a reopening, the states an item goes through, the order per call,
//! and the migration of files from before sealing.

use std::sync::Arc;

use rusqlite::{params, Connection};

use crate::*;

/// Submission time of the items these tests write.
const AT: i64 = 1_700_000_000_000;

fn disposition(guid: &str) -> Job {
    Job::Disposition(Box::new(integra::Disposition {
        campaign: "Ventas->".into(),
        guid: guid.into(),
        callerid: "099123456".into(),
        l1: "Contactado".into(),
        comment: "mañana 10 h".into(),
        ..Default::default()
    }))
}

fn respool() -> Job {
    Job::Respool(integra::Respool {
        campaign: "Dialer->".into(),
        destination: "099765432".into(),
        dialerbase: "base1".into(),
        status: 1,
        data: String::new(),
        alternatives: String::new(),
        contact: 7,
        retries: 0,
        priority: 2,
        agentphone: String::new(),
    })
}

fn seal() -> Arc<dyn PayloadSeal> {
    Arc::new(TestSeal::new(42))
}

#[test]
fn enqueued_items_survive_reopening_until_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.sqlite3");
    let first = Outbox::open(&path, seal()).unwrap();
    let a = first.enqueue(&disposition("g1"), AT).unwrap();
    let b = first.enqueue(&disposition("g2"), AT).unwrap();
    drop(first);
    let reopened = Outbox::open(&path, seal()).unwrap();
    let pending = reopened.pending().unwrap();
    assert_eq!(pending.iter().map(|p| p.id).collect::<Vec<_>>(), [a, b]);
    assert_eq!(pending[0].job, disposition("g1"));
    assert_eq!(pending[0].call_guid, "g1");
    reopened.ack(a).unwrap();
    assert_eq!(reopened.count().unwrap(), 1);
}

#[test]
fn retries_are_counted_and_rejections_wait_for_the_agent() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(&dir.path().join("o.db"), seal()).unwrap();
    let id = outbox.enqueue(&disposition("g1"), AT).unwrap();
    outbox
        .record_retry(id, "cannot reach the server", 1_000)
        .unwrap();
    assert_eq!(outbox.get(id).unwrap().unwrap().next_attempt_at, 1_000);
    outbox
        .record_rejection(id, "the server answered 0")
        .unwrap();
    let item = outbox.get(id).unwrap().unwrap();
    assert_eq!(
        (item.state, item.attempts, item.last_error.as_deref()),
        (ItemState::Rejected, 2, Some("the server answered 0"))
    );
    assert!(
        outbox.pending().unwrap().is_empty(),
        "a rejected item is not resent on its own"
    );
    assert_eq!(outbox.count().unwrap(), 1, "but it is still kept");
    assert!(outbox.requeue(id, Some(&disposition("g1-fixed"))).unwrap());
    let again = outbox.get(id).unwrap().unwrap();
    assert_eq!(
        (
            again.job,
            again.state,
            again.next_attempt_at,
            again.call_guid
        ),
        (disposition("g1-fixed"), ItemState::Pending, 0, "g1".into()),
        "the edit replaces the request but keeps its place in the call"
    );
    assert!(
        outbox.requeue(id, Some(&respool())).is_err(),
        "a disposition cannot become a respool"
    );
    assert!(outbox.discard(id).unwrap());
    assert!(!outbox.discard(id).unwrap());
    assert_eq!(outbox.count().unwrap(), 0);
}

#[test]
fn a_dialer_action_waits_behind_a_rejected_disposition_of_its_call_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(&dir.path().join("o.db"), seal()).unwrap();
    let d = outbox.enqueue(&disposition("g1"), AT).unwrap();
    let r = outbox.enqueue_for_call("g1", &respool(), AT).unwrap();
    let other = outbox.enqueue(&disposition("g2"), AT).unwrap();
    let views = outbox.views().unwrap();
    assert_eq!(
        views
            .iter()
            .map(|v| (v.state, v.behind))
            .collect::<Vec<_>>(),
        [
            (ViewState::Pending, None),
            (ViewState::Pending, Some(d)),
            (ViewState::Pending, None)
        ]
    );
    assert_eq!(
        views[1].next_attempt_at, None,
        "it goes after the disposition"
    );
    outbox.record_rejection(d, "answered 0").unwrap();
    let views = outbox.views().unwrap();
    assert_eq!(
        views.iter().map(|v| (v.id, v.state)).collect::<Vec<_>>(),
        [
            (d, ViewState::Rejected),
            (r, ViewState::Blocked),
            (other, ViewState::Pending)
        ]
    );
    assert_eq!(views[1].summary, "Call 099765432 again in Dialer->");
    assert_eq!(views[0].summary, "Disposition of 099123456: Contactado");
    assert_eq!(
        outbox.counts().unwrap(),
        OutboxCounts {
            pending: 1,
            rejected: 2
        }
    );
}

#[test]
fn the_file_holds_no_number_or_comment_in_the_clear() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("o.db");
    let outbox = Outbox::open(&path, seal()).unwrap();
    let mut job = disposition("g1");
    if let Job::Disposition(d) = &mut job {
        d.comment = "cliente pide llamar al 099555111".into();
        d.callerid = "098777666".into();
    }
    outbox.enqueue(&job, AT).unwrap();
    outbox.enqueue_for_call("g1", &respool(), AT).unwrap();
    assert_eq!(outbox.items().unwrap()[0].job, job, "it reads back");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend(std::fs::read(dir.path().join("o.db-wal")).unwrap_or_default());
    let text = String::from_utf8_lossy(&bytes);
    for secret in [
        "099555111",
        "098777666",
        "cliente pide",
        "099765432",
        "Contactado",
    ] {
        assert!(!text.contains(secret), "{secret} is in the file");
    }
    assert!(
        text.contains("g1"),
        "the call GUID stays readable for ordering"
    );
    assert!(
        Outbox::open(&path, Arc::new(TestSeal::new(1)))
            .unwrap()
            .items()
            .is_err(),
        "without the right key the items cannot be read"
    );
}

#[test]
fn a_file_of_the_earlier_layout_is_sealed_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("o.db");
    {
        let db = Connection::open(&path).unwrap();
        db.execute_batch(
            "CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, call_guid TEXT NOT NULL, \
             kind TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending', \
             attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, created_at INTEGER NOT NULL);",
        )
        .unwrap();
        db.execute(
            "INSERT INTO outbox (call_guid, kind, payload, created_at) VALUES ('g1', 'disposition', ?1, 5)",
            params![serde_json::to_string(&disposition("g1")).unwrap()],
        )
        .unwrap();
    }
    let outbox = Outbox::open(&path, seal()).unwrap();
    assert_eq!(outbox.pending().unwrap()[0].job, disposition("g1"));
    drop(outbox);
    let raw: String = Connection::open(&path)
        .unwrap()
        .query_row("SELECT payload FROM outbox", [], |r| r.get(0))
        .unwrap();
    assert!(!raw.contains("Contactado"));
}

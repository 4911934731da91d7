//! The local call history against the simulator: what a call leaves in it (number, campaign, GUID, how it ended,
//! disposition, tags) read back from the file by a new process, the number never in clear in the file, the
//! disposition's delivery following the outbox (waiting, sent, refused), a failed dial recorded as not placed,
//! breaks, and the retention.

use std::sync::Arc;
use std::time::Duration;

use agent::desk::PastCall;
use agent::history::{self, Recorder};
use call_history::{Delivery, Ending, Entry, HistoryStore, NewCall};
use disposition_tree::DialerAction;
use integra_sim::Faults;
use keychain::MemoryStore;
use sealing::Sealer;

use crate::support::{fixture, form, sent, Fixture};

fn store(path: &std::path::Path, secrets: &MemoryStore) -> HistoryStore {
    HistoryStore::open(path, Arc::new(Sealer::from_store(secrets).unwrap())).unwrap()
}

async fn recorded(f: &Fixture) -> (HistoryStore, std::path::PathBuf) {
    let path = f.outbox_path.with_file_name(call_history::FILE_NAME);
    let history = store(&path, &f.secrets);
    Recorder::spawn(history.clone(), "alice".into(), f.desk.clone(), None).await;
    (history, path)
}

/// Waits (up to 5 s) until the history's newest call satisfies `done`; the recorder writes on its own task.
async fn newest_when(history: &HistoryStore, done: impl Fn(&Entry) -> bool) -> Entry {
    newest_when_in(history, |calls| calls.first().filter(|e| done(e))).await
}

/// Waits (up to 5 s) until `pick` finds a call in the history (newest first).
async fn newest_when_in(
    history: &HistoryStore,
    pick: impl Fn(&[Entry]) -> Option<&Entry>,
) -> Entry {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let calls = history.calls("alice", 0).unwrap();
        if let Some(found) = pick(&calls) {
            return found.clone();
        }
        if tokio::time::Instant::now() > deadline {
            panic!("the history never got there; newest: {:?}", calls.first());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits (up to 5 s) until the history's call `guid` satisfies `done`.
async fn call_when(history: &HistoryStore, guid: &str, done: impl Fn(&Entry) -> bool) -> Entry {
    newest_when_in(history, |calls| {
        calls.iter().find(|e| e.guid == guid).filter(|e| done(e))
    })
    .await
}

#[tokio::test]
async fn a_call_is_kept_with_its_ending_disposition_and_tags_sealed_on_disk() {
    let f = fixture(true).await;
    let (history, path) = recorded(&f).await;
    let view = f.desk.dial("099123456", None).await.unwrap();
    let guid = view.guid.clone().unwrap();
    f.desk.tag("cliente-vip-tag").await.unwrap();
    f.desk.customer_hung_up().await.unwrap();
    f.desk
        .dispose(form("Contactado", "Venta", ""))
        .await
        .unwrap();
    newest_when(&history, |e| e.wrap_end.is_some()).await;
    drop(history);

    // A new process (the app restarted) reads the same file with the same key.
    let reopened = store(&path, &f.secrets);
    let calls = reopened.calls("alice", 0).unwrap();
    assert_eq!(calls.len(), 1, "{calls:?}");
    let call = &calls[0];
    assert_eq!(call.guid, guid);
    assert_eq!(call.number, "099123456");
    assert_eq!(Some(call.campaign.as_str()), view.campaign.as_deref());
    assert!(!call.campaign.is_empty());
    assert_eq!(call.ending, Some(Ending::Customer));
    assert_eq!(call.disposition, "Contactado / Venta");
    assert_eq!(call.delivery, Delivery::Sent);
    assert_eq!(call.tags, ["cliente-vip-tag"]);
    assert!(call.ended_at.unwrap() >= call.started_at);
    // The figures from the times alone (nothing unsealed) are the Today screen's.
    let now = call.wrap_end.unwrap() + 1;
    let figures = call_history::shift(&reopened, "alice", None, now).unwrap();
    assert_eq!(figures.calls, 1);
    assert_eq!(
        figures,
        history::today(&reopened, "alice", None, None, now)
            .unwrap()
            .figures
    );
    assert!(
        reopened.calls("bob", 0).unwrap().is_empty(),
        "another agent sees none of it"
    );

    // Nothing personal in clear in the database or its journal.
    for file in [path.clone(), path.with_extension("sqlite3-wal")] {
        let bytes = std::fs::read(&file).unwrap_or_default();
        for secret in ["099123456", "cliente-vip-tag", "Contactado"] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} is in clear in {}",
                file.display()
            );
        }
    }
    assert!(
        HistoryStore::open(&path, Arc::new(outbox::TestSeal::new(1)))
            .unwrap()
            .calls("alice", 0)
            .is_err(),
        "another key cannot read it"
    );
}

#[tokio::test]
async fn the_delivery_state_follows_the_outbox_waiting_then_sent_and_refused() {
    let f = fixture(true).await;
    let (history, _) = recorded(&f).await;
    f.desk.dial("099123456", None).await.unwrap();
    f.desk.hang_up().await.unwrap();
    f.sim.set_faults(Faults {
        drop_next: 100,
        path_contains: Some("DispositionCall".into()),
        ..Default::default()
    });
    f.desk.dispose(form("No contactado", "", "")).await.unwrap();
    let waiting = newest_when(&history, |e| e.delivery != Delivery::NotFiled).await;
    assert_eq!(waiting.delivery, Delivery::Waiting);
    assert_eq!(waiting.ending, Some(Ending::Agent));
    f.sim.set_faults(Faults::default());
    assert_eq!(f.desk.flush().await.unwrap(), 0);
    newest_when(&history, |e| e.delivery == Delivery::Sent).await;

    f.desk.dial("099765432", None).await.unwrap();
    f.desk.hang_up().await.unwrap();
    f.sim.set_faults(Faults {
        zero_next: 1,
        path_contains: Some("DispositionCall".into()),
        ..Default::default()
    });
    f.desk
        .dispose(form("Contactado", "", ""))
        .await
        .unwrap_err();
    let refused = newest_when(&history, |e| e.delivery != Delivery::NotFiled).await;
    assert_eq!(
        (refused.number.as_str(), refused.delivery),
        ("099765432", Delivery::Refused)
    );
    assert_eq!(
        refused.wrap_end, None,
        "a refused disposition leaves the wrap-up open"
    );
    f.desk
        .dispose(form("Contactado", "Venta", ""))
        .await
        .unwrap();
    let fixed = newest_when(&history, |e| e.delivery == Delivery::Sent).await;
    assert_eq!(fixed.disposition, "Contactado / Venta");
    assert!(fixed.wrap_end.is_some());
    // The first call is untouched.
    assert_eq!(
        history.calls("alice", 0).unwrap()[1].delivery,
        Delivery::Sent
    );
}

#[tokio::test]
async fn the_history_tells_of_a_change_only_when_it_wrote_one() {
    let f = fixture(true).await;
    let path = f.outbox_path.with_file_name(call_history::FILE_NAME);
    let history = store(&path, &f.secrets);
    let mut changes = Recorder::spawn(history.clone(), "alice".into(), f.desk.clone(), None).await;
    let mut desk_events = f.desk.subscribe();
    f.desk.dial("099123456", None).await.unwrap();
    f.desk.customer_hung_up().await.unwrap();
    f.desk
        .dispose(form("Contactado", "Venta", ""))
        .await
        .unwrap();
    let call = newest_when(&history, |e| {
        e.delivery == Delivery::Sent && e.wrap_end.is_some()
    })
    .await;
    // Everything the call published has reached the recorder once its last write is on disk.
    let (mut told, mut published) = (0, 0);
    while changes.try_recv().is_ok() {
        told += 1;
    }
    while desk_events.try_recv().is_ok() {
        published += 1;
    }
    // Written: the call (with its GUID), its end, its filing. Notices, the connection light, the view's state
    // changes while dialing and the outbox's counts write nothing: a Today screen has nothing to read again.
    assert!(
        (3..published).contains(&told),
        "{told} changes told for {published} desk events: {call:?}"
    );
}

#[tokio::test]
async fn a_disposition_still_waiting_from_an_earlier_day_is_settled_by_the_outbox() {
    let f = fixture(true).await;
    let (history, _) = recorded(&f).await;
    // Filed two days ago while the server was away; the outbox sent it since (it is not there any more).
    let two_days_ago = chrono::Utc::now().timestamp_millis() - 2 * 24 * 3_600_000;
    history
        .add(&NewCall {
            agent: "alice".into(),
            guid: "old-guid-1".into(),
            number: "099000222".into(),
            campaign: "Ventas->".into(),
            started_at: two_days_ago,
            ended_at: Some(two_days_ago + 60_000),
            ending: Some(Ending::Customer),
        })
        .unwrap();
    history
        .filed(
            "old-guid-1",
            "Contactado",
            Delivery::Waiting,
            two_days_ago + 90_000,
        )
        .unwrap();
    assert_eq!(
        history.unsettled("alice").unwrap(),
        [("old-guid-1".to_string(), Delivery::Waiting)]
    );
    assert!(history.unsettled("bob").unwrap().is_empty());
    assert!(history::recorder::reconcile(&history, "alice", &f.desk).unwrap());
    assert!(history.unsettled("alice").unwrap().is_empty());
    let old = &history.calls("alice", 0).unwrap()[0];
    assert_eq!(
        (old.guid.as_str(), old.delivery),
        ("old-guid-1", Delivery::Sent)
    );
    // One call by its id, unsealed alone: there for its agent and its day, not for another agent or a later day.
    let by_id = history.call("alice", old.id, 0).unwrap().unwrap();
    assert_eq!(
        (by_id.number.as_str(), by_id.disposition.as_str()),
        ("099000222", "Contactado")
    );
    assert!(history.call("bob", old.id, 0).unwrap().is_none());
    let today = call_history::start_of_day(chrono::Utc::now().timestamp_millis());
    assert!(history.call("alice", old.id, today).unwrap().is_none());
    assert!(
        !history::recorder::reconcile(&history, "alice", &f.desk).unwrap(),
        "nothing left to settle is no change"
    );
}

#[tokio::test]
async fn a_failed_dial_is_kept_as_not_placed() {
    let f = fixture(true).await;
    let (history, _) = recorded(&f).await;
    f.sim.set_faults(Faults {
        zero_next: 1,
        path_contains: Some("AgentCall".into()),
        ..Default::default()
    });
    f.desk.dial("099000111", None).await.unwrap_err();
    let call = newest_when(&history, |_| true).await;
    assert_eq!(
        (call.number.as_str(), call.ending, call.guid.as_str()),
        ("099000111", Some(Ending::NotPlaced), "")
    );
    let day = history::today(&history, "alice", Some(&f.desk), None, call.started_at + 1).unwrap();
    assert_eq!((day.figures.calls, day.figures.not_placed), (0, 1));
}

#[tokio::test]
async fn a_call_left_without_a_disposition_is_filed_late_from_the_history() {
    let f = fixture(false).await;
    let (history, _) = recorded(&f).await;
    let first = f.desk.dial("099123456", None).await.unwrap();
    f.desk.hang_up().await.unwrap();
    // No wrap-up is required: the agent dials the next customer and files that one.
    f.desk.dial("099765432", None).await.unwrap();
    f.desk.hang_up().await.unwrap();
    let first_guid = first.guid.clone().unwrap();
    let left = call_when(&history, &first_guid, |e| e.ended_at.is_some()).await;
    assert_eq!(left.delivery, Delivery::NotFiled);
    let past = PastCall {
        guid: left.guid.clone(),
        number: left.number.clone(),
        campaign: left.campaign.clone(),
    };

    // The call in wrap-up on the desk is filed there, not from the history; a RESPOOL code needs the desk's call.
    let desk_call = newest_when(&history, |e| e.guid != first_guid).await;
    let on_desk = PastCall {
        guid: desk_call.guid,
        ..past.clone()
    };
    let err = f
        .desk
        .file_late(on_desk, form("Contactado", "", ""), None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("still on the desk"), "{err}");
    let err = f
        .desk
        .file_late(
            past.clone(),
            form("Volver a llamar", "", ""),
            Some(DialerAction::Respool),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("RESPOOL"), "{err}");
    assert!(
        sent(&f.sim, "api/DispositionCall").is_empty(),
        "nothing was sent for either"
    );

    let mut late = form("Contactado", "Venta", "");
    late.comment = "filed at the end of the shift".into();
    let done = f.desk.file_late(past, late, None).await.unwrap();
    assert!(done.delivered);
    assert_eq!(
        done.view.state,
        agent::desk::CallState::WrapUp,
        "the desk's own call is untouched"
    );
    let d = &sent(&f.sim, "api/DispositionCall")[0];
    for (field, value) in [
        ("guid", left.guid.as_str()),
        ("callerid", "099123456"),
        ("campaign", left.campaign.as_str()),
        ("agent", "alice"),
        ("l1", "Contactado"),
        ("l2", "Venta"),
        ("comment", "filed at the end of the shift"),
    ] {
        assert_eq!(d.field(field), Some(value), "{field}");
    }
    let filed = call_when(&history, &first_guid, |e| e.delivery == Delivery::Sent).await;
    assert_eq!(
        (filed.delivery, filed.disposition.as_str()),
        (Delivery::Sent, "Contactado / Venta")
    );
}

#[test]
fn retention_forgets_what_is_older_than_the_setting_and_clear_forgets_everything() {
    let dir = tempfile::tempdir().unwrap();
    let history = store(&dir.path().join("h.sqlite3"), &MemoryStore::default());
    let day = 86_400_000;
    let now = 100 * day;
    for (guid, age) in [("old", 8 * day), ("edge", 7 * day - 1), ("new", day)] {
        history
            .add(&NewCall {
                agent: "alice".into(),
                guid: guid.into(),
                number: "099".into(),
                started_at: now - age,
                ..NewCall::default()
            })
            .unwrap();
    }
    history
        .add_break("alice", now - 9 * day, now - 9 * day + 60_000)
        .unwrap();
    history.add_break("alice", now - 1000, now - 500).unwrap();
    assert_eq!(history.purge(now, 7).unwrap(), 1);
    let kept: Vec<_> = history
        .calls("alice", 0)
        .unwrap()
        .into_iter()
        .map(|e| e.guid)
        .collect();
    assert_eq!(
        kept,
        ["new", "edge"],
        "newest first, the 8-day-old one gone"
    );
    assert_eq!(
        history.breaks("alice", 0).unwrap(),
        [(now - 1000, now - 500)]
    );
    history.clear().unwrap();
    assert!(history.calls("alice", 0).unwrap().is_empty());
    assert!(history.breaks("alice", 0).unwrap().is_empty());
}

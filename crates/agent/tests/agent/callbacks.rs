//! Callbacks: the store (sealed at rest, kept across a reopen, done and dismissed leave it), the reminder's
//! timing on a clock the test moves (shown once at "due minus the lead", never again after a restart, the next
//! wake-up), missed ones first, what is refused, and the lead time as a setting a policy can preset.

use std::sync::Arc;
use std::time::Duration;

use agent::policy::Policy;
use agent::settings::Settings;
use agent_error::ErrorCode;
use callbacks::{CallbackStore, Callbacks, NewCallback, FILE_NAME};
use chrono::{Local, TimeZone};
use outbox::{ManualClock, TestSeal};

const MINUTE: i64 = 60_000;

/// 2026-03-02 10:00 local time, in Unix ms.
fn ten_oclock() -> i64 {
    Local
        .with_ymd_and_hms(2026, 3, 2, 10, 0, 0)
        .earliest()
        .unwrap()
        .timestamp_millis()
}

fn open(path: &std::path::Path, clock: &Arc<ManualClock>) -> Callbacks {
    let store = CallbackStore::open(path, Arc::new(TestSeal::new(9))).unwrap();
    Callbacks::new(store, clock.clone())
}

fn request(number: &str, when: &str, note: &str) -> NewCallback {
    NewCallback {
        number: number.into(),
        campaign: "Ventas->".into(),
        when: when.into(),
        note: note.into(),
    }
}

const LEAD: Duration = Duration::from_secs(120);

#[test]
fn a_callback_is_on_disk_sealed_and_a_reopen_finds_it_until_done_or_dismissed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let clock = Arc::new(ManualClock::at(ten_oclock()));
    let callbacks = open(&path, &clock);
    let first = callbacks
        .add(&request(
            "099 123-456",
            "2026-03-02T11:30",
            "quiere la oferta oro",
        ))
        .unwrap();
    let second = callbacks
        .add(&request("098777666", "2026-03-02 12:00", ""))
        .unwrap();
    assert_eq!(first.number, "099123456", "kept as dialed");
    assert_eq!(first.due_at, ten_oclock() + 90 * MINUTE);

    // Nothing personal in the file's bytes (the database and its write-ahead log).
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend(std::fs::read(path.with_extension("sqlite3-wal")).unwrap_or_default());
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        !text.contains("099123456") && !text.contains("oferta oro"),
        "number and note are sealed"
    );

    drop(callbacks);
    let reopened = open(&path, &clock);
    let list = reopened.list(LEAD).unwrap();
    let ids: Vec<i64> = list.items.iter().map(|i| i.callback.id).collect();
    assert_eq!(ids, [first.id, second.id]);
    assert_eq!(list.items[0].callback.note, "quiere la oferta oro");
    assert_eq!(list.items[0].callback.campaign, "Ventas->");

    reopened.done(first.id).unwrap();
    reopened.dismiss(second.id).unwrap();
    assert!(open(&path, &clock).list(LEAD).unwrap().items.is_empty());
    let again = reopened.done(first.id).unwrap_err();
    assert!(again.to_string().contains("not on the list"), "{again}");
}

#[test]
fn the_reminder_is_due_the_lead_before_the_call_and_shown_once_even_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let clock = Arc::new(ManualClock::at(ten_oclock()));
    let callbacks = open(&path, &clock);
    let cb = callbacks
        .add(&request("099123456", "2026-03-02 10:30", "after lunch"))
        .unwrap();
    // The task sleeps until 10:28 (30 minutes minus the 2-minute lead), not a second polling loop.
    assert_eq!(
        callbacks.next_wake(LEAD).unwrap(),
        Some(ten_oclock() + 28 * MINUTE)
    );
    assert!(callbacks.take_reminders(LEAD).unwrap().is_empty());
    assert_eq!(callbacks.list(LEAD).unwrap().due, 0);

    clock.advance(Duration::from_secs(28 * 60 - 1));
    assert!(
        callbacks.take_reminders(LEAD).unwrap().is_empty(),
        "a second early"
    );
    clock.advance(Duration::from_secs(1));
    let shown = callbacks.take_reminders(LEAD).unwrap();
    assert_eq!(shown.iter().map(|c| c.id).collect::<Vec<_>>(), [cb.id]);
    assert_eq!(callbacks.list(LEAD).unwrap().due, 1, "the badge counts it");
    assert!(callbacks.take_reminders(LEAD).unwrap().is_empty(), "once");
    // Next: 10:30, when it turns missed.
    assert_eq!(
        callbacks.next_wake(LEAD).unwrap(),
        Some(ten_oclock() + 30 * MINUTE)
    );

    drop(callbacks);
    let restarted = open(&path, &clock);
    assert!(
        restarted.take_reminders(LEAD).unwrap().is_empty(),
        "not shown again after a restart"
    );
    clock.advance(Duration::from_secs(3 * 60));
    let list = restarted.list(LEAD).unwrap();
    assert!(list.items[0].missed);
    assert_eq!(restarted.next_wake(LEAD).unwrap(), None, "nothing ahead");
}

#[test]
fn a_reminder_that_came_due_while_the_app_was_off_is_shown_at_start_and_missed_ones_lead_the_list()
{
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let clock = Arc::new(ManualClock::at(ten_oclock()));
    let callbacks = open(&path, &clock);
    let later = callbacks
        .add(&request("097000111", "2026-03-02 18:00", ""))
        .unwrap();
    let soon = callbacks
        .add(&request("099123456", "2026-03-02 10:10", ""))
        .unwrap();
    let sooner = callbacks
        .add(&request("098555444", "2026-03-02 10:05", ""))
        .unwrap();
    drop(callbacks);

    clock.advance(Duration::from_secs(60 * 60)); // the app was off until 11:00
    let restarted = open(&path, &clock);
    let wake = restarted.next_wake(LEAD).unwrap().unwrap();
    assert!(wake <= clock_now(&clock), "at once: {wake}");
    let shown: Vec<i64> = restarted
        .take_reminders(LEAD)
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(shown, [sooner.id, soon.id]);
    let list = restarted.list(LEAD).unwrap();
    let order: Vec<(i64, bool)> = list
        .items
        .iter()
        .map(|i| (i.callback.id, i.missed))
        .collect();
    assert_eq!(
        order,
        [(sooner.id, true), (soon.id, true), (later.id, false)]
    );
    assert_eq!(list.due, 2);
    assert_eq!(
        restarted.next_wake(LEAD).unwrap(),
        Some(ten_oclock() + 478 * MINUTE),
        "17:58"
    );
}

fn clock_now(clock: &ManualClock) -> i64 {
    use outbox::Clock;
    clock.now_ms()
}

#[test]
fn a_bad_number_a_past_time_and_a_long_note_are_refused_and_nothing_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::at(ten_oclock()));
    let callbacks = open(&dir.path().join(FILE_NAME), &clock);
    let err = callbacks
        .add(&request("099-CALL-NOW", "2026-03-02 11:00", ""))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidNumber);
    let err = callbacks
        .add(&request("099123456", "2026-03-02 09:59", ""))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidSchedule);
    assert!(err.to_string().contains("in the past"), "{err}");
    let err = callbacks.add(&request("099123456", "", "")).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidSchedule);
    let err = callbacks
        .add(&request("099123456", "2026-03-02 11:00", &"x".repeat(501)))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(callbacks.list(LEAD).unwrap().items.is_empty());
}

#[test]
fn every_change_wakes_the_reminder_task() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::at(ten_oclock()));
    let callbacks = open(&dir.path().join(FILE_NAME), &clock);
    let mut changes = callbacks.changes();
    changes.mark_unchanged();
    let cb = callbacks
        .add(&request("099123456", "2026-03-02 11:00", ""))
        .unwrap();
    assert!(changes.has_changed().unwrap(), "an add");
    changes.mark_unchanged();
    callbacks.poke();
    assert!(changes.has_changed().unwrap(), "a new lead time");
    changes.mark_unchanged();
    callbacks.dismiss(cb.id).unwrap();
    assert!(changes.has_changed().unwrap(), "a dismissal");
}

#[test]
fn the_reminder_lead_defaults_to_two_minutes_a_policy_presets_it_and_more_than_a_day_is_refused() {
    let defaults = Settings::default();
    assert_eq!(defaults.callback_reminder_minutes, 2);
    assert_eq!(defaults.callback_reminder_lead(), LEAD);
    let policy = Policy::parse(
        "policy.toml",
        "locked = [\"callback_reminder_minutes\"]\n[settings]\ncallback_reminder_minutes = 5\n",
    );
    assert!(policy.problems().is_empty(), "{:?}", policy.problems());
    let mine: toml::Table = toml::from_str("callback_reminder_minutes = 1").unwrap();
    assert_eq!(
        policy.apply(Some(&mine)).unwrap().callback_reminder_minutes,
        5,
        "locked"
    );
    let err = Settings::parse("settings.toml", "callback_reminder_minutes = 1441").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidSettings);
    assert!(
        err.to_string().contains("callback_reminder_minutes"),
        "{err}"
    );
}

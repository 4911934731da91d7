//! When a callback's reminder is shown, when it counts as missed, and when the reminder task must wake next:
//! pure functions of the list, the lead time and "now", so the timing is tested with a clock the test drives.

use super::store::Callback;

/// When the reminder of `callback` is due: `lead_ms` before the callback.
pub fn reminder_at(callback: &Callback, lead_ms: i64) -> i64 {
    callback.due_at.saturating_sub(lead_ms)
}

/// True when the reminder is due and has not been shown yet.
pub fn reminder_due(callback: &Callback, lead_ms: i64, now: i64) -> bool {
    callback.reminded_at.is_none() && now >= reminder_at(callback, lead_ms)
}

/// True when the callback's time has passed and it is still on the list (neither done nor dismissed).
pub fn missed(callback: &Callback, now: i64) -> bool {
    now >= callback.due_at
}

/// True when it counts for the badge: its reminder time has come.
pub fn due(callback: &Callback, lead_ms: i64, now: i64) -> bool {
    now >= reminder_at(callback, lead_ms)
}

/// The next moment something changes: a reminder to show, or a callback turning missed (the list shows it).
/// `None` when nothing is ahead; a time at or before `now` means "at once".
pub fn next_wake(callbacks: &[Callback], lead_ms: i64, now: i64) -> Option<i64> {
    callbacks
        .iter()
        .flat_map(|c| {
            let remind = c.reminded_at.is_none().then(|| reminder_at(c, lead_ms));
            let turns_missed = (c.due_at > now).then_some(c.due_at);
            [remind, turns_missed]
        })
        .flatten()
        .min()
}

/// The list's order: missed ones first (oldest first, so the longest waiting is on top), then the rest by time.
pub fn order(callbacks: &mut [Callback], now: i64) {
    callbacks.sort_by_key(|c| (!missed(c, now), c.due_at, c.id));
}

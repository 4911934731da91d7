//! The shift's figures from the history, as a pure function: calls placed, talk time, wrap-up time, average
//! handle time (talk + wrap-up per call placed) and break time, counted from the start of the day.

use serde::Serialize;

use super::Entry;
use crate::Ending;

/// The shift so far. Times in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// Calls placed (a dial that failed is not a call).
    pub calls: usize,
    /// Dials that failed.
    pub not_placed: usize,
    /// Time on the phone.
    pub talk_ms: i64,
    /// Time in wrap-up (failed attempts' wrap-ups included).
    pub wrap_ms: i64,
    /// (talk + wrap-up of the calls placed) / calls placed; 0 without calls.
    pub average_handle_ms: i64,
    /// Time on breaks (the one under way included).
    pub break_ms: i64,
}

impl Figures {
    /// The figures as the Today screen words them, named for the `today.shift` text ("Today: calls {calls} · talk
    /// {talk} · AHT {aht} · wrap-up {wrap} · breaks {breaks}"), which the tray's tooltip shows too.
    pub fn words(&self) -> [(&'static str, String); 5] {
        [
            ("calls", self.calls.to_string()),
            ("talk", clock(self.talk_ms)),
            ("aht", clock(self.average_handle_ms)),
            ("wrap", clock(self.wrap_ms)),
            ("breaks", clock(self.break_ms)),
        ]
    }
}

/// `ms` as `MM:SS`, or `H:MM:SS` from an hour, as the Today screen shows it.
fn clock(ms: i64) -> String {
    let secs = ms.max(0) / 1000;
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// The figures of `entries` (newest first, as the store lists them) and `breaks` (start, end) since `since`, at
/// `now`, with the break under way since `on_break_since`. A call still up counts its talk so far; only the newest
/// call's open wrap-up counts (an older one without an end was left when the app closed: its length is unknown).
pub fn figures(
    entries: &[Entry],
    breaks: &[(i64, i64)],
    on_break_since: Option<i64>,
    since: i64,
    now: i64,
) -> Figures {
    let mut f = Figures::default();
    let mut handle = 0;
    for (i, e) in entries.iter().enumerate() {
        let placed = e.ending != Some(Ending::NotPlaced);
        let end = e.ended_at.unwrap_or(now);
        let talk = if placed {
            (end - e.started_at).max(0)
        } else {
            0
        };
        let wrap = match (e.ended_at, e.wrap_end) {
            _ if e.guid.is_empty() => 0,
            (Some(ended), Some(done)) => (done - ended).max(0),
            (Some(ended), None) if i == 0 => (now - ended).max(0),
            _ => 0,
        };
        if placed {
            f.calls += 1;
            handle += talk + wrap;
        } else {
            f.not_placed += 1;
        }
        f.talk_ms += talk;
        f.wrap_ms += wrap;
    }
    if f.calls > 0 {
        f.average_handle_ms = handle / f.calls as i64;
    }
    let span = |start: i64, end: i64| (end.min(now) - start.max(since)).max(0);
    f.break_ms = breaks.iter().map(|&(s, e)| span(s, e)).sum::<i64>()
        + on_break_since.map(|s| span(s, now)).unwrap_or(0);
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Delivery;

    fn call(started: i64, ended: Option<i64>, wrap_end: Option<i64>, how: Ending) -> Entry {
        Entry {
            id: 0,
            guid: "g".into(),
            campaign: String::new(),
            number: "099".into(),
            started_at: started,
            ended_at: ended,
            wrap_end,
            ending: Some(how),
            disposition: String::new(),
            delivery: Delivery::Sent,
            tags: vec![],
        }
    }

    #[test]
    fn talk_wrap_up_average_and_breaks_add_up() {
        let entries = [
            // newest first: a call in wrap-up for 5 s so far, one done (60 s talk + 20 s wrap-up), a failed dial
            // with a 10 s wrap-up.
            call(200_000, Some(230_000), None, Ending::Customer),
            call(100_000, Some(160_000), Some(180_000), Ending::Agent),
            call(50_000, Some(50_000), Some(60_000), Ending::NotPlaced),
        ];
        let f = figures(
            &entries,
            &[(10_000, 40_000)],
            Some(234_000),
            20_000,
            235_000,
        );
        assert_eq!((f.calls, f.not_placed), (2, 1));
        assert_eq!(f.talk_ms, 30_000 + 60_000);
        assert_eq!(f.wrap_ms, 5_000 + 20_000 + 10_000);
        assert_eq!(f.average_handle_ms, (30_000 + 5_000 + 60_000 + 20_000) / 2);
        // The break before the day started counts from `since` only; the one under way so far.
        assert_eq!(f.break_ms, 20_000 + 1_000);
    }

    #[test]
    fn the_figures_read_like_the_today_screen() {
        let f = Figures {
            calls: 12,
            not_placed: 1,
            talk_ms: 3_723_000,
            wrap_ms: 720_000,
            average_handle_ms: 250_400,
            break_ms: 1_800_000,
        };
        let words = f.words().map(|(name, value)| format!("{name} {value}"));
        assert_eq!(
            words.join(" · "),
            "calls 12 · talk 1:02:03 · aht 04:10 · wrap 12:00 · breaks 30:00"
        );
    }

    #[test]
    fn an_old_unfinished_wrap_up_does_not_grow_forever() {
        let entries = [
            call(300_000, Some(310_000), Some(312_000), Ending::Agent),
            call(100_000, Some(160_000), None, Ending::Agent),
        ];
        let f = figures(&entries, &[], None, 0, 10_000_000);
        assert_eq!(f.wrap_ms, 2_000);
        assert_eq!(figures(&[], &[], None, 0, 1).average_handle_ms, 0);
    }
}

//! The local call history as the desk fills it: the [`recorder`] follows the desk's and the breaks' events on a task
//! of its own, so recording never adds to dial or hang-up latency; [`today`] brings the delivery states up to date
//! with the outbox before the Today screen reads the day. The file, the entries and the figures are the
//! `call-history` crate's.

pub mod recorder;

pub use recorder::Recorder;

use call_history::{HistoryStore, Today};

/// `agent`'s day at `now`: the delivery states brought up to date with `desk`'s outbox first, then the calls and
/// the figures, with the break under way since `on_break_since`.
pub fn today(
    store: &HistoryStore,
    agent: &str,
    desk: Option<&crate::desk::DeskHandle>,
    on_break_since: Option<i64>,
    now: i64,
) -> agent_error::Result<Today> {
    if let Some(desk) = desk {
        recorder::reconcile(store, agent, desk)?;
    }
    call_history::today(store, agent, on_break_since, now)
}

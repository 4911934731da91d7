//! What the agent sees of the outbox: each item with a one-line summary and whether it waits for the server, for
//! the agent, or behind another item of the same call.

use serde::Serialize;

use super::{ItemState, Stored};

/// An item's state as the agent sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ViewState {
    /// Waiting for the server; it is tried again by itself.
    Pending,
    /// The server refused it: fix it, resend it or discard it.
    Rejected,
    /// Waits behind a rejected item of the same call (`behind`); it goes once that one is resolved.
    Blocked,
}

/// One outbox item for the agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxItemView {
    /// Item id (for edit, resend, discard).
    pub id: i64,
    /// `disposition`, `tag`, `respool`, `schedule` or `blacklist`.
    pub kind: &'static str,
    /// The call it belongs to; empty for none.
    pub call_guid: String,
    /// One line: the number and the codes.
    pub summary: String,
    /// Where it stands.
    pub state: ViewState,
    /// The earlier item of the same call it waits for, if any.
    pub behind: Option<i64>,
    /// Send attempts so far.
    pub attempts: i64,
    /// The last failure, or the server's answer for a rejection.
    pub last_error: Option<String>,
    /// When it is tried next by itself (Unix ms); `None` when it waits for the agent or another item.
    pub next_attempt_at: Option<i64>,
    /// Submission time, Unix ms.
    pub created_at: i64,
}

/// How many items wait, for the status line and the tray.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OutboxCounts {
    /// Waiting for the server (pending, including those behind a pending item).
    pub pending: usize,
    /// Waiting for the agent: rejected ones and those blocked behind them.
    pub rejected: usize,
}

impl OutboxCounts {
    /// Every item still in the outbox.
    pub fn total(&self) -> usize {
        self.pending + self.rejected
    }
}

/// Each item's state as the agent sees it and the item of its call it waits for, from the items' (id, call,
/// stored state) oldest first: an item behind a rejected (or blocked) item of its call is blocked.
pub(super) fn line_states<'a>(
    items: impl IntoIterator<Item = (i64, &'a str, ItemState)>,
) -> Vec<(ViewState, Option<i64>)> {
    // Per call: the first item still waiting, and whether that line is stuck on a rejection.
    let mut heads: std::collections::HashMap<&str, (i64, bool)> = Default::default();
    items
        .into_iter()
        .map(|(id, call, stored)| {
            let head = (!call.is_empty())
                .then(|| heads.get(call).copied())
                .flatten();
            let state = match (stored, head) {
                (ItemState::Rejected, _) => ViewState::Rejected,
                (ItemState::Pending, Some((_, true))) => ViewState::Blocked,
                (ItemState::Pending, _) => ViewState::Pending,
            };
            if !call.is_empty() {
                let stuck = state != ViewState::Pending;
                heads
                    .entry(call)
                    .and_modify(|h| h.1 |= stuck)
                    .or_insert((id, stuck));
            }
            (state, head.map(|(id, _)| id))
        })
        .collect()
}

/// Views of `items` (oldest first, as the outbox lists them).
pub fn views(items: &[Stored]) -> Vec<OutboxItemView> {
    let states = line_states(items.iter().map(|i| (i.id, i.call_guid.as_str(), i.state)));
    items
        .iter()
        .zip(states)
        .map(|(item, (state, behind))| OutboxItemView {
            id: item.id,
            kind: item.job.kind(),
            call_guid: item.call_guid.clone(),
            summary: item.job.summary(),
            state,
            behind,
            attempts: item.attempts,
            last_error: item.last_error.clone(),
            next_attempt_at: (state == ViewState::Pending && behind.is_none())
                .then_some(item.next_attempt_at),
            created_at: item.created_at,
        })
        .collect()
}

/// The counts of items in these states.
pub(super) fn counts(states: &[(ViewState, Option<i64>)]) -> OutboxCounts {
    let rejected = states
        .iter()
        .filter(|(s, _)| *s != ViewState::Pending)
        .count();
    OutboxCounts {
        pending: states.len() - rejected,
        rejected,
    }
}

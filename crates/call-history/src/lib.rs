//! The local call history: each call the desk held (dialed here, pushed by a page, or a dial that failed), with
//! its times, how it ended, its disposition and where that disposition stands (sent, waiting, refused), and the
//! agent's breaks, for the Today screen and the shift's figures ([`figures`]).
//!
//! The file ([`HistoryStore`]) keeps personal fields sealed like the outbox does, is trimmed to `history_days`,
//! and can be cleared at sign-out. What fills it — following the desk's and the breaks' events — is
//! `agent::history`'s recorder; this crate knows nothing of the desk.

pub mod figures;
mod store;

use serde::{Deserialize, Serialize};

pub use figures::{figures, Figures};
pub use store::{HistoryStore, NewCall, FILE_NAME};

use outbox::{OutboxItemView, ViewState};

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    /// The agent hung up from the app.
    Agent,
    /// The customer ended it (or the agent said so).
    Customer,
    /// The dial failed: there never was a call.
    NotPlaced,
}

/// Where a call's disposition stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Nothing filed (a wrap-up left, an attempt discarded, a refused one given up).
    NotFiled,
    /// The server acknowledged it.
    Sent,
    /// On this computer, waiting for the server.
    Waiting,
    /// The server refused it; it waits in the outbox for the agent.
    Refused,
}

impl Delivery {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::NotFiled => "not_filed",
            Delivery::Sent => "sent",
            Delivery::Waiting => "waiting",
            Delivery::Refused => "refused",
        }
    }

    /// The state a stored word stands for (an unknown word: not filed).
    pub fn parse(text: &str) -> Self {
        match text {
            "sent" => Delivery::Sent,
            "waiting" => Delivery::Waiting,
            "refused" => Delivery::Refused,
            _ => Delivery::NotFiled,
        }
    }

    /// Where a disposition filed earlier (`self`: waiting or refused) stands now that the outbox holds `items`:
    /// still there and pending, it waits; refused or stuck behind a refusal, it is refused; gone, the server took
    /// it. States with nothing in flight do not change.
    pub fn follow_outbox(self, guid: &str, items: &[OutboxItemView]) -> Self {
        if !matches!(self, Delivery::Waiting | Delivery::Refused) || guid.is_empty() {
            return self;
        }
        match items
            .iter()
            .find(|i| i.kind == "disposition" && i.call_guid == guid)
        {
            None => Delivery::Sent,
            Some(item) if item.state == ViewState::Pending => Delivery::Waiting,
            Some(_) => Delivery::Refused,
        }
    }
}

/// One call in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Row id.
    pub id: i64,
    /// GUID (a failed attempt's local id; empty for a failed dial without a wrap-up).
    pub guid: String,
    /// Campaign.
    pub campaign: String,
    /// Number dialed.
    pub number: String,
    /// Placed at, Unix ms.
    pub started_at: i64,
    /// Ended at, Unix ms (none while it is up).
    pub ended_at: Option<i64>,
    /// The wrap-up was over at, Unix ms.
    pub wrap_end: Option<i64>,
    /// How it ended.
    pub ending: Option<Ending>,
    /// The codes filed, `l1 / l2 / l3`.
    pub disposition: String,
    /// Where the disposition stands.
    pub delivery: Delivery,
    /// The recording's tags.
    pub tags: Vec<String>,
}

/// Now, Unix ms.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The local day's start before `now` (Unix ms): where "today" begins for the Today screen and the figures.
pub fn start_of_day(now: i64) -> i64 {
    use chrono::{Local, TimeZone};
    let Some(local) = Local.timestamp_millis_opt(now).single() else {
        return now - now.rem_euclid(86_400_000);
    };
    local
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .and_then(|midnight| Local.from_local_datetime(&midnight).earliest())
        .map(|m| m.timestamp_millis())
        .unwrap_or(now - now.rem_euclid(86_400_000))
}

/// The Today screen: the day's calls, newest first, and the shift's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Today {
    /// Calls since the day started, newest first.
    pub calls: Vec<Entry>,
    /// The figures.
    pub figures: Figures,
}

/// `agent`'s day at `now`: the calls and the figures, with the break under way since `on_break_since` (bring the
/// delivery states up to date with the outbox first: `agent::history::today` does).
pub fn today(
    store: &HistoryStore,
    agent: &str,
    on_break_since: Option<i64>,
    now: i64,
) -> agent_error::Result<Today> {
    let since = start_of_day(now);
    let calls = store.calls(agent, since)?;
    let breaks = store.breaks(agent, since)?;
    let figures = figures(&calls, &breaks, on_break_since, since, now);
    Ok(Today { calls, figures })
}

/// `agent`'s shift figures at `now` (the break under way since `on_break_since`), from the calls' times alone:
/// nothing sealed is opened, for the desk's line and the tray, which follow every change.
pub fn shift(
    store: &HistoryStore,
    agent: &str,
    on_break_since: Option<i64>,
    now: i64,
) -> agent_error::Result<Figures> {
    let since = start_of_day(now);
    let calls = store.times(agent, since)?;
    let breaks = store.breaks(agent, since)?;
    Ok(figures(&calls, &breaks, on_break_since, since, now))
}

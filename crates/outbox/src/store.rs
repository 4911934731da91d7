//! The outbox file: each submitted request on disk until the server acknowledges it. Payloads are stored only
//! sealed ([`PayloadSeal`]); the kind, the call GUID and the delivery state stay readable so the courier can order
//! and schedule without opening payloads. Only the [`crate::courier`] writes to it in the app.

use std::path::Path;
use std::sync::Arc;

use parking_lot::Mutex;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::job::Job;
use crate::schema;
use crate::seal::PayloadSeal;
use crate::view::{self, OutboxCounts, OutboxItemView};
use agent_error::{AgentError, ErrorCode, Phrase, Result};

/// Where an item stands in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// Not acknowledged yet; will be sent (again).
    Pending,
    /// The server refused it (`0`, or a request it will never take): kept for the agent to fix, resend or
    /// discard; never dropped silently.
    Rejected,
}

/// An item as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stored {
    /// Row id, increasing in submission order.
    pub id: i64,
    /// The call it belongs to; empty when it belongs to none. Items of one call go out in id order.
    pub call_guid: String,
    /// The request.
    pub job: Job,
    /// Its state.
    pub state: ItemState,
    /// Send attempts so far.
    pub attempts: i64,
    /// The last failure in words (for a rejection: the server's answer).
    pub last_error: Option<String>,
    /// Submission time, Unix milliseconds.
    pub created_at: i64,
    /// Not to be tried before this time, Unix milliseconds (0: at once).
    pub next_attempt_at: i64,
}

/// An item's delivery facts, without its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Row id.
    pub id: i64,
    /// The call it belongs to; empty for none.
    pub call_guid: String,
    /// Its state.
    pub state: ItemState,
    /// Not before this time, Unix ms.
    pub next_attempt_at: i64,
}

/// The outbox file. Clones share one connection.
#[derive(Clone)]
pub struct Outbox {
    db: Arc<Mutex<Connection>>,
    seal: Arc<dyn PayloadSeal>,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Outbox")
    }
}

/// SQLite's errors in the agent's words. The error type lives below this crate, so `?` needs this step.
pub(crate) trait Sql<T> {
    /// The result with a `storage` error.
    fn sql(self) -> Result<T>;
}

impl<T> Sql<T> for rusqlite::Result<T> {
    fn sql(self) -> Result<T> {
        self.map_err(|err| {
            storage(
                Phrase::new("error.outbox.database").with("detail", err.to_string()),
                format!("the local database failed: {err}"),
            )
        })
    }
}

fn storage(phrase: Phrase, message: String) -> AgentError {
    AgentError::phrased(ErrorCode::Storage, phrase, message)
}

/// Failure texts are kept short: they are shown in a list, and a server's error page is no use there.
fn short(text: &str) -> String {
    const LIMIT: usize = 300;
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

impl Outbox {
    /// Opens (or creates) the outbox file; payloads are sealed and opened with `seal`. A file written by an
    /// earlier version with payloads in the clear is sealed in place.
    pub fn open(path: &Path, seal: Arc<dyn PayloadSeal>) -> Result<Self> {
        let mut db = crate::durable::open_durable(path)?;
        schema::migrate(&mut db, &*seal)?;
        Ok(Self {
            db: Arc::new(Mutex::new(db)),
            seal,
        })
    }

    fn lock(&self) -> parking_lot::MutexGuard<'_, Connection> {
        self.db.lock()
    }

    fn sealed(&self, job: &Job) -> Result<String> {
        let plain = serde_json::to_vec(job).map_err(|e| AgentError::invalid(e.to_string()))?;
        Ok(self.seal.seal(&plain))
    }

    /// Writes the job to disk (committed) and returns its id, queued behind earlier items of the call it carries
    /// (dispositions, tags), submitted at `at` (Unix ms). Call this before sending anything.
    pub fn enqueue(&self, job: &Job, at: i64) -> Result<i64> {
        self.enqueue_for_call(job.call_guid().unwrap_or(""), job, at)
    }

    /// Like [`Outbox::enqueue`], queued behind the earlier items of `call_guid` (a dialer action after the call's
    /// disposition). An empty `call_guid` orders it after nothing.
    pub fn enqueue_for_call(&self, call_guid: &str, job: &Job, at: i64) -> Result<i64> {
        let payload = self.sealed(job)?;
        let db = self.lock();
        db.execute(
            "INSERT INTO outbox (call_guid, kind, payload, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![call_guid, job.kind(), payload, at],
        )
        .sql()?;
        Ok(db.last_insert_rowid())
    }

    /// The server acknowledged the item: it leaves the outbox.
    pub fn ack(&self, id: i64) -> Result<()> {
        self.lock()
            .execute("DELETE FROM outbox WHERE id = ?1", params![id])
            .sql()?;
        Ok(())
    }

    /// A failed attempt worth repeating: counted, with the reason and the earliest next try (Unix ms).
    pub fn record_retry(&self, id: i64, error: &str, next_attempt_at: i64) -> Result<()> {
        self.lock()
            .execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, state = 'pending', \
             next_attempt_at = ?3 WHERE id = ?1",
                params![id, short(error), next_attempt_at],
            )
            .sql()?;
        Ok(())
    }

    /// The server refused the item: kept with its answer until the agent acts.
    pub fn record_rejection(&self, id: i64, answer: &str) -> Result<()> {
        self.lock().execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, state = 'rejected' WHERE id = ?1",
            params![id, short(answer)],
        )
        .sql()?;
        Ok(())
    }

    /// Puts an item back in line to go at once, with `job` instead of its request when given (the agent fixed
    /// it). The call it belongs to does not change. False when there is no such item.
    pub fn requeue(&self, id: i64, job: Option<&Job>) -> Result<bool> {
        let db = self.lock();
        let changed = match job {
            Some(job) => {
                let kind: Option<String> = db
                    .query_row("SELECT kind FROM outbox WHERE id = ?1", params![id], |r| {
                        r.get(0)
                    })
                    .optional()
                    .sql()?;
                match kind {
                    None => 0,
                    Some(kind) if kind != job.kind() => {
                        return Err(AgentError::phrased(
                            ErrorCode::InvalidInput,
                            Phrase::new("error.outbox.kind")
                                .with("id", id.to_string())
                                .with("kind", kind.as_str())
                                .with("new_kind", job.kind()),
                            format!("item {id} is a {kind}; it cannot become a {}", job.kind()),
                        ))
                    }
                    Some(_) => db.execute(
                        "UPDATE outbox SET state = 'pending', next_attempt_at = 0, payload = ?2 \
                         WHERE id = ?1",
                        params![id, self.sealed(job)?],
                    )
                    .sql()?,
                }
            }
            None => db
                .execute(
                    "UPDATE outbox SET state = 'pending', next_attempt_at = 0 WHERE id = ?1",
                    params![id],
                )
                .sql()?,
        };
        Ok(changed > 0)
    }

    /// The agent discards an item on purpose. False when there is no such item.
    pub fn discard(&self, id: i64) -> Result<bool> {
        Ok(self
            .lock()
            .execute("DELETE FROM outbox WHERE id = ?1", params![id])
            .sql()?
            > 0)
    }

    fn select(&self, filter: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<Stored>> {
        type Row = (i64, String, String, String, i64, Option<String>, i64, i64);
        let rows: Vec<Row> = {
            let db = self.lock();
            let mut statement = db.prepare(&format!(
                "SELECT id, call_guid, payload, state, attempts, last_error, created_at, next_attempt_at \
                 FROM outbox {filter} ORDER BY id"
            ))
            .sql()?;
            let rows = statement
                .query_map(args, |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                        row.get(5)?,
                        row.get(6)?,
                        row.get(7)?,
                    ))
                })
                .sql()?;
            rows.collect::<rusqlite::Result<_>>().sql()?
        };
        rows.into_iter()
            .map(
                |(id, call_guid, payload, state, attempts, last_error, created_at, next)| {
                    let unreadable = |why: String| {
                        storage(
                            Phrase::new("error.outbox.unreadable")
                                .with("id", id.to_string())
                                .with("detail", why.as_str()),
                            format!("outbox item {id} is unreadable: {why}"),
                        )
                    };
                    let plain = self
                        .seal
                        .open(&payload)
                        .map_err(|e| unreadable(e.to_string()))?;
                    let job: Job =
                        serde_json::from_slice(&plain).map_err(|e| unreadable(e.to_string()))?;
                    Ok(Stored {
                        id,
                        call_guid,
                        job,
                        state: if state == "rejected" {
                            ItemState::Rejected
                        } else {
                            ItemState::Pending
                        },
                        attempts,
                        last_error,
                        created_at,
                        next_attempt_at: next,
                    })
                },
            )
            .collect()
    }

    /// Every item, oldest first.
    pub fn items(&self) -> Result<Vec<Stored>> {
        self.select("", &[])
    }

    /// Items still to send (not rejected), oldest first.
    pub fn pending(&self) -> Result<Vec<Stored>> {
        self.select("WHERE state = 'pending'", &[])
    }

    /// How many items are waiting (pending or rejected).
    pub fn count(&self) -> Result<usize> {
        let n: i64 = self
            .lock()
            .query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))
            .sql()?;
        Ok(n as usize)
    }

    /// One item by id.
    pub fn get(&self, id: i64) -> Result<Option<Stored>> {
        Ok(self.select("WHERE id = ?1", &[&id])?.pop())
    }

    /// The delivery facts of the items after `after` (by id, oldest first), without opening their payloads: what
    /// the courier needs to pick the next item to send.
    pub fn lines(&self, after: i64) -> Result<Vec<Line>> {
        let db = self.lock();
        let mut statement = db
            .prepare(
                "SELECT id, call_guid, state, next_attempt_at FROM outbox WHERE id > ?1 ORDER BY id",
            )
            .sql()?;
        let rows = statement
            .query_map(params![after], |row| {
                Ok(Line {
                    id: row.get(0)?,
                    call_guid: row.get(1)?,
                    state: if row.get::<_, String>(2)? == "rejected" {
                        ItemState::Rejected
                    } else {
                        ItemState::Pending
                    },
                    next_attempt_at: row.get(3)?,
                })
            })
            .sql()?;
        rows.collect::<rusqlite::Result<_>>().sql()
    }

    /// How many ids the file ever gave out (acknowledged and discarded items included): how many enqueues it ever
    /// committed, which a restarted sender uses to know where it stopped.
    pub fn ids_given(&self) -> Result<i64> {
        let seq: Option<i64> = self
            .lock()
            .query_row(
                "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'",
                [],
                |r| r.get(0),
            )
            .optional()
            .sql()?;
        Ok(seq.unwrap_or(0))
    }

    /// The id of the newest item, if any.
    pub fn newest(&self) -> Result<Option<i64>> {
        self.lock()
            .query_row("SELECT MAX(id) FROM outbox", [], |r| r.get(0))
            .sql()
    }

    /// The oldest item of the same call submitted before `id`, which `id` must wait for; `None` when `id` is first
    /// in its call (or belongs to none).
    pub fn ahead_of(&self, id: i64) -> Result<Option<i64>> {
        self.lock()
            .query_row(
                "SELECT MIN(o.id) FROM outbox o JOIN outbox me ON me.id = ?1 \
                 WHERE me.call_guid <> '' AND o.call_guid = me.call_guid AND o.id < me.id",
                params![id],
                |r| r.get(0),
            )
            .sql()
    }

    /// What the agent sees: every item with its state, oldest first.
    pub fn views(&self) -> Result<Vec<OutboxItemView>> {
        Ok(view::views(&self.items()?))
    }

    /// How many items wait for the server and how many for the agent.
    pub fn counts(&self) -> Result<OutboxCounts> {
        let lines = self.lines(0)?;
        let states = view::line_states(lines.iter().map(|l| (l.id, l.call_guid.as_str(), l.state)));
        Ok(view::counts(&states))
    }
}

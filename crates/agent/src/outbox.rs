//! The outbox: what the agent submitted (dispositions and tags) is written to a SQLite file before it is sent,
//! and leaves it only when the server acknowledges it. A crash, a kill or a network drop between "submit" and
//! "acknowledged" loses nothing; on the next start the pending items are sent again.
//!
//! WAL with `synchronous=FULL`: a committed enqueue survives power loss, which is the point of the file.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::Result;

/// A request waiting to be delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "request", rename_all = "snake_case")]
pub enum Job {
    /// DispositionCall.
    Disposition(Box<integra::Disposition>),
    /// TagRecord.
    Tag(integra::TagRecord),
}

impl Job {
    /// The call the job belongs to (order is kept per call).
    pub fn call_guid(&self) -> &str {
        match self {
            Job::Disposition(d) => &d.guid,
            Job::Tag(t) => t.guid.as_str(),
        }
    }

    /// Short kind name.
    pub fn kind(&self) -> &'static str {
        match self {
            Job::Disposition(_) => "disposition",
            Job::Tag(_) => "tag",
        }
    }

    /// Sends the request once.
    pub async fn deliver(&self, client: &integra::Client) -> integra::Result<()> {
        match self {
            Job::Disposition(d) => client.disposition_call(d).await,
            Job::Tag(t) => client.tag_record(t).await,
        }
    }
}

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// Not acknowledged yet; will be sent (again).
    Pending,
    /// The server answered `0`: kept for the agent to fix, resend or discard; never dropped silently.
    Rejected,
}

/// An item as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stored {
    /// Row id, increasing in submission order.
    pub id: i64,
    /// The request.
    pub job: Job,
    /// Its state.
    pub state: ItemState,
    /// Send attempts so far.
    pub attempts: i64,
    /// The last failure, in words.
    pub last_error: Option<String>,
    /// Submission time, Unix milliseconds.
    pub created_at: i64,
}

/// The outbox file. Clones share one connection.
#[derive(Clone)]
pub struct Outbox {
    db: Arc<Mutex<Connection>>,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Outbox")
    }
}

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS outbox (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        call_guid   TEXT NOT NULL,
        kind        TEXT NOT NULL,
        payload     TEXT NOT NULL,
        state       TEXT NOT NULL DEFAULT 'pending',
        attempts    INTEGER NOT NULL DEFAULT 0,
        last_error  TEXT,
        created_at  INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS outbox_call ON outbox (call_guid, id);
";

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Outbox {
    /// Opens (or creates) the outbox file.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                crate::error::AgentError::new(
                    crate::error::ErrorCode::Storage,
                    format!("cannot create {}: {e}", dir.display()),
                )
            })?;
        }
        let db = Connection::open(path)?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.pragma_update(None, "synchronous", "FULL")?;
        db.busy_timeout(std::time::Duration::from_secs(5))?;
        db.execute_batch(SCHEMA)?;
        Ok(Self {
            db: Arc::new(Mutex::new(db)),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes the job to disk (committed) and returns its id. Call this before sending anything.
    pub fn enqueue(&self, job: &Job) -> Result<i64> {
        let payload = serde_json::to_string(job)
            .map_err(|e| crate::error::AgentError::invalid(e.to_string()))?;
        let db = self.lock();
        db.execute(
            "INSERT INTO outbox (call_guid, kind, payload, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![job.call_guid(), job.kind(), payload, now_ms()],
        )?;
        Ok(db.last_insert_rowid())
    }

    /// The server acknowledged the item: it leaves the outbox.
    pub fn ack(&self, id: i64) -> Result<()> {
        self.lock()
            .execute("DELETE FROM outbox WHERE id = ?1", params![id])?;
        Ok(())
    }

    /// Records a failed attempt; `rejected` marks a `0` answer that needs the agent.
    pub fn record_failure(&self, id: i64, error: &str, rejected: bool) -> Result<()> {
        let state = if rejected { "rejected" } else { "pending" };
        self.lock().execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, state = ?3 WHERE id = ?1",
            params![id, error, state],
        )?;
        Ok(())
    }

    /// Puts a rejected item back in line (after the agent fixed or confirmed it).
    pub fn retry(&self, id: i64, job: Option<&Job>) -> Result<()> {
        let db = self.lock();
        match job {
            Some(job) => {
                let payload = serde_json::to_string(job)
                    .map_err(|e| crate::error::AgentError::invalid(e.to_string()))?;
                db.execute(
                    "UPDATE outbox SET state = 'pending', payload = ?2 WHERE id = ?1",
                    params![id, payload],
                )?
            }
            None => db.execute(
                "UPDATE outbox SET state = 'pending' WHERE id = ?1",
                params![id],
            )?,
        };
        Ok(())
    }

    /// The agent discards an item on purpose.
    pub fn discard(&self, id: i64) -> Result<()> {
        self.ack(id)
    }

    /// Every item, oldest first.
    pub fn items(&self) -> Result<Vec<Stored>> {
        let db = self.lock();
        let mut statement = db.prepare(
            "SELECT id, payload, state, attempts, last_error, created_at FROM outbox ORDER BY id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
            ))
        })?;
        let mut items = Vec::new();
        for row in rows {
            let (id, payload, state, attempts, last_error, created_at) = row?;
            let job: Job = serde_json::from_str(&payload).map_err(|e| {
                crate::error::AgentError::new(
                    crate::error::ErrorCode::Storage,
                    format!("outbox item {id} is unreadable: {e}"),
                )
            })?;
            let state = if state == "rejected" {
                ItemState::Rejected
            } else {
                ItemState::Pending
            };
            items.push(Stored {
                id,
                job,
                state,
                attempts,
                last_error,
                created_at,
            });
        }
        Ok(items)
    }

    /// Items still to send, oldest first.
    pub fn pending(&self) -> Result<Vec<Stored>> {
        Ok(self
            .items()?
            .into_iter()
            .filter(|i| i.state == ItemState::Pending)
            .collect())
    }

    /// How many items are waiting (pending or rejected).
    pub fn count(&self) -> Result<usize> {
        let n: i64 = self
            .lock()
            .query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// One item by id.
    pub fn get(&self, id: i64) -> Result<Option<Stored>> {
        let exists: Option<i64> = self
            .lock()
            .query_row("SELECT id FROM outbox WHERE id = ?1", params![id], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(match exists {
            Some(_) => self.items()?.into_iter().find(|i| i.id == id),
            None => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disposition(guid: &str) -> Job {
        Job::Disposition(Box::new(integra::Disposition {
            campaign: "Ventas->".into(),
            guid: guid.into(),
            l1: "Contactado".into(),
            comment: "mañana 10 h".into(),
            ..Default::default()
        }))
    }

    #[test]
    fn enqueued_items_survive_reopening_until_acknowledged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.sqlite3");
        let first = Outbox::open(&path).unwrap();
        let a = first.enqueue(&disposition("g1")).unwrap();
        let b = first.enqueue(&disposition("g2")).unwrap();
        drop(first);
        let reopened = Outbox::open(&path).unwrap();
        let pending = reopened.pending().unwrap();
        assert_eq!(pending.iter().map(|p| p.id).collect::<Vec<_>>(), [a, b]);
        assert_eq!(pending[0].job, disposition("g1"));
        reopened.ack(a).unwrap();
        assert_eq!(reopened.count().unwrap(), 1);
    }

    #[test]
    fn failures_are_counted_and_rejections_wait_for_the_agent() {
        let dir = tempfile::tempdir().unwrap();
        let outbox = Outbox::open(&dir.path().join("o.db")).unwrap();
        let id = outbox.enqueue(&disposition("g1")).unwrap();
        outbox
            .record_failure(id, "cannot reach the server", false)
            .unwrap();
        outbox
            .record_failure(id, "the server answered 0", true)
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
        outbox.retry(id, Some(&disposition("g1-fixed"))).unwrap();
        assert_eq!(outbox.pending().unwrap()[0].job, disposition("g1-fixed"));
        outbox.discard(id).unwrap();
        assert_eq!(outbox.count().unwrap(), 0);
    }
}

//! The history file: one SQLite database in the data folder (`history.sqlite3`), beside the outbox and opened the
//! same way (WAL, `secure_delete`). The number, the disposition and the tags are personal: they are kept only in
//! one sealed column ([`PayloadSeal`], the outbox's sealer with the keychain's data key). Times, the GUID, the
//! campaign and the delivery state stay readable: they are what the list is sorted, kept and reconciled by.

use std::path::Path;
use std::sync::Arc;

use parking_lot::Mutex;

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use super::{Delivery, Entry};
use crate::Ending;
use agent_error::{AgentError, ErrorCode, Phrase, Result};
use outbox::PayloadSeal;

/// The file's name in the data folder.
pub const FILE_NAME: &str = "history.sqlite3";

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS calls (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        agent       TEXT NOT NULL,
        guid        TEXT NOT NULL,
        campaign    TEXT NOT NULL,
        started_at  INTEGER NOT NULL,
        ended_at    INTEGER,
        wrap_end    INTEGER,
        ending      TEXT,
        delivery    TEXT NOT NULL DEFAULT 'not_filed',
        sealed      TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS calls_guid ON calls (guid);
    CREATE INDEX IF NOT EXISTS calls_started ON calls (started_at);
    CREATE TABLE IF NOT EXISTS breaks (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        agent       TEXT NOT NULL,
        started_at  INTEGER NOT NULL,
        ended_at    INTEGER NOT NULL
    );
";

/// The personal part of a row, sealed as one JSON document.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct Personal {
    number: String,
    disposition: String,
    tags: Vec<String>,
}

fn storage(phrase: Phrase, message: String) -> AgentError {
    AgentError::phrased(ErrorCode::Storage, phrase, message)
}

trait Sql<T> {
    fn sql(self) -> Result<T>;
}

impl<T> Sql<T> for rusqlite::Result<T> {
    fn sql(self) -> Result<T> {
        self.map_err(|err| {
            storage(
                Phrase::new("error.history.database").with("detail", err.to_string()),
                format!("the call history file failed: {err}"),
            )
        })
    }
}

fn ending_text(how: Ending) -> &'static str {
    match how {
        Ending::Agent => "agent",
        Ending::Customer => "customer",
        Ending::NotPlaced => "not_placed",
    }
}

fn ending_of(text: &str) -> Option<Ending> {
    match text {
        "agent" => Some(Ending::Agent),
        "customer" => Some(Ending::Customer),
        "not_placed" => Some(Ending::NotPlaced),
        _ => None,
    }
}

/// A call to add: what is known when it is first recorded.
#[derive(Debug, Clone, Default)]
pub struct NewCall {
    /// The agent's user name (a shared computer keeps each agent's calls apart).
    pub agent: String,
    /// GUID (or the failed attempt's id; empty for a failed dial with no wrap-up).
    pub guid: String,
    /// Number dialed.
    pub number: String,
    /// Campaign.
    pub campaign: String,
    /// Placed at, Unix ms.
    pub started_at: i64,
    /// Ended at, Unix ms (known at once for a dial that failed).
    pub ended_at: Option<i64>,
    /// How it ended, when known.
    pub ending: Option<Ending>,
}

/// The history file. Clones share one connection.
#[derive(Clone)]
pub struct HistoryStore {
    db: Arc<Mutex<Connection>>,
    seal: Arc<dyn PayloadSeal>,
}

impl std::fmt::Debug for HistoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HistoryStore")
    }
}

impl HistoryStore {
    /// Opens (or creates) the file at `path`; personal fields are sealed with `seal`.
    pub fn open(path: &Path, seal: Arc<dyn PayloadSeal>) -> Result<Self> {
        let db = outbox::open_durable(path)?;
        db.execute_batch(SCHEMA).sql()?;
        Ok(Self {
            db: Arc::new(Mutex::new(db)),
            seal,
        })
    }

    fn lock(&self) -> parking_lot::MutexGuard<'_, Connection> {
        self.db.lock()
    }

    fn seal_personal(&self, personal: &Personal) -> Result<String> {
        let plain = serde_json::to_vec(personal)
            .map_err(|e| AgentError::new(ErrorCode::Storage, e.to_string()))?;
        Ok(self.seal.seal(&plain))
    }

    fn open_personal(&self, id: i64, sealed: &str) -> Result<Personal> {
        let plain = self.seal.open(sealed).map_err(|e| {
            storage(
                Phrase::new("error.history.unsealed")
                    .with("id", id.to_string())
                    .with("detail", e.to_string()),
                format!("history entry {id} cannot be read: {e}"),
            )
        })?;
        serde_json::from_slice(&plain).map_err(|e| {
            storage(
                Phrase::new("error.history.damaged")
                    .with("id", id.to_string())
                    .with("detail", e.to_string()),
                format!("history entry {id} is damaged: {e}"),
            )
        })
    }

    /// Adds a call; answers its row id.
    pub fn add(&self, call: &NewCall) -> Result<i64> {
        let sealed = self.seal_personal(&Personal {
            number: call.number.clone(),
            ..Personal::default()
        })?;
        let db = self.lock();
        db.execute(
            "INSERT INTO calls (agent, guid, campaign, started_at, ended_at, ending, sealed) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                call.agent,
                call.guid,
                call.campaign,
                call.started_at,
                call.ended_at,
                call.ending.map(ending_text),
                sealed
            ],
        )
        .sql()?;
        Ok(db.last_insert_rowid())
    }

    /// Whether a call with `guid` is recorded.
    pub fn has(&self, guid: &str) -> Result<bool> {
        let n: i64 = self
            .lock()
            .query_row(
                "SELECT COUNT(*) FROM calls WHERE guid = ?1 AND guid <> ''",
                params![guid],
                |r| r.get(0),
            )
            .sql()?;
        Ok(n > 0)
    }

    /// The call ended at `at`, `how`.
    pub fn ended(&self, guid: &str, at: i64, how: Ending) -> Result<()> {
        self.lock()
            .execute(
                "UPDATE calls SET ended_at = COALESCE(ended_at, ?2), ending = ?3 WHERE guid = ?1 AND guid <> ''",
                params![guid, at, ending_text(how)],
            )
            .sql()?;
        Ok(())
    }

    /// The wrap-up of `guid` is over at `at` (filed, discarded, or the agent moved on); the first end counts.
    pub fn wrap_over(&self, guid: &str, at: i64) -> Result<()> {
        self.lock()
            .execute(
                "UPDATE calls SET wrap_end = ?2 WHERE guid = ?1 AND guid <> '' AND wrap_end IS NULL",
                params![guid, at],
            )
            .sql()?;
        Ok(())
    }

    /// Changes the personal part of `guid`'s row.
    fn edit(&self, guid: &str, change: impl FnOnce(&mut Personal)) -> Result<()> {
        let db = self.lock();
        let row: Option<(i64, String)> = db
            .query_row(
                "SELECT id, sealed FROM calls WHERE guid = ?1 AND guid <> '' ORDER BY id DESC LIMIT 1",
                params![guid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })
            .sql()?;
        let Some((id, sealed)) = row else {
            return Ok(());
        };
        let mut personal = self.open_personal(id, &sealed)?;
        change(&mut personal);
        db.execute(
            "UPDATE calls SET sealed = ?2 WHERE id = ?1",
            params![id, self.seal_personal(&personal)?],
        )
        .sql()?;
        Ok(())
    }

    /// The disposition of `guid` was filed at `at` (its wrap-up is over) and stands as `delivery`.
    pub fn filed(&self, guid: &str, disposition: &str, delivery: Delivery, at: i64) -> Result<()> {
        self.edit(guid, |p| p.disposition = disposition.to_string())?;
        self.set_delivery(guid, delivery)?;
        if delivery != Delivery::Refused {
            self.wrap_over(guid, at)?;
        }
        Ok(())
    }

    /// `guid`'s recording was tagged `text`.
    pub fn tagged(&self, guid: &str, text: &str) -> Result<()> {
        self.edit(guid, |p| p.tags.push(text.to_string()))
    }

    /// The disposition of `guid` now stands as `delivery`.
    pub fn set_delivery(&self, guid: &str, delivery: Delivery) -> Result<()> {
        self.lock()
            .execute(
                "UPDATE calls SET delivery = ?2 WHERE guid = ?1 AND guid <> ''",
                params![guid, delivery.as_str()],
            )
            .sql()?;
        Ok(())
    }

    /// A break from `start` to `end` (Unix ms).
    pub fn add_break(&self, agent: &str, start: i64, end: i64) -> Result<()> {
        self.lock()
            .execute(
                "INSERT INTO breaks (agent, started_at, ended_at) VALUES (?1, ?2, ?3)",
                params![agent, start, end],
            )
            .sql()?;
        Ok(())
    }

    /// `agent`'s calls placed since `since` (Unix ms), newest first.
    pub fn calls(&self, agent: &str, since: i64) -> Result<Vec<Entry>> {
        self.calls_with(agent, since, None, true)
    }

    /// `agent`'s call `id` placed since `since`, if there is one: only that row is unsealed.
    pub fn call(&self, agent: &str, id: i64, since: i64) -> Result<Option<Entry>> {
        Ok(self.calls_with(agent, since, Some(id), true)?.pop())
    }

    /// `agent`'s calls whose disposition is still waiting or refused, as (GUID, delivery), oldest first: what the
    /// outbox may have settled since. Read from the plain columns (nothing unsealed), so it stays cheap after each
    /// change of the outbox on a 1,000-call day.
    pub fn unsettled(&self, agent: &str) -> Result<Vec<(String, Delivery)>> {
        let db = self.lock();
        let mut s = db
            .prepare(
                "SELECT guid, delivery FROM calls WHERE agent = ?1 AND guid <> '' \
                 AND delivery IN ('waiting', 'refused') ORDER BY started_at, id",
            )
            .sql()?;
        let rows = s
            .query_map(params![agent], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .sql()?;
        rows.map(|row| row.map(|(guid, delivery)| (guid, Delivery::parse(&delivery))))
            .collect::<rusqlite::Result<_>>()
            .sql()
    }

    /// The same calls without their sealed fields (number, codes, tags left empty): what the figures need, with
    /// nothing decrypted, so they can follow every change of a 1,000-call day.
    pub fn times(&self, agent: &str, since: i64) -> Result<Vec<Entry>> {
        self.calls_with(agent, since, None, false)
    }

    fn calls_with(
        &self,
        agent: &str,
        since: i64,
        id: Option<i64>,
        unseal: bool,
    ) -> Result<Vec<Entry>> {
        type Row = (
            i64,
            String,
            String,
            i64,
            Option<i64>,
            Option<i64>,
            Option<String>,
            String,
            String,
        );
        let rows: Vec<Row> = {
            let db = self.lock();
            let mut s = db
                .prepare(
                    "SELECT id, guid, campaign, started_at, ended_at, wrap_end, ending, delivery, sealed \
                     FROM calls WHERE agent = ?1 AND started_at >= ?2 AND (?3 IS NULL OR id = ?3) \
                     ORDER BY started_at DESC, id DESC",
                )
                .sql()?;
            let rows = s
                .query_map(params![agent, since, id], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                    ))
                })
                .sql()?;
            rows.collect::<rusqlite::Result<_>>().sql()?
        };
        rows.into_iter()
            .map(
                |(id, guid, campaign, started_at, ended_at, wrap_end, ending, delivery, sealed)| {
                    let personal = if unseal {
                        self.open_personal(id, &sealed)?
                    } else {
                        Personal::default()
                    };
                    Ok(Entry {
                        id,
                        guid,
                        campaign,
                        number: personal.number,
                        started_at,
                        ended_at,
                        wrap_end,
                        ending: ending.as_deref().and_then(ending_of),
                        disposition: personal.disposition,
                        delivery: Delivery::parse(&delivery),
                        tags: personal.tags,
                    })
                },
            )
            .collect()
    }

    /// `agent`'s breaks that ended since `since`, as (start, end) in Unix ms.
    pub fn breaks(&self, agent: &str, since: i64) -> Result<Vec<(i64, i64)>> {
        let db = self.lock();
        let mut s = db
            .prepare(
                "SELECT started_at, ended_at FROM breaks WHERE agent = ?1 AND ended_at >= ?2 ORDER BY started_at",
            )
            .sql()?;
        let rows = s
            .query_map(params![agent, since], |r| Ok((r.get(0)?, r.get(1)?)))
            .sql()?;
        rows.collect::<rusqlite::Result<_>>().sql()
    }

    /// Forgets what is older than `days` days before `now` (Unix ms); answers how many calls went.
    pub fn purge(&self, now: i64, days: u32) -> Result<usize> {
        let cutoff = now - i64::from(days) * 86_400_000;
        let db = self.lock();
        let gone = db
            .execute("DELETE FROM calls WHERE started_at < ?1", params![cutoff])
            .sql()?;
        db.execute("DELETE FROM breaks WHERE ended_at < ?1", params![cutoff])
            .sql()?;
        Ok(gone)
    }

    /// Forgets everything (sign-out on a shared computer).
    pub fn clear(&self) -> Result<()> {
        self.lock()
            .execute_batch(
                "DELETE FROM calls; DELETE FROM breaks; PRAGMA wal_checkpoint(TRUNCATE);",
            )
            .sql()
    }
}

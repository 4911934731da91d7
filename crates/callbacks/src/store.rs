//! The callbacks file: one SQLite table in the data folder. The number and the note are personal, so they are
//! stored only sealed (the outbox's [`PayloadSeal`], the app's AES-256-GCM sealer); the campaign and the times
//! stay readable so the reminder can be planned without opening anything. Every change is committed before the
//! call that made it returns (WAL, `synchronous=FULL`), so a callback the agent asked for survives a crash.

use std::path::Path;
use std::sync::Arc;

use parking_lot::Mutex;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use agent_error::{AgentError, ErrorCode, Phrase, Result};
use outbox::PayloadSeal;

/// The file's name in the data folder.
pub const FILE_NAME: &str = "callbacks.sqlite3";

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS callbacks (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        campaign     TEXT NOT NULL,
        due_at       INTEGER NOT NULL,
        sealed       TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        reminded_at  INTEGER
    );
    CREATE INDEX IF NOT EXISTS callbacks_due ON callbacks (due_at, id);
";

/// A callback as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Callback {
    /// Row id.
    pub id: i64,
    /// The number to call, normalized.
    pub number: String,
    /// The campaign to call in (empty: the default one).
    pub campaign: String,
    /// When to call, Unix ms.
    pub due_at: i64,
    /// What the agent wrote down.
    pub note: String,
    /// When it was asked for, Unix ms.
    pub created_at: i64,
    /// When its reminder was shown, Unix ms (none yet: it is still to come).
    pub reminded_at: Option<i64>,
}

/// The sealed part of a row.
#[derive(Serialize, Deserialize)]
struct Personal {
    number: String,
    note: String,
}

/// The callbacks file. Clones share one connection.
#[derive(Clone)]
pub struct CallbackStore {
    db: Arc<Mutex<Connection>>,
    seal: Arc<dyn PayloadSeal>,
}

impl std::fmt::Debug for CallbackStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CallbackStore")
    }
}

fn sql<T>(result: rusqlite::Result<T>) -> Result<T> {
    result.map_err(|err| {
        AgentError::phrased(
            ErrorCode::Storage,
            Phrase::new("error.callbacks.database").with("detail", err.to_string()),
            format!("the callbacks database failed: {err}"),
        )
    })
}

impl CallbackStore {
    /// Opens (or creates) the file at `path`; numbers and notes are sealed with `seal`.
    pub fn open(path: &Path, seal: Arc<dyn PayloadSeal>) -> Result<Self> {
        // secure_delete among its settings: a callback done or dismissed leaves no readable trace of its number.
        let db = outbox::open_durable(path)?;
        sql(db.execute_batch(SCHEMA))?;
        Ok(Self {
            db: Arc::new(Mutex::new(db)),
            seal,
        })
    }

    fn lock(&self) -> parking_lot::MutexGuard<'_, Connection> {
        self.db.lock()
    }

    /// Writes a new callback (committed when this returns) and gives it back with its id.
    pub fn add(
        &self,
        number: &str,
        campaign: &str,
        due_at: i64,
        note: &str,
        created_at: i64,
    ) -> Result<Callback> {
        let personal = Personal {
            number: number.to_string(),
            note: note.to_string(),
        };
        let plain =
            serde_json::to_vec(&personal).map_err(|e| AgentError::invalid(e.to_string()))?;
        let sealed = self.seal.seal(&plain);
        let db = self.lock();
        sql(db.execute(
            "INSERT INTO callbacks (campaign, due_at, sealed, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![campaign, due_at, sealed, created_at],
        ))?;
        Ok(Callback {
            id: db.last_insert_rowid(),
            number: personal.number,
            campaign: campaign.to_string(),
            due_at,
            note: personal.note,
            created_at,
            reminded_at: None,
        })
    }

    /// Every callback, earliest first.
    pub fn all(&self) -> Result<Vec<Callback>> {
        let db = self.lock();
        let mut query = sql(db.prepare(
            "SELECT id, campaign, due_at, sealed, created_at, reminded_at FROM callbacks ORDER BY due_at, id",
        ))?;
        let rows = sql(query.query_map([], row))?;
        let rows: Vec<Row> = sql(rows.collect())?;
        rows.into_iter().map(|r| self.opened(r)).collect()
    }

    /// One callback, if it is still there.
    pub fn get(&self, id: i64) -> Result<Option<Callback>> {
        let db = self.lock();
        let found = sql(db
            .query_row(
                "SELECT id, campaign, due_at, sealed, created_at, reminded_at FROM callbacks WHERE id = ?1",
                [id],
                row,
            )
            .optional())?;
        found.map(|r| self.opened(r)).transpose()
    }

    /// Removes a callback (done or dismissed); false when it was not there.
    pub fn remove(&self, id: i64) -> Result<bool> {
        Ok(sql(self
            .lock()
            .execute("DELETE FROM callbacks WHERE id = ?1", [id]))?
            > 0)
    }

    /// Records that the reminder of `id` was shown at `at`, so a restart does not show it again.
    pub fn mark_reminded(&self, id: i64, at: i64) -> Result<()> {
        sql(self.lock().execute(
            "UPDATE callbacks SET reminded_at = ?2 WHERE id = ?1",
            params![id, at],
        ))?;
        Ok(())
    }

    fn opened(&self, r: Row) -> Result<Callback> {
        let plain = self.seal.open(&r.sealed).map_err(|err| {
            AgentError::phrased(
                err.code(),
                Phrase::new("error.callbacks.unsealed")
                    .with("id", r.id.to_string())
                    .with("detail", err.to_string()),
                format!("callback {} cannot be unsealed: {err}", r.id),
            )
        })?;
        let personal: Personal = serde_json::from_slice(&plain).map_err(|e| {
            AgentError::phrased(
                ErrorCode::Storage,
                Phrase::new("error.callbacks.damaged")
                    .with("id", r.id.to_string())
                    .with("detail", e.to_string()),
                format!("callback {} is damaged: {e}", r.id),
            )
        })?;
        Ok(Callback {
            id: r.id,
            number: personal.number,
            campaign: r.campaign,
            due_at: r.due_at,
            note: personal.note,
            created_at: r.created_at,
            reminded_at: r.reminded_at,
        })
    }
}

struct Row {
    id: i64,
    campaign: String,
    due_at: i64,
    sealed: String,
    created_at: i64,
    reminded_at: Option<i64>,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get(0)?,
        campaign: r.get(1)?,
        due_at: r.get(2)?,
        sealed: r.get(3)?,
        created_at: r.get(4)?,
        reminded_at: r.get(5)?,
    })
}

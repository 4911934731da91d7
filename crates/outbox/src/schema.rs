//! The outbox file's schema and its migrations. `user_version` says which layout a file has: files from before
//! sealing (version 0 or 1, payloads in the clear, maybe without `next_attempt_at`) are brought up to date in one
//! transaction, their payloads sealed in place, so an old file is never half migrated.

use rusqlite::{params, Connection};

use crate::seal::PayloadSeal;
use crate::store::Sql;
use agent_error::Result;

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS outbox (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        call_guid        TEXT NOT NULL,
        kind             TEXT NOT NULL,
        payload          TEXT NOT NULL,
        state            TEXT NOT NULL DEFAULT 'pending',
        attempts         INTEGER NOT NULL DEFAULT 0,
        last_error       TEXT,
        created_at       INTEGER NOT NULL,
        next_attempt_at  INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS outbox_call ON outbox (call_guid, id);
";

/// `user_version` of files whose payloads are sealed.
const SEALED_VERSION: i64 = 2;

/// Creates the table in a new file, or brings an older file's layout up to date (sealing its payloads with
/// `seal`).
pub(crate) fn migrate(db: &mut Connection, seal: &dyn PayloadSeal) -> Result<()> {
    let version: i64 = db
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .sql()?;
    if version >= SEALED_VERSION {
        return Ok(());
    }
    let tx = db.transaction().sql()?;
    let old_layout: bool = tx
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'outbox'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n > 0)
        .sql()?;
    if old_layout {
        let has_next: i64 = tx
            .query_row(
                "SELECT COUNT(*) FROM pragma_table_info('outbox') WHERE name = 'next_attempt_at'",
                [],
                |r| r.get(0),
            )
            .sql()?;
        if has_next == 0 {
            tx.execute_batch(
                "ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0",
            )
            .sql()?;
        }
        let rows: Vec<(i64, String)> = {
            let mut s = tx.prepare("SELECT id, payload FROM outbox").sql()?;
            let rows = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).sql()?;
            rows.collect::<rusqlite::Result<_>>().sql()?
        };
        for (id, plain) in rows {
            let sealed = seal.seal(plain.as_bytes());
            tx.execute(
                "UPDATE outbox SET payload = ?2 WHERE id = ?1",
                params![id, sealed],
            )
            .sql()?;
        }
    }
    tx.execute_batch(SCHEMA).sql()?;
    tx.pragma_update(None, "user_version", SEALED_VERSION)
        .sql()?;
    tx.commit().sql()?;
    Ok(())
}

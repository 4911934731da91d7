//! How the app opens each of its SQLite files (the outbox, the call history, the callbacks): one place for the
//! settings that make a committed write survive a crash or a power cut, and that keep the file small in memory.

use std::path::Path;

use rusqlite::Connection;

use crate::store::Sql;
use agent_error::{file_error, FileOp, Result};

/// SQLite's page cache per file, in KiB. The default (2 MiB) fills as a file grows over a shift and stays filled:
/// three files made it ~6 MiB of the app's growth. The files are small and read seldom; what is not cached here is
/// in the OS's page cache.
pub const CACHE_KIB: i64 = 512;

/// Opens (or creates, with its folder) the SQLite file at `path`: WAL with `synchronous=FULL` (a committed write
/// survives power loss, the point of these files), `secure_delete` (what is deleted is zeroed, not left readable),
/// a 5 s busy timeout and a [`CACHE_KIB`] page cache.
pub fn open_durable(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| file_error(FileOp::Create, dir, &e))?;
    }
    let db = Connection::open(path).sql()?;
    db.pragma_update(None, "journal_mode", "WAL").sql()?;
    db.pragma_update(None, "synchronous", "FULL").sql()?;
    db.pragma_update(None, "secure_delete", "ON").sql()?;
    db.pragma_update(None, "cache_size", -CACHE_KIB).sql()?;
    db.busy_timeout(std::time::Duration::from_secs(5)).sql()?;
    Ok(db)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_opens_in_wal_with_full_sync_secure_delete_a_small_cache_and_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let db = open_durable(&dir.path().join("a/b/file.sqlite3")).unwrap();
        let read = |name: &str| -> String {
            db.query_row(&format!("PRAGMA {name}"), [], |r| {
                r.get::<_, rusqlite::types::Value>(0)
            })
            .map(|v| match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })
            .unwrap()
        };
        assert_eq!(read("journal_mode"), "wal");
        assert_eq!(read("synchronous"), "2", "FULL");
        assert_eq!(read("secure_delete"), "1");
        assert_eq!(read("cache_size"), (-CACHE_KIB).to_string());
    }

    #[test]
    fn a_folder_that_cannot_be_made_is_a_storage_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain-file");
        std::fs::write(&file, "not a folder").unwrap();
        let err = open_durable(&file.join("outbox.sqlite3")).unwrap_err();
        assert_eq!(err.code(), agent_error::ErrorCode::Storage);
        assert!(err.to_string().contains("plain-file"), "{err}");
    }
}

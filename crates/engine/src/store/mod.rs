//! The SQLite store: one file, WAL mode, migrations embedded at build time.
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::error::EngineError;
use writer::Writer;

pub mod assistants;
pub mod attachments;
pub mod budgets;
pub mod calls;
pub mod conversations;
pub mod endpoint;
mod everything;
pub mod ledger;
pub mod messages;
pub mod prefs;
pub mod provider_models;
pub mod providers;
pub mod replay;
mod rollups;
pub mod rules;
mod skipped;
pub mod spend;
pub mod votes;
mod writer;

#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    /// The writer of provider calls (admissions and ledger rows), shared by every clone.
    writer: Arc<Writer>,
    /// The folder the database file is in: attachments are kept under it.
    dir: Arc<PathBuf>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self, EngineError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                EngineError::Database(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            // Deleted and replaced row content is overwritten with zeros, so a value removed
            // from the database (a secret header moved to the keychain) is not left behind in
            // free space.
            .pragma("secure_delete", "on")
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            // A SQLite connection does not go stale: no round trip to test it on every use.
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await
            .map_err(|e| EngineError::Database(format!("cannot open {}: {e}", path.display())))?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self {
            pool,
            writer: Writer::start(path.to_path_buf()),
            dir: Arc::new(folder_of(path)),
        })
    }

    /// Opens an existing database for reading only, for commands that never write (listing
    /// providers and keys, spend, route): the database file is never written, no migration
    /// runs. It is opened read-only, so a running app may keep writing while this reads; when
    /// the folder is read-only too (read-only media, a locked-down copy) and SQLite cannot set
    /// up its WAL index there, a database with no pending write-ahead log is opened
    /// `immutable` instead.
    pub async fn open_read_only(path: &Path) -> Result<Self, EngineError> {
        if !path.is_file() {
            return Err(EngineError::Database(format!(
                "no database at {}",
                path.display()
            )));
        }
        match Self::connect_read_only(path, false).await {
            Ok(store) => Ok(store),
            // SQLite could not set up its WAL index beside the file (a read-only folder). With
            // no write-ahead log to read, the file alone is the whole database: read it as
            // immutable. With one, immutable would silently miss its changes, so say so.
            Err(EngineError::Database(m)) if m.contains("cannot read") && !has_wal(path) => {
                Self::connect_read_only(path, true).await
            }
            Err(e) => Err(e),
        }
    }

    async fn connect_read_only(path: &Path, immutable: bool) -> Result<Self, EngineError> {
        let cannot =
            |e: sqlx::Error| EngineError::Database(format!("cannot read {}: {e}", path.display()));
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .read_only(true)
            .immutable(immutable)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(options)
            .await
            .map_err(cannot)?;
        let store = Self {
            pool,
            writer: Writer::none(),
            dir: Arc::new(folder_of(path)),
        };
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(store.pool())
                .await
                .map_err(cannot)?;
        store.check_schema_current(applied, path)?;
        Ok(store)
    }

    /// A read-only open cannot migrate, so an older schema is refused with what to do.
    fn check_schema_current(&self, applied: Option<i64>, path: &Path) -> Result<(), EngineError> {
        let latest = sqlx::migrate!("./migrations")
            .iter()
            .map(|m| m.version)
            .max()
            .unwrap_or(0);
        if applied.unwrap_or(0) < latest {
            return Err(EngineError::Database(format!(
                "{} was written by an older Switchyard; open it once with write access (any \
                 command that changes settings, or the app) to update it",
                path.display()
            )));
        }
        Ok(())
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// The folder of the database file, where the attachments folder is.
    pub fn data_dir(&self) -> &Path {
        &self.dir
    }

    /// Copies the write-ahead log into the database file and empties it, so the file alone
    /// holds every change (and pages the log held, such as removed values, are gone).
    pub async fn checkpoint(&self) -> Result<(), EngineError> {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}

/// The folder a database file is in (the current folder for a bare file name).
fn folder_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Whether a non-empty write-ahead log sits beside the database (changes not yet in the file).
fn has_wal(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).is_ok_and(|m| m.len() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn opens_in_wal_mode_and_migrates() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("nested/app.db"))
            .await
            .unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        let tables: i64 =
            sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE name = 'providers'")
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!(tables, 1);
    }
}

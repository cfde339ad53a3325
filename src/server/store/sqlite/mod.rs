//! The SQLite store of one shop: one database file, a small pool of connections for reads,
//! one writer that commits in groups. One file per concern, as on PostgreSQL: `cashier`
//! (search and reads), `write_off`, `operations` (reversals, limits, the shift report), `holds`, `lots` (expiring and pending points), `admin` (the back office), `users`, `check`,
//! `demo`, with the schema and its upgrades in `migrate` (`assets/sqlite/`). What both
//! stores mean alike is `store::rules`; these files only say it in SQLite's SQL.

mod admin;
mod cashier;
mod check;
mod checkpoints;
mod codes;
mod demo;
mod holds;
mod lots;
mod managers;
mod migrate;
mod operations;
mod users;
mod write_off;
mod writer;

/// Reads and seeding on a connection of one's own, for benches and tests.
pub use cashier::{balances, history, search_clients};
pub use demo::seed;

use super::StoreError;
use rusqlite::Connection;
use rusqlite::config::DbConfig;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use writer::Writer;

/// Connections to one database file: at most [`POOL_SIZE`] open at once, handed out one
/// per blocking call, callers queueing for one; writes queue for the one writer, so they
/// wait in order here rather than retrying against SQLite's lock.
#[derive(Clone)]
pub struct Sqlite {
    path: Arc<PathBuf>,
    idle: Arc<Mutex<Vec<Connection>>>,
    connections: Arc<tokio::sync::Semaphore>,
    writer: Arc<Writer>,
    /// How long idempotency keys are remembered (`serve --key-retention`).
    key_retention_ms: i64,
}

/// Most connections open at once: readers of WAL go on in parallel, two per core is plenty
/// (each costs two file descriptors).
pub const POOL_SIZE: usize = 4;

impl Sqlite {
    /// Opens (creating if needed) the database and brings its schema up to date, refusing
    /// one written by a newer `loyalty`.
    pub fn open(path: &Path) -> Result<Sqlite, StoreError> {
        let conn = open_connection(path)?;
        migrate::migrate(&conn)?;
        let writer = Writer::start(conn, path.to_path_buf())
            .map_err(|e| StoreError::Worker(format!("cannot start the database writer: {e}")))?;
        Ok(Sqlite {
            path: Arc::new(path.to_path_buf()),
            idle: Arc::new(Mutex::new(Vec::new())),
            connections: Arc::new(tokio::sync::Semaphore::new(POOL_SIZE)),
            writer: Arc::new(writer),
            key_retention_ms: super::KEY_RETENTION_MS,
        })
    }

    /// Remembers idempotency keys `ms` milliseconds (`Store::with_key_retention`).
    pub fn with_key_retention(self, ms: i64) -> Sqlite {
        Sqlite {
            key_retention_ms: ms,
            ..self
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes every connection this store has open, once the writes queued before are
    /// answered; refused while another clone of the store is in use.
    fn close(self) -> Result<(), StoreError> {
        let Sqlite { idle, writer, .. } = self;
        let writer = Arc::try_unwrap(writer)
            .map_err(|_| StoreError::Worker("the database is still in use".into()))?;
        drop(idle);
        writer.close()
    }

    /// Runs `f` on a pooled connection on tokio's blocking pool, once one is free.
    pub async fn run<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let permit = self
            .connections
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| StoreError::Worker(e.to_string()))?;
        let store = self.clone();
        tokio::task::spawn_blocking(move || {
            let result = store.with_conn(f);
            drop(permit);
            result
        })
        .await
        .map_err(|e| StoreError::Worker(e.to_string()))?
    }

    /// Runs `f` on a pooled connection here, on the async worker, without the blocking
    /// pool's hand-off: only for reads that one index bounds to a few rows (a whole phone or its tail,
    /// a client's balances), which take microseconds. Handing such a read to another thread
    /// and back cost more than the read itself: two thread wake-ups made an exact search
    /// three times as slow as a route that reads nothing. In WAL mode a reader never waits
    /// for the writer.
    pub fn read_indexed<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.with_conn(f)
    }

    /// Runs the write `f` on the writer's connection, in the order writes came, inside a
    /// transaction shared with the writes queued beside it (see [`Writer`]): `f` must not
    /// begin its own transaction (a savepoint is fine), and is answered once committed.
    pub async fn run_write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.writer.run(f).await
    }

    /// Runs `f` on a pooled connection on the calling thread. A connection that failed is
    /// closed, not kept: whatever state broke it goes with it.
    pub fn with_conn<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let pooled = self.idle.lock().map(|mut v| v.pop()).unwrap_or(None);
        let mut conn = match pooled {
            Some(c) => c,
            None => open_connection(&self.path)?,
        };
        let result = f(&mut conn);
        let healthy = !matches!(result, Err(StoreError::Db(_)));
        if let (true, Ok(mut idle)) = (healthy, self.idle.lock())
            && idle.len() < POOL_SIZE
        {
            idle.push(conn);
        }
        result
    }
}

/// How long a connection waits for another's lock before SQLite answers "busy".
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    create_private(path)
        .map_err(|e| StoreError::Unavailable(format!("{}: {e}", path.display())))?;
    let conn = Connection::open(path)?;
    // WAL lets readers go on while a till writes; FULL sync so an acknowledged write-off
    // survives a power cut, not just a crash.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Plans that do not depend on the values bound: without this SQLite 3.54 re-prepares a
    // cached `phone_norm = ?1` on every new value (a third of an exact search's time, and
    // more of a write-off's), and none of our plans gains from seeing the values.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

/// A new database file is made for its owner's eyes only (0600): it holds clients' personal
/// data, and SQLite gives its -wal and -shm files the database's own mode. A file that is
/// already there keeps the mode its owner gave it.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// A fresh database with three demo clients.
    pub fn seeded() -> (tempfile::TempDir, Sqlite) {
        let dir = tempfile::tempdir().unwrap();
        let store = Sqlite::open(&dir.path().join("t.db")).unwrap();
        store
            .with_conn(|c| crate::server::demo::seed(c, 3, jiff::Timestamp::now()).map(|_| ()))
            .unwrap();
        (dir, store)
    }
}

#[cfg(all(test, unix))]
mod private_files {
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_database_and_its_wal_and_shm_are_the_owners_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shop.db");
        let _store = super::Sqlite::open(&path).unwrap();
        for name in ["shop.db", "shop.db-wal", "shop.db-shm"] {
            let mode = std::fs::metadata(dir.path().join(name))
                .unwrap_or_else(|e| panic!("{name}: {e}"))
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
    }
}

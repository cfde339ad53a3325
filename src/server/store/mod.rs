//! The server's one SQLite database: clients, an append-only ledger of balance movements
//! with balances maintained from it by trigger, and coupons.
//!
//! Balances are never written directly: every movement is a ledger row, and a trigger adds it
//! to the client's balance row, whose `CHECK (amount >= 0)` refuses any overdraw inside the
//! same statement. So the balance always equals the ledger sum, and no interleaving of tills
//! can take it below zero.

mod check;
mod reads;
mod schema;
mod search;
mod write_off;

pub use check::{LedgerMismatch, Report, check, check_ledger};
pub use reads::{
    HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT, balances, client_count, coupons, history,
};
pub use search::{ContactKeys, SEARCH_LIMIT, phone_pattern, search_clients};
pub(crate) use write_off::check_coupon;
pub use write_off::{Idempotency, KEY_RETENTION_MS, Keyed, Made, write_off, write_off_once};

use crate::domain::Amount;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Failures of the store; the routes turn each into a status and a JSON reason.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("client {0} not found")]
    ClientNotFound(i64),
    #[error("{0}")]
    Refused(Refusal),
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("database worker failed: {0}")]
    Worker(String),
    /// A request the store refuses as given (a duplicate name, say), in words for the user.
    #[error("{0}")]
    Invalid(String),
    /// The file was written by a newer `loyalty` than this one.
    #[error(
        "the database's schema is version {found}, newer than the {known} this loyalty knows: run a newer loyalty"
    )]
    NewerSchema { found: i64, known: i64 },
}

/// Why a write-off was refused; nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("insufficient {currency} balance: {available} available, {requested} requested")]
    Insufficient {
        currency: &'static str,
        available: Amount,
        requested: Amount,
    },
    #[error("coupon {0} does not belong to this client")]
    CouponNotFound(i64),
    #[error("coupon {0} has expired")]
    CouponExpired(i64),
    #[error("coupon {0} is already redeemed")]
    CouponRedeemed(i64),
    #[error("coupon {0} is held by an open transaction")]
    CouponHeld(i64),
    #[error("no transaction {0}")]
    HoldNotFound(String),
    #[error("transaction {0} has expired")]
    HoldExpired(String),
    #[error("transaction {0} is {1}")]
    HoldState(String, &'static str),
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Insufficient { .. } => "insufficient_balance",
            Refusal::CouponNotFound(_) => "coupon_not_found",
            Refusal::CouponExpired(_) => "coupon_expired",
            Refusal::CouponRedeemed(_) => "coupon_redeemed",
            Refusal::CouponHeld(_) => "coupon_held",
            Refusal::HoldNotFound(_) => "transaction_not_found",
            Refusal::HoldExpired(_) => "transaction_expired",
            Refusal::HoldState(..) => "transaction_state",
        }
    }
}

/// Connections to one database file: at most [`POOL_SIZE`] open at once, handed out one
/// per blocking call, callers queueing for one; writes also queue for the one writer, so
/// they wait in order here rather than retrying against SQLite's lock.
#[derive(Clone)]
pub struct Store {
    path: Arc<PathBuf>,
    idle: Arc<Mutex<Vec<Connection>>>,
    connections: Arc<tokio::sync::Semaphore>,
    writer: Arc<tokio::sync::Semaphore>,
}

/// The schema this binary writes (SQLite's `user_version`): 1 before principals, 2 with
/// them and the ledger's `principal`. Each step above is idempotent, so any older file is
/// brought up to this one at open.
pub const SCHEMA_VERSION: i64 = 2;

/// Most connections open at once: readers of WAL go on in parallel, two per core is plenty
/// (each costs two file descriptors).
pub const POOL_SIZE: usize = 4;

impl Store {
    /// Opens (creating if needed) the database and brings its schema up to date, refusing
    /// one written by a newer `loyalty`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = open_connection(path)?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                found,
                known: SCHEMA_VERSION,
            });
        }
        conn.execute_batch(super::admin_store::SCHEMA)?;
        conn.execute_batch(schema::SCHEMA)?;
        conn.execute_batch(super::holds::SCHEMA)?;
        conn.execute_batch(super::principals::SCHEMA)?;
        add_column(&conn, "ledger", "login", "TEXT")?;
        add_column(&conn, "ledger", "principal", "TEXT")?;
        super::admin_store::migrate(&conn)?;
        if found < SCHEMA_VERSION {
            tracing::info!(
                from = found,
                to = SCHEMA_VERSION,
                "database schema migrated"
            );
            conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        }
        Ok(Store {
            path: Arc::new(path.to_path_buf()),
            idle: Arc::new(Mutex::new(vec![conn])),
            connections: Arc::new(tokio::sync::Semaphore::new(POOL_SIZE)),
            writer: Arc::new(tokio::sync::Semaphore::new(1)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
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

    /// Like [`Store::run`] for a write: writers take turns, in the order they came.
    pub async fn run_write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let _turn = self
            .writer
            .acquire()
            .await
            .map_err(|e| StoreError::Worker(e.to_string()))?;
        self.run(f).await
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

/// Adds a column a database made by an older version lacks (`CREATE TABLE IF NOT EXISTS`
/// leaves existing tables as they were). Names are ours, never user input.
pub(super) fn add_column(
    conn: &Connection,
    table: &str,
    column: &str,
    declaration: &str,
) -> Result<(), StoreError> {
    let has: bool = conn.query_row(
        "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2",
        [table, column],
        |r| r.get::<_, i64>(0).map(|n| n > 0),
    )?;
    if !has {
        conn.execute_batch(&format!(
            "ALTER TABLE {table} ADD COLUMN {column} {declaration}"
        ))?;
    }
    Ok(())
}

fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    // WAL lets readers go on while a till writes; FULL sync so an acknowledged write-off
    // survives a power cut, not just a crash.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(Duration::from_secs(10))?;
    Ok(conn)
}

#[cfg(test)]
pub(super) mod testing {
    use super::*;

    /// A fresh database with three demo clients.
    pub fn seeded() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        store
            .with_conn(|c| super::super::demo::seed(c, 3, jiff::Timestamp::now()).map(|_| ()))
            .unwrap();
        (dir, store)
    }
}

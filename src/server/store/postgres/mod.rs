//! The PostgreSQL store of a chain: several `loyalty serve` instances over one database.
//!
//! The guarantees are the SQLite store's, kept by PostgreSQL itself: the schema
//! (`assets/postgres/001_schema.sql`) makes the ledger append-only and keeps each balance
//! equal to its ledger under a `CHECK (amount >= 0)`. Where SQLite has one writer, here
//! every money movement on a client first locks that client's row (`SELECT … FOR UPDATE`),
//! so checks and writes of one client happen one after another across all instances, while
//! different clients go on in parallel.

mod admin;
mod cashier;
mod check;
mod codes;
mod demo;
mod holds;
mod lookups;
mod lots;
mod managers;
mod operations;
mod users;
mod write_off;

use super::StoreError;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use std::sync::Arc;
use std::sync::atomic::AtomicI64;
use std::time::Duration;

/// The schema steps, each bringing the database to its version. A fresh database gets them
/// all, in order, in one transaction.
const MIGRATIONS: &[(i64, &str)] = &[
    (
        2,
        include_str!("../../../../assets/postgres/001_schema.sql"),
    ),
    (
        3,
        include_str!("../../../../assets/postgres/002_write_off.sql"),
    ),
    (
        4,
        include_str!("../../../../assets/postgres/003_hold_owner.sql"),
    ),
    (
        5,
        include_str!("../../../../assets/postgres/004_hold_id.sql"),
    ),
    (
        6,
        include_str!("../../../../assets/postgres/005_operations.sql"),
    ),
    (7, include_str!("../../../../assets/postgres/006_codes.sql")),
    (8, include_str!("../../../../assets/postgres/007_lots.sql")),
    (
        9,
        include_str!("../../../../assets/postgres/008_phone_tail.sql"),
    ),
    (
        10,
        include_str!("../../../../assets/postgres/009_spends_returned.sql"),
    ),
    (
        11,
        include_str!("../../../../assets/postgres/010_ledger_operation_given.sql"),
    ),
    (
        12,
        include_str!("../../../../assets/postgres/011_card_operation_counts.sql"),
    ),
    (
        13,
        include_str!("../../../../assets/postgres/012_spends_by_lot_dropped.sql"),
    ),
];

/// The schema this binary brings a PostgreSQL database to: SQLite's version 2, then the
/// write-off functions (3), which SQLite has no need of, then the holds' owner (4, SQLite's
/// 3), then the holds' integer ids (5; SQLite adds the column at every open), then operations,
/// their coupons and managers (6, SQLite's 4), confirmation codes (7, SQLite's 5), lots
/// (8, SQLite's 6), the phones' ten-digit tails as an index of their own (9), the lots'
/// sums taken from the spends just made (10), the ledger's index of operations over the
/// rows that have one (11), the cards' counts of operations (12, SQLite's 7) and the spends'
/// index by lot dropped (13; SQLite drops it at every open).
const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// Connections one instance holds at most: each is a PostgreSQL backend process, and a
/// chain runs several instances against one server's `max_connections` (100 by default).
pub const POOL_SIZE: usize = 16;

/// How long a request waits for a connection, or for a new one to be made, before it is
/// told the database is unavailable.
const WAIT: Duration = Duration::from_secs(10);

/// Two instances starting at once must not both migrate: the one that gets this advisory
/// lock does, the other waits and finds the work done.
const MIGRATION_LOCK: i64 = 0x006c_6f79_616c_7479; // "loyalty"

/// Milliseconds: a statement may run 15 s, wait 5 s for a lock; a transaction may idle 30 s.
const SESSION_BOUNDS: &str = "-c statement_timeout=15000 -c lock_timeout=5000 \
                              -c idle_in_transaction_session_timeout=30000";

/// A pool of connections to one PostgreSQL database. Cloning shares it.
#[derive(Clone)]
pub struct Postgres {
    pool: Pool,
    /// When this instance last deleted expired idempotency keys (ms since the epoch).
    keys_swept_ms: Arc<AtomicI64>,
    /// How long idempotency keys are remembered (`serve --key-retention`).
    key_retention_ms: i64,
    lookups: Arc<lookups::Lookups>,
}

impl Postgres {
    /// Connects and brings the schema up to date; a newer schema than this binary knows is
    /// refused.
    pub async fn connect(mut config: tokio_postgres::Config) -> Result<Postgres, StoreError> {
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        config.application_name("loyalty serve");
        // Every bound of time on the server's side: a statement, a wait for a row lock and a
        // transaction left open end with an error rather than holding a till (or a
        // connection of the pool) for ever. The URL's own `options` come after and win.
        let options = [SESSION_BOUNDS, config.get_options().unwrap_or_default()].join(" ");
        config.options(options.trim());
        let manager = Manager::from_config(
            config,
            tokio_postgres::NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .wait_timeout(Some(WAIT))
            .create_timeout(Some(WAIT))
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let store = Postgres {
            pool: pool.clone(),
            keys_swept_ms: Arc::new(AtomicI64::new(i64::MIN)),
            key_retention_ms: super::KEY_RETENTION_MS,
            lookups: Arc::new(lookups::Lookups::new(pool.clone())),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Remembers idempotency keys `ms` milliseconds (`Store::with_key_retention`).
    pub fn with_key_retention(self, ms: i64) -> Postgres {
        Postgres {
            key_retention_ms: ms,
            ..self
        }
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        Ok(self.pool.get().await?)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        let exists: bool = tx
            .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])
            .await?
            .get(0);
        let found: i64 = if exists {
            tx.query_one("SELECT coalesce(max(version), 0) FROM schema_version", &[])
                .await?
                .get(0)
        } else {
            0
        };
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                found,
                known: SCHEMA_VERSION,
            });
        }
        for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
            tx.batch_execute(sql).await?;
            tx.execute("UPDATE schema_version SET version = $1", &[version])
                .await?;
            tracing::info!(from = found, to = version, "database schema migrated");
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        self.client().await?.execute("SELECT 1", &[]).await?;
        Ok(())
    }

    pub async fn holds_clients(&self) -> Result<bool, StoreError> {
        Ok(self
            .client()
            .await?
            .query_one("SELECT EXISTS (SELECT 1 FROM clients)", &[])
            .await?
            .get(0))
    }

    pub async fn client_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .client()
            .await?
            .query_one("SELECT count(*) FROM clients", &[])
            .await?
            .get(0))
    }
}

/// `u32` page sizes and offsets as PostgreSQL's `bigint`.
fn big(n: u32) -> i64 {
    i64::from(n)
}

/// The driver's client under a pooled connection.
fn pg(object: &deadpool_postgres::Object) -> &tokio_postgres::Client {
    object
}

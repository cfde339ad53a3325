//! [`Store`]: every operation the server's routes, `serve --check`, `serve user` and demo
//! seeding need, each answered by the SQLite or the PostgreSQL implementation with the same
//! meaning and the same refusals. The operations live beside this file by feature: `cashier`,
//! `operations`, `admin`, `users`. Each arm is one call of its store's method of the same name: what a
//! store does is in its folder, what both mean alike in `rules`.

use super::{DbTarget, Postgres, Report, Sqlite, StoreError};
use jiff::Timestamp;

/// The server's database, whichever it is. Cloning shares it.
#[derive(Clone)]
pub enum Store {
    Sqlite(Sqlite),
    Postgres(Postgres),
}

mod admin;
mod cashier;
mod codes;
mod lots;
mod operations;
mod users;

impl Store {
    /// Opens the database `target` names, bringing its schema up to date; one written by a
    /// newer `loyalty` is refused.
    pub async fn open(target: &DbTarget) -> Result<Store, StoreError> {
        match target {
            DbTarget::Sqlite(path) => Sqlite::open(path).map(Store::Sqlite),
            DbTarget::Postgres(config) => Postgres::connect((**config).clone())
                .await
                .map(Store::Postgres),
        }
    }

    /// The store remembering idempotency keys for `retention` (`serve --key-retention`)
    /// instead of [`super::KEY_RETENTION_MS`]; before the store is shared, as clones keep
    /// their own copy.
    pub fn with_key_retention(self, retention: std::time::Duration) -> Store {
        let ms = i64::try_from(retention.as_millis()).unwrap_or(i64::MAX);
        match self {
            Store::Sqlite(s) => Store::Sqlite(s.with_key_retention(ms)),
            Store::Postgres(p) => Store::Postgres(p.with_key_retention(ms)),
        }
    }

    /// A SQLite file (the embedded default and tests).
    pub fn open_sqlite(path: &std::path::Path) -> Result<Store, StoreError> {
        Sqlite::open(path).map(Store::Sqlite)
    }

    /// The SQLite implementation, for what only it has (raw SQL in tests and benches).
    pub fn sqlite(&self) -> Option<&Sqlite> {
        match self {
            Store::Sqlite(s) => Some(s),
            Store::Postgres(_) => None,
        }
    }

    /// Which kind of database this is, for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "SQLite",
            Store::Postgres(_) => "PostgreSQL",
        }
    }

    /// Answers once the database does.
    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.ping().await,
            Store::Postgres(p) => p.ping().await,
        }
    }

    /// `serve --check`: the database's own integrity, then every balance against its ledger.
    pub async fn check(&self) -> Result<Report, StoreError> {
        match self {
            Store::Sqlite(s) => s.check().await,
            Store::Postgres(p) => p.check().await,
        }
    }

    /// Seeds `count` demo clients into an empty database; returns how many.
    pub async fn seed_demo(&self, count: u64, anchor: Timestamp) -> Result<u64, StoreError> {
        match self {
            Store::Sqlite(s) => s.seed_demo(count, anchor).await,
            Store::Postgres(p) => p.seed_demo(count, anchor).await,
        }
    }

    /// [`Store::seed_demo_with`] for a server that serves nobody until its demo data is in,
    /// holding the only clone of the store: SQLite closes its connections and seeds on one
    /// of its own without the WAL (`Sqlite::seed_demo_alone`), then opens the file again.
    pub async fn seed_demo_alone(
        self,
        count: u64,
        heavy: Option<crate::server::demo::Heavy>,
        anchor: Timestamp,
    ) -> Result<Store, StoreError> {
        match self {
            Store::Sqlite(s) => s
                .seed_demo_alone(count, heavy, anchor)
                .await
                .map(Store::Sqlite),
            Store::Postgres(p) => {
                p.seed_demo_with(count, heavy, anchor).await?;
                Ok(Store::Postgres(p))
            }
        }
    }

    /// [`Store::seed_demo`] with one client made big (`serve --demo-heavy`).
    pub async fn seed_demo_with(
        &self,
        count: u64,
        heavy: Option<crate::server::demo::Heavy>,
        anchor: Timestamp,
    ) -> Result<u64, StoreError> {
        match self {
            Store::Sqlite(s) => s.seed_demo_with(count, heavy, anchor).await,
            Store::Postgres(p) => p.seed_demo_with(count, heavy, anchor).await,
        }
    }
}

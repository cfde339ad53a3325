//! The server's one SQLite database: clients, an append-only ledger of balance movements
//! with balances maintained from it by trigger, and coupons.
//!
//! Balances are never written directly: every movement is a ledger row, and a trigger adds it
//! to the client's balance row, whose `CHECK (amount >= 0)` refuses any overdraw inside the
//! same statement. So the balance always equals the ledger sum, and no interleaving of tills
//! can take it below zero.

use crate::domain::{
    Amount, Balances, Client, ClientId, Coupon, CouponId, Currency, HistoryEntry, HistoryQuery,
    WriteOff, phone,
};
use crate::wire::ext::{currency_from_wire, currency_to_wire};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Most clients one search returns: the API has no paging for search, and a bare `%`
/// must not stream a whole customer base to a till.
pub const SEARCH_LIMIT: usize = 200;
/// History page size when the caller gives none, and the most one page may hold.
pub const HISTORY_DEFAULT_LIMIT: u32 = 100;
pub const HISTORY_MAX_LIMIT: u32 = 1000;

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS clients (
    id         INTEGER PRIMARY KEY,
    name       TEXT,
    phone      TEXT,
    email      TEXT,
    phone_norm TEXT,
    phone_rev  TEXT,
    email_lc   TEXT,
    email_rev  TEXT,
    group_id   INTEGER REFERENCES client_groups (id)
);
CREATE INDEX IF NOT EXISTS clients_group ON clients (group_id);
CREATE INDEX IF NOT EXISTS clients_phone_norm ON clients (phone_norm);
CREATE INDEX IF NOT EXISTS clients_phone_rev ON clients (phone_rev);
CREATE INDEX IF NOT EXISTS clients_email_lc ON clients (email_lc);
CREATE INDEX IF NOT EXISTS clients_email_rev ON clients (email_rev);

CREATE TABLE IF NOT EXISTS balances (
    client_id INTEGER NOT NULL REFERENCES clients (id),
    currency  TEXT NOT NULL CHECK (currency IN ('points', 'rubles')),
    amount    INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (client_id, currency)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS ledger (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    currency  TEXT NOT NULL CHECK (currency IN ('points', 'rubles')),
    amount    INTEGER NOT NULL CHECK (amount <> 0),
    at_ms     INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    -- The seed-001 login that made the movement; NULL for bearer-token callers and seeding.
    login     TEXT
);
CREATE INDEX IF NOT EXISTS ledger_client_time ON ledger (client_id, at_ms, id);

CREATE TRIGGER IF NOT EXISTS ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER IF NOT EXISTS ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER IF NOT EXISTS ledger_to_balance AFTER INSERT ON ledger
BEGIN
    -- Insert-then-update rather than an upsert: an upsert checks the CHECK constraint on
    -- the would-be row (a negative amount) before it sees the conflict.
    INSERT OR IGNORE INTO balances (client_id, currency, amount)
    VALUES (NEW.client_id, NEW.currency, 0);
    UPDATE balances SET amount = amount + NEW.amount
    WHERE client_id = NEW.client_id AND currency = NEW.currency;
END;

-- One row per Idempotency-Key a caller used on a write-off, with the answer it got, so a
-- retry gets the same answer and changes nothing. Written in the write-off's transaction.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    scope       TEXT NOT NULL,
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status      INTEGER NOT NULL,
    body        TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idempotency_keys_age ON idempotency_keys (created_ms);

CREATE TABLE IF NOT EXISTS coupons (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    title       TEXT NOT NULL,
    expire_ms   INTEGER,
    redeemed_ms INTEGER
);
CREATE INDEX IF NOT EXISTS coupons_client ON coupons (client_id);
"#;

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

/// Most connections open at once: readers of WAL go on in parallel, two per core is plenty
/// (each costs two file descriptors).
pub const POOL_SIZE: usize = 4;

impl Store {
    /// Opens (creating if needed) the database and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = open_connection(path)?;
        conn.execute_batch(super::admin_store::SCHEMA)?;
        conn.execute_batch(SCHEMA)?;
        conn.execute_batch(super::holds::SCHEMA)?;
        add_column(&conn, "ledger", "login", "TEXT")?;
        super::admin_store::migrate(&conn)?;
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

/// Normalised forms stored next to a client's contacts so searches can use indexes.
pub struct ContactKeys {
    pub phone_norm: Option<String>,
    pub phone_rev: Option<String>,
    pub email_lc: Option<String>,
    pub email_rev: Option<String>,
}

impl ContactKeys {
    pub fn of(phone_text: Option<&str>, email: Option<&str>) -> Self {
        let phone_norm = phone_text.map(|p| {
            phone::normalize(p).unwrap_or_else(|| p.chars().filter(char::is_ascii_digit).collect())
        });
        let email_lc = email.map(|e| e.trim().to_lowercase());
        ContactKeys {
            phone_rev: phone_norm.as_deref().map(reverse),
            phone_norm,
            email_rev: email_lc.as_deref().map(reverse),
            email_lc,
        }
    }
}

fn reverse(s: &str) -> String {
    s.chars().rev().collect()
}

/// One `phone` or `email` pattern as SQL over the normalised column and its reverse, so
/// that exact, prefix (`7912%`) and suffix (`%5678`) patterns are index range scans. Only a
/// pattern with `%` inside falls back to LIKE over the column.
fn pattern_clause(column: &str, reversed: &str, pattern: &str, args: &mut Vec<String>) -> String {
    let inner = pattern.trim_matches('%');
    let leading = pattern.starts_with('%');
    let trailing = pattern.ends_with('%') && !pattern.is_empty();
    if inner.is_empty() && (leading || trailing) {
        return format!("{column} IS NOT NULL");
    }
    if inner.contains('%') {
        let escaped = pattern.replace('\\', "\\\\").replace('_', "\\_");
        args.push(escaped);
        return format!("{column} LIKE ?{} ESCAPE '\\'", args.len());
    }
    let (col, key) = match (leading, trailing) {
        (false, false) => {
            args.push(inner.to_string());
            return format!("{column} = ?{}", args.len());
        }
        (true, true) => {
            let escaped = pattern.replace('\\', "\\\\").replace('_', "\\_");
            args.push(escaped);
            return format!("{column} LIKE ?{} ESCAPE '\\'", args.len());
        }
        (false, true) => (column, inner.to_string()),
        (true, false) => (reversed, reverse(inner)),
    };
    args.push(key.clone());
    args.push(format!("{key}\u{10FFFF}"));
    format!("({col} >= ?{} AND {col} < ?{})", args.len() - 1, args.len())
}

/// Normalises a `phone` search parameter: without `%` it is a whole number in any format;
/// with `%` only its digits and wildcards count.
pub fn phone_pattern(text: &str) -> String {
    if text.contains('%') {
        text.chars()
            .filter(|c| c.is_ascii_digit() || *c == '%')
            .collect()
    } else {
        phone::normalize(text)
            .unwrap_or_else(|| text.chars().filter(char::is_ascii_digit).collect())
    }
}

pub fn search_clients(
    conn: &Connection,
    phone_text: Option<&str>,
    email: Option<&str>,
) -> Result<Vec<Client>, StoreError> {
    let mut clauses = Vec::new();
    let mut args = Vec::new();
    if let Some(p) = phone_text {
        clauses.push(pattern_clause(
            "phone_norm",
            "phone_rev",
            &phone_pattern(p),
            &mut args,
        ));
    }
    if let Some(e) = email {
        let e = e.trim().to_lowercase();
        clauses.push(pattern_clause("email_lc", "email_rev", &e, &mut args));
    }
    let sql = format!(
        "SELECT id, name, phone, email FROM clients WHERE {} ORDER BY id LIMIT {SEARCH_LIMIT}",
        clauses.join(" AND ")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
        Ok(Client {
            id: ClientId(r.get(0)?),
            name: r.get(1)?,
            phone: r.get(2)?,
            email: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn require_client(conn: &Connection, id: ClientId) -> Result<(), StoreError> {
    let found: Option<i64> = conn
        .query_row("SELECT id FROM clients WHERE id = ?1", [id.0], |r| r.get(0))
        .optional()?;
    found.map(|_| ()).ok_or(StoreError::ClientNotFound(id.0))
}

pub fn balances(conn: &Connection, id: ClientId) -> Result<Balances, StoreError> {
    require_client(conn, id)?;
    let mut stmt =
        conn.prepare_cached("SELECT currency, amount FROM balances WHERE client_id = ?1")?;
    let mut result = Balances::default();
    let rows = stmt.query_map([id.0], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    for row in rows {
        let (currency, amount) = row?;
        match currency_from_wire(&currency) {
            Ok(Currency::Points) => result.points = Amount::from_minor(amount),
            Ok(Currency::Rubles) => result.rubles = Amount::from_minor(amount),
            Err(_) => {}
        }
    }
    Ok(result)
}

/// The client's coupons that are not yet redeemed, expired ones included so the till can
/// say why a coupon cannot be used.
pub fn coupons(conn: &Connection, id: ClientId) -> Result<Vec<Coupon>, StoreError> {
    require_client(conn, id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, title, expire_ms FROM coupons
         WHERE client_id = ?1 AND redeemed_ms IS NULL ORDER BY expire_ms IS NULL, expire_ms, id",
    )?;
    let rows = stmt.query_map([id.0], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<i64>>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (cid, title, expire) = row?;
        out.push(Coupon {
            id: CouponId(cid),
            title,
            expires_at: expire.and_then(|ms| Timestamp::from_millisecond(ms).ok()),
        });
    }
    Ok(out)
}

/// A page of history, newest first.
pub fn history(
    conn: &Connection,
    id: ClientId,
    query: &HistoryQuery,
) -> Result<Vec<HistoryEntry>, StoreError> {
    require_client(conn, id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, currency, amount, at_ms FROM ledger
         WHERE client_id = ?1 AND at_ms >= ?2 AND at_ms <= ?3
         ORDER BY at_ms DESC, id DESC LIMIT ?4 OFFSET ?5",
    )?;
    let from = query.from.map_or(i64::MIN, |t| t.as_millisecond());
    let to = query.to.map_or(i64::MAX, |t| t.as_millisecond());
    let rows = stmt.query_map(params![id.0, from, to, query.limit, query.offset], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (lid, currency, amount, at) = row?;
        let Ok(currency) = currency_from_wire(&currency) else {
            continue;
        };
        out.push(HistoryEntry {
            amount: Amount::from_minor(amount),
            currency,
            at: Timestamp::from_millisecond(at).unwrap_or(Timestamp::UNIX_EPOCH),
            transaction_id: lid.to_string(),
        });
    }
    Ok(out)
}

/// Carries out a write-off as one immediate transaction: every balance part and every coupon
/// goes through, or nothing does. The write lock is taken before anything is read, so the
/// checks below cannot be overtaken by another till; the balance CHECK is the last net.
pub fn write_off(
    conn: &mut Connection,
    id: ClientId,
    request: &WriteOff,
    made: &Made,
) -> Result<Vec<i64>, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let ids = apply_write_off(&tx, id, request, made)?;
    tx.commit()?;
    Ok(ids)
}

/// When a ledger movement is made, and by which seed-001 login (`None`: a bearer-token
/// caller).
#[derive(Debug, Clone)]
pub struct Made {
    pub at: Timestamp,
    pub by: Option<String>,
}

/// How long an idempotency key is remembered: at least the 24 hours callers are promised.
pub const KEY_RETENTION_MS: i64 = 48 * 3_600_000;

/// A write-off request's idempotency key, scoped to the caller's credential.
pub struct Idempotency {
    pub scope: String,
    pub key: String,
    /// A hash of the client id and the request body: the same key must come with the same
    /// request.
    pub fingerprint: String,
}

/// What a keyed write-off came to.
pub enum Keyed {
    /// Carried out now (or refused now); its answer is stored under the key.
    Fresh(Result<Vec<i64>, StoreError>),
    /// The key was used before for the same request: its stored answer.
    Replay { status: u16, body: String },
    /// The key was used before for a different request.
    Mismatch,
}

/// A write-off under an idempotency key, in one immediate transaction with the key's row:
/// either the key is new and the write-off and its answer are committed together, or the
/// key is known and nothing changes. `answer` turns an outcome into the status and body a
/// replay must repeat. Database failures store nothing, so a retry runs afresh.
pub fn write_off_once(
    conn: &mut Connection,
    id: ClientId,
    request: &WriteOff,
    made: &Made,
    idem: &Idempotency,
    answer: impl Fn(&Result<Vec<i64>, StoreError>) -> (u16, String),
) -> Result<Keyed, StoreError> {
    let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let now_ms = made.at.as_millisecond();
    tx.execute(
        "DELETE FROM idempotency_keys WHERE created_ms < ?1",
        [now_ms - KEY_RETENTION_MS],
    )?;
    let known: Option<(String, u16, String)> = tx
        .query_row(
            "SELECT fingerprint, status, body FROM idempotency_keys WHERE scope = ?1 AND key = ?2",
            params![idem.scope, idem.key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((fingerprint, status, body)) = known {
        return Ok(if fingerprint == idem.fingerprint {
            Keyed::Replay { status, body }
        } else {
            Keyed::Mismatch
        });
    }
    // A refusal must leave no trace but its stored answer: the write-off runs in a savepoint.
    let outcome = {
        let sp = tx.savepoint()?;
        match apply_write_off(&sp, id, request, made) {
            Ok(ids) => {
                sp.commit()?;
                Ok(ids)
            }
            Err(e @ (StoreError::Refused(_) | StoreError::ClientNotFound(_))) => Err(e),
            Err(other) => return Err(other),
        }
    };
    let (status, body) = answer(&outcome);
    tx.execute(
        "INSERT INTO idempotency_keys (scope, key, fingerprint, status, body, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![idem.scope, idem.key, idem.fingerprint, status, body, now_ms],
    )?;
    tx.commit()?;
    Ok(Keyed::Fresh(outcome))
}

/// A coupon of `client` that can be spent now: theirs, not redeemed, not expired, not held
/// by an open transaction. Otherwise the refusal that says why.
pub(super) fn check_coupon(
    tx: &Connection,
    client: ClientId,
    coupon: CouponId,
    now_ms: i64,
) -> Result<(), StoreError> {
    let row: Option<(i64, Option<i64>, Option<i64>)> = tx
        .query_row(
            "SELECT client_id, expire_ms, redeemed_ms FROM coupons WHERE id = ?1",
            [coupon.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let refused = |r| Err(StoreError::Refused(r));
    match row {
        None => refused(Refusal::CouponNotFound(coupon.0)),
        Some((owner, _, _)) if owner != client.0 => refused(Refusal::CouponNotFound(coupon.0)),
        Some((_, _, Some(_))) => refused(Refusal::CouponRedeemed(coupon.0)),
        Some((_, Some(exp), None)) if exp < now_ms => refused(Refusal::CouponExpired(coupon.0)),
        Some(_) if super::holds::coupon_held(tx, coupon.0, now_ms)? => {
            refused(Refusal::CouponHeld(coupon.0))
        }
        Some(_) => Ok(()),
    }
}

/// The write-off itself, inside a transaction the caller commits.
fn apply_write_off(
    tx: &rusqlite::Connection,
    id: ClientId,
    request: &WriteOff,
    made: &Made,
) -> Result<Vec<i64>, StoreError> {
    require_client(tx, id)?;
    let now_ms = made.at.as_millisecond();
    let current = balances(tx, id)?;
    for (currency, amount) in request.balance_parts() {
        // What open holds reserve is not there to spend.
        let available = Amount::from_minor(
            current.get(currency).minor() - super::holds::held(tx, id, currency, now_ms)?,
        );
        if amount > available {
            return Err(StoreError::Refused(Refusal::Insufficient {
                currency: currency_to_wire(currency),
                available,
                requested: amount,
            }));
        }
    }
    for coupon in &request.coupons {
        check_coupon(tx, id, *coupon, now_ms)?;
        tx.execute(
            "UPDATE coupons SET redeemed_ms = ?1 WHERE id = ?2 AND redeemed_ms IS NULL",
            params![now_ms, coupon.0],
        )?;
    }
    let mut ledger_ids = Vec::new();
    for (currency, amount) in request.balance_parts() {
        tx.execute(
            "INSERT INTO ledger (client_id, currency, amount, at_ms, kind, login)
             VALUES (?1, ?2, ?3, ?4, 'write_off', ?5)",
            params![
                id.0,
                currency_to_wire(currency),
                -amount.minor(),
                now_ms,
                made.by
            ],
        )?;
        ledger_ids.push(tx.last_insert_rowid());
    }
    Ok(ledger_ids)
}

/// Clients whose balance rows disagree with the sum of their ledger, or that have ledger
/// entries with no balance row: `(client, currency, balance, ledger sum)`.
pub fn check_ledger(conn: &Connection) -> Result<Vec<(i64, String, i64, i64)>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT client_id, currency, sum(balance), sum(ledger) FROM (
             SELECT client_id, currency, amount AS balance, 0 AS ledger FROM balances
             UNION ALL
             SELECT client_id, currency, 0, amount FROM ledger
         ) GROUP BY client_id, currency HAVING sum(balance) <> sum(ledger)
         ORDER BY client_id, currency",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn client_count(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT count(*) FROM clients", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(p: &str) -> (String, Vec<String>) {
        let mut args = Vec::new();
        let sql = pattern_clause("c", "r", p, &mut args);
        (sql, args)
    }

    #[test]
    fn patterns_become_index_ranges_where_they_can() {
        assert_eq!(clause("79123456789").0, "c = ?1");
        let (sql, args) = clause("%5678");
        assert_eq!(sql, "(r >= ?1 AND r < ?2)");
        assert_eq!(args[0], "8765");
        let (sql, args) = clause("7912%");
        assert_eq!(sql, "(c >= ?1 AND c < ?2)");
        assert_eq!(args[0], "7912");
        assert_eq!(clause("%").0, "c IS NOT NULL");
        assert!(clause("79%89").0.contains("LIKE"));
        assert_eq!(clause("%a_b%").1[0], "%a\\_b%");
    }

    fn seeded() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        store
            .with_conn(|c| super::super::demo::seed(c, 3, Timestamp::now()).map(|_| ()))
            .unwrap();
        (dir, store)
    }

    #[test]
    fn the_ledger_refuses_update_and_delete() {
        let (_dir, store) = seeded();
        store
            .with_conn(|c| {
                for sql in [
                    "UPDATE ledger SET amount = amount + 1",
                    "DELETE FROM ledger",
                ] {
                    let e = c.execute(sql, []).unwrap_err();
                    assert!(e.to_string().contains("append-only"), "{sql}: {e}");
                }
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn a_key_is_remembered_for_48_hours_then_forgotten() {
        let (_dir, store) = seeded();
        let t0 = Timestamp::now();
        let request = WriteOff {
            points: Some(Amount::from_minor(1)),
            ..WriteOff::default()
        };
        let idem = Idempotency {
            scope: "s".into(),
            key: "k".into(),
            fingerprint: "f".into(),
        };
        let at = |hours: i64, extra_ms: i64| {
            t0 + jiff::SignedDuration::from_hours(hours)
                + jiff::SignedDuration::from_millis(extra_ms)
        };
        let run = |at: Timestamp| {
            let made = Made { at, by: None };
            store
                .with_conn(|c| {
                    write_off_once(
                        c,
                        ClientId(crate::server::demo::SAMPLE_CLIENT_ID),
                        &request,
                        &made,
                        &idem,
                        |_| (200, String::new()),
                    )
                })
                .unwrap()
        };
        assert!(matches!(run(at(0, 0)), Keyed::Fresh(Ok(_))));
        assert!(matches!(run(at(24, 0)), Keyed::Replay { .. }), "kept a day");
        assert!(
            matches!(run(at(48, 0)), Keyed::Replay { .. }),
            "kept 48 hours"
        );
        assert!(
            matches!(run(at(48, 1)), Keyed::Fresh(Ok(_))),
            "then forgotten"
        );
    }

    fn plan(conn: &Connection, sql: &str, args: &[&str]) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(3))
            .unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
    }

    #[test]
    fn lookups_use_indexes_not_scans() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        store
            .with_conn(|conn| {
                for (phone, email) in [
                    (Some("79123456789"), None),
                    (Some("%6789"), None),
                    (Some("7912%"), None),
                    (None, Some("test@test.ru")),
                    (None, Some("test@%")),
                    (None, Some("%@test.ru")),
                ] {
                    let mut args = Vec::new();
                    let clause = match (phone, email) {
                        (Some(p), _) => pattern_clause("phone_norm", "phone_rev", &phone_pattern(p), &mut args),
                        (_, Some(e)) => pattern_clause("email_lc", "email_rev", e, &mut args),
                        _ => unreachable!(),
                    };
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    let p = plan(conn, &format!("SELECT id FROM clients WHERE {clause}"), &args);
                    assert!(p.contains("USING INDEX") || p.contains("USING COVERING INDEX"), "{phone:?} {email:?}: {p}");
                }
                let p = plan(
                    conn,
                    "SELECT id FROM ledger WHERE client_id = ?1 AND at_ms >= ?2 AND at_ms <= ?3 ORDER BY at_ms DESC, id DESC",
                    &["1", "0", "9"],
                );
                assert!(p.contains("ledger_client_time") && !p.contains("TEMP B-TREE"), "{p}");
                Ok(())
            })
            .unwrap();
    }
}

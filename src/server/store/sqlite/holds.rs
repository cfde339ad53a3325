//! Two-phase write-offs (`fiscal_hub/cash_back/hold/…`, from the vendor's document on fiscal
//! operations): a hold reserves an amount and coupons so no other till can spend them; it
//! lapses after [`HOLD_TTL_MS`]; writing it off moves the money once (a repeat is a no-op);
//! cancelling releases it; a refund gives back what a written-off hold took. A hold belongs
//! to the principal whose key made it: only that principal, or an admin, may take its next
//! step, since transaction ids are no secret (they are in the server's log and the tills'
//! journals).
//!
//! Each hold also has an integer `id`, given in order (1, 2, …) and never reused: it is the
//! hold answer's `id`, and what the document's `refund/` `{"orderItems": [...]}` names (its
//! "identifiers from the database"); the answer's `balanceId` is [`balance_id`].

use super::store::{self, Made, Refusal, StoreError};
use crate::domain::{Amount, ClientId, CouponId, Currency};
use crate::wire::ext::currency_to_wire;
use rusqlite::{Connection, OptionalExtension, params};

/// How long a hold reserves before it lapses by itself.
pub const HOLD_TTL_MS: i64 = 15 * 60_000;

pub const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS holds (
    transaction_id  TEXT PRIMARY KEY,
    client_id       INTEGER NOT NULL REFERENCES clients (id),
    currency        TEXT NOT NULL CHECK (currency IN ('points', 'rubles')),
    amount          INTEGER NOT NULL CHECK (amount >= 0),
    created_ms      INTEGER NOT NULL,
    expires_ms      INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('held', 'written_off', 'cancelled', 'refunded')),
    fiscal_order_id TEXT,
    login           TEXT
    -- principal, refunded_by and refunded_ms: see `migrate`.
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS holds_open ON holds (client_id, currency, state, expires_ms);
CREATE TABLE IF NOT EXISTS hold_coupons (
    transaction_id TEXT NOT NULL REFERENCES holds (transaction_id),
    coupon_id      INTEGER NOT NULL,
    PRIMARY KEY (transaction_id, coupon_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS hold_coupons_coupon ON hold_coupons (coupon_id);
"#;

/// The columns version 3 added: who made the hold (`NULL` for holds made before, which
/// only an admin may step), and who refunded it and when (a refund of a coupon-only hold
/// writes no ledger row to say so); then the hold's integer `id`, given to older holds in
/// the order they were made.
pub(crate) fn migrate(conn: &Connection) -> Result<(), StoreError> {
    for (column, declaration) in [
        ("principal", "TEXT"),
        ("refunded_by", "TEXT"),
        ("refunded_ms", "INTEGER"),
        ("id", "INTEGER"),
    ] {
        store::sqlite::add_column(conn, "holds", column, declaration)?;
    }
    conn.execute_batch("CREATE UNIQUE INDEX IF NOT EXISTS holds_id ON holds (id)")?;
    let unnumbered: Vec<String> = conn
        .prepare(
            "SELECT transaction_id FROM holds WHERE id IS NULL ORDER BY created_ms, transaction_id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for transaction_id in unnumbered {
        conn.execute(
            "UPDATE holds SET id = (SELECT coalesce(max(id), 0) + 1 FROM holds)
             WHERE transaction_id = ?1",
            [transaction_id],
        )?;
    }
    Ok(())
}

/// The `balanceId` of a hold answer: the client's balance in `currency`, which this server
/// keys by client and currency, as one stable integer: the client id followed by one digit,
/// 1 for points and 2 for rubles (client 1234567's points are balance 12345671). `None` for
/// a client id too large to carry a digit more.
pub fn balance_id(client: ClientId, currency: Currency) -> Option<i64> {
    let digit = match currency {
        Currency::Points => 1,
        Currency::Rubles => 2,
    };
    client.0.checked_mul(10)?.checked_add(digit)
}

/// Whose holds a caller may step: its own (a till), or any (an admin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    Own,
    Any,
}

/// A hold's row as its steps need it, on either store.
#[derive(Debug)]
pub(crate) struct Found {
    pub client: i64,
    pub currency: String,
    pub amount: i64,
    pub state: String,
    pub expires_ms: i64,
    pub principal: Option<String>,
}

/// Refuses a step on a hold another principal made unless `reach` is any hold's. Asked
/// before the hold's state, so a till learns nothing more of another's transaction.
pub(crate) fn may_step(
    transaction_id: &str,
    found: &Found,
    made: &Made,
    reach: Reach,
) -> Result<(), StoreError> {
    let own = found.principal.is_some() && found.principal == made.principal;
    if reach == Reach::Any || own {
        return Ok(());
    }
    Err(StoreError::Refused(Refusal::HoldOfAnother(
        transaction_id.to_string(),
    )))
}

/// A hold as its answer describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    /// The hold's integer id (see the module's comment).
    pub id: i64,
    pub transaction_id: String,
    pub client: ClientId,
    pub currency: Currency,
    pub amount: Amount,
    pub created_ms: i64,
    pub expires_ms: i64,
}

/// Hundredths of `currency` that open holds of `client` reserve at `now_ms`.
pub fn held(
    conn: &Connection,
    client: ClientId,
    currency: Currency,
    now_ms: i64,
) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(sum(amount), 0) FROM holds
             WHERE client_id = ?1 AND currency = ?2 AND state = 'held' AND expires_ms > ?3",
        )?
        .query_row(params![client.0, currency_to_wire(currency), now_ms], |r| {
            r.get(0)
        })?)
}

/// Whether an open hold reserves `coupon` at `now_ms`.
pub fn coupon_held(conn: &Connection, coupon: i64, now_ms: i64) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM hold_coupons c JOIN holds h USING (transaction_id)
                        WHERE c.coupon_id = ?1 AND h.state = 'held' AND h.expires_ms > ?2)",
        params![coupon, now_ms],
        |r| r.get(0),
    )?)
}

/// Reserves `amount` of `currency` and `coupons` for `client`, checked as a write-off is:
/// all of it or nothing.
pub fn hold(
    conn: &mut Connection,
    client: ClientId,
    currency: Currency,
    amount: Amount,
    coupons: &[CouponId],
    made: &Made,
    transaction_id: String,
) -> Result<Hold, StoreError> {
    let tx = conn.savepoint()?;
    let now_ms = made.at.as_millisecond();
    let balances = store::balances(&tx, client)?;
    let available = balances.get(currency).minor() - held(&tx, client, currency, now_ms)?;
    if amount.minor() > available {
        return Err(StoreError::Refused(Refusal::Insufficient {
            currency: currency_to_wire(currency),
            available: Amount::from_minor(available.max(0)),
            requested: amount,
        }));
    }
    for coupon in coupons {
        store::check_coupon(&tx, client, *coupon, now_ms)?;
    }
    let expires_ms = now_ms + HOLD_TTL_MS;
    // The one writer makes ids in order; the unique index makes `max` one index step.
    let id: i64 = tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM holds", [], |r| {
        r.get(0)
    })?;
    tx.execute(
        "INSERT INTO holds (transaction_id, client_id, currency, amount, created_ms, expires_ms,
                            state, login, principal, id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'held', ?7, ?8, ?9)",
        params![
            transaction_id,
            client.0,
            currency_to_wire(currency),
            amount.minor(),
            now_ms,
            expires_ms,
            made.by,
            made.principal,
            id
        ],
    )?;
    for coupon in coupons {
        tx.execute(
            "INSERT INTO hold_coupons (transaction_id, coupon_id) VALUES (?1, ?2)",
            params![transaction_id, coupon.0],
        )?;
    }
    tx.commit()?;
    Ok(Hold {
        id,
        transaction_id,
        client,
        currency,
        amount,
        created_ms: now_ms,
        expires_ms,
    })
}

/// The hold `transaction_id`, once `made`'s caller may step it.
fn find(
    conn: &Connection,
    transaction_id: &str,
    made: &Made,
    reach: Reach,
) -> Result<Found, StoreError> {
    let found = conn
        .query_row(
            "SELECT client_id, currency, amount, state, expires_ms, principal FROM holds
             WHERE transaction_id = ?1",
            [transaction_id],
            |r| {
                Ok(Found {
                    client: r.get(0)?,
                    currency: r.get(1)?,
                    amount: r.get(2)?,
                    state: r.get(3)?,
                    expires_ms: r.get(4)?,
                    principal: r.get(5)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| StoreError::Refused(Refusal::HoldNotFound(transaction_id.to_string())))?;
    may_step(transaction_id, &found, made, reach)?;
    Ok(found)
}

/// The refusal for a step the hold's state does not allow.
fn not_held(transaction_id: &str, state: &str) -> StoreError {
    let state = match state {
        "held" => "still held, not written off",
        "written_off" => "already written off",
        "cancelled" => "cancelled",
        _ => "refunded",
    };
    StoreError::Refused(Refusal::HoldState(transaction_id.to_string(), state))
}

fn ledger(
    tx: &Connection,
    row: &Found,
    amount: i64,
    kind: &str,
    made: &Made,
) -> Result<(), StoreError> {
    if amount != 0 {
        tx.execute(
            "INSERT INTO ledger (client_id, currency, amount, at_ms, kind, login, principal)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                row.client,
                row.currency,
                amount,
                made.at.as_millisecond(),
                kind,
                made.by,
                made.principal
            ],
        )?;
    }
    Ok(())
}

/// Whether a hold in `state` is to be spent now: `false` if it already was (a repeat is
/// harmless), a refusal if it lapsed or went another way. Every store asks this.
pub(crate) fn may_write_off(
    transaction_id: &str,
    state: &str,
    expires_ms: i64,
    now_ms: i64,
) -> Result<bool, StoreError> {
    match state {
        "written_off" => Ok(false),
        "held" if expires_ms <= now_ms => Err(StoreError::Refused(Refusal::HoldExpired(
            transaction_id.to_string(),
        ))),
        "held" => Ok(true),
        other => Err(not_held(transaction_id, other)),
    }
}

/// Whether a hold in `state` is to be cancelled now (`false`: it already was).
pub(crate) fn may_cancel(transaction_id: &str, state: &str) -> Result<bool, StoreError> {
    match state {
        "cancelled" => Ok(false),
        "held" => Ok(true),
        other => Err(not_held(transaction_id, other)),
    }
}

/// Whether a hold in `state` is to be refunded now (`false`: it already was).
pub(crate) fn may_refund(transaction_id: &str, state: &str) -> Result<bool, StoreError> {
    match state {
        "refunded" => Ok(false),
        "written_off" => Ok(true),
        other => Err(not_held(transaction_id, other)),
    }
}

/// Spends a hold: the ledger takes its amount and its coupons are redeemed. Writing off a
/// hold already written off changes nothing and succeeds, so a lost answer is settled by
/// asking again.
pub fn write_off(
    conn: &mut Connection,
    transaction_id: &str,
    fiscal_order_id: Option<&str>,
    made: &Made,
    reach: Reach,
) -> Result<(), StoreError> {
    let tx = conn.savepoint()?;
    let row = find(&tx, transaction_id, made, reach)?;
    let now_ms = made.at.as_millisecond();
    if !may_write_off(transaction_id, &row.state, row.expires_ms, now_ms)? {
        return Ok(());
    }
    ledger(&tx, &row, -row.amount, "write_off", made)?;
    tx.execute(
        "UPDATE coupons SET redeemed_ms = ?1 WHERE redeemed_ms IS NULL
         AND id IN (SELECT coupon_id FROM hold_coupons WHERE transaction_id = ?2)",
        params![made.at.as_millisecond(), transaction_id],
    )?;
    tx.execute(
        "UPDATE holds SET state = 'written_off', fiscal_order_id = ?2 WHERE transaction_id = ?1",
        params![transaction_id, fiscal_order_id],
    )?;
    tx.commit()?;
    Ok(())
}

/// Releases a hold (an expired one too). Cancelling twice succeeds; a written-off hold
/// cannot be cancelled (it is refunded instead).
pub fn cancel(
    conn: &mut Connection,
    transaction_id: &str,
    made: &Made,
    reach: Reach,
) -> Result<(), StoreError> {
    let tx = conn.savepoint()?;
    let row = find(&tx, transaction_id, made, reach)?;
    if !may_cancel(transaction_id, &row.state)? {
        return Ok(());
    }
    tx.execute(
        "UPDATE holds SET state = 'cancelled' WHERE transaction_id = ?1",
        [transaction_id],
    )?;
    tx.commit()?;
    Ok(())
}

/// Gives back what a written-off hold took: its amount to the balance, its coupons to the
/// client, and records who asked. A second refund changes nothing.
pub fn refund(
    conn: &mut Connection,
    transaction_id: &str,
    made: &Made,
    reach: Reach,
) -> Result<(), StoreError> {
    let tx = conn.savepoint()?;
    let row = find(&tx, transaction_id, made, reach)?;
    refund_found(&tx, transaction_id, &row, made)?;
    tx.commit()?;
    Ok(())
}

/// The document's order-item refund: each of `items` is a hold's `id`, and each such hold
/// is refunded as [`refund`] does, all of them or none (one the caller may not step, or
/// that was not written off, refuses the whole request). Items already refunded stay so.
pub fn refund_items(
    conn: &mut Connection,
    items: &[i64],
    made: &Made,
    reach: Reach,
) -> Result<(), StoreError> {
    let tx = conn.savepoint()?;
    for item in items {
        let transaction_id: String = tx
            .query_row(
                "SELECT transaction_id FROM holds WHERE id = ?1",
                [item],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::Refused(Refusal::HoldNotFound(order_item(*item))))?;
        let row = find(&tx, &transaction_id, made, reach)?;
        refund_found(&tx, &transaction_id, &row, made)?;
    }
    tx.commit()?;
    Ok(())
}

/// How a refusal names an order item no hold has.
pub(crate) fn order_item(id: i64) -> String {
    format!("for order item {id}")
}

/// Refunds the hold `row` unless it already was; refuses one not written off.
fn refund_found(
    tx: &Connection,
    transaction_id: &str,
    row: &Found,
    made: &Made,
) -> Result<(), StoreError> {
    if !may_refund(transaction_id, &row.state)? {
        return Ok(());
    }
    ledger(tx, row, row.amount, "refund", made)?;
    tx.execute(
        "UPDATE coupons SET redeemed_ms = NULL
         WHERE id IN (SELECT coupon_id FROM hold_coupons WHERE transaction_id = ?1)",
        [transaction_id],
    )?;
    tx.execute(
        "UPDATE holds SET state = 'refunded', refunded_by = ?2, refunded_ms = ?3
         WHERE transaction_id = ?1",
        params![transaction_id, made.principal, made.at.as_millisecond()],
    )?;
    Ok(())
}

//! The fiscal hub's holds on SQLite (their rules are `rules::holds`): reserve, spend,
//! release, refund, each step only by the hold's own principal or an admin, each in a
//! savepoint on the one writer.

use super::Sqlite;
use super::lots;
use super::write_off::check_coupon;
use crate::domain::{Amount, ClientId, CouponId, Currency};
use crate::server::store::rules::holds::{
    Found, HOLD_TTL_MS, Hold, Reach, may_cancel, may_hold, may_refund, may_step, may_write_off,
    order_item,
};
use crate::server::store::rules::spending::{Made, may_spend};
use crate::server::store::{Refusal, StoreError};
use rusqlite::{Connection, OptionalExtension, params};

impl Sqlite {
    /// Reserves an amount and coupons for a fiscal transaction, on the one writer.
    #[allow(clippy::too_many_arguments)]
    pub async fn hold(
        &self,
        client: ClientId,
        currency: Currency,
        amount: Amount,
        coupons: Vec<CouponId>,
        made: Made,
        transaction_id: String,
        order_id: Option<String>,
    ) -> Result<Hold, StoreError> {
        self.run_write(move |c| {
            let hold = hold(c, client, currency, amount, &coupons, &made, transaction_id)?;
            c.execute(
                "UPDATE holds SET order_id = ?1 WHERE id = ?2",
                params![order_id, hold.id],
            )?;
            Ok(Hold { order_id, ..hold })
        })
        .await
    }

    pub async fn hold_write_off(
        &self,
        transaction_id: String,
        fiscal_order_id: Option<String>,
        made: Made,
        reach: Reach,
    ) -> Result<(), StoreError> {
        self.run_write(move |c| {
            write_off(c, &transaction_id, fiscal_order_id.as_deref(), &made, reach)
        })
        .await
    }

    pub async fn hold_cancel(
        &self,
        transaction_id: String,
        made: Made,
        reach: Reach,
    ) -> Result<(), StoreError> {
        self.run_write(move |c| cancel(c, &transaction_id, &made, reach))
            .await
    }

    pub async fn hold_refund(
        &self,
        transaction_id: String,
        made: Made,
        reach: Reach,
    ) -> Result<(), StoreError> {
        self.run_write(move |c| refund(c, &transaction_id, &made, reach))
            .await
    }

    pub async fn hold_refund_items(
        &self,
        items: Vec<i64>,
        made: Made,
        reach: Reach,
    ) -> Result<(), StoreError> {
        self.run_write(move |c| refund_items(c, &items, &made, reach))
            .await
    }
}

/// Hundredths of `currency` that open holds of `client` reserve at `now_ms`.
pub(super) fn held(
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
        .query_row(params![client.0, currency.code(), now_ms], |r| r.get(0))?)
}

/// Whether an open hold reserves `coupon` at `now_ms`.
pub(super) fn coupon_held(conn: &Connection, coupon: i64, now_ms: i64) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM hold_coupons c JOIN holds h USING (transaction_id)
                        WHERE c.coupon_id = ?1 AND h.state = 'held' AND h.expires_ms > ?2)",
        params![coupon, now_ms],
        |r| r.get(0),
    )?)
}

/// Reserves `amount` of `currency` and `coupons` for `client`, checked as a write-off is:
/// all of it or nothing.
fn hold(
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
    lots::expire(&tx, Some(client), now_ms)?;
    let available = lots::spendable(&tx, client, now_ms)?.get(currency).minor()
        - held(&tx, client, currency, now_ms)?;
    may_hold(currency, available, amount)?;
    for coupon in coupons {
        check_coupon(&tx, client, *coupon, now_ms)?;
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
            currency.code(),
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
        order_id: None,
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

/// The hold's ledger row, if it moves anything: its id.
fn ledger(
    tx: &Connection,
    row: &Found,
    amount: i64,
    kind: &str,
    made: &Made,
) -> Result<Option<i64>, StoreError> {
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
        return Ok(Some(tx.last_insert_rowid()));
    }
    Ok(None)
}

/// Spends a hold: the ledger takes its amount and its coupons are redeemed. Writing off a
/// hold already written off changes nothing and succeeds, so a lost answer is settled by
/// asking again.
fn write_off(
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
    // The hold reserved from what was spendable then; lots may have expired since, and
    // what the other open holds reserve is theirs.
    let client = ClientId(row.client);
    lots::expire(&tx, Some(client), now_ms)?;
    if let Some(currency) = Currency::from_code(&row.currency) {
        let others = held(&tx, client, currency, now_ms)? - row.amount;
        let spendable = lots::spendable(&tx, client, now_ms)?.get(currency).minor();
        may_spend(currency, spendable - others, Amount::from_minor(row.amount))?;
    }
    if let Some(ledger) = ledger(&tx, &row, -row.amount, "write_off", made)? {
        lots::hold_spent(&tx, transaction_id, ledger)?;
    }
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
fn cancel(
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
fn refund(
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
fn refund_items(
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
    if let Some(ledger) = ledger(tx, row, row.amount, "refund", made)? {
        lots::refund_into_lots(tx, transaction_id, ledger)?;
    }
    tx.execute(
        "UPDATE coupons SET redeemed_ms = NULL
         WHERE id IN (SELECT coupon_id FROM hold_coupons WHERE transaction_id = ?1)",
        [transaction_id],
    )?;
    tx.execute(
        "UPDATE holds SET state = 'refunded', refunded_by = ?2, refunded_ms = ?3,
                          refunded_login = ?4
         WHERE transaction_id = ?1",
        params![
            transaction_id,
            made.principal,
            made.at.as_millisecond(),
            made.by
        ],
    )?;
    Ok(())
}

//! Operations on SQLite: reading one back, reversing a write-off (on the one writer, so no
//! other reversal of it can come between the reading of what is left and the giving back),
//! what a client may write off now, the shift report, and `--check`'s look at reversals.
//! What these mean is `rules::operations` and `rules::limits`.

use super::Sqlite;
use super::cashier::require_client;
use super::holds::held;
use super::write_off::{ledger_rows, once, spent_today};
use crate::domain::limits::Available;
use crate::domain::reversal::Operation;
use crate::domain::shift::ShiftReport;
use crate::domain::{Amount, Balances, ClientId, CouponId, Currency, OperationId, Reversal};
use crate::server::store::rules::check;
use crate::server::store::rules::operations::{self, ShiftLine, Stored, Sums};
use crate::server::store::rules::spending::{Answer, Idempotency, Keyed, Made, Written};
use crate::server::store::{StoreError, rules::limits};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

impl Sqlite {
    /// One operation with what its reversals gave back so far; `None` if there is none.
    pub async fn operation(&self, id: OperationId) -> Result<Option<Operation>, StoreError> {
        self.run(move |c| load(c, id)).await
    }

    /// Gives back all or part of a write-off, on the one writer.
    pub async fn reverse(&self, reversal: Reversal, made: Made) -> Result<Written, StoreError> {
        self.run_write(move |c| {
            let sp = c.savepoint()?;
            let written = apply_reversal(&sp, &reversal, &made)?;
            sp.commit()?;
            Ok(written)
        })
        .await
    }

    /// A reversal under an idempotency key, on the one writer.
    pub async fn reverse_once(
        &self,
        reversal: Reversal,
        made: Made,
        idem: Idempotency,
        answer: Answer,
    ) -> Result<Keyed, StoreError> {
        let retention_ms = self.key_retention_ms;
        self.run_write(move |c| {
            once(c, &made, &idem, retention_ms, answer, |sp| {
                apply_reversal(sp, &reversal, &made)
            })
        })
        .await
    }

    /// What `client` may write off now under `made`'s limits.
    pub async fn available(
        &self,
        client: ClientId,
        receipt_total: Option<Amount>,
        made: Made,
    ) -> Result<Available, StoreError> {
        self.run(move |c| {
            require_client(c, client)?;
            let now_ms = made.at.as_millisecond();
            let current = super::lots::spendable(c, client, now_ms)?;
            let spendable = Balances {
                points: Amount::from_minor(
                    current.points.minor() - held(c, client, Currency::Points, now_ms)?,
                ),
                rubles: Amount::from_minor(
                    current.rubles.minor() - held(c, client, Currency::Rubles, now_ms)?,
                ),
            };
            let spent = spent_today(c, client, &made)?;
            Ok(limits::available(
                &made.limits,
                spendable,
                receipt_total,
                &spent,
            ))
        })
        .await
    }

    /// Per cashier, what was written off and given back since `since`.
    pub async fn shift_report(&self, since: Timestamp) -> Result<ShiftReport, StoreError> {
        self.run(move |c| {
            let mut stmt = c.prepare(
                "SELECT o.principal, o.login, o.kind, o.manager,
                        coalesce((SELECT sum(amount) FROM ledger
                                  WHERE operation_id = o.id AND currency = 'points'), 0),
                        coalesce((SELECT sum(amount) FROM ledger
                                  WHERE operation_id = o.id AND currency = 'rubles'), 0),
                        (SELECT count(*) FROM operation_coupons WHERE operation_id = o.id),
                        o.id, o.at_ms, o.confirmed
                 FROM operations o WHERE o.at_ms >= ?1 ORDER BY o.id",
            )?;
            let lines = stmt
                .query_map([since.as_millisecond()], |r| {
                    Ok(ShiftLine {
                        principal: r.get(0)?,
                        login: r.get(1)?,
                        kind: r.get(2)?,
                        manager: r.get(3)?,
                        points: r.get(4)?,
                        rubles: r.get(5)?,
                        coupons: r.get(6)?,
                        id: r.get(7)?,
                        at_ms: r.get(8)?,
                        confirmed: r.get(9)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(operations::shift_report(since, lines))
        })
        .await
    }
}

fn sums(tx: &Connection, sql: &str, id: i64) -> Result<Sums, StoreError> {
    Ok(tx
        .prepare_cached(sql)?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?)
}

fn ids(tx: &Connection, sql: &str, id: i64) -> Result<Vec<i64>, StoreError> {
    Ok(tx
        .prepare_cached(sql)?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<_, _>>()?)
}

/// An operation as stored, with what its reversals gave back.
fn load(tx: &Connection, id: OperationId) -> Result<Option<Operation>, StoreError> {
    let row = tx
        .prepare_cached(
            "SELECT client_id, kind, at_ms, receipt_number, receipt_total, principal, login,
                    manager, reason, note, original_id, confirmed
             FROM operations WHERE id = ?1",
        )?
        .query_row([id.0], |r| {
            Ok(Stored {
                client: r.get(0)?,
                kind: r.get(1)?,
                at_ms: r.get(2)?,
                receipt_number: r.get(3)?,
                receipt_total: r.get(4)?,
                principal: r.get(5)?,
                login: r.get(6)?,
                manager: r.get(7)?,
                reason: r.get(8)?,
                note: r.get(9)?,
                original: r.get(10)?,
                confirmed: r.get(11)?,
            })
        })
        .optional()?;
    let Some(row) = row else {
        return Ok(None);
    };
    let own = sums(
        tx,
        "SELECT currency, sum(amount) FROM ledger WHERE operation_id = ?1 GROUP BY currency",
        id.0,
    )?;
    let coupons = ids(
        tx,
        "SELECT coupon_id FROM operation_coupons WHERE operation_id = ?1 ORDER BY coupon_id",
        id.0,
    )?;
    let back = sums(
        tx,
        "SELECT l.currency, sum(l.amount) FROM ledger l
         JOIN operations o ON o.id = l.operation_id
         WHERE o.original_id = ?1 GROUP BY l.currency",
        id.0,
    )?;
    let coupons_back = ids(
        tx,
        "SELECT c.coupon_id FROM operation_coupons c
         JOIN operations o ON o.id = c.operation_id
         WHERE o.original_id = ?1 ORDER BY c.coupon_id",
        id.0,
    )?;
    operations::operation(id, row, &own, coupons, &back, coupons_back).map(Some)
}

/// The reversal itself, inside a transaction the caller commits, on the one writer: what is
/// left of the original is read after every earlier reversal of it was committed.
fn apply_reversal(
    tx: &Connection,
    reversal: &Reversal,
    made: &Made,
) -> Result<Written, StoreError> {
    let now_ms = made.at.as_millisecond();
    let original = load(tx, reversal.original)?;
    let mut expiries = Vec::new();
    for coupon in &reversal.coupons {
        let expiry: Option<Option<i64>> = tx
            .prepare_cached("SELECT expire_ms FROM coupons WHERE id = ?1")?
            .query_row([coupon.0], |r| r.get(0))
            .optional()?;
        expiries.push((*coupon, expiry.flatten()));
    }
    operations::reversal_verdict(original.as_ref(), reversal, &expiries, now_ms)?;
    tx.prepare_cached(
        "INSERT INTO operations (client_id, kind, at_ms, principal, login, manager, reason,
                                 note, original_id)
         VALUES (?1, 'reversal', ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        reversal.client.0,
        now_ms,
        made.principal,
        made.by,
        made.manager,
        reversal.why.code.code(),
        reversal.why.note,
        reversal.original.0
    ])?;
    let operation = tx.last_insert_rowid();
    for coupon in &reversal.coupons {
        tx.execute(
            "UPDATE coupons SET redeemed_ms = NULL WHERE id = ?1",
            [coupon.0],
        )?;
        tx.prepare_cached(
            "INSERT INTO operation_coupons (operation_id, coupon_id) VALUES (?1, ?2)",
        )?
        .execute(params![operation, coupon.0])?;
    }
    let ledger = ledger_rows(
        tx,
        reversal.client,
        operation,
        "reversal",
        reversal.balance_parts(),
        made,
    )?;
    Ok(Written {
        operation: OperationId(operation),
        ledger,
    })
}

/// `--check`: write-offs given back more than they took in a currency, and coupons given
/// back that their original did not redeem, or twice.
pub fn over_reversed(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut found: Vec<String> = conn
        .prepare(
            "SELECT ro.original_id, r.currency, sum(r.amount),
                    coalesce((SELECT -sum(w.amount) FROM ledger w
                              WHERE w.operation_id = ro.original_id
                                AND w.currency = r.currency), 0)
             FROM ledger r JOIN operations ro ON ro.id = r.operation_id
             WHERE ro.kind = 'reversal'
             GROUP BY ro.original_id, r.currency
             HAVING sum(r.amount) > coalesce((SELECT -sum(w.amount) FROM ledger w
                                              WHERE w.operation_id = ro.original_id
                                                AND w.currency = r.currency), 0)
             ORDER BY ro.original_id, r.currency",
        )?
        .query_map([], |r| {
            let (id, currency, back, taken): (i64, String, i64, i64) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            Ok(check::over_sentence(id, &currency, back, taken))
        })?
        .collect::<Result<_, _>>()?;
    let coupons: Vec<String> = conn
        .prepare(
            "SELECT ro.original_id, c.coupon_id, count(*) FROM operation_coupons c
             JOIN operations ro ON ro.id = c.operation_id
             WHERE ro.kind = 'reversal'
             GROUP BY ro.original_id, c.coupon_id
             HAVING count(*) > 1 OR NOT EXISTS (
                 SELECT 1 FROM operation_coupons w
                 WHERE w.operation_id = ro.original_id AND w.coupon_id = c.coupon_id)
             ORDER BY ro.original_id, c.coupon_id",
        )?
        .query_map([], |r| {
            Ok(check::coupon_sentence(
                r.get(0)?,
                CouponId(r.get(1)?),
                r.get(2)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    found.extend(coupons);
    Ok(found)
}

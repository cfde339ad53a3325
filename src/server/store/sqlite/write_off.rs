//! Write-offs: all or nothing in one savepoint, once per idempotency key. The server runs
//! them on its one writer (`Sqlite::run_write`), inside the group's `BEGIN IMMEDIATE`: the
//! write lock is held before anything is read, so no other till's write can come between a
//! check and its write.

use super::Sqlite;
use super::cashier::require_client;
use super::holds::{coupon_held, held};
use crate::domain::{Amount, ClientId, CouponId, OperationId, WriteOff};
use crate::server::store::rules::limits::{self, Spent};
use crate::server::store::rules::spending::{
    Answer, CouponRow, Idempotency, Keyed, Made, Written, coupon_verdict, may_spend,
};
use crate::server::store::{Refusal, StoreError};
use rusqlite::{Connection, OptionalExtension, params};

impl Sqlite {
    /// A write-off, all or nothing, on the one writer: its operation and ledger rows.
    pub async fn write_off(
        &self,
        id: ClientId,
        request: WriteOff,
        made: Made,
    ) -> Result<Written, StoreError> {
        self.run_write(move |c| write_off(c, id, &request, &made))
            .await
    }

    /// A write-off under an idempotency key, on the one writer.
    pub async fn write_off_once(
        &self,
        id: ClientId,
        request: WriteOff,
        made: Made,
        idem: Idempotency,
        answer: Answer,
    ) -> Result<Keyed, StoreError> {
        let retention_ms = self.key_retention_ms;
        self.run_write(move |c| write_off_once(c, id, &request, &made, &idem, retention_ms, answer))
            .await
    }
}

/// Carries out a write-off in one savepoint: every balance part and every coupon goes
/// through, or nothing does; the balance CHECK is the last net.
pub fn write_off(
    conn: &mut Connection,
    id: ClientId,
    request: &WriteOff,
    made: &Made,
) -> Result<Written, StoreError> {
    let tx = conn.savepoint()?;
    let ids = apply_write_off(&tx, id, request, made)?;
    tx.commit()?;
    Ok(ids)
}

/// A write-off under an idempotency key, in one savepoint with the key's row:
/// either the key is new and the write-off and its answer are committed together, or the
/// key is known and nothing changes. `answer` turns an outcome into the status and body a
/// replay must repeat. Database failures store nothing, so a retry runs afresh.
pub fn write_off_once(
    conn: &mut Connection,
    id: ClientId,
    request: &WriteOff,
    made: &Made,
    idem: &Idempotency,
    retention_ms: i64,
    answer: impl Fn(Result<OperationId, &StoreError>) -> (u16, String),
) -> Result<Keyed, StoreError> {
    once(conn, made, idem, retention_ms, answer, |sp| {
        apply_write_off(sp, id, request, made)
    })
}

/// Runs `apply` once per key (a write-off or a reversal): in one savepoint with the key's
/// row, so that the movement and its answer are committed together; a refusal leaves only
/// its answer under the key.
pub(super) fn once(
    conn: &mut Connection,
    made: &Made,
    idem: &Idempotency,
    retention_ms: i64,
    answer: impl Fn(Result<OperationId, &StoreError>) -> (u16, String),
    apply: impl FnOnce(&Connection) -> Result<Written, StoreError>,
) -> Result<Keyed, StoreError> {
    let mut tx = conn.savepoint()?;
    let now_ms = made.at.as_millisecond();
    tx.prepare_cached("DELETE FROM idempotency_keys WHERE created_ms < ?1")?
        .execute([now_ms - retention_ms])?;
    let known: Option<(String, u16, String)> = tx
        .prepare_cached(
            "SELECT fingerprint, status, body FROM idempotency_keys WHERE scope = ?1 AND key = ?2",
        )?
        .query_row(params![idem.scope, idem.key], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    if let Some((fingerprint, status, body)) = known {
        return Ok(idem.known(fingerprint, status, body));
    }
    // A refusal must leave no trace but its stored answer: the write-off runs in a savepoint.
    let outcome = {
        let sp = tx.savepoint()?;
        match apply(&sp) {
            Ok(written) => {
                sp.commit()?;
                Ok(written)
            }
            Err(e @ (StoreError::Refused(_) | StoreError::ClientNotFound(_))) => Err(e),
            Err(other) => return Err(other),
        }
    };
    let (status, body) = answer(outcome.as_ref().map(|w| w.operation));
    tx.prepare_cached(
        "INSERT INTO idempotency_keys (scope, key, fingerprint, status, body, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        idem.scope,
        idem.key,
        idem.fingerprint,
        status,
        body,
        now_ms
    ])?;
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
    let row: Option<CouponRow> = tx
        .query_row(
            "SELECT client_id, expire_ms, redeemed_ms FROM coupons WHERE id = ?1",
            [coupon.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    coupon_verdict(client, coupon, row, now_ms)?;
    if coupon_held(tx, coupon.0, now_ms)? {
        return Err(StoreError::Refused(Refusal::CouponHeld(coupon.0)));
    }
    Ok(())
}

/// What the client and the cashier of `made` wrote off since the server's day began.
pub(super) fn spent_today(tx: &Connection, id: ClientId, made: &Made) -> Result<Spent, StoreError> {
    let since = limits::day_start(made.at).as_millisecond();
    let client_today: u32 = tx
        .prepare_cached(
            "SELECT count(*) FROM operations
             WHERE client_id = ?1 AND kind = 'write_off' AND at_ms >= ?2",
        )?
        .query_row(params![id.0, since], |r| r.get(0))?;
    let cashier_today: i64 = tx
        .prepare_cached(
            "SELECT coalesce(-sum(l.amount), 0) FROM operations o
             JOIN ledger l ON l.operation_id = o.id
             WHERE o.kind = 'write_off' AND o.at_ms >= ?1
               AND o.principal IS ?2 AND o.login IS ?3",
        )?
        .query_row(params![since, made.principal, made.by], |r| r.get(0))?;
    Ok(Spent {
        client_today,
        cashier_today: Amount::from_minor(cashier_today),
    })
}

/// The write-off itself, inside a transaction the caller commits: its operation, its
/// coupons and ledger rows naming it.
fn apply_write_off(
    tx: &rusqlite::Connection,
    id: ClientId,
    request: &WriteOff,
    made: &Made,
) -> Result<Written, StoreError> {
    require_client(tx, id)?;
    let now_ms = made.at.as_millisecond();
    if !made.limits.is_empty() {
        limits::verdict(&made.limits, request, &spent_today(tx, id, made)?)?;
    }
    // Expired lots leave first, so that spending never takes them.
    super::lots::expire(tx, Some(id), now_ms)?;
    let current = super::lots::spendable(tx, id, now_ms)?;
    for (currency, amount) in request.balance_parts() {
        // What open holds reserve is not there to spend.
        let available = current.get(currency).minor() - held(tx, id, currency, now_ms)?;
        may_spend(currency, available, amount)?;
    }
    // Checked and redeemed one by one: a coupon listed twice is refused at its second listing.
    for coupon in &request.coupons {
        check_coupon(tx, id, *coupon, now_ms)?;
        tx.execute(
            "UPDATE coupons SET redeemed_ms = ?1 WHERE id = ?2 AND redeemed_ms IS NULL",
            params![now_ms, coupon.0],
        )?;
    }
    let receipt = request.receipt.as_ref();
    tx.prepare_cached(
        "INSERT INTO operations (client_id, kind, at_ms, receipt_number, receipt_total,
                                 principal, login, manager, reason, note)
         VALUES (?1, 'write_off', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        id.0,
        now_ms,
        receipt.map(|r| r.number.as_str()),
        receipt.map(|r| r.total.minor()),
        made.principal,
        made.by,
        made.manager,
        request.why.as_ref().map(|w| w.code.code()),
        request.why.as_ref().and_then(|w| w.note.as_deref())
    ])?;
    let operation = tx.last_insert_rowid();
    super::codes::confirm(tx, operation, made)?;
    for coupon in &request.coupons {
        tx.prepare_cached(
            "INSERT INTO operation_coupons (operation_id, coupon_id) VALUES (?1, ?2)",
        )?
        .execute(params![operation, coupon.0])?;
    }
    let ledger = ledger_rows(
        tx,
        id,
        operation,
        "write_off",
        request.balance_parts(),
        made,
    )?;
    Ok(Written {
        operation: OperationId(operation),
        ledger,
    })
}

/// The ledger rows of an operation, one per balance part: negative for a write-off,
/// positive for a reversal.
pub(super) fn ledger_rows(
    tx: &Connection,
    id: ClientId,
    operation: i64,
    kind: &str,
    parts: Vec<(crate::domain::Currency, Amount)>,
    made: &Made,
) -> Result<Vec<i64>, StoreError> {
    let sign = if kind == "write_off" { -1 } else { 1 };
    let mut ids = Vec::new();
    for (currency, amount) in parts {
        tx.prepare_cached(
            "INSERT INTO ledger (client_id, currency, amount, at_ms, kind, login, principal,
                                 operation_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            id.0,
            currency.code(),
            sign * amount.minor(),
            made.at.as_millisecond(),
            kind,
            made.by,
            made.principal,
            operation
        ])?;
        ids.push(tx.last_insert_rowid());
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::super::testing::seeded;
    use super::*;
    use crate::domain::Amount;
    use crate::server::store::KEY_RETENTION_MS;
    use jiff::Timestamp;

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
            let made = Made {
                at,
                ..Made::default()
            };
            store
                .with_conn(|c| {
                    write_off_once(
                        c,
                        ClientId(crate::server::demo::SAMPLE_CLIENT_ID),
                        &request,
                        &made,
                        &idem,
                        KEY_RETENTION_MS,
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
}

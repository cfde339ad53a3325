//! Write-offs: all or nothing in one savepoint, once per idempotency key. The server runs
//! them on its one writer (`Sqlite::run_write`), inside the group's `BEGIN IMMEDIATE`: the
//! write lock is held before anything is read, so no other till's write can come between a
//! check and its write.

use super::Sqlite;
use super::cashier::{balances, require_client};
use super::holds::{coupon_held, held};
use crate::domain::{ClientId, CouponId, WriteOff};
use crate::server::store::rules::spending::{
    Answer, CouponRow, Idempotency, KEY_RETENTION_MS, Keyed, Made, coupon_verdict, may_spend,
};
use crate::server::store::{Refusal, StoreError};
use rusqlite::{Connection, OptionalExtension, params};

impl Sqlite {
    /// A write-off, all or nothing, on the one writer; the ledger ids of its balance parts.
    pub async fn write_off(
        &self,
        id: ClientId,
        request: WriteOff,
        made: Made,
    ) -> Result<Vec<i64>, StoreError> {
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
        self.run_write(move |c| write_off_once(c, id, &request, &made, &idem, answer))
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
) -> Result<Vec<i64>, StoreError> {
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
    answer: impl Fn(Result<(), &StoreError>) -> (u16, String),
) -> Result<Keyed, StoreError> {
    let mut tx = conn.savepoint()?;
    let now_ms = made.at.as_millisecond();
    tx.prepare_cached("DELETE FROM idempotency_keys WHERE created_ms < ?1")?
        .execute([now_ms - KEY_RETENTION_MS])?;
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
        match apply_write_off(&sp, id, request, made) {
            Ok(ids) => {
                sp.commit()?;
                Ok(ids)
            }
            Err(e @ (StoreError::Refused(_) | StoreError::ClientNotFound(_))) => Err(e),
            Err(other) => return Err(other),
        }
    };
    let (status, body) = answer(outcome.as_ref().map(|_| ()));
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
        let available = current.get(currency).minor() - held(tx, id, currency, now_ms)?;
        may_spend(currency, available, amount)?;
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
        tx.prepare_cached(
            "INSERT INTO ledger (client_id, currency, amount, at_ms, kind, login, principal)
             VALUES (?1, ?2, ?3, ?4, 'write_off', ?5, ?6)",
        )?
        .execute(params![
            id.0,
            currency.code(),
            -amount.minor(),
            now_ms,
            made.by,
            made.principal
        ])?;
        ledger_ids.push(tx.last_insert_rowid());
    }
    Ok(ledger_ids)
}

#[cfg(test)]
mod tests {
    use super::super::testing::seeded;
    use super::*;
    use crate::domain::Amount;
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
                by: None,
                principal: None,
            };
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
}

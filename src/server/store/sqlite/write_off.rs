//! Write-offs: all or nothing in one savepoint, once per idempotency key. The server runs
//! them on its one writer (`Sqlite::run_write`), inside the group's `BEGIN IMMEDIATE`: the
//! write lock is held before anything is read, so no other till's write can come between a
//! check and its write.

use super::reads::{balances, require_client};
use super::{Refusal, StoreError};
use crate::domain::{Amount, ClientId, CouponId, WriteOff};
use crate::wire::ext::currency_to_wire;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

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

/// When a ledger movement is made, and by which seed-001 login (`None`: a bearer-token
/// caller).
#[derive(Debug, Clone)]
pub struct Made {
    pub at: Timestamp,
    /// The seed-001 `login` the caller gave, if any.
    pub by: Option<String>,
    /// The user whose key made it (`serve user add`), `token` for the shared key.
    pub principal: Option<String>,
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
#[derive(Debug)]
pub enum Keyed {
    /// Carried out now (or refused now); its answer is stored under the key.
    Fresh(Result<Vec<i64>, StoreError>),
    /// The key was used before for the same request: its stored answer.
    Replay { status: u16, body: String },
    /// The key was used before for a different request.
    Mismatch,
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
pub(crate) fn check_coupon(
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
    if crate::server::holds::coupon_held(tx, coupon.0, now_ms)? {
        return Err(StoreError::Refused(Refusal::CouponHeld(coupon.0)));
    }
    Ok(())
}

/// A coupon's `(owner, expire_ms, redeemed_ms)`, if it exists.
type CouponRow = (i64, Option<i64>, Option<i64>);

/// Whether `client` may spend the coupon whose row this is, holds aside. PostgreSQL's
/// schema gives the same verdict (`coupon_refusal`); the store contract tests hold them alike.
fn coupon_verdict(
    client: ClientId,
    coupon: CouponId,
    row: Option<CouponRow>,
    now_ms: i64,
) -> Result<(), StoreError> {
    let refused = |r| Err(StoreError::Refused(r));
    match row {
        None => refused(Refusal::CouponNotFound(coupon.0)),
        Some((owner, _, _)) if owner != client.0 => refused(Refusal::CouponNotFound(coupon.0)),
        Some((_, _, Some(_))) => refused(Refusal::CouponRedeemed(coupon.0)),
        Some((_, Some(exp), None)) if exp < now_ms => refused(Refusal::CouponExpired(coupon.0)),
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
            current.get(currency).minor() - crate::server::holds::held(tx, id, currency, now_ms)?,
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
        tx.prepare_cached(
            "INSERT INTO ledger (client_id, currency, amount, at_ms, kind, login, principal)
             VALUES (?1, ?2, ?3, ?4, 'write_off', ?5, ?6)",
        )?
        .execute(params![
            id.0,
            currency_to_wire(currency),
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
    use super::super::sqlite::testing::seeded;
    use super::*;

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

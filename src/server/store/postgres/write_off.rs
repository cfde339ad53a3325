//! Write-offs and the rules every spending shares: what a client may spend, which coupons.
//! The rules are the schema's own functions (`assets/postgres/002_write_off.sql`), so a
//! write-off is one statement and a hold checks by the same definitions.

use super::super::{Answer, Idempotency, Keyed, Made, Refusal, StoreError, Written};
use super::Postgres;
use crate::domain::{Amount, Balances, ClientId, CouponId, Currency, OperationId, WriteOff};
use crate::server::store::rules::limits::{self, Spent};
use crate::server::store::rules::spending::success_template;
use deadpool_postgres::GenericClient;
use std::sync::atomic::Ordering;
use tokio_postgres::Row;

/// What a client may spend now (balances less what open holds reserve), with the client's
/// row locked for the transaction: every money movement of this client waits on that lock
/// for the one before it, on any instance. The amounts are read by a statement of their own,
/// after the lock is granted: a statement sees the database as it was when it began.
pub(super) async fn lock_for_spending(
    c: &impl GenericClient,
    id: ClientId,
    now_ms: i64,
) -> Result<Balances, StoreError> {
    let lock = "SELECT id FROM clients WHERE id = $1 FOR UPDATE";
    if c.query_opt(&c.prepare_cached(lock).await?, &[&id.0])
        .await?
        .is_none()
    {
        return Err(StoreError::ClientNotFound(id.0));
    }
    let spendable = "SELECT spendable($1, 'points', $2), spendable($1, 'rubles', $2)";
    let row = c
        .query_one(&c.prepare_cached(spendable).await?, &[&id.0, &now_ms])
        .await?;
    Ok(Balances {
        points: Amount::from_minor(row.get(0)),
        rubles: Amount::from_minor(row.get(1)),
    })
}

/// The client's, unspent, unexpired and not held; otherwise the refusal that says why.
pub(super) async fn check_coupon(
    c: &impl GenericClient,
    client: ClientId,
    coupon: CouponId,
    now_ms: i64,
) -> Result<(), StoreError> {
    let sql = "SELECT coupon_refusal($1, $2, $3)";
    let row = c
        .query_one(
            &c.prepare_cached(sql).await?,
            &[&client.0, &coupon.0, &now_ms],
        )
        .await?;
    match row.get::<_, Option<&str>>(0) {
        None => Ok(()),
        Some(code) => Err(StoreError::Refused(coupon_refusal(code, coupon)?)),
    }
}

/// A coupon refusal from the code the schema's `coupon_refusal` gives.
fn coupon_refusal(code: &str, coupon: CouponId) -> Result<Refusal, StoreError> {
    Ok(match code {
        "coupon_not_found" => Refusal::CouponNotFound(coupon.0),
        "coupon_redeemed" => Refusal::CouponRedeemed(coupon.0),
        "coupon_expired" => Refusal::CouponExpired(coupon.0),
        "coupon_held" => Refusal::CouponHeld(coupon.0),
        other => return Err(unknown(other)),
    })
}

/// The database's function and this binary disagree: a fault of the server (500), not of
/// the request.
fn unknown(what: &str) -> StoreError {
    StoreError::Worker(format!(
        "the database's write_off answered {what:?}, which this loyalty does not know"
    ))
}

/// What the schema's `write_off` came to.
pub(super) enum Outcome {
    Done(Written),
    /// The key was used before: its fingerprint and stored answer.
    Known(String, u16, String),
    Refused(StoreError),
}

impl Outcome {
    fn of(client: ClientId, row: &Row) -> Result<Outcome, StoreError> {
        let refused = |r| Ok(Outcome::Refused(StoreError::Refused(r)));
        match row.get::<_, &str>("outcome") {
            "done" => Ok(Outcome::Done(Written {
                operation: OperationId(row.get("operation")),
                ledger: row.get("ids"),
            })),
            "known" => Ok(Outcome::Known(
                row.get("known_fingerprint"),
                u16::try_from(row.get::<_, i64>("known_status")).unwrap_or(500),
                row.get("known_body"),
            )),
            "not_found" => Ok(Outcome::Refused(StoreError::ClientNotFound(client.0))),
            "refused" => match row.get::<_, &str>("refusal") {
                "insufficient_balance" => {
                    let code = row.get("refused_currency");
                    let currency = Currency::from_code(code).ok_or_else(|| unknown(code))?;
                    refused(Refusal::Insufficient {
                        currency: currency.code(),
                        available: Amount::from_minor(row.get("refused_available")),
                        requested: Amount::from_minor(row.get("refused_requested")),
                    })
                }
                code => refused(coupon_refusal(code, CouponId(row.get("refused_coupon")))?),
            },
            other => Err(unknown(other)),
        }
    }
}

const WRITE_OFF: &str = "SELECT * FROM write_off($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                         $12, $13, $14, $15, $16, $17)";

/// Runs the schema's `write_off`: with a key, the success's answer (a template naming the
/// operation, `rules::spending::success_template`) goes under it in the same statement.
async fn run_write_off(
    c: &impl GenericClient,
    id: ClientId,
    request: &WriteOff,
    made: &Made,
    keyed: Option<(&Idempotency, u16, String)>,
) -> Result<Outcome, StoreError> {
    let coupons: Vec<i64> = request.coupons.iter().map(|c| c.0).collect();
    let (scope, key, fingerprint, status, body) = match &keyed {
        Some((idem, status, body)) => (
            Some(idem.scope.as_str()),
            Some(idem.key.as_str()),
            Some(idem.fingerprint.as_str()),
            Some(i64::from(*status)),
            Some(body.as_str()),
        ),
        None => (None, None, None, None, None),
    };
    let receipt = request.receipt.as_ref();
    let statement = c.prepare_cached(WRITE_OFF).await?;
    let row = c
        .query_one(
            &statement,
            &[
                &id.0,
                &request.points.map_or(0, Amount::minor),
                &request.rubles.map_or(0, Amount::minor),
                &coupons,
                &made.at.as_millisecond(),
                &made.by,
                &made.principal,
                &scope,
                &key,
                &fingerprint,
                &status,
                &body,
                &receipt.map(|r| r.number.as_str()),
                &receipt.map(|r| r.total.minor()),
                &made.manager,
                &request.why.as_ref().map(|w| w.code.code()),
                &request.why.as_ref().and_then(|w| w.note.as_deref()),
            ],
        )
        .await?;
    Outcome::of(id, &row)
}

/// What the client and the cashier of `made` wrote off since the server's day began.
pub(super) async fn spent_today(
    c: &impl GenericClient,
    id: ClientId,
    made: &Made,
) -> Result<Spent, StoreError> {
    let since = limits::day_start(made.at).as_millisecond();
    let sql = "SELECT (SELECT count(*) FROM operations
                       WHERE client_id = $1 AND kind = 'write_off' AND at_ms >= $2),
                      (SELECT coalesce(-sum(l.amount), 0)::bigint FROM operations o
                       JOIN ledger l ON l.operation_id = o.id
                       WHERE o.kind = 'write_off' AND o.at_ms >= $2
                         AND o.principal IS NOT DISTINCT FROM $3
                         AND o.login IS NOT DISTINCT FROM $4)";
    let row = c
        .query_one(
            &c.prepare_cached(sql).await?,
            &[&id.0, &since, &made.principal, &made.by],
        )
        .await?;
    Ok(Spent {
        client_today: u32::try_from(row.get::<_, i64>(0)).unwrap_or(u32::MAX),
        cashier_today: Amount::from_minor(row.get(1)),
    })
}

/// Takes the cashier's lock for the rest of the transaction: the cashier-shift sum spans
/// clients, so the client's row lock alone would let two of the cashier's write-offs on two
/// clients each see the other's room.
pub(super) async fn lock_cashier(c: &impl GenericClient, made: &Made) -> Result<(), StoreError> {
    let sql = "SELECT pg_advisory_xact_lock(hashtextextended($1, 7))";
    let who = format!(
        "cashier\n{}\n{}",
        made.principal.as_deref().unwrap_or(""),
        made.by.as_deref().unwrap_or("")
    );
    c.execute(&c.prepare_cached(sql).await?, &[&who]).await?;
    Ok(())
}

/// A write-off under the point of sale's limits: in a transaction that locks the client's
/// row and the cashier, reads what they spent today, and only then writes off (by the
/// schema's function, in the same transaction), so no till can spend the same room.
async fn run_limited(
    store: &Postgres,
    id: ClientId,
    request: &WriteOff,
    made: &Made,
    keyed: Option<(&Idempotency, u16, String)>,
) -> Result<Outcome, StoreError> {
    let mut c = store.client().await?;
    let tx = c.transaction().await?;
    match lock_for_spending(&tx, id, made.at.as_millisecond()).await {
        Err(e @ StoreError::ClientNotFound(_)) => return Ok(Outcome::Refused(e)),
        other => other?,
    };
    if let Some((idem, ..)) = &keyed {
        let known = tx
            .query_opt(
                "SELECT fingerprint, status, body FROM idempotency_keys
                 WHERE scope = $1 AND key = $2",
                &[&idem.scope, &idem.key],
            )
            .await?;
        if let Some(row) = known {
            let status = u16::try_from(row.get::<_, i64>(1)).unwrap_or(500);
            return Ok(Outcome::Known(row.get(0), status, row.get(2)));
        }
    }
    lock_cashier(&tx, made).await?;
    let spent = spent_today(&tx, id, made).await?;
    if let Err(e) = limits::verdict(&made.limits, request, &spent) {
        return Ok(Outcome::Refused(e));
    }
    let outcome = run_write_off(&tx, id, request, made, keyed).await?;
    let outcome = super::codes::confirmed(&tx, outcome, made).await?;
    if matches!(outcome, Outcome::Done(_)) {
        tx.commit().await?;
    }
    Ok(outcome)
}

impl Postgres {
    /// A write-off by the schema's function alone, or under the limits when `made` has any.
    async fn outcome(
        &self,
        id: ClientId,
        request: &WriteOff,
        made: &Made,
        keyed: Option<(&Idempotency, u16, String)>,
    ) -> Result<Outcome, StoreError> {
        if made.limits.is_empty() && made.confirm.is_none() {
            let c = self.client().await?;
            run_write_off(&c, id, request, made, keyed).await
        } else {
            run_limited(self, id, request, made, keyed).await
        }
    }
}

impl Postgres {
    /// A write-off, all or nothing, under the client's row lock: the ledger ids of its
    /// balance parts.
    pub async fn write_off(
        &self,
        id: ClientId,
        request: &WriteOff,
        made: &Made,
    ) -> Result<Written, StoreError> {
        match self.outcome(id, request, made, None).await? {
            Outcome::Done(ids) => Ok(ids),
            Outcome::Refused(e) => Err(e),
            Outcome::Known(..) => Err(unknown("known without a key")),
        }
    }

    /// A write-off under an idempotency key that every instance sees: the money and the
    /// key's answer are committed together, so the money moves once. A refusal writes
    /// nothing but its answer under the key; if another instance used the key meanwhile,
    /// its answer is the one kept.
    pub async fn write_off_once(
        &self,
        id: ClientId,
        request: &WriteOff,
        made: &Made,
        idem: &Idempotency,
        answer: Answer,
    ) -> Result<Keyed, StoreError> {
        let now_ms = made.at.as_millisecond();
        self.sweep_keys(&self.client().await?, now_ms).await?;
        let (status, body) = success_template(answer);
        let keyed = Some((idem, status, body));
        let refusal = match self.outcome(id, request, made, keyed).await? {
            Outcome::Done(written) => return Ok(Keyed::Fresh(Ok(written))),
            Outcome::Known(fingerprint, status, body) => {
                return Ok(idem.known(fingerprint, status, body));
            }
            Outcome::Refused(e) => e,
        };
        self.store_refusal(idem, answer, refusal, now_ms).await
    }

    /// Puts a refusal's answer under the key (nothing else was written); if another
    /// instance used the key meanwhile, its answer is the one kept.
    pub(super) async fn store_refusal(
        &self,
        idem: &Idempotency,
        answer: Answer,
        refusal: StoreError,
        now_ms: i64,
    ) -> Result<Keyed, StoreError> {
        let c = self.client().await?;
        let (status, body) = answer(Err(&refusal));
        let store = c
            .prepare_cached(
                "INSERT INTO idempotency_keys (scope, key, fingerprint, status, body, created_ms)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope, key) DO NOTHING",
            )
            .await?;
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 6] = [
            &idem.scope,
            &idem.key,
            &idem.fingerprint,
            &i64::from(status),
            &body,
            &now_ms,
        ];
        if c.execute(&store, &params).await? == 1 {
            return Ok(Keyed::Fresh(Err(refusal)));
        }
        let row = c
            .query_opt(
                "SELECT fingerprint, status, body FROM idempotency_keys
                 WHERE scope = $1 AND key = $2",
                &[&idem.scope, &idem.key],
            )
            .await?
            .ok_or_else(|| {
                StoreError::Unavailable("the idempotency key expired meanwhile".into())
            })?;
        let status = u16::try_from(row.get::<_, i64>(1)).unwrap_or(500);
        Ok(idem.known(row.get(0), status, row.get(2)))
    }

    /// Forgets expired keys, at most once a second: often enough for keys kept two days,
    /// and it spares the other write-offs a statement.
    pub(super) async fn sweep_keys(
        &self,
        c: &impl GenericClient,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let last = self.keys_swept_ms.load(Ordering::Relaxed);
        if now_ms.saturating_sub(last) >= 1000
            && self
                .keys_swept_ms
                .compare_exchange(last, now_ms, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            let forget = c
                .prepare_cached("DELETE FROM idempotency_keys WHERE created_ms < $1")
                .await?;
            let started = std::time::Instant::now();
            let forgotten = c
                .execute(&forget, &[&(now_ms - self.key_retention_ms)])
                .await?;
            // What a sweep costs, for the soak of `scripts/bench.sh` to measure.
            if forgotten > 0 {
                tracing::debug!(
                    target: "loyalty::keys",
                    forgotten,
                    micros = started.elapsed().as_micros() as u64,
                    "expired idempotency keys swept"
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_coupon_code_of_the_schema_is_its_refusal() {
        for code in [
            "coupon_not_found",
            "coupon_redeemed",
            "coupon_expired",
            "coupon_held",
        ] {
            let refusal = coupon_refusal(code, CouponId(7)).unwrap();
            assert_eq!(refusal.code(), code);
        }
        assert!(coupon_refusal("coupon_lost", CouponId(7)).is_err());
    }
}

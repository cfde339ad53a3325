//! Operations on PostgreSQL: reading one back, reversing a write-off, what a client may
//! write off now, the shift report, and `--check`'s look at reversals (the managers' PINs
//! are in `managers`). A reversal locks its client's row, as a write-off does, and reads
//! what is left of the original only then: two reversals of one original on two instances
//! take turns, and the second sees what the first gave back. What these mean is
//! `rules::operations`.

use super::super::{Answer, Idempotency, Keyed, Made, StoreError, Written};
use super::Postgres;
use super::write_off::{lock_for_spending, spent_today};
use crate::domain::limits::Available;
use crate::domain::reversal::Operation;
use crate::domain::shift::ShiftReport;
use crate::domain::{Amount, ClientId, CouponId, OperationId, Reversal};
use crate::server::store::rules::check;
use crate::server::store::rules::limits;
use crate::server::store::rules::operations::{self, ShiftLine, Stored, Sums};
use deadpool_postgres::GenericClient;
use jiff::Timestamp;

async fn sums(c: &impl GenericClient, sql: &str, id: i64) -> Result<Sums, StoreError> {
    Ok(c.query(&c.prepare_cached(sql).await?, &[&id])
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
}

async fn ids(c: &impl GenericClient, sql: &str, id: i64) -> Result<Vec<i64>, StoreError> {
    Ok(c.query(&c.prepare_cached(sql).await?, &[&id])
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// An operation as stored, with what its reversals gave back.
async fn load(c: &impl GenericClient, id: OperationId) -> Result<Option<Operation>, StoreError> {
    let sql = "SELECT client_id, kind, at_ms, receipt_number, receipt_total, principal, login,
                      manager, reason, note, original_id, confirmed
               FROM operations WHERE id = $1";
    let Some(r) = c.query_opt(&c.prepare_cached(sql).await?, &[&id.0]).await? else {
        return Ok(None);
    };
    let row = Stored {
        client: r.get(0),
        kind: r.get(1),
        at_ms: r.get(2),
        receipt_number: r.get(3),
        receipt_total: r.get(4),
        principal: r.get(5),
        login: r.get(6),
        manager: r.get(7),
        reason: r.get(8),
        note: r.get(9),
        original: r.get(10),
        confirmed: r.get(11),
    };
    let own = sums(
        c,
        "SELECT currency, sum(amount)::bigint FROM ledger WHERE operation_id = $1
         GROUP BY currency",
        id.0,
    )
    .await?;
    let coupons = ids(
        c,
        "SELECT coupon_id FROM operation_coupons WHERE operation_id = $1 ORDER BY coupon_id",
        id.0,
    )
    .await?;
    let back = sums(
        c,
        "SELECT l.currency, sum(l.amount)::bigint FROM ledger l
         JOIN operations o ON o.id = l.operation_id
         WHERE o.original_id = $1 GROUP BY l.currency",
        id.0,
    )
    .await?;
    let coupons_back = ids(
        c,
        "SELECT c.coupon_id FROM operation_coupons c
         JOIN operations o ON o.id = c.operation_id
         WHERE o.original_id = $1 ORDER BY c.coupon_id",
        id.0,
    )
    .await?;
    operations::operation(id, row, &own, coupons, &back, coupons_back).map(Some)
}

/// The reversal in `c`'s transaction, which the caller commits: the client's row locked
/// first, then what is left of the original read and checked, then given back.
async fn apply_reversal(
    c: &impl GenericClient,
    reversal: &Reversal,
    made: &Made,
) -> Result<Written, StoreError> {
    let now_ms = made.at.as_millisecond();
    let client: Option<i64> = c
        .query_opt(
            "SELECT client_id FROM operations WHERE id = $1",
            &[&reversal.original.0],
        )
        .await?
        .map(|r| r.get(0));
    if let Some(client) = client {
        lock_for_spending(c, ClientId(client), now_ms).await?;
    }
    let original = load(c, reversal.original).await?;
    let coupon_ids: Vec<i64> = reversal.coupons.iter().map(|c| c.0).collect();
    let expiries: Vec<(CouponId, Option<i64>)> = c
        .query(
            "SELECT id, expire_ms FROM coupons WHERE id = ANY ($1)",
            &[&coupon_ids],
        )
        .await?
        .iter()
        .map(|r| (CouponId(r.get(0)), r.get(1)))
        .collect();
    operations::reversal_verdict(original.as_ref(), reversal, &expiries, now_ms)?;
    let operation: i64 = c
        .query_one(
            &c.prepare_cached(
                "INSERT INTO operations (client_id, kind, at_ms, principal, login, manager,
                                         reason, note, original_id)
                 VALUES ($1, 'reversal', $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .await?,
            &[
                &reversal.client.0,
                &now_ms,
                &made.principal,
                &made.by,
                &made.manager,
                &reversal.why.code.code(),
                &reversal.why.note,
                &reversal.original.0,
            ],
        )
        .await?
        .get(0);
    if !coupon_ids.is_empty() {
        c.execute(
            "UPDATE coupons SET redeemed_ms = NULL WHERE id = ANY ($1)",
            &[&coupon_ids],
        )
        .await?;
        c.execute(
            "INSERT INTO operation_coupons (operation_id, coupon_id)
             SELECT $1, unnest($2::bigint[])",
            &[&operation, &coupon_ids],
        )
        .await?;
    }
    let mut ledger = Vec::new();
    for (currency, amount) in reversal.balance_parts() {
        let id: i64 = c
            .query_one(
                &c.prepare_cached(
                    "INSERT INTO ledger (client_id, currency, amount, at_ms, kind, login,
                                         principal, operation_id)
                     VALUES ($1, $2, $3, $4, 'reversal', $5, $6, $7) RETURNING id",
                )
                .await?,
                &[
                    &reversal.client.0,
                    &currency.code(),
                    &amount.minor(),
                    &now_ms,
                    &made.by,
                    &made.principal,
                    &operation,
                ],
            )
            .await?
            .get(0);
        ledger.push(id);
    }
    Ok(Written {
        operation: OperationId(operation),
        ledger,
    })
}

impl Postgres {
    pub async fn operation(&self, id: OperationId) -> Result<Option<Operation>, StoreError> {
        load(&self.client().await?, id).await
    }

    /// Gives back all or part of a write-off, in one transaction.
    pub async fn reverse(&self, reversal: &Reversal, made: &Made) -> Result<Written, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let written = apply_reversal(&tx, reversal, made).await?;
        tx.commit().await?;
        Ok(written)
    }

    /// A reversal under an idempotency key every instance sees: the key is looked up under
    /// the client's lock and claimed with the answer in the reversal's transaction, so the
    /// money moves once; a refusal writes nothing but its answer under the key.
    pub async fn reverse_once(
        &self,
        reversal: &Reversal,
        made: &Made,
        idem: &Idempotency,
        answer: Answer,
    ) -> Result<Keyed, StoreError> {
        let now_ms = made.at.as_millisecond();
        let refusal = {
            let mut c = self.client().await?;
            self.sweep_keys(&c, now_ms).await?;
            let tx = c.transaction().await?;
            let known = "SELECT fingerprint, status, body FROM idempotency_keys
                         WHERE scope = $1 AND key = $2";
            if let Some(row) = tx.query_opt(known, &[&idem.scope, &idem.key]).await? {
                let status = u16::try_from(row.get::<_, i64>(1)).unwrap_or(500);
                return Ok(idem.known(row.get(0), status, row.get(2)));
            }
            match apply_reversal(&tx, reversal, made).await {
                Ok(written) => {
                    let (status, body) = answer(Ok(written.operation));
                    let claimed = tx
                        .execute(
                            "INSERT INTO idempotency_keys
                                 (scope, key, fingerprint, status, body, created_ms)
                             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope, key) DO NOTHING",
                            &[
                                &idem.scope,
                                &idem.key,
                                &idem.fingerprint,
                                &i64::from(status),
                                &body,
                                &now_ms,
                            ],
                        )
                        .await?;
                    if claimed == 1 {
                        tx.commit().await?;
                        return Ok(Keyed::Fresh(Ok(written)));
                    }
                    // Another instance claimed the key meanwhile: this reversal is undone
                    // (the transaction is dropped) and the other's answer stands.
                    let row = tx.query_one(known, &[&idem.scope, &idem.key]).await?;
                    let status = u16::try_from(row.get::<_, i64>(1)).unwrap_or(500);
                    return Ok(idem.known(row.get(0), status, row.get(2)));
                }
                Err(e @ StoreError::Refused(_)) => e,
                Err(other) => return Err(other),
            }
        };
        self.store_refusal(idem, answer, refusal, now_ms).await
    }

    /// What `client` may write off now under `made`'s limits.
    pub async fn available(
        &self,
        client: ClientId,
        receipt_total: Option<Amount>,
        made: &Made,
    ) -> Result<Available, StoreError> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                "SELECT spendable(id, 'points', $2), spendable(id, 'rubles', $2)
                 FROM clients WHERE id = $1",
                &[&client.0, &made.at.as_millisecond()],
            )
            .await?
            .ok_or(StoreError::ClientNotFound(client.0))?;
        let spendable = crate::domain::Balances {
            points: Amount::from_minor(row.get(0)),
            rubles: Amount::from_minor(row.get(1)),
        };
        let spent = spent_today(&c, client, made).await?;
        Ok(limits::available(
            &made.limits,
            spendable,
            receipt_total,
            &spent,
        ))
    }

    pub async fn shift_report(&self, since: Timestamp) -> Result<ShiftReport, StoreError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT o.principal, o.login, o.kind, o.manager,
                        coalesce((SELECT sum(amount) FROM ledger
                                  WHERE operation_id = o.id AND currency = 'points'), 0)::bigint,
                        coalesce((SELECT sum(amount) FROM ledger
                                  WHERE operation_id = o.id AND currency = 'rubles'), 0)::bigint,
                        (SELECT count(*) FROM operation_coupons WHERE operation_id = o.id),
                        o.id, o.at_ms, o.confirmed
                 FROM operations o WHERE o.at_ms >= $1 ORDER BY o.id",
                &[&since.as_millisecond()],
            )
            .await?;
        let lines = rows
            .iter()
            .map(|r| ShiftLine {
                principal: r.get(0),
                login: r.get(1),
                kind: r.get(2),
                manager: r.get(3),
                points: r.get(4),
                rubles: r.get(5),
                coupons: r.get(6),
                id: r.get(7),
                at_ms: r.get(8),
                confirmed: r.get(9),
            })
            .collect();
        Ok(operations::shift_report(since, lines))
    }

    /// `--check`: write-offs given back more than they took in a currency, and coupons
    /// given back that their original did not redeem, or twice.
    pub(super) async fn over_reversed(
        &self,
        c: &impl GenericClient,
    ) -> Result<Vec<String>, StoreError> {
        let mut found: Vec<String> = c
            .query(
                "SELECT ro.original_id, r.currency, sum(r.amount)::bigint AS back,
                        coalesce((SELECT -sum(w.amount) FROM ledger w
                                  WHERE w.operation_id = ro.original_id
                                    AND w.currency = r.currency), 0)::bigint AS taken
                 FROM ledger r JOIN operations ro ON ro.id = r.operation_id
                 WHERE ro.kind = 'reversal'
                 GROUP BY ro.original_id, r.currency
                 HAVING sum(r.amount) > coalesce((SELECT -sum(w.amount) FROM ledger w
                                                  WHERE w.operation_id = ro.original_id
                                                    AND w.currency = r.currency), 0)
                 ORDER BY ro.original_id, r.currency",
                &[],
            )
            .await?
            .iter()
            .map(|r| check::over_sentence(r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect();
        let coupons = c
            .query(
                "SELECT ro.original_id, c.coupon_id, count(*) FROM operation_coupons c
                 JOIN operations ro ON ro.id = c.operation_id
                 WHERE ro.kind = 'reversal'
                 GROUP BY ro.original_id, c.coupon_id
                 HAVING count(*) > 1 OR NOT EXISTS (
                     SELECT 1 FROM operation_coupons w
                     WHERE w.operation_id = ro.original_id AND w.coupon_id = c.coupon_id)
                 ORDER BY ro.original_id, c.coupon_id",
                &[],
            )
            .await?;
        found.extend(
            coupons
                .iter()
                .map(|r| check::coupon_sentence(r.get(0), CouponId(r.get(1)), r.get(2))),
        );
        Ok(found)
    }
}

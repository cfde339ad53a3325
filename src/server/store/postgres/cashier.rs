//! What a till does: find a client, read balances, coupons and history, write off.

use super::super::{
    CouponRow, Idempotency, KEY_RETENTION_MS, Keyed, Made, Pattern, Refusal, StoreError,
    coupon_verdict, facade::Answer, search_sql,
};
use super::{Postgres, big};
use crate::domain::{
    Amount, Balances, Client, ClientId, Coupon, CouponId, Currency, HistoryEntry, HistoryQuery,
    WriteOff,
};
use crate::wire::ext::{currency_from_wire, currency_to_wire};
use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use std::sync::atomic::Ordering;
use tokio_postgres::types::ToSql;

/// One pattern as PostgreSQL over the normalised column and its reverse. The columns'
/// `text_pattern_ops` indexes serve `=` and LIKE with a fixed prefix, whatever the
/// database's collation; so prefixes and suffixes are LIKE prefixes here.
fn pattern_clause(column: &str, reversed: &str, pattern: &str, args: &mut Vec<String>) -> String {
    let (col, like) = match Pattern::of(pattern) {
        Pattern::Present => return format!("{column} IS NOT NULL"),
        Pattern::Exact(key) => {
            args.push(key);
            return format!("{column} = ${}", args.len());
        }
        Pattern::Like(like) => (column, like),
        Pattern::Prefix(key) => (column, format!("{}%", super::super::like_literal(&key))),
        Pattern::Suffix(key) => (reversed, format!("{}%", super::super::like_literal(&key))),
    };
    args.push(like);
    format!("{col} LIKE ${} ESCAPE '\\'", args.len())
}

async fn require_client(c: &impl GenericClient, id: ClientId) -> Result<(), StoreError> {
    let sql = "SELECT id FROM clients WHERE id = $1";
    match c.query_opt(&c.prepare_cached(sql).await?, &[&id.0]).await? {
        Some(_) => Ok(()),
        None => Err(StoreError::ClientNotFound(id.0)),
    }
}

async fn balances_of(c: &impl GenericClient, id: ClientId) -> Result<Balances, StoreError> {
    let mut result = Balances::default();
    let sql = "SELECT currency, amount FROM balances WHERE client_id = $1";
    for row in c.query(&c.prepare_cached(sql).await?, &[&id.0]).await? {
        let amount = Amount::from_minor(row.get(1));
        match currency_from_wire(row.get(0)) {
            Ok(Currency::Points) => result.points = amount,
            Ok(Currency::Rubles) => result.rubles = amount,
            Err(_) => {}
        }
    }
    Ok(result)
}

/// What a client may spend now: their balances less what open holds reserve, in
/// hundredths, with the client's row locked for the transaction. Every money movement of
/// this client waits on that lock for the one before it, on any instance. The amounts are
/// read by a statement of their own, after the lock is granted: a statement sees the
/// database as it was when the statement began, so read with the lock they would be those
/// from before the movement waited for. Balances and holds in one statement where there
/// were three: each round trip cost the till more than the database's work.
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
    let spendable = "SELECT
           coalesce((SELECT amount FROM balances WHERE client_id = $1 AND currency = 'points'), 0)
         - (SELECT coalesce(sum(amount), 0)::bigint FROM holds WHERE client_id = $1
              AND currency = 'points' AND state = 'held' AND expires_ms > $2),
           coalesce((SELECT amount FROM balances WHERE client_id = $1 AND currency = 'rubles'), 0)
         - (SELECT coalesce(sum(amount), 0)::bigint FROM holds WHERE client_id = $1
              AND currency = 'rubles' AND state = 'held' AND expires_ms > $2)";
    let row = c
        .query_one(&c.prepare_cached(spendable).await?, &[&id.0, &now_ms])
        .await?;
    Ok(Balances {
        points: Amount::from_minor(row.get(0)),
        rubles: Amount::from_minor(row.get(1)),
    })
}

/// As the SQLite store's `check_coupon`: the client's, unspent, unexpired and not held.
pub(super) async fn check_coupon(
    c: &impl GenericClient,
    client: ClientId,
    coupon: CouponId,
    now_ms: i64,
) -> Result<(), StoreError> {
    let row: Option<CouponRow> = c
        .query_opt(
            "SELECT client_id, expire_ms, redeemed_ms FROM coupons WHERE id = $1",
            &[&coupon.0],
        )
        .await?
        .map(|r| (r.get(0), r.get(1), r.get(2)));
    coupon_verdict(client, coupon, row, now_ms)?;
    let held: bool = c
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM hold_coupons c JOIN holds h USING (transaction_id)
                            WHERE c.coupon_id = $1 AND h.state = 'held' AND h.expires_ms > $2)",
            &[&coupon.0, &now_ms],
        )
        .await?
        .get(0);
    if held {
        return Err(StoreError::Refused(Refusal::CouponHeld(coupon.0)));
    }
    Ok(())
}

/// The write-off itself, inside a transaction the caller commits.
async fn apply_write_off(
    tx: &impl GenericClient,
    id: ClientId,
    request: &WriteOff,
    made: &Made,
) -> Result<Vec<i64>, StoreError> {
    let now_ms = made.at.as_millisecond();
    let spendable = lock_for_spending(tx, id, now_ms).await?;
    for (currency, amount) in request.balance_parts() {
        let available = spendable.get(currency);
        if amount > available {
            return Err(StoreError::Refused(Refusal::Insufficient {
                currency: currency_to_wire(currency),
                available,
                requested: amount,
            }));
        }
    }
    // Every refusal comes before anything is written, so a refused write-off needs nothing
    // undone (and no savepoint around it). A coupon given twice is spent by the first.
    for (n, coupon) in request.coupons.iter().enumerate() {
        if request.coupons[..n].contains(coupon) {
            return Err(StoreError::Refused(Refusal::CouponRedeemed(coupon.0)));
        }
        check_coupon(tx, id, *coupon, now_ms).await?;
    }
    for coupon in &request.coupons {
        tx.execute(
            "UPDATE coupons SET redeemed_ms = $1 WHERE id = $2 AND redeemed_ms IS NULL",
            &[&now_ms, &coupon.0],
        )
        .await?;
    }
    let mut ledger_ids = Vec::new();
    for (currency, amount) in request.balance_parts() {
        let insert = tx
            .prepare_cached(
                "INSERT INTO ledger (client_id, currency, amount, at_ms, kind, login, principal)
                 VALUES ($1, $2, $3, $4, 'write_off', $5, $6) RETURNING id",
            )
            .await?;
        let row = tx
            .query_one(
                &insert,
                &[
                    &id.0,
                    &currency_to_wire(currency),
                    &-amount.minor(),
                    &now_ms,
                    &made.by,
                    &made.principal,
                ],
            )
            .await?;
        ledger_ids.push(row.get(0));
    }
    Ok(ledger_ids)
}

impl Postgres {
    pub async fn search_clients(
        &self,
        phone: Option<&str>,
        email: Option<&str>,
    ) -> Result<Vec<Client>, StoreError> {
        let (sql, args) = search_sql(phone, email, pattern_clause);
        let params: Vec<&(dyn ToSql + Sync)> =
            args.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
        let c = self.client().await?;
        let rows = c.query(&c.prepare_cached(&sql).await?, &params).await?;
        Ok(rows
            .iter()
            .map(|r| Client {
                id: ClientId(r.get(0)),
                name: r.get(1),
                phone: r.get(2),
                email: r.get(3),
            })
            .collect())
    }

    pub async fn balances(&self, id: ClientId) -> Result<Balances, StoreError> {
        let c = self.client().await?;
        require_client(&c, id).await?;
        balances_of(&c, id).await
    }

    pub async fn coupons(&self, id: ClientId) -> Result<Vec<Coupon>, StoreError> {
        let c = self.client().await?;
        require_client(&c, id).await?;
        let rows = c
            .query(
                "SELECT id, title, expire_ms FROM coupons
                 WHERE client_id = $1 AND redeemed_ms IS NULL
                 ORDER BY expire_ms IS NULL, expire_ms, id",
                &[&id.0],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| Coupon {
                id: CouponId(r.get(0)),
                title: r.get(1),
                expires_at: r
                    .get::<_, Option<i64>>(2)
                    .and_then(|ms| Timestamp::from_millisecond(ms).ok()),
            })
            .collect())
    }

    pub async fn history(
        &self,
        id: ClientId,
        query: &HistoryQuery,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let c = self.client().await?;
        require_client(&c, id).await?;
        let from = query.from.map_or(i64::MIN, |t| t.as_millisecond());
        let to = query.to.map_or(i64::MAX, |t| t.as_millisecond());
        let rows = c
            .query(
                "SELECT id, currency, amount, at_ms FROM ledger
                 WHERE client_id = $1 AND at_ms >= $2 AND at_ms <= $3
                 ORDER BY at_ms DESC, id DESC LIMIT $4 OFFSET $5",
                &[&id.0, &from, &to, &big(query.limit), &big(query.offset)],
            )
            .await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some(HistoryEntry {
                    currency: currency_from_wire(r.get(1)).ok()?,
                    amount: Amount::from_minor(r.get(2)),
                    at: Timestamp::from_millisecond(r.get(3)).unwrap_or(Timestamp::UNIX_EPOCH),
                    transaction_id: r.get::<_, i64>(0).to_string(),
                })
            })
            .collect())
    }

    /// A write-off as one transaction under the client's row lock: every part goes through,
    /// or nothing does.
    pub async fn write_off(
        &self,
        id: ClientId,
        request: &WriteOff,
        made: &Made,
    ) -> Result<Vec<i64>, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let ids = apply_write_off(&tx, id, request, made).await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// A write-off under an idempotency key that every instance sees. The key's row is
    /// claimed first: a second instance with the same key waits on that row until the first
    /// commits, then reads its stored answer, so the money moves once.
    pub async fn write_off_once(
        &self,
        id: ClientId,
        request: &WriteOff,
        made: &Made,
        idem: &Idempotency,
        answer: Answer,
    ) -> Result<Keyed, StoreError> {
        let mut c = self.client().await?;
        let now_ms = made.at.as_millisecond();
        // Outside the write-off's transaction: old keys go without holding its locks. Once
        // a second is often enough for keys kept two days, and spares the other write-offs
        // a statement.
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
            c.execute(&forget, &[&(now_ms - KEY_RETENTION_MS)]).await?;
        }
        let tx = c.transaction().await?;
        let claim = tx
            .prepare_cached(
                "INSERT INTO idempotency_keys (scope, key, fingerprint, status, body, created_ms)
                 VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (scope, key) DO NOTHING",
            )
            .await?;
        let claimed = tx
            .execute(
                &claim,
                &[&idem.scope, &idem.key, &idem.fingerprint, &now_ms],
            )
            .await?
            == 1;
        if !claimed {
            let row = tx
                .query_opt(
                    "SELECT fingerprint, status, body FROM idempotency_keys
                     WHERE scope = $1 AND key = $2",
                    &[&idem.scope, &idem.key],
                )
                .await?
                .ok_or_else(|| {
                    StoreError::Unavailable("the idempotency key expired meanwhile".into())
                })?;
            let fingerprint: String = row.get(0);
            return Ok(if fingerprint == idem.fingerprint {
                Keyed::Replay {
                    status: u16::try_from(row.get::<_, i64>(1)).unwrap_or(500),
                    body: row.get(2),
                }
            } else {
                Keyed::Mismatch
            });
        }
        // A refusal leaves no trace but its stored answer: `apply_write_off` refuses before
        // it writes anything. Any other failure rolls the key's claim back with the rest.
        let outcome = match apply_write_off(&tx, id, request, made).await {
            Err(e) if !matches!(e, StoreError::Refused(_) | StoreError::ClientNotFound(_)) => {
                return Err(e);
            }
            outcome => outcome,
        };
        let (status, body) = answer(&outcome);
        let store_answer = tx
            .prepare_cached(
                "UPDATE idempotency_keys SET status = $3, body = $4 WHERE scope = $1 AND key = $2",
            )
            .await?;
        tx.execute(
            &store_answer,
            &[&idem.scope, &idem.key, &i64::from(status), &body],
        )
        .await?;
        tx.commit().await?;
        Ok(Keyed::Fresh(outcome))
    }
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
    fn patterns_become_indexable_prefixes() {
        assert_eq!(clause("79123456789").0, "c = $1");
        assert_eq!(
            clause("%5678"),
            ("r LIKE $1 ESCAPE '\\'".into(), vec!["8765%".into()])
        );
        assert_eq!(
            clause("7912%"),
            ("c LIKE $1 ESCAPE '\\'".into(), vec!["7912%".into()])
        );
        assert_eq!(clause("a_b%").1, vec!["a\\_b%".to_string()]);
        assert_eq!(clause("%").0, "c IS NOT NULL");
        assert_eq!(clause("%a_b%").1[0], "%a\\_b%");
    }
}

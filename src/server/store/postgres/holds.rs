//! The fiscal hub's holds on PostgreSQL (their rules are `rules::holds`): reserve, spend, release, refund, each step
//! only by the hold's own principal or an admin. A hold's row is locked while its state
//! changes, so two instances cannot spend it twice.

use super::super::{Made, Refusal, StoreError};
use super::Postgres;
use super::write_off::{check_coupon, lock_for_spending};
use crate::domain::{Amount, ClientId, CouponId, Currency};
use crate::server::store::rules::holds::{
    Found, HOLD_TTL_MS, Hold, Reach, may_cancel, may_hold, may_refund, may_step, may_write_off,
    order_item,
};
use crate::server::store::rules::spending::may_spend;
use tokio_postgres::Transaction;

/// The hold `transaction_id`, locked for the transaction, once `made`'s caller may step it.
async fn find(
    tx: &Transaction<'_>,
    transaction_id: &str,
    made: &Made,
    reach: Reach,
) -> Result<Found, StoreError> {
    let found = tx
        .query_opt(
            "SELECT client_id, currency, amount, state, expires_ms, principal FROM holds
             WHERE transaction_id = $1 FOR UPDATE",
            &[&transaction_id],
        )
        .await?
        .map(|r| Found {
            client: r.get(0),
            currency: r.get(1),
            amount: r.get(2),
            state: r.get(3),
            expires_ms: r.get(4),
            principal: r.get(5),
        })
        .ok_or_else(|| StoreError::Refused(Refusal::HoldNotFound(transaction_id.to_string())))?;
    may_step(transaction_id, &found, made, reach)?;
    Ok(found)
}

/// The hold's ledger row, if it moves anything: its id.
async fn ledger(
    tx: &Transaction<'_>,
    row: &Found,
    amount: i64,
    kind: &str,
    made: &Made,
) -> Result<Option<i64>, StoreError> {
    if amount != 0 {
        let id = tx
            .query_one(
                "INSERT INTO ledger (client_id, currency, amount, at_ms, kind, login, principal)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                &[
                    &row.client,
                    &row.currency,
                    &amount,
                    &made.at.as_millisecond(),
                    &kind,
                    &made.by,
                    &made.principal,
                ],
            )
            .await?
            .get(0);
        return Ok(Some(id));
    }
    Ok(None)
}

impl Postgres {
    #[allow(clippy::too_many_arguments)]
    pub async fn hold(
        &self,
        client: ClientId,
        currency: Currency,
        amount: Amount,
        coupons: &[CouponId],
        made: &Made,
        transaction_id: String,
        order_id: Option<String>,
    ) -> Result<Hold, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let now_ms = made.at.as_millisecond();
        let available = lock_for_spending(&tx, client, now_ms)
            .await?
            .get(currency)
            .minor();
        may_hold(currency, available, amount)?;
        for coupon in coupons {
            check_coupon(&tx, client, *coupon, now_ms).await?;
        }
        let expires_ms = now_ms + HOLD_TTL_MS;
        let id: i64 = tx
            .query_one(
                "INSERT INTO holds (transaction_id, client_id, currency, amount, created_ms,
                                    expires_ms, state, login, principal, order_id)
                 VALUES ($1, $2, $3, $4, $5, $6, 'held', $7, $8, $9) RETURNING id",
                &[
                    &transaction_id,
                    &client.0,
                    &currency.code(),
                    &amount.minor(),
                    &now_ms,
                    &expires_ms,
                    &made.by,
                    &made.principal,
                    &order_id,
                ],
            )
            .await?
            .get(0);
        for coupon in coupons {
            tx.execute(
                "INSERT INTO hold_coupons (transaction_id, coupon_id) VALUES ($1, $2)",
                &[&transaction_id, &coupon.0],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Hold {
            id,
            transaction_id,
            client,
            currency,
            amount,
            created_ms: now_ms,
            expires_ms,
            order_id,
        })
    }

    pub async fn hold_write_off(
        &self,
        transaction_id: &str,
        fiscal_order_id: Option<&str>,
        made: &Made,
        reach: Reach,
    ) -> Result<(), StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let row = find(&tx, transaction_id, made, reach).await?;
        let now_ms = made.at.as_millisecond();
        if !may_write_off(transaction_id, &row.state, row.expires_ms, now_ms)? {
            return Ok(());
        }
        // The hold reserved from what was spendable then; lots may have expired since
        // (what `spendable` answers already leaves this hold's own amount out).
        if let Some(currency) = Currency::from_code(&row.currency) {
            let client = ClientId(row.client);
            let spendable = lock_for_spending(&tx, client, now_ms).await?.get(currency);
            let own = Amount::from_minor(row.amount);
            may_spend(currency, spendable.minor() + row.amount, own)?;
        }
        if let Some(ledger) = ledger(&tx, &row, -row.amount, "write_off", made).await? {
            tx.execute(
                "INSERT INTO hold_spends (transaction_id, ledger_id) VALUES ($1, $2)",
                &[&transaction_id, &ledger],
            )
            .await?;
        }
        tx.execute(
            "UPDATE coupons SET redeemed_ms = $1 WHERE redeemed_ms IS NULL
             AND id IN (SELECT coupon_id FROM hold_coupons WHERE transaction_id = $2)",
            &[&made.at.as_millisecond(), &transaction_id],
        )
        .await?;
        tx.execute(
            "UPDATE holds SET state = 'written_off', fiscal_order_id = $2
             WHERE transaction_id = $1",
            &[&transaction_id, &fiscal_order_id],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn hold_cancel(
        &self,
        transaction_id: &str,
        made: &Made,
        reach: Reach,
    ) -> Result<(), StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let row = find(&tx, transaction_id, made, reach).await?;
        if !may_cancel(transaction_id, &row.state)? {
            return Ok(());
        }
        tx.execute(
            "UPDATE holds SET state = 'cancelled' WHERE transaction_id = $1",
            &[&transaction_id],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn hold_refund(
        &self,
        transaction_id: &str,
        made: &Made,
        reach: Reach,
    ) -> Result<(), StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let row = find(&tx, transaction_id, made, reach).await?;
        refund_found(&tx, transaction_id, &row, made).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The document's order-item refund (see `sqlite/holds.rs`'s `refund_items`): every hold named by
    /// its `id`, or none.
    pub async fn hold_refund_items(
        &self,
        items: &[i64],
        made: &Made,
        reach: Reach,
    ) -> Result<(), StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        for item in items {
            let transaction_id: String = tx
                .query_opt("SELECT transaction_id FROM holds WHERE id = $1", &[item])
                .await?
                .map(|r| r.get(0))
                .ok_or_else(|| StoreError::Refused(Refusal::HoldNotFound(order_item(*item))))?;
            let row = find(&tx, &transaction_id, made, reach).await?;
            refund_found(&tx, &transaction_id, &row, made).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Refunds the locked hold `row` unless it already was; refuses one not written off.
async fn refund_found(
    tx: &Transaction<'_>,
    transaction_id: &str,
    row: &Found,
    made: &Made,
) -> Result<(), StoreError> {
    if !may_refund(transaction_id, &row.state)? {
        return Ok(());
    }
    // Given back into the lots the hold's write-off took from.
    if let Some(ledger) = ledger(tx, row, row.amount, "refund", made).await? {
        tx.execute(
            "SELECT lots_give_back($1, ARRAY(SELECT ledger_id FROM hold_spends
                                             WHERE transaction_id = $2))",
            &[&ledger, &transaction_id],
        )
        .await?;
    }
    tx.execute(
        "UPDATE coupons SET redeemed_ms = NULL
         WHERE id IN (SELECT coupon_id FROM hold_coupons WHERE transaction_id = $1)",
        &[&transaction_id],
    )
    .await?;
    tx.execute(
        "UPDATE holds SET state = 'refunded', refunded_by = $2, refunded_ms = $3,
                          refunded_login = $4
         WHERE transaction_id = $1",
        &[
            &transaction_id,
            &made.principal,
            &made.at.as_millisecond(),
            &made.by,
        ],
    )
    .await?;
    Ok(())
}

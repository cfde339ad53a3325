//! The fiscal hub's holds (see `server::holds`): reserve, spend, release, refund. A hold's
//! row is locked while its state changes, so two instances cannot spend it twice.

use super::super::{Made, Refusal, StoreError};
use super::Postgres;
use super::write_off::{check_coupon, lock_for_spending};
use crate::domain::{Amount, ClientId, CouponId, Currency};
use crate::server::holds::{HOLD_TTL_MS, Hold, may_cancel, may_refund, may_write_off};
use crate::wire::ext::currency_to_wire;
use tokio_postgres::Transaction;

/// A hold's `(client, currency, amount, state, expires_ms)`, locked for the transaction.
type Row = (i64, String, i64, String, i64);

async fn find(tx: &Transaction<'_>, transaction_id: &str) -> Result<Row, StoreError> {
    tx.query_opt(
        "SELECT client_id, currency, amount, state, expires_ms FROM holds
         WHERE transaction_id = $1 FOR UPDATE",
        &[&transaction_id],
    )
    .await?
    .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
    .ok_or_else(|| StoreError::Refused(Refusal::HoldNotFound(transaction_id.to_string())))
}

async fn ledger(
    tx: &Transaction<'_>,
    row: &Row,
    amount: i64,
    kind: &str,
    made: &Made,
) -> Result<(), StoreError> {
    if amount != 0 {
        tx.execute(
            "INSERT INTO ledger (client_id, currency, amount, at_ms, kind, login, principal)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &row.0,
                &row.1,
                &amount,
                &made.at.as_millisecond(),
                &kind,
                &made.by,
                &made.principal,
            ],
        )
        .await?;
    }
    Ok(())
}

impl Postgres {
    pub async fn hold(
        &self,
        client: ClientId,
        currency: Currency,
        amount: Amount,
        coupons: &[CouponId],
        made: &Made,
        transaction_id: String,
    ) -> Result<Hold, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let now_ms = made.at.as_millisecond();
        let available = lock_for_spending(&tx, client, now_ms)
            .await?
            .get(currency)
            .minor();
        if amount.minor() > available {
            return Err(StoreError::Refused(Refusal::Insufficient {
                currency: currency_to_wire(currency),
                available: Amount::from_minor(available.max(0)),
                requested: amount,
            }));
        }
        for coupon in coupons {
            check_coupon(&tx, client, *coupon, now_ms).await?;
        }
        let expires_ms = now_ms + HOLD_TTL_MS;
        tx.execute(
            "INSERT INTO holds (transaction_id, client_id, currency, amount, created_ms,
                                expires_ms, state, login)
             VALUES ($1, $2, $3, $4, $5, $6, 'held', $7)",
            &[
                &transaction_id,
                &client.0,
                &currency_to_wire(currency),
                &amount.minor(),
                &now_ms,
                &expires_ms,
                &made.by,
            ],
        )
        .await?;
        for coupon in coupons {
            tx.execute(
                "INSERT INTO hold_coupons (transaction_id, coupon_id) VALUES ($1, $2)",
                &[&transaction_id, &coupon.0],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Hold {
            transaction_id,
            client,
            currency,
            amount,
            created_ms: now_ms,
            expires_ms,
        })
    }

    pub async fn hold_write_off(
        &self,
        transaction_id: &str,
        fiscal_order_id: Option<&str>,
        made: &Made,
    ) -> Result<(), StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let row = find(&tx, transaction_id).await?;
        if !may_write_off(transaction_id, &row.3, row.4, made.at.as_millisecond())? {
            return Ok(());
        }
        ledger(&tx, &row, -row.2, "write_off", made).await?;
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

    pub async fn hold_cancel(&self, transaction_id: &str) -> Result<(), StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let row = find(&tx, transaction_id).await?;
        if !may_cancel(transaction_id, &row.3)? {
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

    pub async fn hold_refund(&self, transaction_id: &str, made: &Made) -> Result<(), StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let row = find(&tx, transaction_id).await?;
        if !may_refund(transaction_id, &row.3)? {
            return Ok(());
        }
        ledger(&tx, &row, row.2, "refund", made).await?;
        tx.execute(
            "UPDATE coupons SET redeemed_ms = NULL
             WHERE id IN (SELECT coupon_id FROM hold_coupons WHERE transaction_id = $1)",
            &[&transaction_id],
        )
        .await?;
        tx.execute(
            "UPDATE holds SET state = 'refunded' WHERE transaction_id = $1",
            &[&transaction_id],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

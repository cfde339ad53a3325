//! Lots on PostgreSQL (their rules are `rules::lots`; spending, giving back and expiring
//! are the schema's own, `assets/postgres/007_lots.sql`): what is spendable now, the sweep,
//! dated accruals, the outlook's rows and `--check`'s look at lots.

use super::Postgres;
use crate::domain::{Amount, Balances, ClientId, Currency};
use crate::server::store::StoreError;
use crate::server::store::rules::lots::{BadLot, LotMismatch, LotRow};
use crate::server::store::rules::spending::Made;
use deadpool_postgres::GenericClient;

impl Postgres {
    /// What `id` may spend at `now_ms`: its active, unexpired lots (holds not taken off).
    pub async fn balances_at(&self, id: ClientId, now_ms: i64) -> Result<Balances, StoreError> {
        let c = self.client().await?;
        require(&c, id).await?;
        let mut out = Balances::default();
        let sql = "SELECT currency, sum(remaining)::bigint FROM lots
                   WHERE client_id = $1 AND remaining > 0 AND active_from_ms <= $2
                     AND (expires_ms IS NULL OR expires_ms > $2)
                   GROUP BY currency";
        for row in c
            .query(&c.prepare_cached(sql).await?, &[&id.0, &now_ms])
            .await?
        {
            let amount = Amount::from_minor(row.get(1));
            match Currency::from_code(row.get(0)) {
                Some(Currency::Points) => out.points = amount,
                Some(Currency::Rubles) => out.rubles = amount,
                None => {}
            }
        }
        Ok(out)
    }

    /// Expired lots' remainders out of their balances, each by a ledger row; how many.
    pub async fn expire_lots(&self, now_ms: i64) -> Result<usize, StoreError> {
        let c = self.client().await?;
        let n: i64 = c
            .query_one("SELECT expire_lots($1)", &[&now_ms])
            .await?
            .get(0);
        Ok(n as usize)
    }

    /// An accrual of `amount` as a lot spendable from `active_from_ms` until `expires_ms`:
    /// its ledger row (whose trigger makes the lot), then the lot's dates.
    pub async fn accrue(
        &self,
        id: ClientId,
        currency: Currency,
        amount: Amount,
        active_from_ms: i64,
        expires_ms: Option<i64>,
        made: &Made,
    ) -> Result<i64, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        require(&tx, id).await?;
        let ledger: i64 = tx
            .query_one(
                "INSERT INTO ledger (client_id, currency, amount, at_ms, kind, login, principal)
                 VALUES ($1, $2, $3, $4, 'accrual', $5, $6) RETURNING id",
                &[
                    &id.0,
                    &currency.code(),
                    &amount.minor(),
                    &made.at.as_millisecond(),
                    &made.by,
                    &made.principal,
                ],
            )
            .await?
            .get(0);
        tx.execute(
            "UPDATE lots SET active_from_ms = $2, expires_ms = $3 WHERE ledger_id = $1",
            &[&ledger, &active_from_ms, &expires_ms],
        )
        .await?;
        tx.commit().await?;
        Ok(ledger)
    }

    /// The client's lots with something left, for the outlook.
    pub async fn lots(&self, id: ClientId) -> Result<Vec<LotRow>, StoreError> {
        let c = self.client().await?;
        require(&c, id).await?;
        let sql = "SELECT currency, remaining, active_from_ms, expires_ms FROM lots
                   WHERE client_id = $1 AND remaining > 0";
        Ok(c.query(&c.prepare_cached(sql).await?, &[&id.0])
            .await?
            .iter()
            .filter_map(|r| {
                Some(LotRow {
                    currency: Currency::from_code(r.get(0))?,
                    remaining: r.get(1),
                    active_from_ms: r.get(2),
                    expires_ms: r.get(3),
                })
            })
            .collect())
    }
}

async fn require(c: &impl GenericClient, id: ClientId) -> Result<(), StoreError> {
    let sql = "SELECT id FROM clients WHERE id = $1";
    match c.query_opt(&c.prepare_cached(sql).await?, &[&id.0]).await? {
        Some(_) => Ok(()),
        None => Err(StoreError::ClientNotFound(id.0)),
    }
}

/// `--check` on lots: balances their lots do not add up to, and lots whose remaining is out
/// of bounds or disagrees with their spends.
pub(super) async fn check_lots(
    c: &impl GenericClient,
) -> Result<(Vec<LotMismatch>, Vec<BadLot>), StoreError> {
    let mismatches = c
        .query(
            "SELECT client_id, currency, sum(balance)::bigint, sum(lots)::bigint FROM (
                 SELECT client_id, currency, amount AS balance, 0 AS lots FROM balances
                 UNION ALL
                 SELECT client_id, currency, 0, remaining FROM lots
             ) AS held GROUP BY client_id, currency HAVING sum(balance) <> sum(lots)
             ORDER BY client_id, currency",
            &[],
        )
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    let bad = c
        .query(
            // One grouped scan of the spends: no index holds them by lot (012).
            "SELECT id, amount, remaining, spent FROM (
                 SELECT l.id, l.amount, l.remaining, coalesce(s.spent, 0)::bigint AS spent
                 FROM lots l
                 LEFT JOIN (SELECT lot_id, sum(amount) AS spent FROM lot_spends GROUP BY lot_id) s
                     ON s.lot_id = l.id
             ) AS lot
             WHERE remaining < 0 OR remaining > amount OR spent > amount
                OR amount - spent <> remaining
             ORDER BY id",
            &[],
        )
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    Ok((mismatches, bad))
}

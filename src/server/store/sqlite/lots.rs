//! Lots on SQLite (their rules are `rules::lots`, their triggers `assets/sqlite/006_lots.sql`):
//! what is spendable now, the expiry sweep, dated accruals, a hold refund's give-back, the
//! outlook's rows and `--check`'s look at lots.

use super::Sqlite;
use super::cashier::require_client;
use crate::domain::{Amount, Balances, ClientId, Currency};
use crate::server::store::StoreError;
use crate::server::store::rules::lots::{BadLot, EXPIRY, LotMismatch, LotRow};
use crate::server::store::rules::spending::Made;
use rusqlite::{Connection, params};

impl Sqlite {
    /// What `id` may spend at `now_ms`: its active, unexpired lots (holds not taken off).
    pub async fn balances_at(&self, id: ClientId, now_ms: i64) -> Result<Balances, StoreError> {
        self.read_indexed(move |c| spendable(c, id, now_ms))
    }

    /// Expired lots' remainders out of their balances, each by a ledger row; how many.
    pub async fn expire_lots(&self, now_ms: i64) -> Result<usize, StoreError> {
        self.run_write(move |c| expire(c, None, now_ms)).await
    }

    /// An accrual of `amount` as a lot spendable from `active_from_ms` until `expires_ms`.
    pub async fn accrue(
        &self,
        id: ClientId,
        currency: Currency,
        amount: Amount,
        active_from_ms: i64,
        expires_ms: Option<i64>,
        made: Made,
    ) -> Result<i64, StoreError> {
        self.run_write(move |c| {
            let sp = c.savepoint()?;
            let ledger = accrue(&sp, id, currency, amount, active_from_ms, expires_ms, &made)?;
            sp.commit()?;
            Ok(ledger)
        })
        .await
    }

    /// The client's lots with something left, for the outlook.
    pub async fn lots(&self, id: ClientId) -> Result<Vec<LotRow>, StoreError> {
        self.run(move |c| lot_rows(c, id)).await
    }
}

/// What `id` may spend at `now_ms` per currency: the remaining of its lots that are active
/// and not expired; open holds are the caller's to take off.
pub(super) fn spendable(
    conn: &Connection,
    id: ClientId,
    now_ms: i64,
) -> Result<Balances, StoreError> {
    require_client(conn, id)?;
    let mut out = Balances::default();
    let mut stmt = conn.prepare_cached(
        "SELECT currency, sum(remaining) FROM lots
         WHERE client_id = ?1 AND remaining > 0 AND active_from_ms <= ?2
           AND (expires_ms IS NULL OR expires_ms > ?2)
         GROUP BY currency",
    )?;
    let rows = stmt.query_map(params![id.0, now_ms], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    for row in rows {
        let (currency, amount) = row?;
        match Currency::from_code(&currency) {
            Some(Currency::Points) => out.points = Amount::from_minor(amount),
            Some(Currency::Rubles) => out.rubles = Amount::from_minor(amount),
            None => {}
        }
    }
    Ok(out)
}

/// Writes each lot expired by `now_ms` out of its balance (of `client`, or of everyone):
/// one ledger row of kind `expiry` per lot, with the spend that names the lot. Returns how
/// many lots expired.
pub(super) fn expire(
    conn: &Connection,
    client: Option<ClientId>,
    now_ms: i64,
) -> Result<usize, StoreError> {
    // One client's by its own lots (a write-off's), everyone's by the expiring index.
    let row = |r: &rusqlite::Row| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));
    let due: Vec<(i64, i64, String, i64)> = match client {
        Some(client) => conn
            .prepare_cached(
                "SELECT id, client_id, currency, remaining FROM lots
                 WHERE client_id = ?2 AND remaining > 0 AND expires_ms <= ?1 ORDER BY id",
            )?
            .query_map(params![now_ms, client.0], row)?
            .collect::<Result<_, _>>()?,
        None => conn
            .prepare_cached(
                "SELECT id, client_id, currency, remaining FROM lots
                 WHERE remaining > 0 AND expires_ms IS NOT NULL AND expires_ms <= ?1
                 ORDER BY id",
            )?
            .query_map([now_ms], row)?
            .collect::<Result<_, _>>()?,
    };
    for (lot, client, currency, remaining) in &due {
        conn.prepare_cached(
            "INSERT INTO ledger (client_id, currency, amount, at_ms, kind)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![client, currency, -remaining, now_ms, EXPIRY])?;
        let ledger = conn.last_insert_rowid();
        conn.prepare_cached(
            "INSERT INTO lot_spends (ledger_id, lot_id, amount) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![ledger, lot, remaining])?;
    }
    Ok(due.len())
}

/// The accrual's ledger row, whose trigger makes its lot; the lot then takes its dates.
pub(super) fn accrue(
    conn: &Connection,
    id: ClientId,
    currency: Currency,
    amount: Amount,
    active_from_ms: i64,
    expires_ms: Option<i64>,
    made: &Made,
) -> Result<i64, StoreError> {
    require_client(conn, id)?;
    conn.prepare_cached(
        "INSERT INTO ledger (client_id, currency, amount, at_ms, kind, login, principal)
         VALUES (?1, ?2, ?3, ?4, 'accrual', ?5, ?6)",
    )?
    .execute(params![
        id.0,
        currency.code(),
        amount.minor(),
        made.at.as_millisecond(),
        made.by,
        made.principal
    ])?;
    let ledger = conn.last_insert_rowid();
    conn.prepare_cached(
        "UPDATE lots SET active_from_ms = ?2, expires_ms = ?3 WHERE ledger_id = ?1",
    )?
    .execute(params![ledger, active_from_ms, expires_ms])?;
    Ok(ledger)
}

/// Remembers which ledger row wrote the hold off, for its refund.
pub(super) fn hold_spent(
    conn: &Connection,
    transaction_id: &str,
    ledger: i64,
) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT INTO hold_spends (transaction_id, ledger_id) VALUES (?1, ?2)")?
        .execute(params![transaction_id, ledger])?;
    Ok(())
}

/// A refund's row (`ledger`, of `amount`) given back into the lots the hold's write-off took
/// from, those that expire last first; what they cannot take back (a hold written off before
/// lots) becomes a lot of its own, spendable now and never expiring.
pub(super) fn refund_into_lots(
    conn: &Connection,
    transaction_id: &str,
    ledger: i64,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO lot_spends (ledger_id, lot_id, amount)
         SELECT ?2, lot_id, -give FROM (
             SELECT t.lot_id,
                    min(t.net, g.amount - (sum(t.net) OVER (
                        ORDER BY l.expires_ms IS NULL DESC, l.expires_ms DESC, l.id DESC
                        ROWS UNBOUNDED PRECEDING) - t.net)) AS give
             FROM (SELECT s.lot_id, sum(s.amount) AS net FROM lot_spends s
                   JOIN hold_spends h ON h.ledger_id = s.ledger_id
                   WHERE h.transaction_id = ?1 GROUP BY s.lot_id) t
             JOIN lots l ON l.id = t.lot_id
             JOIN ledger g ON g.id = ?2
             WHERE t.net > 0
         ) WHERE give > 0",
    )?
    .execute(params![transaction_id, ledger])?;
    conn.prepare_cached(
        "INSERT INTO lots (client_id, currency, amount, remaining, active_from_ms, ledger_id)
         SELECT client_id, currency, rest, rest, at_ms, id FROM (
             SELECT g.client_id, g.currency, g.at_ms, g.id, g.amount + coalesce(
                 (SELECT sum(amount) FROM lot_spends WHERE ledger_id = g.id), 0) AS rest
             FROM ledger g WHERE g.id = ?1
         ) WHERE rest > 0",
    )?
    .execute([ledger])?;
    Ok(())
}

/// The client's lots with something left.
pub(super) fn lot_rows(conn: &Connection, id: ClientId) -> Result<Vec<LotRow>, StoreError> {
    require_client(conn, id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT currency, remaining, active_from_ms, expires_ms FROM lots
         WHERE client_id = ?1 AND remaining > 0",
    )?;
    let rows = stmt.query_map([id.0], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, Option<i64>>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (currency, remaining, active_from_ms, expires_ms) = row?;
        if let Some(currency) = Currency::from_code(&currency) {
            out.push(LotRow {
                currency,
                remaining,
                active_from_ms,
                expires_ms,
            });
        }
    }
    Ok(out)
}

/// `--check` on lots: balances their lots do not add up to, and lots whose remaining is out
/// of bounds or disagrees with their spends.
pub(super) fn check_lots(conn: &Connection) -> Result<(Vec<LotMismatch>, Vec<BadLot>), StoreError> {
    let mismatches = conn
        .prepare(
            "SELECT client_id, currency, sum(balance), sum(lots) FROM (
                 SELECT client_id, currency, amount AS balance, 0 AS lots FROM balances
                 UNION ALL
                 SELECT client_id, currency, 0, remaining FROM lots
             ) GROUP BY client_id, currency HAVING sum(balance) <> sum(lots)
             ORDER BY client_id, currency",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    let bad = conn
        .prepare(
            // One grouped scan of the spends: no index holds them by lot (006_lots.sql).
            "SELECT l.id, l.amount, l.remaining, coalesce(s.spent, 0) AS spent
             FROM lots l
             LEFT JOIN (SELECT lot_id, sum(amount) AS spent FROM lot_spends GROUP BY lot_id) s
                 ON s.lot_id = l.id
             WHERE l.remaining < 0 OR l.remaining > l.amount OR spent > l.amount
                OR l.amount - spent <> l.remaining
             ORDER BY l.id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    Ok((mismatches, bad))
}

//! `loyalty serve --check` on SQLite: its own integrity check, then every balance against
//! the sum of its ledger, then every reversal against its original, every balance against
//! its lots and every card's count of operations against them.

use super::Sqlite;
use crate::server::store::StoreError;
use crate::server::store::rules::check::{
    CARD_COUNTS_DIFFER, LedgerMismatch, Report, count_sentence,
};
use crate::server::store::rules::lots;
use rusqlite::Connection;

impl Sqlite {
    pub async fn check(&self) -> Result<Report, StoreError> {
        self.run(|c| check(c)).await
    }
}

/// Clients whose balance rows disagree with the sum of their ledger, or that have ledger
/// entries with no balance row: `(client, currency, balance, ledger sum)`.
pub fn check_ledger(conn: &Connection) -> Result<Vec<LedgerMismatch>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT client_id, currency, sum(balance), sum(ledger) FROM (
             SELECT client_id, currency, amount AS balance, 0 AS ledger FROM balances
             UNION ALL
             SELECT client_id, currency, 0, amount FROM ledger
         ) GROUP BY client_id, currency HAVING sum(balance) <> sum(ledger)
         ORDER BY client_id, currency",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The whole check: SQLite's page-level integrity, then the money.
pub fn check(conn: &Connection) -> Result<Report, StoreError> {
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    let ledger_entries: i64 = conn.query_row("SELECT count(*) FROM ledger", [], |r| r.get(0))?;
    let (mismatches, bad) = super::lots::check_lots(conn)?;
    let lots = mismatches
        .iter()
        .map(lots::mismatch_sentence)
        .chain(bad.iter().map(lots::lot_sentence))
        .collect();
    Ok(Report {
        integrity,
        ledger_entries,
        mismatches: check_ledger(conn)?,
        over_reversed: super::operations::over_reversed(conn)?,
        lots,
        card_counts: card_counts(conn)?,
    })
}

/// The cards whose kept counts of operations differ from their operations, as sentences.
fn card_counts(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare(CARD_COUNTS_DIFFER)?;
    let rows = stmt.query_map([], |r| {
        Ok(count_sentence(
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

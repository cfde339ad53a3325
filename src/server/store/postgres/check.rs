//! `serve --check` on PostgreSQL: the guards the ledger relies on are in place, then every
//! balance against the sum of its ledger, then every reversal against its original, every
//! balance against its lots and every card's count of operations against them.

use super::super::{LedgerMismatch, Report, StoreError};
use super::Postgres;
use crate::server::store::rules::check::{CARD_COUNTS_DIFFER, count_sentence};
use crate::server::store::rules::lots;

/// The triggers that keep the ledger append-only, the balances equal to it and the lots
/// equal to the balances.
const GUARDS: &[&str] = &[
    "ledger_no_change",
    "ledger_no_truncate",
    "ledger_to_balance",
    "ledger_lots",
];

impl Postgres {
    pub async fn check(&self) -> Result<Report, StoreError> {
        let c = self.client().await?;
        // The check reads every client's ledger, which takes longer than any request may:
        // over 10,000,000 clients it met the 15 s bound of a request's statement
        // (`scripts/bench.sh curve`). Only `serve --check` checks, on a connection of its
        // own process, so the bound is lifted for this session.
        c.batch_execute("SET statement_timeout = 0").await?;
        // PostgreSQL checks its own pages (and replicas check WAL); what it cannot know is
        // whether someone dropped or disabled a guard, after which balances could drift.
        let enabled: Vec<String> = c
            .query(
                "SELECT tgname::text FROM pg_trigger
                 WHERE tgrelid = 'ledger'::regclass AND tgenabled <> 'D'",
                &[],
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let missing: Vec<&str> = GUARDS
            .iter()
            .copied()
            .filter(|g| !enabled.iter().any(|e| e == g))
            .collect();
        let checks: i64 = c
            .query_one(
                "SELECT count(*) FROM pg_constraint
                 WHERE conrelid = 'balances'::regclass AND contype = 'c'
                   AND pg_get_constraintdef(oid) LIKE '%amount >= 0%'",
                &[],
            )
            .await?
            .get(0);
        let integrity = match (missing.is_empty(), checks > 0) {
            (true, true) => "ok".to_string(),
            (false, _) => format!(
                "ledger triggers missing or disabled: {}",
                missing.join(", ")
            ),
            (true, false) => "the balances' CHECK (amount >= 0) is missing".to_string(),
        };
        let ledger_entries: i64 = c
            .query_one("SELECT count(*) FROM ledger", &[])
            .await?
            .get(0);
        let mismatches: Vec<LedgerMismatch> = c
            .query(
                "SELECT client_id, currency, sum(balance)::bigint, sum(ledger)::bigint FROM (
                     SELECT client_id, currency, amount AS balance, 0 AS ledger FROM balances
                     UNION ALL
                     SELECT client_id, currency, 0, amount FROM ledger
                 ) AS movements
                 GROUP BY client_id, currency HAVING sum(balance) <> sum(ledger)
                 ORDER BY client_id, currency",
                &[],
            )
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect();
        let over_reversed = self.over_reversed(&c).await?;
        let (lot_mismatches, bad) = super::lots::check_lots(&c).await?;
        let lots = lot_mismatches
            .iter()
            .map(lots::mismatch_sentence)
            .chain(bad.iter().map(lots::lot_sentence))
            .collect();
        let card_counts = c
            .query(CARD_COUNTS_DIFFER, &[])
            .await?
            .iter()
            .map(|r| count_sentence(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
            .collect();
        Ok(Report {
            integrity,
            ledger_entries,
            mismatches,
            over_reversed,
            lots,
            card_counts,
        })
    }
}

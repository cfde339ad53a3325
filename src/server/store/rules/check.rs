//! What `serve --check` reports on either store.

/// A balance row that disagrees with its ledger: `(client, currency, balance, ledger sum)`.
pub type LedgerMismatch = (i64, String, i64, i64);

/// What `--check` found.
pub struct Report {
    /// `ok`, or what the database's own check says is wrong.
    pub integrity: String,
    pub ledger_entries: i64,
    pub mismatches: Vec<LedgerMismatch>,
}

//! What `serve --check` reports on either store.

use crate::domain::{Amount, CouponId};

/// A balance row that disagrees with its ledger: `(client, currency, balance, ledger sum)`.
pub type LedgerMismatch = (i64, String, i64, i64);

/// What `--check` found.
pub struct Report {
    /// `ok`, or what the database's own check says is wrong.
    pub integrity: String,
    pub ledger_entries: i64,
    pub mismatches: Vec<LedgerMismatch>,
    /// Write-offs given back more than they took in a currency, or coupons given back that
    /// they did not redeem or twice: each a sentence naming the operation.
    pub over_reversed: Vec<String>,
    /// Balances their lots do not add up to, and lots out of bounds or spent more than they
    /// held: each a sentence (`rules::lots`).
    pub lots: Vec<String>,
}

/// `--check`'s words for an original given back more than it took.
pub fn over_sentence(id: i64, currency: &str, back: i64, taken: i64) -> String {
    format!(
        "operation {id}: {} {currency} given back, {} written off",
        Amount::from_minor(back),
        Amount::from_minor(taken)
    )
}

/// `--check`'s words for a coupon given back that its original did not redeem, or twice.
pub fn coupon_sentence(id: i64, coupon: CouponId, times: i64) -> String {
    if times > 1 {
        format!(
            "operation {id}: coupon {} given back {times} times",
            coupon.0
        )
    } else {
        format!(
            "operation {id}: coupon {} given back, but it did not redeem it",
            coupon.0
        )
    }
}

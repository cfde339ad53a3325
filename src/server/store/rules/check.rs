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
    /// Cards whose kept counts of operations (REGOS's `total`) differ from their
    /// operations: each a sentence ([`count_sentence`]).
    pub card_counts: Vec<String>,
}

/// Each card's, promotion's and type's kept count against its operations, where they
/// differ (a zero left by a deletion matches none): `(card, promotion, type, kept, made)`.
/// The same statement on both stores.
pub const CARD_COUNTS_DIFFER: &str = "
    SELECT card_id, promo_id, type, CAST(sum(kept) AS BIGINT), CAST(sum(made) AS BIGINT)
    FROM (
        SELECT card_id, promo_id, type, n AS kept, 0 AS made FROM card_operation_counts
        UNION ALL
        SELECT card_id, promo_id, type, 0, count(*) FROM card_operations
        GROUP BY card_id, promo_id, type
    ) AS both_sides
    GROUP BY card_id, promo_id, type HAVING sum(kept) <> sum(made)
    ORDER BY card_id, promo_id, type";

/// `--check`'s words for a card whose kept count is not its operations'.
pub fn count_sentence(card: i64, promo: i64, kind: i64, kept: i64, made: i64) -> String {
    format!(
        "card {card}, promotion {promo}: {kept} operations of type {kind} counted, {made} stored"
    )
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

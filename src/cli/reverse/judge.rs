//! How a reversal or a refund that got no answer came out, judged by reading back (never by
//! sending again), and the verdict journalled and said.

use crate::cli::{Context, Exit, Failure};
use crate::domain::journal::Outcome;
use crate::domain::reversal::Operation;
use crate::domain::{Amount, Balances, ClientId, Reversal, WriteOff};
use crate::i18n::fill;
use crate::ops::journal::Journal;

/// How an unanswered reversal came out, by its original read again: what was reversed of
/// it grew by exactly what was asked (it went through), did not change (it did not), or
/// changed otherwise (another till's reversal meanwhile: cannot tell).
pub(super) fn read_back(before: &Operation, after: &Operation, asked: &Reversal) -> Outcome {
    let grew = |b: Amount, a: Amount| a.minor() - b.minor();
    let points = grew(before.reversed_points, after.reversed_points);
    let rubles = grew(before.reversed_rubles, after.reversed_rubles);
    let coupons_back = after
        .reversed_coupons
        .iter()
        .filter(|c| !before.reversed_coupons.contains(c))
        .count();
    let want = |a: Option<Amount>| a.map_or(0, |a| a.minor());
    if points == want(asked.points)
        && rubles == want(asked.rubles)
        && coupons_back == asked.coupons.len()
    {
        Outcome::AppliedAfterCheck
    } else if points == 0 && rubles == 0 && coupons_back == 0 {
        Outcome::NotAppliedAfterCheck
    } else {
        Outcome::UnclearAfterCheck
    }
}

/// Journals what the check found and says it: 0 it went through (checked), 3 it did not,
/// 4 cannot tell.
pub(super) fn settle(
    cx: &mut Context<'_>,
    journal: &Journal,
    (key, client): (&str, ClientId),
    outcome: Outcome,
    look_at: impl std::fmt::Display,
    what: &str,
) -> Result<(), Failure> {
    let t = cx.locale.text();
    tracing::info!(key, outcome = outcome.as_str(), "reversal checked");
    if let Err(e) = journal.outcome(key, client, outcome, None, None) {
        tracing::error!("journal {}: {e}", journal.path().display());
    }
    match outcome {
        Outcome::AppliedAfterCheck => {
            cx.print(&format!("{}\n", fill(t.cli.reversed_after_check, what)))
        }
        Outcome::NotAppliedAfterCheck => Err(Failure::new(Exit::Failed, t.cli.reverse_not_applied)),
        _ => Err(Failure::new(
            Exit::Unknown,
            format!(
                "{}\n{}",
                fill(t.cli.reverse_unclear, look_at),
                fill(t.cli.reverse_key, key)
            ),
        )),
    }
}

/// A refund's outcome by the balance: up by exactly what the write-off took, unchanged, or
/// moved otherwise.
pub(super) fn balance_back(before: &Balances, after: &Balances, took: &WriteOff) -> Outcome {
    let up = |b: Amount, a: Amount| a.minor() - b.minor();
    let want = |a: Option<Amount>| a.map_or(0, |a| a.minor());
    let (points, rubles) = (
        up(before.points, after.points),
        up(before.rubles, after.rubles),
    );
    if points == want(took.points) && rubles == want(took.rubles) {
        Outcome::AppliedAfterCheck
    } else if points == 0 && rubles == 0 {
        Outcome::NotAppliedAfterCheck
    } else {
        Outcome::UnclearAfterCheck
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::reversal::{OperationKind, ReasonCode, Who, Why};
    use crate::domain::{ClientId, CouponId, OperationId};

    fn op(reversed_points: i64, reversed_coupons: Vec<CouponId>) -> Operation {
        Operation {
            id: OperationId(7),
            client: ClientId(1),
            kind: OperationKind::WriteOff,
            at: jiff::Timestamp::UNIX_EPOCH,
            points: Amount::from_minor(10_000),
            rubles: Amount::ZERO,
            coupons: vec![CouponId(3)],
            reversed_points: Amount::from_minor(reversed_points),
            reversed_rubles: Amount::ZERO,
            reversed_coupons,
            receipt: None,
            who: Who::default(),
            why: None,
            original: None,
        }
    }

    fn back(points: i64, coupons: Vec<CouponId>) -> Reversal {
        Reversal {
            original: OperationId(7),
            client: ClientId(1),
            points: Some(Amount::from_minor(points)),
            rubles: None,
            coupons,
            why: Why::new(ReasonCode::Mistake, None).unwrap(),
        }
    }

    #[test]
    fn a_reversal_read_back_went_through_only_when_it_grew_by_exactly_the_amount() {
        let before = op(1_000, vec![]);
        let asked = back(2_500, vec![CouponId(3)]);
        assert_eq!(
            read_back(&before, &op(3_500, vec![CouponId(3)]), &asked),
            Outcome::AppliedAfterCheck
        );
        assert_eq!(
            read_back(&before, &op(1_000, vec![]), &asked),
            Outcome::NotAppliedAfterCheck
        );
        // Another till's reversal meanwhile: grown, but not by this one's amount.
        assert_eq!(
            read_back(&before, &op(2_000, vec![]), &asked),
            Outcome::UnclearAfterCheck
        );
        assert_eq!(
            read_back(&before, &op(3_500, vec![]), &asked),
            Outcome::UnclearAfterCheck,
            "the coupon did not come back"
        );
    }

    #[test]
    fn a_refund_read_back_by_the_balance() {
        let took = WriteOff {
            points: Some(Amount::from_minor(1_000)),
            ..WriteOff::default()
        };
        let b = |p| Balances {
            points: Amount::from_minor(p),
            rubles: Amount::ZERO,
        };
        assert_eq!(
            balance_back(&b(0), &b(1_000), &took),
            Outcome::AppliedAfterCheck
        );
        assert_eq!(
            balance_back(&b(0), &b(0), &took),
            Outcome::NotAppliedAfterCheck
        );
        assert_eq!(
            balance_back(&b(0), &b(400), &took),
            Outcome::UnclearAfterCheck
        );
    }
}

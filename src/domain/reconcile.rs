//! Did an unanswered write-off go through? Judged from the balance and coupons read again,
//! never by trying again: the same rules for the console and the command line.

use super::{Balances, Coupon, CouponId, WriteOff};

/// What a check found of an unanswered write-off, when it did not find it applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Balance and coupons are as before: it did not go through, and may be sent again.
    NotApplied,
    /// The evidence does not single out this write-off: nothing is retried, and the cashier
    /// is told what to check.
    Unclear(Doubt),
}

/// Why a check could not tell whether an unanswered write-off went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doubt {
    /// The balance or the coupons could not be read again.
    Unreadable,
    /// They moved, but not by exactly this write-off (an accrual, another till's amount).
    ChangedOtherwise,
    /// The balance fell by exactly this amount, but nothing marks it as this till's:
    /// another till may have written off the same amount at the same time.
    SameAmountElsewhere,
    /// A coupon of the write-off is gone, but it had expired meanwhile, and vendors drop
    /// expired coupons from the list: its absence proves nothing.
    CouponExpired(CouponId),
}

/// Judges an unanswered write-off by the balance and coupons read again (`after`; `None`
/// when they could not be read) against those it was written against. `None`: it went
/// through. It is judged applied only on evidence that singles it out: every balance part
/// taken exactly and a coupon of its own, unexpired, gone (a coupon is one client's and is
/// redeemed once). A balance that fell by exactly the amount proves nothing by itself,
/// since another till may have taken the same amount.
pub fn judge(
    before: &Balances,
    offered: &[Coupon],
    request: &WriteOff,
    after: Option<(&Balances, &[Coupon])>,
    now: jiff::Timestamp,
) -> Option<Verdict> {
    let Some((balances, coupons)) = after else {
        return Some(Verdict::Unclear(Doubt::Unreadable));
    };
    let parts = request.balance_parts();
    let listed = |id: CouponId| coupons.iter().any(|c| c.id == id);
    let untouched = parts
        .iter()
        .all(|(c, _)| before.get(*c) == balances.get(*c))
        && request.coupons.iter().all(|id| listed(*id));
    if untouched {
        return Some(Verdict::NotApplied);
    }
    let taken = parts
        .iter()
        .all(|(c, a)| before.get(*c).minor() - a.minor() == balances.get(*c).minor())
        && request.coupons.iter().all(|id| !listed(*id));
    let expired_and_gone = request
        .coupons
        .iter()
        .copied()
        .find(|id| !listed(*id) && offered.iter().any(|c| c.id == *id && c.is_expired(now)));
    match (taken, expired_and_gone) {
        (_, Some(coupon)) => Some(Verdict::Unclear(Doubt::CouponExpired(coupon))),
        (true, None) if request.coupons.is_empty() => {
            Some(Verdict::Unclear(Doubt::SameAmountElsewhere))
        }
        (true, None) => None,
        (false, None) => Some(Verdict::Unclear(Doubt::ChangedOtherwise)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Amount;
    use jiff::Timestamp;

    const NOW: i64 = 1_800_000_000_000;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_millisecond(ms).unwrap()
    }

    fn balances(points: i64, rubles: i64) -> Balances {
        Balances {
            points: Amount::from_minor(points),
            rubles: Amount::from_minor(rubles),
        }
    }

    fn coupon(id: i64, expires_ms: Option<i64>) -> Coupon {
        Coupon {
            id: CouponId(id),
            title: String::new(),
            expires_at: expires_ms.map(at),
        }
    }

    fn points(minor: i64) -> WriteOff {
        WriteOff {
            points: Some(Amount::from_minor(minor)),
            ..WriteOff::default()
        }
    }

    fn coupons(ids: &[i64]) -> WriteOff {
        WriteOff {
            coupons: ids.iter().map(|i| CouponId(*i)).collect(),
            ..WriteOff::default()
        }
    }

    #[test]
    fn nothing_moved_means_not_applied() {
        let before = balances(10_000, 500);
        let offered = [coupon(1, None)];
        let request = WriteOff {
            coupons: vec![CouponId(1)],
            ..points(1_000)
        };
        let after = Some((&before, &offered[..]));
        assert_eq!(
            judge(&before, &offered, &request, after, at(NOW)),
            Some(Verdict::NotApplied)
        );
    }

    #[test]
    fn the_exact_amount_and_its_own_unexpired_coupon_gone_mean_applied() {
        let offered = [coupon(1, Some(NOW + 1)), coupon(2, None)];
        let request = WriteOff {
            coupons: vec![CouponId(1)],
            ..points(1_000)
        };
        let after = (balances(9_000, 500), [coupon(2, None)]);
        let found = judge(
            &balances(10_000, 500),
            &offered,
            &request,
            Some((&after.0, &after.1[..])),
            at(NOW),
        );
        assert_eq!(found, None);
    }

    #[test]
    fn the_same_amount_gone_without_a_coupon_may_be_another_tills() {
        // Another till wrote off 10.00 from the same client while this one got no answer:
        // the balance looks exactly as if this write-off had gone through.
        let after = balances(9_000, 500);
        let found = judge(
            &balances(10_000, 500),
            &[],
            &points(1_000),
            Some((&after, &[])),
            at(NOW),
        );
        assert_eq!(found, Some(Verdict::Unclear(Doubt::SameAmountElsewhere)));
    }

    #[test]
    fn a_balance_that_moved_otherwise_is_unclear() {
        // Up by an accrual, or down by more than this write-off.
        for after in [balances(10_500, 500), balances(8_000, 500)] {
            let found = judge(
                &balances(10_000, 500),
                &[],
                &points(1_000),
                Some((&after, &[])),
                at(NOW),
            );
            assert_eq!(
                found,
                Some(Verdict::Unclear(Doubt::ChangedOtherwise)),
                "{after:?}"
            );
        }
    }

    #[test]
    fn a_coupon_only_write_off_whose_coupon_expired() {
        let offered = [coupon(1, Some(NOW - 1))];
        let request = coupons(&[1]);
        let same = balances(10_000, 500);
        // Still listed (as an expired coupon): it was not redeemed.
        assert_eq!(
            judge(
                &same,
                &offered,
                &request,
                Some((&same, &offered[..])),
                at(NOW)
            ),
            Some(Verdict::NotApplied)
        );
        // No longer listed: redeemed, or dropped for having expired. Cannot tell.
        assert_eq!(
            judge(&same, &offered, &request, Some((&same, &[])), at(NOW)),
            Some(Verdict::Unclear(Doubt::CouponExpired(CouponId(1))))
        );
    }

    /// A two-currency write-off of which one part moved (a hold mode write-off cut between
    /// its holds, or another till's points): neither "not applied" nor "applied".
    #[test]
    fn one_part_of_two_moved_is_unclear() {
        let request = WriteOff {
            rubles: Some(Amount::from_minor(500)),
            ..points(1_000)
        };
        for after in [balances(9_000, 1_000), balances(10_000, 500)] {
            let found = judge(
                &balances(10_000, 1_000),
                &[],
                &request,
                Some((&after, &[])),
                at(NOW),
            );
            assert_eq!(
                found,
                Some(Verdict::Unclear(Doubt::ChangedOtherwise)),
                "{after:?}"
            );
        }
    }

    #[test]
    fn an_unreadable_reread_is_unclear() {
        assert_eq!(
            judge(&balances(1, 1), &[], &points(1), None, at(NOW)),
            Some(Verdict::Unclear(Doubt::Unreadable))
        );
    }
}

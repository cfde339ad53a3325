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

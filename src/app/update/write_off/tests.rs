//! The write-off's pure transitions and the judge of an unanswered one.

use super::*;
use crate::app::model::Doubt;
use crate::domain::reconcile::judge;
use crate::domain::{Coupon, CouponId};
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

#[test]
fn an_unreadable_reread_is_unclear() {
    assert_eq!(
        judge(&balances(1, 1), &[], &points(1), None, at(NOW)),
        Some(Verdict::Unclear(Doubt::Unreadable))
    );
}

//! Points that burn soon and points not yet spendable, as the client card shows them:
//! «сгорит N до DATE» and «неактивно до DATE». Only what a provider says is shown: an
//! empty outlook shows nothing, never an invented figure.

use super::admin::{CardOperation, Expiry, OperationKind};
use super::{Amount, Currency};
use jiff::Timestamp;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// A sum of one currency and the instant it is about: when it expires, or when it becomes
/// spendable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dated {
    pub currency: Currency,
    pub amount: Amount,
    pub at: Timestamp,
}

/// Per currency, at most one of each: the nearest expiry with the sum that expires then,
/// and the nearest activation with the sum that becomes spendable then (and the total
/// not yet spendable, which may become so later still).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outlook {
    /// The nearest expiry per currency and what expires at it.
    pub expiring: Vec<Dated>,
    /// Per currency, everything not yet spendable, dated by its nearest activation.
    pub pending: Vec<Dated>,
}

impl Outlook {
    pub fn is_empty(&self) -> bool {
        self.expiring.is_empty() && self.pending.is_empty()
    }

    pub fn expiring(&self, currency: Currency) -> Option<Dated> {
        self.expiring
            .iter()
            .copied()
            .find(|d| d.currency == currency)
    }

    pub fn pending(&self, currency: Currency) -> Option<Dated> {
        self.pending
            .iter()
            .copied()
            .find(|d| d.currency == currency)
    }
}

/// The outlook REGOS's card operations give: of the accruals whose bonus expires after
/// `now` and is not all used yet (`value` − `used_value`, a missing `used_value` being
/// none used), the nearest expiry and what expires on that same Moscow day. An accrual
/// with no value or no date of expiry says nothing, and is left out. REGOS has no
/// activation, so nothing is pending.
pub fn from_card_operations(ops: &[CardOperation], now: Timestamp) -> Outlook {
    let left: Vec<(Timestamp, Decimal)> = ops
        .iter()
        .filter(|op| op.kind == Some(OperationKind::Income))
        .filter_map(|op| {
            let Some(Expiry::At(at)) = op.expires else {
                return None;
            };
            let left = op.value? - op.used_value.unwrap_or(Decimal::ZERO);
            (at > now && left > Decimal::ZERO).then_some((at, left))
        })
        .collect();
    let Some(nearest) = left.iter().map(|(at, _)| *at).min() else {
        return Outlook::default();
    };
    // REGOS serves Russian shops, in Moscow time: +03:00 all year since 2014.
    let moscow = jiff::tz::TimeZone::fixed(jiff::tz::offset(3));
    let day = |at: Timestamp| at.to_zoned(moscow.clone()).date();
    let sum = left
        .iter()
        .filter(|(at, _)| day(*at) == day(nearest))
        .try_fold(Decimal::ZERO, |sum, (_, v)| sum.checked_add(*v));
    let amount = sum
        .and_then(|s| (s.round_dp(2) * Decimal::ONE_HUNDRED).to_i64())
        .map(Amount::from_minor);
    Outlook {
        expiring: amount
            .map(|amount| Dated {
                currency: Currency::Points,
                amount,
                at: nearest,
            })
            .into_iter()
            .collect(),
        pending: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn accrual(value: &str, used: Option<&str>, expires: Option<Expiry>) -> CardOperation {
        CardOperation {
            kind: Some(OperationKind::Income),
            value: Some(Decimal::from_str(value).unwrap()),
            used_value: used.map(|u| Decimal::from_str(u).unwrap()),
            expires,
            ..CardOperation::default()
        }
    }

    const NOW: &str = "2026-12-05T12:00:00Z";

    #[test]
    fn the_nearest_expiry_sums_what_is_left_of_its_moscow_day() {
        let ops = [
            // 10 December in Moscow, twice: 100 − 30 and 50.
            accrual(
                "100",
                Some("30"),
                Some(Expiry::At(at("2026-12-10T09:00:00Z"))),
            ),
            accrual("50", None, Some(Expiry::At(at("2026-12-10T20:59:59Z")))),
            // 21:00 UTC is already 11 December in Moscow: not that day.
            accrual("7", None, Some(Expiry::At(at("2026-12-10T21:00:00Z")))),
            accrual("1000", None, Some(Expiry::At(at("2027-01-01T00:00:00Z")))),
        ];
        let outlook = from_card_operations(&ops, at(NOW));
        assert_eq!(
            outlook.expiring,
            vec![Dated {
                currency: Currency::Points,
                amount: Amount::from_minor(12_000),
                at: at("2026-12-10T09:00:00Z"),
            }]
        );
        assert!(outlook.pending.is_empty());
    }

    #[test]
    fn spent_expired_undated_and_valueless_accruals_say_nothing() {
        let ops = [
            accrual(
                "100",
                Some("100"),
                Some(Expiry::At(at("2026-12-06T00:00:00Z"))),
            ),
            accrual("100", None, Some(Expiry::At(at("2026-12-01T00:00:00Z")))),
            accrual("100", None, Some(Expiry::At(at(NOW)))),
            accrual("100", None, Some(Expiry::Never)),
            accrual("100", None, None),
            CardOperation {
                value: None,
                ..accrual("0", None, Some(Expiry::At(at("2026-12-07T00:00:00Z"))))
            },
            // A write-off is not a lot, whatever it carries.
            CardOperation {
                kind: Some(OperationKind::Outcome),
                ..accrual("40", None, Some(Expiry::At(at("2026-12-07T00:00:00Z"))))
            },
            CardOperation {
                kind: None,
                ..accrual("40", None, Some(Expiry::At(at("2026-12-07T00:00:00Z"))))
            },
        ];
        assert!(from_card_operations(&ops, at(NOW)).is_empty());
        assert!(from_card_operations(&[], at(NOW)).is_empty());
    }

    #[test]
    fn fractions_of_a_point_are_kept_to_the_kopeck() {
        let ops = [
            accrual(
                "10.255",
                Some("0.005"),
                Some(Expiry::At(at("2026-12-08T10:00:00Z"))),
            ),
            accrual("0.5", None, Some(Expiry::At(at("2026-12-08T11:00:00Z")))),
        ];
        let outlook = from_card_operations(&ops, at(NOW));
        assert_eq!(
            outlook.expiring(Currency::Points).map(|d| d.amount),
            Some(Amount::from_minor(1_075))
        );
    }
}

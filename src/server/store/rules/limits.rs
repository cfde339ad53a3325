//! The limits of a point of sale on a write-off, on either store (`domain::limits::LimitKind`
//! says what each means). A store reads what the client and the cashier have spent today
//! ([`Spent`]) inside the write-off's own transaction, after the locks that keep another
//! till from spending meanwhile, and asks [`verdict`] here.
//!
//! The day of `client_day` and the shift of `cashier_shift` are the server's local calendar
//! day ([`day_start`]): a shop's tills close their shift by the clock on the wall. The
//! cashier is the till's principal and the seed-001 login together. Write-offs count whole,
//! reversals do not give back room: a limit bounds what was taken at the counter.

use crate::domain::limits::{Available, LimitKind, Limits};
use crate::domain::{Amount, Balances, Currency, WriteOff};
use crate::server::store::{Refusal, StoreError};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// What counts against the limits before this write-off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Spent {
    /// The client's write-offs since the day began.
    pub client_today: u32,
    /// What the cashier (principal and login) wrote off since the day began, in minor units
    /// of both currencies together.
    pub cashier_today: Amount,
}

/// The start of the server's local day `at` falls in.
pub fn day_start(at: Timestamp) -> Timestamp {
    at.to_zoned(TimeZone::system())
        .start_of_day()
        .map(|z| z.timestamp())
        .unwrap_or(at)
}

/// The most one write-off of a receipt of `total` may take under a share of `percent`,
/// rounded down to the kopeck.
fn share_cap(percent: u8, total: Amount) -> Amount {
    Amount::from_minor(total.minor().saturating_mul(i64::from(percent)) / 100)
}

/// A refusal for `kind`, its value in words.
fn over(kind: LimitKind, value: String) -> StoreError {
    StoreError::Refused(Refusal::Limit(kind, value))
}

/// Whether `request` may be written off under `limits`, given what was `spent`. A limit
/// passed by a manager is not asked about: the caller passes no limits then.
pub fn verdict(limits: &Limits, request: &WriteOff, spent: &Spent) -> Result<(), StoreError> {
    let sum = request
        .balance_parts()
        .iter()
        .fold(0i64, |sum, (_, a)| sum.saturating_add(a.minor()));
    if let Some(percent) = limits.receipt_share
        && sum > 0
    {
        let Some(receipt) = &request.receipt else {
            return Err(StoreError::Refused(Refusal::ReceiptRequired));
        };
        let cap = share_cap(percent, receipt.total);
        if sum > cap.minor() {
            return Err(over(
                LimitKind::ReceiptShare,
                format!("{percent}% of the receipt's {} ({cap})", receipt.total),
            ));
        }
    }
    if let Some(cap) = limits.operation
        && sum > cap.minor()
    {
        return Err(over(LimitKind::Operation, format!("{cap} per write-off")));
    }
    if let Some(most) = limits.client_day
        && spent.client_today >= most
    {
        return Err(over(
            LimitKind::ClientDay,
            format!("{most} write-offs per client per day"),
        ));
    }
    if let Some(cap) = limits.cashier_shift
        && spent.cashier_today.minor().saturating_add(sum) > cap.minor()
    {
        return Err(over(
            LimitKind::CashierShift,
            format!(
                "{cap} per cashier per shift ({} written off already)",
                spent.cashier_today
            ),
        ));
    }
    Ok(())
}

/// What may be written off now of `spendable` (balances less holds) under `limits`, for a
/// receipt of `receipt_total` if one is given, and the limit that bounds it below the
/// balance. The limits bound points and roubles together, so each currency gets at most
/// what the tightest leaves.
pub fn available(
    limits: &Limits,
    spendable: Balances,
    receipt_total: Option<Amount>,
    spent: &Spent,
) -> Available {
    let mut caps: Vec<(LimitKind, i64)> = Vec::new();
    if let (Some(percent), Some(total)) = (limits.receipt_share, receipt_total) {
        caps.push((LimitKind::ReceiptShare, share_cap(percent, total).minor()));
    }
    if let Some(cap) = limits.operation {
        caps.push((LimitKind::Operation, cap.minor()));
    }
    if let Some(most) = limits.client_day
        && spent.client_today >= most
    {
        caps.push((LimitKind::ClientDay, 0));
    }
    if let Some(cap) = limits.cashier_shift {
        let left = cap.minor().saturating_sub(spent.cashier_today.minor());
        caps.push((LimitKind::CashierShift, left.max(0)));
    }
    let tightest = caps.iter().min_by_key(|(_, cap)| *cap).copied();
    let mut out = Available::default();
    for currency in Currency::ALL {
        let balance = spendable.get(currency).minor().max(0);
        let allowed = match tightest {
            Some((kind, cap)) if cap < balance => {
                out.limited_by = Some(kind);
                out.together = Some(Amount::from_minor(cap));
                cap
            }
            _ => balance,
        };
        match currency {
            Currency::Points => out.points = Amount::from_minor(allowed),
            Currency::Rubles => out.rubles = Amount::from_minor(allowed),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Receipt;

    fn points(minor: i64, total: Option<i64>) -> WriteOff {
        WriteOff {
            points: Some(Amount::from_minor(minor)),
            receipt: total.map(|t| Receipt {
                number: "1".into(),
                total: Amount::from_minor(t),
            }),
            ..WriteOff::default()
        }
    }

    fn code(r: Result<(), StoreError>) -> Option<&'static str> {
        match r {
            Ok(()) => None,
            Err(StoreError::Refused(r)) => Some(r.code()),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn each_limit_allows_its_edge_and_refuses_one_past() {
        let spent = Spent::default();
        let share = Limits {
            receipt_share: Some(30),
            ..Limits::default()
        };
        assert_eq!(
            code(verdict(&share, &points(3_000, Some(10_000)), &spent)),
            None
        );
        assert_eq!(
            code(verdict(&share, &points(3_001, Some(10_000)), &spent)),
            Some("limit_receipt_share")
        );
        assert_eq!(
            code(verdict(&share, &points(1, None), &spent)),
            Some("receipt_required")
        );
        let op = Limits {
            operation: Some(Amount::from_minor(500)),
            ..Limits::default()
        };
        assert_eq!(code(verdict(&op, &points(500, None), &spent)), None);
        assert_eq!(
            code(verdict(&op, &points(501, None), &spent)),
            Some("limit_operation")
        );
        let day = Limits {
            client_day: Some(2),
            ..Limits::default()
        };
        let once = Spent {
            client_today: 1,
            ..spent
        };
        let twice = Spent {
            client_today: 2,
            ..spent
        };
        assert_eq!(code(verdict(&day, &points(1, None), &once)), None);
        assert_eq!(
            code(verdict(&day, &points(1, None), &twice)),
            Some("limit_client_day")
        );
        let shift = Limits {
            cashier_shift: Some(Amount::from_minor(1_000)),
            ..Limits::default()
        };
        let half = Spent {
            cashier_today: Amount::from_minor(600),
            ..spent
        };
        assert_eq!(code(verdict(&shift, &points(400, None), &half)), None);
        assert_eq!(
            code(verdict(&shift, &points(401, None), &half)),
            Some("limit_cashier_shift")
        );
    }

    #[test]
    fn what_is_available_is_the_tightest_limit_below_the_balance() {
        let limits = Limits {
            receipt_share: Some(50),
            operation: Some(Amount::from_minor(800)),
            ..Limits::default()
        };
        let spendable = Balances {
            points: Amount::from_minor(10_000),
            rubles: Amount::from_minor(300),
        };
        let a = available(
            &limits,
            spendable,
            Some(Amount::from_minor(1_000)),
            &Spent::default(),
        );
        assert_eq!(a.points, Amount::from_minor(500));
        assert_eq!(a.rubles, Amount::from_minor(300));
        assert_eq!(a.limited_by, Some(LimitKind::ReceiptShare));
        assert_eq!(a.together, Some(Amount::from_minor(500)), "both together");
        let free = available(&Limits::default(), spendable, None, &Spent::default());
        assert_eq!(
            (free.points, free.limited_by, free.together),
            (spendable.points, None, None)
        );
    }
}

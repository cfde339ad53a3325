//! Points as lots, on either store: every accrual is a lot with its activation and expiry;
//! a write-off takes from the lots that expire first; pending lots cannot be spent; expired
//! ones leave the balance by a ledger row of their own (kind [`EXPIRY`]). The stores keep
//! lots in their SQL (`assets/*/…lots.sql`); what the client card is told of them
//! (the outlook) and what `serve --check` says of them are written here once.

use crate::domain::lots::{Dated, Outlook};
use crate::domain::{Amount, Currency};
use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};

/// The ledger kind of an expired lot's remainder leaving the balance.
pub const EXPIRY: &str = "expiry";

/// How often `loyalty serve` sweeps expired lots, besides at start and inside each
/// write-off.
pub const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// A lot with something left, as the outlook reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LotRow {
    pub currency: Currency,
    pub remaining: i64,
    pub active_from_ms: i64,
    pub expires_ms: Option<i64>,
}

/// The day an expiry falls on as the card says it («сгорит N до DATE»): Moscow's, +03:00,
/// the shops' own, so that lots expiring the same evening are one sum.
fn moscow_day(ms: i64) -> Option<jiff::civil::Date> {
    let zone = TimeZone::fixed(Offset::constant(3));
    Timestamp::from_millisecond(ms)
        .ok()
        .map(|t| t.to_zoned(zone).date())
}

/// Per currency, the nearest expiry of what is spendable at `now_ms` with the sum of the
/// lots that expire on that same Moscow day, and what is not yet spendable with its nearest
/// activation. Lots already expired (not yet swept) count for neither.
pub fn outlook(lots: &[LotRow], now_ms: i64) -> Outlook {
    let mut out = Outlook::default();
    for currency in [Currency::Points, Currency::Rubles] {
        let live = lots.iter().filter(|l| {
            l.currency == currency && l.remaining > 0 && l.expires_ms.is_none_or(|e| e > now_ms)
        });
        let (active, pending): (Vec<&LotRow>, Vec<&LotRow>) =
            live.partition(|l| l.active_from_ms <= now_ms);
        if let Some(nearest) = active.iter().filter_map(|l| l.expires_ms).min() {
            let day = moscow_day(nearest);
            let sum: i64 = active
                .iter()
                .filter(|l| l.expires_ms.is_some_and(|e| moscow_day(e) == day))
                .map(|l| l.remaining)
                .sum();
            if let Ok(at) = Timestamp::from_millisecond(nearest) {
                out.expiring.push(Dated {
                    currency,
                    amount: Amount::from_minor(sum),
                    at,
                });
            }
        }
        if let Some(first) = pending.iter().map(|l| l.active_from_ms).min()
            && let Ok(at) = Timestamp::from_millisecond(first)
        {
            out.pending.push(Dated {
                currency,
                amount: Amount::from_minor(pending.iter().map(|l| l.remaining).sum()),
                at,
            });
        }
    }
    out
}

/// A client's balance in a currency that disagrees with its lots: `(client, currency,
/// ledger balance, lots' remaining)`.
pub type LotMismatch = (i64, String, i64, i64);

/// A lot whose own figures are wrong: `(lot, amount, remaining, spent)` where `spent` is
/// what its spends took, net of what was given back.
pub type BadLot = (i64, i64, i64, i64);

/// `--check`'s words for a balance its lots do not add up to.
pub fn mismatch_sentence((client, currency, balance, lots): &LotMismatch) -> String {
    format!(
        "client {client}: {currency} balance {} but its lots hold {}",
        Amount::from_minor(*balance),
        Amount::from_minor(*lots)
    )
}

/// `--check`'s words for a lot whose remaining is out of bounds or disagrees with its
/// spends; every fault it has, in one sentence.
pub fn lot_sentence((lot, amount, remaining, spent): &BadLot) -> String {
    let mut faults = Vec::new();
    if remaining < &0 {
        faults.push(format!(
            "{} left, below zero",
            Amount::from_minor(*remaining)
        ));
    }
    if remaining > amount {
        faults.push(format!(
            "{} left of {}",
            Amount::from_minor(*remaining),
            Amount::from_minor(*amount)
        ));
    }
    if spent > amount {
        faults.push(format!(
            "spent {}, more than the {} it held",
            Amount::from_minor(*spent),
            Amount::from_minor(*amount)
        ));
    }
    if amount - spent != *remaining {
        faults.push(format!(
            "{} left but its spends leave {}",
            Amount::from_minor(*remaining),
            Amount::from_minor(amount - spent)
        ));
    }
    format!("lot {lot}: {}", faults.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    fn lot(currency: Currency, remaining: i64, active: i64, expires: Option<i64>) -> LotRow {
        LotRow {
            currency,
            remaining,
            active_from_ms: active,
            expires_ms: expires,
        }
    }

    #[test]
    fn the_nearest_expiry_sums_its_moscow_day_and_pending_sums_everything_not_yet_active() {
        // 2026-03-10 12:00 UTC is 15:00 in Moscow; 20:59 UTC is 23:59 the same Moscow day,
        // 21:00 UTC is already the next.
        let noon: i64 = "2026-03-10T12:00:00Z"
            .parse::<Timestamp>()
            .unwrap()
            .as_millisecond();
        let now = noon - 5 * DAY;
        let lots = [
            lot(Currency::Points, 100, 0, Some(noon)),
            lot(
                Currency::Points,
                50,
                0,
                Some(noon + 8 * 3_600_000 + 59 * 60_000),
            ),
            lot(Currency::Points, 70, 0, Some(noon + 9 * 3_600_000)),
            lot(Currency::Points, 999, 0, Some(now - 1)),
            lot(Currency::Points, 0, 0, Some(noon - DAY)),
            lot(Currency::Points, 30, now + 2 * DAY, None),
            lot(Currency::Points, 20, now + DAY, Some(noon + 30 * DAY)),
            lot(Currency::Rubles, 500, 0, None),
        ];
        let o = outlook(&lots, now);
        assert_eq!(
            o.expiring(Currency::Points),
            Some(Dated {
                currency: Currency::Points,
                amount: Amount::from_minor(150),
                at: Timestamp::from_millisecond(noon).unwrap(),
            })
        );
        assert_eq!(
            o.pending(Currency::Points),
            Some(Dated {
                currency: Currency::Points,
                amount: Amount::from_minor(50),
                at: Timestamp::from_millisecond(now + DAY).unwrap(),
            })
        );
        assert_eq!(
            o.expiring(Currency::Rubles),
            None,
            "never expires: nothing said"
        );
        assert_eq!(o.pending(Currency::Rubles), None);
        assert!(outlook(&[], now).is_empty());
    }

    #[test]
    fn a_bad_lot_is_said_with_each_of_its_faults() {
        assert_eq!(lot_sentence(&(7, 1000, 1200, -200)), "lot 7: 12 left of 10");
        assert_eq!(
            lot_sentence(&(8, 1000, 0, 1500)),
            "lot 8: spent 15, more than the 10 it held; 0 left but its spends leave -5"
        );
        assert_eq!(
            mismatch_sentence(&(3, "points".into(), 500, 400)),
            "client 3: points balance 5 but its lots hold 4"
        );
    }
}

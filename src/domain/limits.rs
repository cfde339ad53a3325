//! Shop rules on spending, set on the server per point of sale, and the manager's PIN that
//! goes past them.

use super::{Amount, Currency};
use std::fmt;

/// One of the rules a write-off can be refused by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitKind {
    /// Points and roubles together at most this share of the receipt's total.
    ReceiptShare,
    /// Points and roubles together at most this much in one write-off.
    Operation,
    /// At most this many write-offs per client per day.
    ClientDay,
    /// At most this much written off per cashier per shift (the server's day).
    CashierShift,
}

impl LimitKind {
    pub const ALL: [LimitKind; 4] = [
        LimitKind::ReceiptShare,
        LimitKind::Operation,
        LimitKind::ClientDay,
        LimitKind::CashierShift,
    ];

    /// How the server's refusals, its config and the wire spell it.
    pub fn code(self) -> &'static str {
        match self {
            LimitKind::ReceiptShare => "receipt_share",
            LimitKind::Operation => "operation",
            LimitKind::ClientDay => "client_day",
            LimitKind::CashierShift => "cashier_shift",
        }
    }

    pub fn from_code(code: &str) -> Option<LimitKind> {
        LimitKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The limits of one point of sale; `None` is no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    /// Percent of the receipt's total, 1..=100.
    pub receipt_share: Option<u8>,
    pub operation: Option<Amount>,
    pub client_day: Option<u32>,
    pub cashier_shift: Option<Amount>,
}

impl Limits {
    pub fn is_empty(&self) -> bool {
        *self == Limits::default()
    }
}

/// What the client may write off now, limits counted: per currency, and the limit that
/// bounds it below the balance, if one does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Available {
    pub points: Amount,
    pub rubles: Amount,
    pub limited_by: Option<LimitKind>,
    /// What points and roubles may come to together, when that limit bounds them (each
    /// figure above is at most this, not this each).
    pub together: Option<Amount>,
}

impl Available {
    pub fn get(&self, currency: Currency) -> Amount {
        match currency {
            Currency::Points => self.points,
            Currency::Rubles => self.rubles,
        }
    }
}

/// What a provider can do beyond a plain write-off. `loyalty serve` says all of it; the
/// live seed-001 vendor reverses only a write-off made through holds, by refunding them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Capabilities {
    /// Reverses any of its write-offs, in part or in full, by operation.
    pub reversal: bool,
    /// Keeps a write-off's receipt.
    pub receipt: bool,
    /// Answers what may be written off under its limits.
    pub limits: bool,
    /// Answers the shift report from its ledger.
    pub shift_report: bool,
    /// Sends and checks confirmation codes, under this policy for the till's point of sale.
    pub codes: Option<super::codes::CodePolicy>,
    /// Keeps points in lots that expire and activate, and answers their outlook.
    pub outlook: bool,
}

/// A manager's PIN as typed: sent once, in a header, never printed or journalled.
#[derive(Clone, PartialEq, Eq)]
pub struct ManagerPin(String);

/// Longest PIN taken; a manager's PIN is a few digits.
pub const PIN_MAX: usize = 32;

impl ManagerPin {
    /// A PIN of 4 to [`PIN_MAX`] digits; `None` for anything else.
    pub fn new(text: &str) -> Option<ManagerPin> {
        let ok = (4..=PIN_MAX).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| ManagerPin(text.to_string()))
    }

    /// The digits, for the one place that sends or checks them.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ManagerPin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ManagerPin(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_is_digits_and_never_printed() {
        assert!(ManagerPin::new("123").is_none());
        assert!(ManagerPin::new("12a4").is_none());
        let pin = ManagerPin::new("4321").unwrap();
        assert_eq!(format!("{pin:?}"), "ManagerPin(***)");
        assert_eq!(pin.expose(), "4321");
    }

    #[test]
    fn limit_codes_read_back() {
        for kind in LimitKind::ALL {
            assert_eq!(LimitKind::from_code(kind.code()), Some(kind));
        }
    }
}

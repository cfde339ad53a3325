//! Loyalty types that know no wire format: what the console shows and the server stores.

pub mod admin;
pub mod codes;
pub mod days;
pub mod error;
pub mod export;
pub mod journal;
pub mod limits;
pub mod lots;
pub mod mask;
pub mod money;
pub mod phone;
pub mod reconcile;
pub mod reversal;
pub mod search;
pub mod setting;
pub mod shift;
pub mod text;

pub use error::{ErrorKind, Reason, ServiceError};

/// Longest seed-001 login (an email or a phone) accepted: an email is at most 254 characters.
pub const LOGIN_MAX: usize = 254;
pub use money::{Amount, AmountError};
pub use reversal::{About, OperationId, Receipt, Reversal};
pub use search::ClientQuery;

use jiff::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClientId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CouponId(pub i64);

/// A client as search returns them; every contact field may be absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub id: ClientId,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The two balances a client can spend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Currency {
    Points,
    Rubles,
}

impl Currency {
    pub const ALL: [Currency; 2] = [Currency::Points, Currency::Rubles];

    /// Its name in stores, journals and exports: `points`, `rubles` (seed 001 spells it so
    /// on the wire too, but that is the wire's business).
    pub fn code(self) -> &'static str {
        match self {
            Currency::Points => "points",
            Currency::Rubles => "rubles",
        }
    }

    /// The currency a stored [`code`](Currency::code) names; `None` for a code this
    /// version does not know.
    pub fn from_code(code: &str) -> Option<Currency> {
        Currency::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// What the client may spend now, per currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Balances {
    pub points: Amount,
    pub rubles: Amount,
}

impl Balances {
    pub fn get(&self, currency: Currency) -> Amount {
        match currency {
            Currency::Points => self.points,
            Currency::Rubles => self.rubles,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coupon {
    pub id: CouponId,
    pub title: String,
    /// The coupon is valid up to and including this instant; `None` means no expiry.
    pub expires_at: Option<Timestamp>,
}

impl Coupon {
    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expires_at.is_some_and(|t| now > t)
    }
}

/// One balance movement; write-offs are negative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub amount: Amount,
    pub currency: Currency,
    pub at: Timestamp,
    pub transaction_id: String,
    /// What the server says of the movement beyond its amount (our server does; the
    /// vendors' history rows are bare).
    pub about: Option<About>,
}

impl HistoryEntry {
    /// The number people name the movement by: its operation's where the server keeps
    /// operations (what a reversal names), else the vendor's transaction id.
    pub fn shown_id(&self) -> String {
        match self.about.as_ref().and_then(|a| a.operation) {
            Some(operation) => operation.to_string(),
            None => self.transaction_id.clone(),
        }
    }
}

/// A page of balance history, optionally limited to a period (both ends inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryQuery {
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub offset: u32,
    pub limit: u32,
    /// The last row of the page before this one, where the asker has it: `offset` still
    /// says where the page is (a vendor pages by it), and a server that knows the row reads
    /// on from it instead of stepping over `offset` rows again.
    pub after: Option<HistoryCursor>,
}

/// A history row as the next page starts after it: its time and its transaction id, the
/// order history is kept in (newest first, ties by the larger id first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryCursor {
    pub at: Timestamp,
    pub id: i64,
}

impl HistoryCursor {
    /// The cursor after `entry`; none for a vendor whose transaction ids are not numbers
    /// (`loyalty serve`'s always are, and only it reads the cursor).
    pub fn after(entry: &HistoryEntry) -> Option<HistoryCursor> {
        let id = entry.transaction_id.parse().ok()?;
        Some(HistoryCursor { at: entry.at, id })
    }
}

/// One write-off: any of the two balances and any of the client's coupons, all at once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WriteOff {
    pub points: Option<Amount>,
    pub rubles: Option<Amount>,
    pub coupons: Vec<CouponId>,
    /// The receipt it pays part of, when the cashier gave one.
    pub receipt: Option<Receipt>,
    /// Why a manager let it past a shop limit: given with the manager's PIN.
    pub why: Option<reversal::Why>,
    /// The client's confirmation code, where the server checks it with the write-off
    /// ([`codes::CodeCheck::Carried`]).
    pub code: Option<codes::ConfirmationCode>,
}

impl WriteOff {
    pub fn is_empty(&self) -> bool {
        self.points.is_none() && self.rubles.is_none() && self.coupons.is_empty()
    }

    /// The balance part as (currency, amount) pairs, in a fixed order.
    pub fn balance_parts(&self) -> Vec<(Currency, Amount)> {
        [
            (Currency::Points, self.points),
            (Currency::Rubles, self.rubles),
        ]
        .into_iter()
        .filter_map(|(c, a)| a.map(|a| (c, a)))
        .collect()
    }
}

#[cfg(test)]
mod currency_codes {
    use super::Currency;

    #[test]
    fn a_stored_code_names_its_currency_and_no_other() {
        for currency in Currency::ALL {
            assert_eq!(Currency::from_code(currency.code()), Some(currency));
        }
        for unknown in ["", "Points", "rub", "points "] {
            assert_eq!(Currency::from_code(unknown), None, "{unknown:?}");
        }
    }
}

//! Money back the other way: a reversal (сторно) of an earlier write-off, the operation it
//! names, and why it was asked for. What the server keeps of each movement (who, why, the
//! receipt) is here too, since history and the journal show it the same way.

use super::{Amount, ClientId, CouponId, Currency};
use jiff::Timestamp;
use std::fmt;

/// The server's number for one money movement (a write-off or a reversal): what history,
/// the journal and `loyalty reverse` name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OperationId(pub i64);

impl fmt::Display for OperationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The receipt a write-off pays part of: its number and its total before points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub number: String,
    pub total: Amount,
}

/// Longest receipt number kept; fiscal registrars print far shorter ones.
pub const RECEIPT_NUMBER_MAX: usize = 64;
/// Longest free-text note of a reason.
pub const NOTE_MAX: usize = 200;

/// The short list a reversal or an override is explained by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReasonCode {
    Mistake,
    Returned,
    Complaint,
    Other,
}

impl ReasonCode {
    pub const ALL: [ReasonCode; 4] = [
        ReasonCode::Mistake,
        ReasonCode::Returned,
        ReasonCode::Complaint,
        ReasonCode::Other,
    ];

    /// How stores, the wire, the journal and the command line spell it.
    pub fn code(self) -> &'static str {
        match self {
            ReasonCode::Mistake => "mistake",
            ReasonCode::Returned => "returned",
            ReasonCode::Complaint => "complaint",
            ReasonCode::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<ReasonCode> {
        ReasonCode::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// A reason as given: a code and, for `Other` necessarily, a note in the person's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Why {
    pub code: ReasonCode,
    pub note: Option<String>,
}

/// Why a reason cannot be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhyError {
    /// `Other` says nothing without its note.
    NoteMissing,
    NoteTooLong,
}

impl Why {
    /// A reason whose note is trimmed, bounded and present when the code is `Other`.
    pub fn new(code: ReasonCode, note: Option<&str>) -> Result<Why, WhyError> {
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if note.is_some_and(|n| n.chars().count() > NOTE_MAX) {
            return Err(WhyError::NoteTooLong);
        }
        if code == ReasonCode::Other && note.is_none() {
            return Err(WhyError::NoteMissing);
        }
        Ok(Why {
            code,
            note: note.map(super::text::clean),
        })
    }
}

/// Giving back all or part of an earlier write-off: its balance parts (each at most what is
/// left of the original's) and coupons (the original's, back if they have not expired).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reversal {
    pub original: OperationId,
    pub client: ClientId,
    pub points: Option<Amount>,
    pub rubles: Option<Amount>,
    pub coupons: Vec<CouponId>,
    pub why: Why,
}

impl Reversal {
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

/// A write-off the live seed-001 vendor took through holds, given back whole by refunding
/// its holds (the vendor's only way back). It has no server number: it names the write-off
/// by its journal key, which is also how a second refund of it is told apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    pub of_key: String,
    pub client: ClientId,
    /// What the write-off took, all of which comes back.
    pub taken: super::WriteOff,
    pub why: Why,
}

/// What kind of movement an operation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    WriteOff,
    Reversal,
}

impl OperationKind {
    pub fn code(self) -> &'static str {
        match self {
            OperationKind::WriteOff => "write_off",
            OperationKind::Reversal => "reversal",
        }
    }

    pub fn from_code(code: &str) -> Option<OperationKind> {
        [OperationKind::WriteOff, OperationKind::Reversal]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// Who made a movement: the till's principal (its `serve user`), the seed-001 login the
/// cashier gave, and the manager whose PIN allowed it, if one was needed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Who {
    pub principal: Option<String>,
    pub login: Option<String>,
    pub manager: Option<String>,
}

/// One operation as the server keeps it, with what has been reversed of it so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub id: OperationId,
    pub client: ClientId,
    pub kind: OperationKind,
    pub at: Timestamp,
    pub points: Amount,
    pub rubles: Amount,
    pub coupons: Vec<CouponId>,
    /// Of a write-off: what its reversals gave back so far.
    pub reversed_points: Amount,
    pub reversed_rubles: Amount,
    pub reversed_coupons: Vec<CouponId>,
    pub receipt: Option<Receipt>,
    pub who: Who,
    pub why: Option<Why>,
    /// Of a reversal: the write-off it gives back.
    pub original: Option<OperationId>,
}

impl Operation {
    /// What is left to reverse of `currency`.
    pub fn left(&self, currency: Currency) -> Amount {
        let (taken, back) = match currency {
            Currency::Points => (self.points, self.reversed_points),
            Currency::Rubles => (self.rubles, self.reversed_rubles),
        };
        Amount::from_minor(taken.minor() - back.minor())
    }

    /// The original's coupons not given back yet.
    pub fn coupons_left(&self) -> Vec<CouponId> {
        self.coupons
            .iter()
            .filter(|c| !self.reversed_coupons.contains(c))
            .copied()
            .collect()
    }
}

/// What a history row or a journal row knows of the movement beyond its amount.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct About {
    pub operation: Option<OperationId>,
    pub kind: Option<OperationKind>,
    pub who: Who,
    pub why: Option<Why>,
    pub receipt: Option<Receipt>,
    pub original: Option<OperationId>,
    /// How a write-off that needed the client's code was allowed.
    pub confirmed: Option<super::codes::Confirmed>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_code_is_read_back_from_its_spelling_only() {
        for code in ReasonCode::ALL {
            assert_eq!(ReasonCode::from_code(code.code()), Some(code));
        }
        assert_eq!(ReasonCode::from_code("Mistake"), None);
    }

    #[test]
    fn other_needs_its_note_and_notes_are_bounded() {
        assert_eq!(
            Why::new(ReasonCode::Other, Some("  ")),
            Err(WhyError::NoteMissing)
        );
        assert_eq!(
            Why::new(ReasonCode::Mistake, Some(&"я".repeat(NOTE_MAX + 1))),
            Err(WhyError::NoteTooLong)
        );
        let why = Why::new(ReasonCode::Other, Some(" сломан чек ")).unwrap();
        assert_eq!(why.note.as_deref(), Some("сломан чек"));
    }

    #[test]
    fn what_is_left_subtracts_what_came_back() {
        let op = Operation {
            id: OperationId(1),
            client: ClientId(1),
            kind: OperationKind::WriteOff,
            at: Timestamp::UNIX_EPOCH,
            points: Amount::from_minor(10_000),
            rubles: Amount::ZERO,
            coupons: vec![CouponId(1), CouponId(2)],
            reversed_points: Amount::from_minor(2_500),
            reversed_rubles: Amount::ZERO,
            reversed_coupons: vec![CouponId(2)],
            receipt: None,
            who: Who::default(),
            why: None,
            original: None,
        };
        assert_eq!(op.left(Currency::Points), Amount::from_minor(7_500));
        assert_eq!(op.coupons_left(), vec![CouponId(1)]);
    }
}

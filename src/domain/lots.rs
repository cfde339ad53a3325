//! Points that burn soon and points not yet spendable, as the client card shows them:
//! «сгорит N до DATE» and «неактивно до DATE». Only what a provider says is shown: an
//! empty outlook shows nothing, never an invented figure.

use super::{Amount, Currency};
use jiff::Timestamp;

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

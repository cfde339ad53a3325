//! The server's one database: clients, an append-only ledger of balance movements with
//! balances maintained from it by trigger, coupons, holds, the back office and the users.
//!
//! Balances are never written directly: every movement is a ledger row, and a trigger adds it
//! to the client's balance row, whose `CHECK (amount >= 0)` refuses any overdraw inside the
//! same statement. So the balance always equals the ledger sum, and no interleaving of tills
//! can take it below zero.
//!
//! [`Store`] is the one interface the routes use, over two stores side by side, each in its
//! own folder with its schema in `assets/<store>/`: a SQLite file for one shop ([`Sqlite`],
//! `sqlite/`) and PostgreSQL for a chain ([`Postgres`], `postgres/`), where several
//! instances share one database. What both mean alike is written once, in `rules/` and
//! `search`; each store only says it in its own SQL.

mod facade;
pub mod postgres;
pub mod rules;
mod search;
pub mod sqlite;
mod target;

pub use facade::Store;
pub use postgres::Postgres;
pub use rules::back_office::{
    AccumulationRow, CardFilter, CardPage, OperationFilter, PromotionRow, StoredCard,
};
pub use rules::check::{LedgerMismatch, Report};
pub use rules::spending::{Answer, Idempotency, KEY_RETENTION_MS, Keyed, Made, Written};
pub use rules::{HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT};
pub(crate) use search::like_literal;
pub use search::{ClientPage, ContactKeys, SEARCH_LIMIT};
pub use sqlite::{Sqlite, balances, history, search_clients};
pub use target::DbTarget;

use crate::domain::Amount;
use crate::domain::limits::LimitKind;

/// Failures of the store; the routes turn each into a status and a JSON reason.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("client {0} not found")]
    ClientNotFound(i64),
    #[error("{0}")]
    Refused(Refusal),
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    /// Shown with its causes: the driver's own text is only "db error".
    #[error("database: {}", with_causes(.0))]
    Postgres(tokio_postgres::Error),
    /// No PostgreSQL connection could be had (the server is down, the pool is exhausted).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database worker failed: {0}")]
    Worker(String),
    /// A request the store refuses as given (a duplicate name, say), in words for the user.
    #[error("{0}")]
    Invalid(String),
    /// The file was written by a newer `loyalty` than this one.
    #[error(
        "the database's schema is version {found}, newer than the {known} this loyalty knows: run a newer loyalty"
    )]
    NewerSchema { found: i64, known: i64 },
}

/// A connection that could not be had: before any statement, so nothing was done.
impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        StoreError::Unavailable(with_causes(&e))
    }
}

/// A statement PostgreSQL cancelled for its time bound (`statement_timeout`,
/// `lock_timeout`) rolled its transaction back, so nothing was done: the caller may try
/// again. Text with a NUL byte, which PostgreSQL's `text` cannot hold, is the request's
/// fault, not the server's.
impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        use tokio_postgres::error::SqlState;
        match e.code() {
            Some(code)
                if *code == SqlState::LOCK_NOT_AVAILABLE || *code == SqlState::QUERY_CANCELED =>
            {
                StoreError::Unavailable(format!("the database was too busy: {}", with_causes(&e)))
            }
            Some(code) if *code == SqlState::CHARACTER_NOT_IN_REPERTOIRE => {
                StoreError::Invalid("text with a NUL character cannot be stored".into())
            }
            _ => StoreError::Postgres(e),
        }
    }
}

/// An error and its sources in one line: the pool's own message ("error connecting to
/// server") says nothing of why without them.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        source = cause.source();
    }
    text
}

/// Why a write-off was refused; nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("insufficient {currency} balance: {available} available, {requested} requested")]
    Insufficient {
        currency: &'static str,
        available: Amount,
        requested: Amount,
    },
    #[error("coupon {0} does not belong to this client")]
    CouponNotFound(i64),
    #[error("coupon {0} has expired")]
    CouponExpired(i64),
    #[error("coupon {0} is already redeemed")]
    CouponRedeemed(i64),
    #[error("coupon {0} is held by an open transaction")]
    CouponHeld(i64),
    #[error("no transaction {0}")]
    HoldNotFound(String),
    #[error("transaction {0} has expired")]
    HoldExpired(String),
    #[error("transaction {0} is {1}")]
    HoldState(String, &'static str),
    #[error(
        "transaction {0} was held by another till's key: only that till or an admin may write it off, cancel or refund it"
    )]
    HoldOfAnother(String),
    /// A limit of the point of sale: its code, and its value as the message names it.
    #[error("over the point of sale's {kind} limit of {1}", kind = .0.code())]
    Limit(LimitKind, String),
    #[error(
        "the point of sale limits the receipt's share, so the receipt and its total are needed"
    )]
    ReceiptRequired,
    #[error("no operation {0}")]
    OperationNotFound(i64),
    #[error("operation {0} is not a write-off of this client")]
    NotReversible(i64),
    /// What the reversal asks for, what is left of it.
    #[error("operation {0}: {1}")]
    OverReversal(i64, String),
    /// A confirmation code refused, or its send (`rules::codes`).
    #[error("{}", .0.message())]
    Code(rules::codes::CodeRefusal),
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Insufficient { .. } => "insufficient_balance",
            Refusal::CouponNotFound(_) => "coupon_not_found",
            Refusal::CouponExpired(_) => "coupon_expired",
            Refusal::CouponRedeemed(_) => "coupon_redeemed",
            Refusal::CouponHeld(_) => "coupon_held",
            Refusal::HoldNotFound(_) => "transaction_not_found",
            Refusal::HoldExpired(_) => "transaction_expired",
            Refusal::HoldState(..) => "transaction_state",
            Refusal::HoldOfAnother(_) => "transaction_forbidden",
            Refusal::Limit(kind, _) => match kind {
                LimitKind::ReceiptShare => "limit_receipt_share",
                LimitKind::Operation => "limit_operation",
                LimitKind::ClientDay => "limit_client_day",
                LimitKind::CashierShift => "limit_cashier_shift",
            },
            Refusal::ReceiptRequired => "receipt_required",
            Refusal::OperationNotFound(_) => "operation_not_found",
            Refusal::NotReversible(_) => "not_reversible",
            Refusal::OverReversal(..) => "over_reversal",
            Refusal::Code(r) => r.code(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Reason;
    use crate::wire::ext::refusal_reason;

    /// The console reads each of money-back's refusals by its code as the reason it is.
    #[test]
    fn every_new_refusal_code_is_read_as_its_reason() {
        let limits = LimitKind::ALL.map(|k| (Refusal::Limit(k, String::new()), Reason::Limit(k)));
        let others = [
            (Refusal::ReceiptRequired, Reason::ReceiptRequired),
            (Refusal::OperationNotFound(1), Reason::NotReversible),
            (Refusal::NotReversible(1), Reason::NotReversible),
            (
                Refusal::OverReversal(1, String::new()),
                Reason::OverReversal,
            ),
        ];
        for (refusal, reason) in limits.into_iter().chain(others) {
            assert_eq!(refusal_reason(refusal.code()), Some(reason), "{refusal:?}");
        }
        // The route's own refusals of a manager's PIN.
        assert_eq!(
            refusal_reason("manager_required"),
            Some(Reason::ManagerRequired)
        );
        assert_eq!(refusal_reason("pin_wrong"), Some(Reason::PinWrong));
    }
}

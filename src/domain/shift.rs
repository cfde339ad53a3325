//! The shift report (Итоги смены): per cashier, in each currency, what was written off and
//! given back since the shift began.

use super::Balances;
use jiff::Timestamp;

/// Where a report's figures come from: the server's ledger covers every till; a till's own
/// journal covers only what this console sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportSource {
    Server,
    Journal,
}

/// One cashier's figures: the amounts per currency, the counts of movements.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShiftRow {
    /// The till's principal and the cashier's login as the ledger names them (from a
    /// journal: the profile and the system user).
    pub principal: Option<String>,
    pub login: Option<String>,
    pub written_off: Balances,
    pub reversed: Balances,
    pub write_offs: u32,
    pub reversals: u32,
    pub coupons: u32,
    pub coupons_back: u32,
    /// Movements a manager's PIN allowed.
    pub overrides: u32,
    /// Write-offs a manager's PIN let go without the client's code (also counted in
    /// `overrides`).
    pub bypasses: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftReport {
    pub since: Timestamp,
    pub source: ReportSource,
    pub rows: Vec<ShiftRow>,
    /// This till's movements since `since` whose outcome is still unknown: only its
    /// journal knows them, whichever the source.
    pub unknown: u32,
    /// Every write-off a manager's PIN let go without the client's code, with both names.
    pub bypasses: Vec<Bypass>,
}

/// One write-off that went without the client's code because a manager allowed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bypass {
    pub operation: Option<super::OperationId>,
    pub at: Timestamp,
    pub principal: Option<String>,
    pub login: Option<String>,
    pub manager: Option<String>,
    pub points: super::Amount,
    pub rubles: super::Amount,
}

//! Operations and their reversals, on either store: what a stored operation reads back as,
//! what a reversal may give back, and what the shift report sums. Each store reads the rows
//! in its own SQL ([`Stored`], [`ShiftLine`]) and asks here.
//!
//! What an operation moved is the sum of its ledger rows (write-offs negative, reversals
//! positive), so the amounts are kept once. A reversal gives back at most what is left of
//! its original in each currency, and only the original's coupons not given back yet; a
//! coupon that has expired since is not given back, and then nothing is.

use crate::domain::codes::Confirmed;
use crate::domain::reversal::{About, Operation, OperationKind, Who};
use crate::domain::shift::{Bypass, ReportSource, ShiftReport, ShiftRow};
use crate::domain::{
    Amount, Balances, ClientId, CouponId, Currency, OperationId, Receipt, Reversal,
};
use crate::server::store::{Refusal, StoreError};
use crate::wire::ext_operations::why_from_wire;
use jiff::Timestamp;

/// An operation's own row as a store keeps it.
#[derive(Debug, Clone)]
pub struct Stored {
    pub client: i64,
    pub kind: String,
    pub at_ms: i64,
    pub receipt_number: Option<String>,
    pub receipt_total: Option<i64>,
    pub principal: Option<String>,
    pub login: Option<String>,
    pub manager: Option<String>,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub original: Option<i64>,
    /// How a write-off that needed the client's code was allowed (`code`, `manager`).
    pub confirmed: Option<String>,
}

/// Ledger sums by currency code, as `(currency, sum)` rows.
pub type Sums = Vec<(String, i64)>;

fn amount_of(sums: &Sums, currency: Currency) -> Amount {
    let minor = sums
        .iter()
        .filter(|(c, _)| c == currency.code())
        .map(|(_, s)| *s)
        .sum::<i64>();
    Amount::from_minor(minor.abs())
}

/// An operation from its row, its own ledger sums and coupons, and (of a write-off) what
/// its reversals gave back so far.
pub fn operation(
    id: OperationId,
    row: Stored,
    own: &Sums,
    coupons: Vec<i64>,
    back: &Sums,
    coupons_back: Vec<i64>,
) -> Result<Operation, StoreError> {
    let kind = OperationKind::from_code(&row.kind)
        .ok_or_else(|| StoreError::Worker(format!("operation {id}: kind {:?}", row.kind)))?;
    let receipt = receipt_of(row.receipt_number, row.receipt_total);
    Ok(Operation {
        id,
        client: ClientId(row.client),
        kind,
        at: Timestamp::from_millisecond(row.at_ms).unwrap_or(Timestamp::UNIX_EPOCH),
        points: amount_of(own, Currency::Points),
        rubles: amount_of(own, Currency::Rubles),
        coupons: coupons.into_iter().map(CouponId).collect(),
        reversed_points: amount_of(back, Currency::Points),
        reversed_rubles: amount_of(back, Currency::Rubles),
        reversed_coupons: coupons_back.into_iter().map(CouponId).collect(),
        receipt,
        who: Who {
            principal: row.principal,
            login: row.login,
            manager: row.manager,
        },
        why: why_from_wire(row.reason.as_deref(), row.note.as_deref()),
        original: row.original.map(OperationId),
    })
}

/// What a history row of operation `id` says beyond its amount.
pub fn about(id: i64, row: Stored) -> About {
    About {
        operation: Some(OperationId(id)),
        kind: OperationKind::from_code(&row.kind),
        who: Who {
            principal: row.principal,
            login: row.login,
            manager: row.manager,
        },
        why: why_from_wire(row.reason.as_deref(), row.note.as_deref()),
        receipt: receipt_of(row.receipt_number, row.receipt_total),
        original: row.original.map(OperationId),
        confirmed: row.confirmed.as_deref().and_then(Confirmed::from_code),
    }
}

fn receipt_of(number: Option<String>, total: Option<i64>) -> Option<Receipt> {
    match (number, total) {
        (Some(number), Some(total)) => Some(Receipt {
            number,
            total: Amount::from_minor(total),
        }),
        _ => None,
    }
}

/// Whether `reversal` may give back what it asks of `original` (read under the lock that
/// keeps other reversals of it out), given each asked coupon's expiry. Nothing is done
/// unless all of it may be.
pub fn reversal_verdict(
    original: Option<&Operation>,
    reversal: &Reversal,
    expiries: &[(CouponId, Option<i64>)],
    now_ms: i64,
) -> Result<(), StoreError> {
    let refused = |r| Err(StoreError::Refused(r));
    let id = reversal.original.0;
    let Some(original) = original else {
        return refused(Refusal::OperationNotFound(id));
    };
    if original.kind != OperationKind::WriteOff || original.client != reversal.client {
        return refused(Refusal::NotReversible(id));
    }
    for (currency, amount) in reversal.balance_parts() {
        let left = original.left(currency);
        if amount > left {
            return refused(Refusal::OverReversal(
                id,
                format!("{amount} {} asked back, {left} left", currency.code()),
            ));
        }
    }
    let left = original.coupons_left();
    for coupon in &reversal.coupons {
        if !left.contains(coupon) {
            return refused(Refusal::OverReversal(
                id,
                format!(
                    "coupon {} is not one it redeemed, or is back already",
                    coupon.0
                ),
            ));
        }
        let expired = expiries
            .iter()
            .any(|(c, exp)| c == coupon && exp.is_some_and(|e| e < now_ms));
        if expired {
            return refused(Refusal::CouponExpired(coupon.0));
        }
    }
    Ok(())
}

/// One operation since the shift began, as the report sums it.
#[derive(Debug, Clone)]
pub struct ShiftLine {
    pub id: i64,
    pub at_ms: i64,
    pub principal: Option<String>,
    pub login: Option<String>,
    pub kind: String,
    /// The manager whose PIN allowed it, if one did.
    pub manager: Option<String>,
    pub confirmed: Option<String>,
    pub points: i64,
    pub rubles: i64,
    pub coupons: i64,
}

/// The shift report from the operations since `since`: a row per (principal, login) in
/// the order first seen, and every write-off a manager let go without the client's code
/// (only those a code was asked for are marked so).
pub fn shift_report(since: Timestamp, lines: Vec<ShiftLine>) -> ShiftReport {
    let mut rows: Vec<ShiftRow> = Vec::new();
    let mut bypasses = Vec::new();
    for line in lines {
        let at = match rows
            .iter()
            .position(|r| r.principal == line.principal && r.login == line.login)
        {
            Some(at) => at,
            None => {
                rows.push(ShiftRow {
                    principal: line.principal.clone(),
                    login: line.login.clone(),
                    ..ShiftRow::default()
                });
                rows.len() - 1
            }
        };
        let row = &mut rows[at];
        let add = |b: &mut Balances| {
            b.points = Amount::from_minor(b.points.minor() + line.points.abs());
            b.rubles = Amount::from_minor(b.rubles.minor() + line.rubles.abs());
        };
        let coupons = u32::try_from(line.coupons).unwrap_or(u32::MAX);
        if line.kind == OperationKind::Reversal.code() {
            add(&mut row.reversed);
            row.reversals += 1;
            row.coupons_back += coupons;
        } else {
            add(&mut row.written_off);
            row.write_offs += 1;
            row.coupons += coupons;
        }
        row.overrides += u32::from(line.manager.is_some());
        if line.kind == OperationKind::WriteOff.code()
            && line.confirmed.as_deref() == Some(Confirmed::Manager.code())
        {
            row.bypasses += 1;
            bypasses.push(Bypass {
                operation: Some(OperationId(line.id)),
                at: Timestamp::from_millisecond(line.at_ms).unwrap_or(Timestamp::UNIX_EPOCH),
                principal: line.principal,
                login: line.login,
                manager: line.manager,
                points: Amount::from_minor(line.points.abs()),
                rubles: Amount::from_minor(line.rubles.abs()),
            });
        }
    }
    ShiftReport {
        since,
        source: ReportSource::Server,
        rows,
        unknown: 0,
        bypasses,
    }
}

//! The write-off form: its tab order, the coupons picked, and the check that turns what was
//! typed (amounts, coupons, the receipt, a manager's PIN) into a `WriteOff`.

use super::super::super::model::{FormProblem, WriteOffDialog, WriteOffField, next_in};
use crate::domain::limits::ManagerPin;
use crate::domain::reversal::{RECEIPT_NUMBER_MAX, Why, WhyError};
use crate::domain::{Amount, Balances, Receipt, WriteOff};
use tui_input::Input;

/// Tab order: the amounts, the coupons if there are any, the receipt when it is asked, the
/// PIN once a limit refused.
pub(super) fn next_field(d: &WriteOffDialog, backwards: bool) -> WriteOffField {
    use WriteOffField::*;
    let order: Vec<WriteOffField> = [
        Points,
        Rubles,
        Coupons,
        ReceiptNumber,
        ReceiptTotal,
        Pin,
        OverrideReason,
        OverrideNote,
    ]
    .into_iter()
    .filter(|f| match f {
        Coupons => !d.coupons.is_empty(),
        ReceiptNumber | ReceiptTotal => d.receipt_shown,
        Pin | OverrideReason | OverrideNote => d.pin.is_some(),
        Points | Rubles => true,
    })
    .collect();
    next_in(&order, d.field, backwards)
}

/// The PIN typed into the offered field, if one is.
pub(super) fn manager_pin(d: &WriteOffDialog) -> Result<Option<ManagerPin>, FormProblem> {
    match &d.pin {
        Some(pin) if !pin.is_empty() => ManagerPin::new(pin.0.value())
            .map(Some)
            .ok_or(FormProblem::PinMissing),
        _ => Ok(None),
    }
}

/// Why the manager lets it past a limit: asked with the PIN, sent only with one.
fn override_why(d: &WriteOffDialog) -> Result<Option<Why>, FormProblem> {
    if d.pin.as_ref().is_none_or(|p| p.is_empty()) {
        return Ok(None);
    }
    let reason = d
        .override_reason
        .ok_or(FormProblem::OverrideReasonMissing)?;
    Why::new(reason, Some(d.override_note.value()))
        .map(Some)
        .map_err(|e| match e {
            WhyError::NoteMissing => FormProblem::OverrideNoteMissing,
            WhyError::NoteTooLong => FormProblem::OverrideNoteTooLong,
        })
}

/// The receipt's number and total: both or neither, and both when required.
fn receipt(d: &WriteOffDialog) -> Result<Option<Receipt>, FormProblem> {
    if !d.receipt_shown {
        return Ok(None);
    }
    let number = d.receipt_number.value().trim();
    let total = d.receipt_total.value().trim();
    match (number.is_empty(), total.is_empty()) {
        (true, true) if d.receipt_required => Err(FormProblem::ReceiptMissing),
        (true, true) => Ok(None),
        (false, false) => {
            if number.chars().count() > RECEIPT_NUMBER_MAX {
                return Err(FormProblem::ReceiptNumberTooLong);
            }
            let field = WriteOffField::ReceiptTotal;
            let total =
                Amount::parse_user(total).map_err(|error| FormProblem::Amount { field, error })?;
            if !total.is_positive() {
                return Err(FormProblem::NotPositive(field));
            }
            Ok(Some(Receipt {
                number: crate::domain::text::clean(number),
                total,
            }))
        }
        _ => Err(FormProblem::ReceiptHalf),
    }
}

pub(super) fn toggle_coupon(d: &mut WriteOffDialog, now: jiff::Timestamp) {
    let Some(coupon) = d.coupons.get(d.coupon_cursor) else {
        return;
    };
    if d.chosen.remove(&coupon.id) {
        d.problem = None;
    } else if coupon.is_expired(now) {
        d.problem = Some(FormProblem::CouponExpired(coupon.id));
    } else {
        d.chosen.insert(coupon.id);
        d.problem = None;
    }
}

/// `+` from any field: the coupon list takes the focus and the first spendable coupon not
/// yet picked, from the cursor on, is picked; so a coupon costs `w`, `+`, Enter, `y`.
pub(super) fn pick_next_coupon(d: &mut WriteOffDialog, now: jiff::Timestamp) {
    let len = d.coupons.len();
    if len == 0 {
        return;
    }
    d.field = WriteOffField::Coupons;
    let next = (0..len).map(|i| (d.coupon_cursor + i) % len).find(|&i| {
        let coupon = &d.coupons[i];
        !coupon.is_expired(now) && !d.chosen.contains(&coupon.id)
    });
    if let Some(i) = next {
        d.coupon_cursor = i;
        d.chosen.insert(d.coupons[i].id);
        d.problem = None;
    }
}

fn amount(
    input: &Input,
    field: WriteOffField,
    balances: &Balances,
) -> Result<Option<Amount>, FormProblem> {
    if input.value().trim().is_empty() {
        return Ok(None);
    }
    let amount =
        Amount::parse_user(input.value()).map_err(|error| FormProblem::Amount { field, error })?;
    if !amount.is_positive() {
        return Err(FormProblem::NotPositive(field));
    }
    let available = match field {
        WriteOffField::Points => balances.points,
        _ => balances.rubles,
    };
    if amount > available {
        return Err(FormProblem::AboveBalance { field, available });
    }
    Ok(Some(amount))
}

/// Checks the form against what the console knows; the server checks again.
pub(super) fn validate(d: &WriteOffDialog, now: jiff::Timestamp) -> Result<WriteOff, FormProblem> {
    let points = amount(&d.points, WriteOffField::Points, &d.balances)?;
    let rubles = amount(&d.rubles, WriteOffField::Rubles, &d.balances)?;
    let mut coupons = Vec::new();
    for coupon in d.coupons.iter().filter(|c| d.chosen.contains(&c.id)) {
        if coupon.is_expired(now) {
            return Err(FormProblem::CouponExpired(coupon.id));
        }
        coupons.push(coupon.id);
    }
    let request = WriteOff {
        points,
        rubles,
        coupons,
        receipt: receipt(d)?,
        why: override_why(d)?,
        code: None,
    };
    if request.is_empty() {
        return Err(FormProblem::Nothing);
    }
    Ok(request)
}

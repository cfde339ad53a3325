//! The reversal form: its tab order, the prefilled amounts, and the check that turns what
//! was typed into a `Reversal` and the manager's PIN.

use super::super::super::model::{ReversalDialog, ReversalField, ReversalProblem, next_in};
use crate::domain::limits::ManagerPin;
use crate::domain::reversal::{Why, WhyError};
use crate::domain::{Amount, Currency, Reversal};
use tui_input::Input;

/// An amount as the form is prefilled with it: typed back, it reads the same.
pub(super) fn prefill(amount: Amount) -> Input {
    if amount.is_positive() {
        Input::new(amount.to_string())
    } else {
        Input::default()
    }
}

/// Tab order: the amounts the original has, its coupons if any are left, the reason, the
/// note (only «другое» needs it, but any reason may carry one), the PIN.
pub(super) fn next_field(d: &ReversalDialog, backwards: bool) -> ReversalField {
    use ReversalField::*;
    let has_coupons = d
        .original
        .as_ref()
        .is_some_and(|o| !o.coupons_left().is_empty());
    let order: Vec<ReversalField> = [Points, Rubles, Coupons, Reason, Note, Pin]
        .into_iter()
        .filter(|f| *f != Coupons || has_coupons)
        .collect();
    next_in(&order, d.field, backwards)
}

fn amount(
    input: &Input,
    field: ReversalField,
    left: Amount,
) -> Result<Option<Amount>, ReversalProblem> {
    if input.value().trim().is_empty() {
        return Ok(None);
    }
    let amount = Amount::parse_user(input.value())
        .map_err(|error| ReversalProblem::Amount { field, error })?;
    if !amount.is_positive() {
        return Err(ReversalProblem::NotPositive(field));
    }
    if amount > left {
        return Err(ReversalProblem::AboveLeft { field, left });
    }
    Ok(Some(amount))
}

/// Checks the form against the original as read; the server checks again.
pub(super) fn validate(d: &ReversalDialog) -> Result<(Reversal, ManagerPin), ReversalProblem> {
    let Some(original) = &d.original else {
        return Err(ReversalProblem::Nothing);
    };
    let points = amount(
        &d.points,
        ReversalField::Points,
        original.left(Currency::Points),
    )?;
    let rubles = amount(
        &d.rubles,
        ReversalField::Rubles,
        original.left(Currency::Rubles),
    )?;
    let coupons = if d.coupons_back {
        original.coupons_left()
    } else {
        Vec::new()
    };
    if points.is_none() && rubles.is_none() && coupons.is_empty() {
        return Err(ReversalProblem::Nothing);
    }
    let reason = d.reason.ok_or(ReversalProblem::ReasonMissing)?;
    let note = Some(d.note.value());
    let why = Why::new(reason, note).map_err(|e| match e {
        WhyError::NoteMissing => ReversalProblem::NoteMissing,
        WhyError::NoteTooLong => ReversalProblem::NoteTooLong,
    })?;
    let manager = ManagerPin::new(d.pin.0.value()).ok_or(ReversalProblem::PinMissing)?;
    Ok((
        Reversal {
            original: d.operation,
            client: d.client,
            points,
            rubles,
            coupons,
            why,
        },
        manager,
    ))
}

//! The reversal dialog (сторно): opened on an applied write-off (a history row or a journal
//! row naming the server's operation), the original read back, the form, a confirmation
//! with Cancel focused, one request in flight, and when no answer comes the original read
//! again to judge it. Never resent blind, never cancelled on an unknown.

use super::super::keys::Action;
use super::super::model::{
    Button, Dialog, Model, Notice, PinInput, ReversalDialog, ReversalField, ReversalProblem,
    ReversalStep, ReversalVerdict, next_in,
};
use super::super::msg::{Cmd, Reply, RequestId};
use super::{card, journal};
use crate::app::keys::key::{Key, KeyCode};
use crate::app::model::Screen;
use crate::domain::journal::{Movement, Outcome};
use crate::domain::limits::ManagerPin;
use crate::domain::reversal::{Operation, OperationKind, ReasonCode, Why, WhyError};
use crate::domain::{Amount, ClientId, Currency, OperationId, Reason, Reversal};
use tui_input::Input;

/// The reversal key on F7: the selected row must be an applied write-off the server
/// numbered.
pub fn open_from_journal(model: &mut Model) -> Vec<Cmd> {
    let shown = model.journal.shown();
    let row = shown.get(model.journal.selected).copied();
    let target = row.and_then(|r| {
        let applied = matches!(
            r.outcome,
            Some(Outcome::Applied | Outcome::AppliedAfterCheck)
        );
        let write_off = matches!(r.attempt.movement, Movement::WriteOff(_));
        r.operation
            .filter(|_| applied && write_off)
            .map(|op| (op, r.attempt.client))
    });
    open(model, target)
}

/// The reversal key on F2's history: the selected row must name a write-off operation.
pub fn open_from_history(model: &mut Model) -> Vec<Cmd> {
    let target = model.card.as_ref().and_then(|card| {
        let row = card
            .history
            .rows
            .data
            .as_ref()?
            .get(card.history.selected)?;
        let about = row.about.as_ref()?;
        (about.kind == Some(OperationKind::WriteOff))
            .then_some(about.operation)
            .flatten()
            .map(|op| (op, card.client.id))
    });
    open(model, target)
}

fn open(model: &mut Model, target: Option<(OperationId, ClientId)>) -> Vec<Cmd> {
    // What the provider cannot do is not offered: the key says so instead of a dialog.
    if !model.can().reversal {
        model.notice = Some(Notice::ReversalNotOffered);
        return Vec::new();
    }
    let Some((operation, client)) = target else {
        model.notice = Some(Notice::NotReversible);
        return Vec::new();
    };
    let id = model.next_id();
    model.notice = None;
    model.dialog = Some(Dialog::Reversal(Box::new(ReversalDialog {
        operation,
        client,
        original: None,
        points: Input::default(),
        rubles: Input::default(),
        coupons_back: false,
        reason: ReasonCode::Mistake,
        note: Input::default(),
        pin: PinInput::default(),
        field: ReversalField::Points,
        problem: None,
        step: ReversalStep::Loading { id },
        last_key: None,
        manager: None,
    })));
    vec![Cmd::LoadOperation { id, operation }]
}

fn dialog(model: &mut Model) -> Option<&mut ReversalDialog> {
    match model.dialog.as_mut() {
        Some(Dialog::Reversal(d)) => Some(d),
        _ => None,
    }
}

/// An amount as the form is prefilled with it: typed back, it reads the same.
fn prefill(amount: Amount) -> Input {
    if amount.is_positive() {
        Input::new(amount.to_string())
    } else {
        Input::default()
    }
}

/// The original, read on opening or read again after an unanswered reversal.
pub fn operation_loaded(model: &mut Model, id: RequestId, result: Reply<Operation>) -> Vec<Cmd> {
    let Some(d) = dialog(model) else {
        return Vec::new();
    };
    match d.step.clone() {
        ReversalStep::Loading { id: asked } if asked == id => {
            match result {
                Ok(op) => {
                    d.points = prefill(op.left(Currency::Points));
                    d.rubles = prefill(op.left(Currency::Rubles));
                    d.coupons_back = !op.coupons_left().is_empty();
                    d.original = Some(op);
                    d.step = ReversalStep::Form;
                }
                Err(e) => d.step = ReversalStep::Unreadable(e),
            }
            Vec::new()
        }
        ReversalStep::Checking {
            request,
            key,
            id: asked,
        } if asked == id => {
            let verdict = d
                .original
                .as_ref()
                .zip(result.ok().as_ref())
                .map_or(Verdict::Unclear, |(before, now)| {
                    judge(before, now, &request)
                });
            let client = d.client;
            let outcome = match verdict {
                Verdict::Applied => {
                    let operation = d.operation;
                    model.dialog = None;
                    model.error = None;
                    model.notice = Some(Notice::Reversed {
                        operation,
                        request,
                        after_check: true,
                    });
                    Outcome::AppliedAfterCheck
                }
                Verdict::NotApplied => {
                    d.step = ReversalStep::Checked {
                        request,
                        key: key.clone(),
                        verdict: ReversalVerdict::NotApplied,
                    };
                    Outcome::NotAppliedAfterCheck
                }
                Verdict::Unclear => {
                    d.step = ReversalStep::Checked {
                        request,
                        key: key.clone(),
                        verdict: ReversalVerdict::Unclear,
                    };
                    Outcome::UnclearAfterCheck
                }
            };
            let mut cmds = vec![Cmd::Record {
                key,
                client,
                outcome,
            }];
            if outcome == Outcome::AppliedAfterCheck {
                cmds.extend(after_done(model, client));
            }
            cmds
        }
        // A reply to a read no longer waited for.
        _ => Vec::new(),
    }
}

/// What reading the original again says of a reversal that got no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Applied,
    NotApplied,
    Unclear,
}

/// Reversed grew by exactly what was asked: it went through; unchanged: it did not;
/// anything else (another till reversed meanwhile, or part of it) cannot be told apart.
pub fn judge(before: &Operation, now: &Operation, asked: &Reversal) -> Verdict {
    let grew = |b: Amount, n: Amount| n.minor() - b.minor();
    let points = grew(before.reversed_points, now.reversed_points);
    let rubles = grew(before.reversed_rubles, now.reversed_rubles);
    let new_coupons: Vec<_> = now
        .reversed_coupons
        .iter()
        .filter(|c| !before.reversed_coupons.contains(c))
        .copied()
        .collect();
    let unchanged = points == 0 && rubles == 0 && new_coupons.is_empty();
    let minor = |a: Option<Amount>| a.map_or(0, |a| a.minor());
    let mut asked_coupons = asked.coupons.clone();
    let mut new_sorted = new_coupons;
    asked_coupons.sort();
    new_sorted.sort();
    let exactly = points == minor(asked.points)
        && rubles == minor(asked.rubles)
        && new_sorted == asked_coupons;
    if exactly && !unchanged {
        Verdict::Applied
    } else if unchanged {
        Verdict::NotApplied
    } else {
        Verdict::Unclear
    }
}

pub fn on_key(model: &mut Model, action: Option<Action>, key: Key) -> Vec<Cmd> {
    let fresh_key = model.new_key();
    let keymap = model.keymap.clone();
    let Some(d) = dialog(model) else {
        return Vec::new();
    };
    match (d.step.clone(), action) {
        (ReversalStep::Sending { .. } | ReversalStep::Checking { .. }, _) => Vec::new(),
        (ReversalStep::Loading { .. } | ReversalStep::Unreadable(_), Some(Action::Cancel)) => {
            model.dialog = None;
            Vec::new()
        }
        (ReversalStep::Loading { .. } | ReversalStep::Unreadable(_), _) => Vec::new(),
        (
            ReversalStep::Checked {
                request,
                key,
                verdict,
            },
            Some(action),
        ) => match action {
            // Only a reversal shown not to have gone through is offered again, under the
            // same key and with the PIN it was sent with.
            Action::Confirm | Action::Submit if verdict == ReversalVerdict::NotApplied => {
                match d.manager.clone() {
                    Some(manager) => send(model, request, key, manager),
                    None => Vec::new(),
                }
            }
            Action::Cancel => {
                model.dialog = None;
                Vec::new()
            }
            _ => Vec::new(),
        },
        (ReversalStep::Checked { .. }, None) => Vec::new(),
        (ReversalStep::Form, Some(Action::Cancel)) => {
            model.dialog = None;
            Vec::new()
        }
        (ReversalStep::Form, Some(Action::NextField)) => {
            d.field = next_field(d, key.code == KeyCode::BackTab);
            Vec::new()
        }
        (ReversalStep::Form, Some(Action::Move(step))) if d.field == ReversalField::Reason => {
            let backwards = matches!(step, crate::app::keys::Move::Up);
            d.reason = next_in(&ReasonCode::ALL, d.reason, backwards);
            d.problem = None;
            Vec::new()
        }
        (ReversalStep::Form, Some(Action::ToggleCoupon)) if d.field == ReversalField::Coupons => {
            d.coupons_back = !d.coupons_back;
            d.problem = None;
            Vec::new()
        }
        (ReversalStep::Form, Some(Action::Submit)) => {
            match validate(d) {
                Ok((request, manager)) => {
                    d.problem = None;
                    let key = match &d.last_key {
                        Some((last, key)) if *last == request => key.clone(),
                        _ => fresh_key,
                    };
                    d.last_key = Some((request.clone(), key.clone()));
                    d.manager = Some(manager);
                    d.step = ReversalStep::Confirm {
                        request,
                        focus: Button::Cancel,
                        key,
                    };
                }
                Err(problem) => d.problem = Some(problem),
            }
            Vec::new()
        }
        (ReversalStep::Form, _) => {
            let input = match d.field {
                ReversalField::Points => &mut d.points,
                ReversalField::Rubles => &mut d.rubles,
                ReversalField::Note => &mut d.note,
                // Digits only: anything else is not a PIN's and is not typed.
                ReversalField::Pin => match key.code {
                    KeyCode::Char(c) if !c.is_ascii_digit() => return Vec::new(),
                    _ => &mut d.pin.0,
                },
                ReversalField::Coupons | ReversalField::Reason => return Vec::new(),
            };
            if super::typed(&keymap, input, key) {
                d.problem = None;
            }
            Vec::new()
        }
        (
            ReversalStep::Confirm {
                focus,
                request,
                key,
            },
            Some(action),
        ) => match action {
            Action::NextField => {
                d.step = ReversalStep::Confirm {
                    request,
                    focus: focus.other(),
                    key,
                };
                Vec::new()
            }
            Action::Confirm => confirm(model, request, key),
            Action::Submit if focus == Button::Confirm => confirm(model, request, key),
            Action::Submit | Action::Cancel => {
                d.step = ReversalStep::Form;
                Vec::new()
            }
            _ => Vec::new(),
        },
        (ReversalStep::Confirm { .. }, None) => Vec::new(),
    }
}

fn confirm(model: &mut Model, request: Reversal, key: String) -> Vec<Cmd> {
    let Some(manager) = dialog(model).and_then(|d| d.manager.clone()) else {
        return Vec::new();
    };
    send(model, request, key, manager)
}

/// Tab order: the amounts the original has, its coupons if any are left, the reason, the
/// note (only «другое» needs it, but any reason may carry one), the PIN.
fn next_field(d: &ReversalDialog, backwards: bool) -> ReversalField {
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
pub fn validate(d: &ReversalDialog) -> Result<(Reversal, ManagerPin), ReversalProblem> {
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
    let note = Some(d.note.value());
    let why = Why::new(d.reason, note).map_err(|e| match e {
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

fn send(model: &mut Model, request: Reversal, key: String, manager: ManagerPin) -> Vec<Cmd> {
    let id = model.next_id();
    let Some(d) = dialog(model) else {
        return Vec::new();
    };
    // The typed PIN leaves the form as soon as it is sent; a retry uses the one kept.
    d.pin.clear();
    d.step = ReversalStep::Sending {
        request: request.clone(),
        key: key.clone(),
        id,
    };
    model.error = None;
    vec![Cmd::Reverse {
        id,
        request,
        key,
        manager,
    }]
}

pub fn reversed(model: &mut Model, id: RequestId, result: Reply<Option<OperationId>>) -> Vec<Cmd> {
    let read = model.next_id();
    let Some(d) = dialog(model) else {
        return Vec::new();
    };
    let ReversalStep::Sending {
        request,
        key,
        id: sent,
    } = d.step.clone()
    else {
        return Vec::new();
    };
    if sent != id {
        return Vec::new();
    }
    match result {
        Ok(_) => {
            let (operation, client) = (d.operation, d.client);
            model.dialog = None;
            model.notice = Some(Notice::Reversed {
                operation,
                request,
                after_check: false,
            });
            after_done(model, client)
        }
        Err(e) if e.outcome_unknown() => {
            // Read the original again: only what it shows decides.
            d.step = ReversalStep::Checking {
                request,
                key,
                id: read,
            };
            let operation = d.operation;
            model.error = Some(e);
            vec![Cmd::LoadOperation {
                id: read,
                operation,
            }]
        }
        Err(e) => {
            if e.reason == Some(Reason::PinWrong) {
                d.field = ReversalField::Pin;
            }
            d.manager = None;
            // A refusal proved nothing moved, and it is what the old key's stored answer
            // is now: whatever is confirmed next goes under a new key.
            d.last_key = None;
            d.step = ReversalStep::Form;
            d.problem = Some(ReversalProblem::Refused(e.clone()));
            model.error = Some(e);
            Vec::new()
        }
    }
}

/// After a reversal went through: the card and the journal show it.
fn after_done(model: &mut Model, client: ClientId) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    if model.card.as_ref().is_some_and(|c| c.client.id == client) {
        cmds.extend(card::reload(model));
    }
    if model.screen == Screen::Journal {
        cmds.extend(journal::load(model));
    }
    cmds
}

//! The reversal dialog (сторно): opened on an applied write-off (a history row or a journal
//! row naming the server's operation), the original read back, the form, a confirmation
//! with Cancel focused and one request in flight. The form's fields and checks are in
//! `form`; the answer, and the read-back that judges a missing one, in `outcome`.

mod form;
mod outcome;

pub use outcome::{operation_loaded, reversed};

use super::super::keys::Action;
use super::super::model::{
    Button, Dialog, Model, Notice, PinInput, ReversalDialog, ReversalField, ReversalStep,
    ReversalVerdict, step_reason,
};
use super::super::msg::Cmd;
use crate::app::keys::key::{Key, KeyCode};
use crate::domain::journal::{Movement, Outcome};
use crate::domain::limits::ManagerPin;
use crate::domain::reversal::OperationKind;
use crate::domain::{ClientId, OperationId, Reversal};
use form::{next_field, validate};
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
        reason: None,
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
            d.reason = step_reason(d.reason, backwards);
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

//! The write-off dialog: form, validation, confirmation (Cancel by default) and one request
//! in flight at most. What happens after it is sent is in `outcome`.

mod outcome;

pub use outcome::{check, written_off};

use super::super::keys::Action;
use super::super::model::{
    Button, Dialog, FormProblem, Model, Notice, Verdict, WriteOffDialog, WriteOffField,
    WriteOffStep, next_in,
};
use super::super::msg::Cmd;
use super::card;
use crate::app::keys::key::{Key, KeyCode};
use crate::domain::{Amount, Balances, WriteOff};
use std::collections::BTreeSet;
use tui_input::Input;

/// `w`: open the dialog for the open client once its balance is known.
pub fn open(model: &mut Model) -> Vec<Cmd> {
    let Some(card) = model.card.as_ref() else {
        model.notice = Some(Notice::NoClientToWriteOff);
        return Vec::new();
    };
    let Some(balances) = card.balance.data else {
        // Said instead of the read's error, which the card still shows.
        model.error = None;
        model.notice = Some(Notice::NoBalanceToWriteOff);
        return Vec::new();
    };
    let coupons = card.coupons.data.clone().unwrap_or_default();
    // The cursor starts on a coupon that can be spent: an expired one above it costs no key.
    let now = model.now;
    let coupon_cursor = coupons.iter().position(|c| !c.is_expired(now)).unwrap_or(0);
    let client = card.client.clone();
    if let Some(doubt) = model.doubts.get(&client.id).cloned() {
        // The last write-off for this client is still in doubt: nothing new is written off
        // until a fresh check settles it (or the cashier, having read the history, says so).
        model.dialog = Some(Dialog::WriteOff(Box::new(WriteOffDialog {
            client,
            balances: doubt.balances,
            coupons: doubt.coupons,
            points: Input::default(),
            rubles: Input::default(),
            field: WriteOffField::Points,
            coupon_cursor: 0,
            chosen: BTreeSet::new(),
            problem: None,
            step: WriteOffStep::Checking {
                request: doubt.request.clone(),
                key: doubt.key.clone(),
            },
            last_key: Some((doubt.request, doubt.key)),
        })));
        model.notice = Some(Notice::CheckingEarlier);
        return card::reload(model);
    }
    model.dialog = Some(Dialog::WriteOff(Box::new(WriteOffDialog {
        client,
        balances,
        coupons,
        points: Input::default(),
        rubles: Input::default(),
        field: WriteOffField::Points,
        coupon_cursor,
        chosen: BTreeSet::new(),
        problem: None,
        step: WriteOffStep::Form,
        last_key: None,
    })));
    model.notice = None;
    Vec::new()
}

fn dialog(model: &mut Model) -> Option<&mut WriteOffDialog> {
    match model.dialog.as_mut() {
        Some(Dialog::WriteOff(d)) => Some(d),
        _ => None,
    }
}

pub fn on_key(model: &mut Model, action: Option<Action>, key: Key) -> Vec<Cmd> {
    let now = model.now;
    let fresh_key = model.new_key();
    let keymap = model.keymap.clone();
    let Some(d) = dialog(model) else {
        return Vec::new();
    };
    match (&d.step, action) {
        (WriteOffStep::Sending { .. } | WriteOffStep::Checking { .. }, _) => Vec::new(),
        (
            WriteOffStep::Checked {
                request,
                key,
                verdict,
            },
            Some(action),
        ) => {
            let (request, key, verdict) = (request.clone(), key.clone(), *verdict);
            match action {
                // Only a write-off known not to have gone through is offered again, under
                // the same key, so even a wrong verdict cannot charge twice where the
                // vendor honours keys.
                Action::Confirm | Action::Submit if verdict == Verdict::NotApplied => {
                    send(model, request, key)
                }
                Action::Cancel => {
                    model.dialog = None;
                    Vec::new()
                }
                // The cashier has read the history and settled the doubt: a new write-off,
                // under a new key, from what the card shows now.
                Action::WriteOffAnew if matches!(verdict, Verdict::Unclear(_)) => {
                    let client = d.client.id;
                    model.doubts.remove(&client);
                    open(model)
                }
                _ => Vec::new(),
            }
        }
        (WriteOffStep::Checked { .. }, None) => Vec::new(),
        (WriteOffStep::Form, Some(Action::Cancel)) => {
            model.dialog = None;
            Vec::new()
        }
        (WriteOffStep::Form, Some(Action::NextField)) => {
            d.field = next_field(d.field, !d.coupons.is_empty(), key.code == KeyCode::BackTab);
            Vec::new()
        }
        (WriteOffStep::Form, Some(Action::Move(step))) if d.field == WriteOffField::Coupons => {
            super::step_selection(&mut d.coupon_cursor, d.coupons.len(), step);
            Vec::new()
        }
        (WriteOffStep::Form, Some(Action::ToggleCoupon)) if d.field == WriteOffField::Coupons => {
            toggle_coupon(d, now);
            Vec::new()
        }
        (WriteOffStep::Form, Some(Action::PickCoupon)) => {
            pick_next_coupon(d, now);
            Vec::new()
        }
        (WriteOffStep::Form, Some(Action::Submit)) => {
            match validate(d, now) {
                Ok(request) => {
                    d.problem = None;
                    // The same request confirmed again keeps its key; a changed one gets a
                    // new key, as it is a new write-off.
                    let key = match &d.last_key {
                        Some((last, key)) if *last == request => key.clone(),
                        _ => fresh_key,
                    };
                    d.last_key = Some((request.clone(), key.clone()));
                    d.step = WriteOffStep::Confirm {
                        request,
                        focus: Button::Cancel,
                        key,
                    };
                }
                Err(problem) => d.problem = Some(problem),
            }
            Vec::new()
        }
        (WriteOffStep::Form, _) => {
            let input = match d.field {
                WriteOffField::Points => &mut d.points,
                WriteOffField::Rubles => &mut d.rubles,
                WriteOffField::Coupons => return Vec::new(),
            };
            if super::typed(&keymap, input, key) {
                d.problem = None;
            }
            Vec::new()
        }
        (
            WriteOffStep::Confirm {
                focus,
                request,
                key,
            },
            Some(action),
        ) => {
            let (focus, request, key) = (*focus, request.clone(), key.clone());
            match action {
                Action::NextField => {
                    d.step = WriteOffStep::Confirm {
                        request,
                        focus: focus.other(),
                        key,
                    };
                    Vec::new()
                }
                Action::Confirm => send(model, request, key),
                Action::Submit if focus == Button::Confirm => send(model, request, key),
                Action::Submit | Action::Cancel => {
                    d.step = WriteOffStep::Form;
                    Vec::new()
                }
                _ => Vec::new(),
            }
        }
        (WriteOffStep::Confirm { .. }, None) => Vec::new(),
    }
}

fn next_field(field: WriteOffField, has_coupons: bool, backwards: bool) -> WriteOffField {
    use WriteOffField::*;
    let order: &[WriteOffField] = if has_coupons {
        &[Points, Rubles, Coupons]
    } else {
        &[Points, Rubles]
    };
    next_in(order, field, backwards)
}

fn toggle_coupon(d: &mut WriteOffDialog, now: jiff::Timestamp) {
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
fn pick_next_coupon(d: &mut WriteOffDialog, now: jiff::Timestamp) {
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
pub fn validate(d: &WriteOffDialog, now: jiff::Timestamp) -> Result<WriteOff, FormProblem> {
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
        receipt: None,
    };
    if request.is_empty() {
        return Err(FormProblem::Nothing);
    }
    Ok(request)
}

fn send(model: &mut Model, request: WriteOff, key: String) -> Vec<Cmd> {
    let id = model.next_id();
    let Some(d) = dialog(model) else {
        return Vec::new();
    };
    let client = d.client.id;
    d.step = WriteOffStep::Sending {
        request: request.clone(),
        id,
        key: key.clone(),
    };
    model.error = None;
    vec![Cmd::WriteOff {
        id,
        client,
        request,
        key,
    }]
}

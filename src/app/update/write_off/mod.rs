//! The write-off dialog: opened on the card, its keys, the confirmation (Cancel by default),
//! «доступно к списанию» asked of the provider's limits, and one request in flight at most.
//! The form's fields and checks are in `form`; what happens after it is sent in `outcome`.

mod code;
mod form;
mod outcome;

pub use code::{code_checked, code_sent};
pub use outcome::{check, written_off};

use super::super::keys::Action;
use super::super::model::{
    Button, Dialog, Model, Notice, ReceiptAsk, Remote, Verdict, WriteOffDialog, WriteOffField,
    WriteOffStep,
};
use super::super::msg::{Cmd, Reply, RequestId};
use super::card;
use crate::app::keys::key::{Key, KeyCode};
use crate::domain::codes::Confirmed;
use crate::domain::limits::Available;
use crate::domain::{Amount, ClientId, WriteOff};
use form::{manager_pin, next_field, pick_next_coupon, toggle_coupon, validate};
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
            receipt_number: Input::default(),
            receipt_total: Input::default(),
            receipt_shown: false,
            receipt_required: false,
            limits: None,
            limits_for: None,
            pin: None,
            refused: None,
            manager: None,
            override_reason: None,
            override_note: Input::default(),
            code: Input::default(),
            code_pin: Default::default(),
            confirmed: None,
        })));
        model.notice = Some(Notice::CheckingEarlier);
        return card::reload(model);
    }
    let can = model.can();
    // The receipt is asked where the profile wants it and the provider keeps it.
    let receipt_shown = can.receipt && model.receipt_mode != ReceiptAsk::Off;
    let client_id = client.id;
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
        receipt_number: Input::default(),
        receipt_total: Input::default(),
        receipt_shown,
        receipt_required: receipt_shown && model.receipt_mode == ReceiptAsk::Required,
        limits: can.limits.then(Remote::default),
        limits_for: None,
        pin: None,
        refused: None,
        manager: None,
        override_reason: None,
        override_note: Input::default(),
        code: Input::default(),
        code_pin: Default::default(),
        confirmed: None,
    })));
    model.notice = None;
    ask_available(model, client_id, None)
}

/// «Доступно к списанию», asked before the cashier types where the provider has limits,
/// and again for the receipt's total once it is typed.
fn ask_available(model: &mut Model, client: ClientId, receipt_total: Option<Amount>) -> Vec<Cmd> {
    let id = model.next_id();
    let Some(limits) = dialog(model).and_then(|d| d.limits.as_mut()) else {
        return Vec::new();
    };
    limits.start(id);
    vec![Cmd::LoadAvailable {
        id,
        client,
        receipt_total,
    }]
}

/// The answer to [`ask_available`]; one to an older question is dropped.
pub fn available_loaded(model: &mut Model, id: RequestId, result: Reply<Available>) -> Vec<Cmd> {
    if let Some(limits) = dialog(model).and_then(|d| d.limits.as_mut()) {
        limits.accept(id, result);
    }
    Vec::new()
}

/// The write-off dialog, also while the help is open over it: its answers still reach it.
fn dialog(model: &mut Model) -> Option<&mut WriteOffDialog> {
    match model.dialog.as_mut().map(Dialog::working) {
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
        (WriteOffStep::Code(_), _) => code::on_key(model, action, key),
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
            let left = d.field;
            d.field = next_field(d, key.code == KeyCode::BackTab);
            // Leaving the receipt's total changed: what the limits allow for it is asked
            // again.
            let total = Amount::parse_user(d.receipt_total.value())
                .ok()
                .filter(|a| a.is_positive());
            if left == WriteOffField::ReceiptTotal && d.limits.is_some() && total != d.limits_for {
                d.limits_for = total;
                let client = d.client.id;
                return ask_available(model, client, total);
            }
            Vec::new()
        }
        (WriteOffStep::Form, Some(Action::Move(step))) if d.field == WriteOffField::Coupons => {
            super::step_selection(&mut d.coupon_cursor, d.coupons.len(), step);
            Vec::new()
        }
        (WriteOffStep::Form, Some(Action::Move(step)))
            if d.field == WriteOffField::OverrideReason =>
        {
            let backwards = matches!(step, crate::app::keys::Move::Up);
            d.override_reason = super::super::model::step_reason(d.override_reason, backwards);
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
            let manager = match manager_pin(d) {
                Ok(manager) => manager,
                Err(problem) => {
                    d.problem = Some(problem);
                    return Vec::new();
                }
            };
            match validate(d, now) {
                // The request a limit refused, now with a manager's PIN: the cashier
                // confirmed it already, and the refusal proved nothing moved, so it goes
                // again at once under a new key (the old key's stored answer is the
                // refusal).
                Ok(request) if manager.is_some() && same_sale(d.refused.as_ref(), &request) => {
                    d.problem = None;
                    d.manager = manager;
                    d.last_key = Some((request.clone(), fresh_key.clone()));
                    return send(model, request, fresh_key);
                }
                Ok(request) => {
                    d.problem = None;
                    d.manager = manager;
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
            let input = match (d.field, d.pin.as_mut()) {
                (WriteOffField::Points, _) => &mut d.points,
                (WriteOffField::Rubles, _) => &mut d.rubles,
                (WriteOffField::ReceiptNumber, _) => &mut d.receipt_number,
                (WriteOffField::ReceiptTotal, _) => &mut d.receipt_total,
                (WriteOffField::OverrideNote, _) => &mut d.override_note,
                // Digits only: anything else is no PIN's.
                (WriteOffField::Pin, Some(pin)) => match key.code {
                    KeyCode::Char(c) if !c.is_ascii_digit() => return Vec::new(),
                    _ => &mut pin.0,
                },
                (WriteOffField::Pin, None)
                | (WriteOffField::Coupons | WriteOffField::OverrideReason, _) => {
                    return Vec::new();
                }
            };
            // The limit's refusal stays in sight while the manager types the PIN.
            if super::typed(&keymap, input, key) && d.field != WriteOffField::Pin {
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
                Action::Confirm => code::consented(model, request, key),
                Action::Submit if focus == Button::Confirm => code::consented(model, request, key),
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

/// Whether `request` is the sale a limit refused, whatever reason now goes with the PIN.
fn same_sale(refused: Option<&WriteOff>, request: &WriteOff) -> bool {
    let bare = |w: &WriteOff| WriteOff {
        why: None,
        ..w.clone()
    };
    refused.is_some_and(|r| bare(r) == bare(request))
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
    // The typed PIN leaves the form once sent; a retry uses the one kept.
    if let Some(pin) = d.pin.as_mut() {
        pin.clear();
    }
    let manager = d.manager.clone();
    // A code carried in the write-off is the client's; the vendor's check or the manager's
    // PIN was noted when it was given.
    let confirmed = d
        .confirmed
        .or(request.code.is_some().then_some(Confirmed::Code));
    model.error = None;
    vec![Cmd::WriteOff {
        id,
        client,
        request,
        key,
        manager,
        confirmed,
    }]
}

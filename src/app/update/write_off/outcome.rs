//! After a write-off is sent: its answer, and when there is none, the check that re-reads the
//! balance and coupons and judges whether it went through. Never a blind retry.

use super::super::super::model::{
    FormProblem, InDoubt, Model, Notice, PinInput, Verdict, WriteOffField, WriteOffStep,
};
use super::super::super::msg::{Cmd, Reply, RequestId};
use super::super::card;
use super::dialog;
use crate::domain::Reason;
use crate::domain::journal::Outcome;
use crate::domain::reconcile::judge;

pub fn written_off(model: &mut Model, id: RequestId, result: Reply<()>) -> Vec<Cmd> {
    let Some(d) = dialog(model) else {
        return Vec::new();
    };
    let WriteOffStep::Sending {
        request,
        id: sent,
        key,
    } = &d.step
    else {
        return Vec::new();
    };
    if *sent != id {
        return Vec::new();
    }
    let (request, key) = (request.clone(), key.clone());
    match result {
        Ok(()) => {
            let client = d.client.clone();
            model.dialog = None;
            // A code that went with it is used: none is left to say.
            model.last_code = None;
            model.notice = Some(Notice::WrittenOff { client, request });
            card::reload(model)
        }
        Err(e) if e.outcome_unknown() => {
            // Never retried on its own: the balance and coupons are read again, and only a
            // write-off shown not to have gone through is offered again.
            let client = d.client.id;
            d.step = WriteOffStep::Checking { request, key };
            model.notice = Some(Notice::OutcomeUnknown { client });
            model.error = Some(e);
            card::reload(model)
        }
        Err(e) if super::code::refused_for_code(e.reason) && d.manager.is_none() => {
            // Nothing was written: the code step again, under a new key.
            model.error = Some(e.clone());
            let fresh = model.new_key();
            super::code::again(model, request, fresh, e)
        }
        Err(e) if super::code::pin_refused(d, e.reason) => {
            // The PIN typed in place of the code was no manager's: another PIN, or the
            // code, in the code step, under a new key.
            model.error = Some(e.clone());
            let fresh = model.new_key();
            super::code::pin_again(model, request, fresh, e)
        }
        Err(e) => {
            d.step = WriteOffStep::Form;
            d.manager = None;
            // A shop limit (or its want of a receipt) refused it, or the PIN was no
            // manager's: nothing moved, so the same write-off may go again with a PIN, under
            // a new key, as the old key's stored answer is this refusal.
            if let Some(Reason::Limit(_) | Reason::ReceiptRequired | Reason::PinWrong) = e.reason {
                let receipt = e.reason == Some(Reason::ReceiptRequired);
                if receipt {
                    d.receipt_shown = true;
                    d.receipt_required = true;
                }
                d.pin.get_or_insert_with(PinInput::default).clear();
                d.field = if receipt {
                    WriteOffField::ReceiptNumber
                } else {
                    WriteOffField::Pin
                };
                d.refused = Some(request);
                d.last_key = None;
            }
            d.problem = Some(FormProblem::Refused(e.clone()));
            model.error = Some(e);
            Vec::new()
        }
    }
}

/// After an unanswered write-off, once the balance and coupons have been read again: did
/// it go through? Compares them with what the dialog opened with.
pub fn check(model: &mut Model) -> Vec<Cmd> {
    let Some(card) = model.card.as_ref() else {
        return Vec::new();
    };
    if card.balance.is_loading() || card.coupons.is_loading() {
        return Vec::new();
    }
    let reread = match (&card.balance, &card.coupons) {
        (b, c) if b.error.is_some() || c.error.is_some() => None,
        (b, c) => b.data.zip(c.data.clone()),
    };
    let now = model.now;
    let Some(d) = dialog(model) else {
        return Vec::new();
    };
    let WriteOffStep::Checking { request, key } = &d.step else {
        return Vec::new();
    };
    let (request, key) = (request.clone(), key.clone());
    let found = judge(
        &d.balances,
        &d.coupons,
        &request,
        reread.as_ref().map(|(b, c)| (b, c.as_slice())),
        now,
    );
    let client = d.client.clone();
    let doubt = InDoubt {
        request: request.clone(),
        key: key.clone(),
        balances: d.balances,
        coupons: d.coupons.clone(),
    };
    // Settled either way, or still in doubt: then the client's next write-off checks first.
    match found {
        Some(Verdict::Unclear(_)) => model.doubts.insert(client.id, doubt),
        _ => model.doubts.remove(&client.id),
    };
    let Some(d) = dialog(model) else {
        return Vec::new();
    };
    let outcome = match found {
        None => {
            model.dialog = None;
            model.error = None;
            model.notice = Some(Notice::WrittenOffAfterCheck {
                client: client.clone(),
                request,
            });
            Outcome::AppliedAfterCheck
        }
        Some(verdict) => {
            d.step = WriteOffStep::Checked {
                request,
                key: key.clone(),
                verdict,
            };
            match verdict {
                Verdict::NotApplied => Outcome::NotAppliedAfterCheck,
                Verdict::Unclear(_) => Outcome::UnclearAfterCheck,
            }
        }
    };
    if found.is_some() {
        // The dialog says what the check found; "checking" is over.
        model.notice = None;
    }
    vec![Cmd::Record {
        key,
        client: client.id,
        outcome,
    }]
}

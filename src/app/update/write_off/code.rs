//! The code step: after consent, a write-off the policy says needs the client's code waits
//! here. The code is sent to the client's phone, the cashier types what the client reads
//! out, and only once it is checked (or carried to the server with the write-off) does the
//! write-off go. A manager's PIN may stand in for it. A send is not money: a failed one
//! sends no write-off.

use super::super::super::keys::Action;
use super::super::super::model::{
    CodeField, CodeProblem, CodeStep, FormProblem, LastCode, Model, WriteOffDialog, WriteOffField,
    WriteOffStep,
};
use super::super::super::msg::{Cmd, Reply, RequestId};
use super::{dialog, send};
use crate::app::keys::key::{Key, KeyCode};
use crate::domain::codes::{
    CODE_MAX, CodeCheck, CodeFallback, CodeSent, ConfirmationCode, Confirmed,
};
use crate::domain::limits::ManagerPin;
use crate::domain::{Amount, Reason, WriteOff};

/// Consent given: the write-off goes at once, or waits for the client's code, or is not
/// sent at all where the profile refuses what cannot be checked.
pub(super) fn consented(model: &mut Model, request: WriteOff, key: String) -> Vec<Cmd> {
    let provider = model.can().codes;
    let total = Amount::from_minor(
        request.points.map_or(0, |a| a.minor()) + request.rubles.map_or(0, |a| a.minor()),
    );
    let codes = model.codes;
    let Some(d) = dialog(model) else {
        return Vec::new();
    };
    // A new consent: nothing is allowed yet by a code or a manager in its place.
    d.confirmed = None;
    // A manager's PIN already given (past a shop limit) answers for the client too.
    if d.manager.is_some() || !codes.requires(total, provider) {
        return send(model, request, key);
    }
    let checkable = codes.checkable(provider);
    if !checkable && codes.fallback == CodeFallback::Refuse {
        d.step = WriteOffStep::Form;
        d.problem = Some(FormProblem::CodeUncheckable);
        return Vec::new();
    }
    enter(model, request, key, checkable)
}

/// Opens the code step for `request`, having a code sent where one can be, unless one
/// sent for this very write-off is known to live still: a second would void the one the
/// client is reading out.
fn enter(model: &mut Model, request: WriteOff, key: String, checkable: bool) -> Vec<Cmd> {
    let request = WriteOff {
        code: None,
        ..request
    };
    let last = still_said(model, &request).filter(|_| checkable);
    let now = model.now;
    let alive = last
        .as_ref()
        .is_some_and(|s| s.expires_at.is_some_and(|at| at > now));
    let id = (checkable && !alive).then(|| model.next_id());
    let Some(d) = dialog(model) else {
        return Vec::new();
    };
    d.code = tui_input::Input::default();
    d.code_pin.clear();
    d.confirmed = None;
    d.step = WriteOffStep::Code(CodeStep {
        request: request.clone(),
        key,
        field: if checkable {
            CodeField::Code
        } else {
            CodeField::Pin
        },
        checkable,
        sending: id,
        sent: last,
        checking: None,
        problem: None,
    });
    let Some(id) = id else {
        return Vec::new();
    };
    vec![Cmd::SendCode {
        id,
        client: d.client.clone(),
        request,
    }]
}

/// Where the last code for the open client and `request` (without a code) went, unless it
/// is known to have expired.
fn still_said(model: &mut Model, request: &WriteOff) -> Option<CodeSent> {
    let now = model.now;
    let client = dialog(model)?.client.id;
    model
        .last_code
        .as_ref()
        .filter(|l| l.client == client && l.request == *request)
        .map(|l| l.sent.clone())
        .filter(|s| s.expires_at.is_none_or(|at| at > now))
}

/// A refusal that leaves no code to read out: the last send is forgotten, so coming back
/// to the step sends another.
fn forget_if_void(model: &mut Model, reason: Option<Reason>) {
    if matches!(
        reason,
        Some(Reason::CodeExpired | Reason::CodeUsed | Reason::CodeAttempts)
    ) {
        model.last_code = None;
    }
}

fn step(model: &mut Model) -> Option<&mut CodeStep> {
    match dialog(model).map(|d| &mut d.step) {
        Some(WriteOffStep::Code(step)) => Some(step),
        _ => None,
    }
}

pub(super) fn on_key(model: &mut Model, action: Option<Action>, key: Key) -> Vec<Cmd> {
    let keymap = model.keymap.clone();
    // An id for the request this key may start: a resend or a check.
    let id = matches!(action, Some(Action::ResendCode | Action::Submit)).then(|| model.next_id());
    let Some(d) = dialog(model) else {
        return Vec::new();
    };
    let WriteOffStep::Code(step) = &mut d.step else {
        return Vec::new();
    };
    match action {
        Some(Action::Cancel) => {
            // Back to the form: nothing was sent, and a new consent decides again.
            d.step = WriteOffStep::Form;
            d.field = WriteOffField::Points;
            Vec::new()
        }
        Some(Action::NextField) if step.checkable => {
            step.field = match step.field {
                CodeField::Code => CodeField::Pin,
                CodeField::Pin => CodeField::Code,
            };
            Vec::new()
        }
        Some(Action::ResendCode) if step.checkable && step.checking.is_none() => {
            let Some(id) = id else {
                return Vec::new();
            };
            step.sending = Some(id);
            step.problem = None;
            let request = step.request.clone();
            vec![Cmd::SendCode {
                id,
                client: d.client.clone(),
                request,
            }]
        }
        Some(Action::Submit) if step.checking.is_some() => Vec::new(),
        Some(Action::Submit) if step.field == CodeField::Pin => {
            let Some(pin) = ManagerPin::new(d.code_pin.0.value()) else {
                step.problem = Some(CodeProblem::PinMissing);
                return Vec::new();
            };
            // The manager answers for the client: the write-off goes with the PIN and no
            // code, and the server records the bypass with both names.
            let (request, key) = (step.request.clone(), step.key.clone());
            d.manager = Some(pin);
            d.confirmed = Some(Confirmed::Manager);
            d.code_pin.clear();
            send(model, request, key)
        }
        Some(Action::Submit) => {
            let Some(code) = ConfirmationCode::new(d.code.value()) else {
                step.problem = Some(CodeProblem::Malformed);
                return Vec::new();
            };
            let Some(id) = id else {
                return Vec::new();
            };
            step.problem = None;
            step.checking = Some((id, code.clone()));
            vec![Cmd::CheckCode {
                id,
                client: d.client.clone(),
                code,
            }]
        }
        _ => {
            // Digits only, in either field, and no more than a code has: a longer one
            // would only show its tail.
            if let KeyCode::Char(c) = key.code
                && (!c.is_ascii_digit()
                    || step.field == CodeField::Code && d.code.value().len() >= CODE_MAX)
            {
                return Vec::new();
            }
            let input = match step.field {
                CodeField::Code => &mut d.code,
                CodeField::Pin => &mut d.code_pin.0,
            };
            super::super::typed(&keymap, input, key);
            Vec::new()
        }
    }
}

/// The answer to a send; one to an older send is dropped.
pub fn code_sent(model: &mut Model, id: RequestId, result: Reply<CodeSent>) -> Vec<Cmd> {
    let Some(step) = step(model) else {
        return Vec::new();
    };
    if step.sending != Some(id) {
        return Vec::new();
    }
    step.sending = None;
    match result {
        Ok(sent) => {
            step.sent = Some(sent.clone());
            step.problem = None;
            let request = step.request.clone();
            if let Some(d) = dialog(model) {
                let client = d.client.id;
                model.last_code = Some(LastCode {
                    client,
                    request,
                    sent,
                });
            }
        }
        Err(e) => {
            step.problem = Some(match (e.reason, e.retry_after) {
                (Some(Reason::CodeResendWait | Reason::CodeSends), Some(wait)) => {
                    // A part of a second still to wait counts as a whole one.
                    CodeProblem::Wait(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
                }
                _ => CodeProblem::NotSent(e),
            });
        }
    }
    Vec::new()
}

/// The answer to a check; one to an older check is dropped. Carried: the server checks
/// the code with the write-off, which goes now with it. Confirmed: the vendor checked it,
/// and the write-off goes without it.
pub fn code_checked(model: &mut Model, id: RequestId, result: Reply<CodeCheck>) -> Vec<Cmd> {
    let Some(step) = step(model) else {
        return Vec::new();
    };
    let Some((checking, code)) = step.checking.take() else {
        return Vec::new();
    };
    if checking != id {
        step.checking = Some((checking, code));
        return Vec::new();
    }
    match result {
        Ok(check) => {
            let request = WriteOff {
                code: (check == CodeCheck::Carried).then_some(code),
                ..step.request.clone()
            };
            let key = step.key.clone();
            if let Some(d) = dialog(model) {
                d.confirmed = Some(Confirmed::Code);
            }
            send(model, request, key)
        }
        Err(e) => {
            let reason = e.reason;
            step.problem = Some(CodeProblem::Refused(e));
            if let Some(d) = dialog(model) {
                d.code = tui_input::Input::default();
            }
            forget_if_void(model, reason);
            Vec::new()
        }
    }
}

/// Whether the server refused a write-off for its code: nothing was written, and the
/// code step opens again for another code.
pub(super) fn refused_for_code(reason: Option<Reason>) -> bool {
    matches!(
        reason,
        Some(
            Reason::CodeRequired
                | Reason::CodeWrong
                | Reason::CodeExpired
                | Reason::CodeUsed
                | Reason::CodeAttempts
        )
    )
}

/// After the server refused the write-off for its code: the code step again with the
/// reason, the field cleared, under a new key (the old key's stored answer is the
/// refusal). A server that wanted a code the console did not know it wanted (its policy
/// not read yet) gets one sent at once; otherwise another is sent only when the cashier
/// asks, as the reason says whether one is needed.
pub(super) fn again(
    model: &mut Model,
    request: WriteOff,
    key: String,
    e: crate::domain::ServiceError,
) -> Vec<Cmd> {
    let provider = model.can().codes;
    let checkable = model.codes.checkable(provider) || e.reason == Some(Reason::CodeRequired);
    if e.reason == Some(Reason::CodeRequired) && request.code.is_none() {
        let cmds = enter(model, request, key, checkable);
        if let Some(step) = step(model) {
            step.problem = Some(CodeProblem::Refused(e));
        }
        return cmds;
    }
    forget_if_void(model, e.reason);
    // After a wrong try the code sent is still good: where it went is still said.
    let bare = WriteOff {
        code: None,
        ..request
    };
    let sent = match e.reason {
        Some(Reason::CodeWrong) => still_said(model, &bare),
        _ => None,
    };
    let field = if checkable {
        CodeField::Code
    } else {
        CodeField::Pin
    };
    reopen(model, bare, key, (field, checkable), sent, e);
    Vec::new()
}

/// Whether the server refused the manager's PIN given in the code step in place of the
/// code (not one given past a shop limit, which the form asks for): the code step is
/// where another PIN, or the code, is typed, and a code bypass asks no override reason.
pub(super) fn pin_refused(d: &WriteOffDialog, reason: Option<Reason>) -> bool {
    d.confirmed == Some(Confirmed::Manager)
        && d.pin.is_none()
        && matches!(reason, Some(Reason::PinWrong | Reason::ManagerRequired))
}

/// After the server refused the code step's PIN: the step again, the PIN field focused
/// and cleared, the refusal said, under a new key (the old key's stored answer is the
/// refusal). The code sent, if any, is still said and still good.
pub(super) fn pin_again(
    model: &mut Model,
    request: WriteOff,
    key: String,
    e: crate::domain::ServiceError,
) -> Vec<Cmd> {
    let provider = model.can().codes;
    let checkable = model.codes.checkable(provider);
    let sent = still_said(model, &request).filter(|_| checkable);
    if let Some(d) = dialog(model) {
        d.manager = None;
    }
    reopen(model, request, key, (CodeField::Pin, checkable), sent, e);
    Vec::new()
}

/// The code step again after a refusal, with both fields cleared and nothing allowed yet.
fn reopen(
    model: &mut Model,
    request: WriteOff,
    key: String,
    (field, checkable): (CodeField, bool),
    sent: Option<CodeSent>,
    e: crate::domain::ServiceError,
) {
    let Some(d) = dialog(model) else {
        return;
    };
    d.code = tui_input::Input::default();
    d.code_pin.clear();
    d.confirmed = None;
    d.step = WriteOffStep::Code(CodeStep {
        request,
        key,
        field,
        checkable,
        sending: None,
        sent,
        checking: None,
        problem: Some(CodeProblem::Refused(e)),
    });
}

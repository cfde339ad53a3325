//! The write-off's code step: when a code is needed, sending and checking it, carrying it
//! to the server, a manager's PIN in its place, the profile's fallback where nothing can
//! check one, and the money rules kept (nothing sent on a failed send, an unanswered
//! write-off judged by reading back).

use super::write_off::{dialog_step, to_confirmation};
use crate::app::fixtures::{NOW_MS, amount, answer_loads, coupon, history, key, opened, type_text};
use crate::app::keys::key::KeyCode;
use crate::app::model::{
    CodeAsk, CodeField, CodeProblem, CodeStep, Dialog, FormProblem, Model, WriteOffStep,
};
use crate::app::msg::{Cmd, Msg, RequestId};
use crate::app::update::update;
use crate::domain::codes::{
    CodeCheck, CodeFallback, CodePolicy, CodeSent, CodeVia, ConfirmationCode, Confirmed,
};
use crate::domain::limits::Capabilities;
use crate::domain::{Balances, ErrorKind, Reason, ServiceError, WriteOff};
use std::time::Duration;

mod edges;
mod returns;

/// The provider (our server) has codes under `policy`; the profile says nothing.
fn server_codes(m: &mut Model, policy: CodePolicy) {
    m.capabilities.data = Some(Capabilities {
        codes: Some(policy),
        ..Capabilities::default()
    });
}

/// The profile wants a code for every write-off and takes it from Mloyalty, which checks it.
fn mloyalty_codes(m: &mut Model) {
    m.codes = CodeAsk {
        policy: CodePolicy::Always,
        via: CodeVia::Mloyalty,
        fallback: CodeFallback::Refuse,
        service: true,
    };
}

fn code_step(m: &Model) -> &CodeStep {
    match dialog_step(m) {
        WriteOffStep::Code(step) => step,
        other => panic!("not the code step: {other:?}"),
    }
}

fn typed_code(m: &Model) -> String {
    match &m.dialog {
        Some(Dialog::WriteOff(d)) => d.code.value().to_string(),
        _ => panic!("no write-off dialog"),
    }
}

fn refusal(reason: Reason) -> ServiceError {
    ServiceError::new(ErrorKind::Rejected, "refused").with_reason(Some(reason))
}

/// To the confirmation (12,5 points, 50,50 roubles: 63 together) and `y`: the commands
/// consent gave, and the key the confirmation made.
fn consent(m: &mut Model) -> (Vec<Cmd>, String) {
    to_confirmation(m);
    let WriteOffStep::Confirm { key: made, .. } = dialog_step(m).clone() else {
        panic!()
    };
    (key(m, KeyCode::Char('y')), made)
}

/// Consents, and answers the send of the code as sent to a masked phone.
fn code_sent(m: &mut Model) -> String {
    let (cmds, made) = consent(m);
    let [Cmd::SendCode { id, .. }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    let sent = CodeSent {
        to: Some("+7 *** ***-45-67".into()),
        expires_at: None,
        resend_after_seconds: Some(60),
    };
    assert!(
        update(
            m,
            Msg::CodeSent {
                id,
                result: Ok(sent)
            }
        )
        .is_empty()
    );
    made
}

/// Types `code`, Enter: the check's id.
fn check(m: &mut Model, code: &str) -> RequestId {
    type_text(m, code);
    let cmds = key(m, KeyCode::Enter);
    let [
        Cmd::CheckCode {
            id, code: ref sent, ..
        },
    ] = cmds[..]
    else {
        panic!("{cmds:?}")
    };
    assert_eq!(sent.expose(), code);
    id
}

#[test]
fn a_policy_above_an_amount_asks_only_strictly_above_it() {
    // 63 together: a policy above 63 lets it go at once, one above 62,99 asks for a code.
    for (limit, asks) in [("63", false), ("62.99", true), ("100", false)] {
        let mut m = opened();
        server_codes(&mut m, CodePolicy::Above(amount(limit)));
        let (cmds, _) = consent(&mut m);
        if asks {
            assert!(
                matches!(&cmds[..], [Cmd::SendCode { request, .. }] if request.code.is_none()),
                "{limit}: {cmds:?}"
            );
            assert!(matches!(dialog_step(&m), WriteOffStep::Code(_)), "{limit}");
        } else {
            assert!(
                matches!(&cmds[..], [Cmd::WriteOff { .. }]),
                "{limit}: {cmds:?}"
            );
        }
    }
    // The profile's own policy asks too, whatever the provider says.
    let mut m = opened();
    m.codes = CodeAsk {
        policy: CodePolicy::Above(amount("50")),
        via: CodeVia::Mloyalty,
        fallback: CodeFallback::Refuse,
        service: true,
    };
    let (cmds, _) = consent(&mut m);
    assert!(matches!(&cmds[..], [Cmd::SendCode { .. }]), "{cmds:?}");
}

#[test]
fn a_code_the_server_checks_goes_in_the_write_off_under_the_confirmed_key() {
    let mut m = opened();
    server_codes(&mut m, CodePolicy::Always);
    let made = code_sent(&mut m);
    assert_eq!(code_step(&m).field, CodeField::Code);
    // Letters are no code's: only the digits are typed.
    type_text(&mut m, "12ab");
    assert_eq!(typed_code(&m), "12");
    key(&mut m, KeyCode::Backspace);
    key(&mut m, KeyCode::Backspace);
    let id = check(&mut m, "123456");
    let cmds = update(
        &mut m,
        Msg::CodeChecked {
            id,
            result: Ok(CodeCheck::Carried),
        },
    );
    let [
        Cmd::WriteOff {
            ref request,
            ref key,
            ref manager,
            confirmed,
            ..
        },
    ] = cmds[..]
    else {
        panic!("{cmds:?}")
    };
    assert_eq!(request.code, ConfirmationCode::new("123456"));
    assert_eq!(*key, made);
    assert!(manager.is_none());
    assert_eq!(
        confirmed,
        Some(Confirmed::Code),
        "journalled as the client's code"
    );
}

#[test]
fn a_code_the_vendor_confirmed_is_not_sent_again_with_the_write_off() {
    let mut m = opened();
    mloyalty_codes(&mut m);
    code_sent(&mut m);
    let id = check(&mut m, "4321");
    let cmds = update(
        &mut m,
        Msg::CodeChecked {
            id,
            result: Ok(CodeCheck::Confirmed),
        },
    );
    assert!(
        matches!(&cmds[..], [Cmd::WriteOff { request, confirmed: Some(Confirmed::Code), .. }]
            if request.code.is_none()),
        "{cmds:?}"
    );
}

#[test]
fn a_wrong_code_keeps_the_dialog_clears_the_field_and_writes_nothing() {
    let mut m = opened();
    mloyalty_codes(&mut m);
    code_sent(&mut m);
    let id = check(&mut m, "0000");
    let wrong = refusal(Reason::CodeWrong);
    let cmds = update(
        &mut m,
        Msg::CodeChecked {
            id,
            result: Err(wrong.clone()),
        },
    );
    assert!(cmds.is_empty(), "{cmds:?}");
    assert_eq!(code_step(&m).problem, Some(CodeProblem::Refused(wrong)));
    assert_eq!(typed_code(&m), "");
    // Where the code went is still said.
    assert!(code_step(&m).sent.is_some());
}

#[test]
fn the_server_refusing_the_code_opens_the_step_again_under_a_new_key() {
    let mut m = opened();
    server_codes(&mut m, CodePolicy::Always);
    let made = code_sent(&mut m);
    let id = check(&mut m, "111111");
    let cmds = update(
        &mut m,
        Msg::CodeChecked {
            id,
            result: Ok(CodeCheck::Carried),
        },
    );
    let [Cmd::WriteOff { id, .. }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    let expired = refusal(Reason::CodeExpired);
    let cmds = update(
        &mut m,
        Msg::WrittenOff {
            id,
            result: Err(expired.clone()),
        },
    );
    assert!(cmds.is_empty(), "nothing more is sent: {cmds:?}");
    let step = code_step(&m);
    assert_eq!(step.problem, Some(CodeProblem::Refused(expired)));
    assert_eq!(step.request.code, None, "the refused code is dropped");
    assert_eq!(step.sent, None, "an expired code's phone is not said again");
    assert_ne!(step.key, made, "the old key's stored answer is the refusal");
    assert_eq!(typed_code(&m), "");
    let id = check(&mut m, "222222");
    let fresh = code_step(&m).key.clone();
    let cmds = update(
        &mut m,
        Msg::CodeChecked {
            id,
            result: Ok(CodeCheck::Carried),
        },
    );
    assert!(
        matches!(&cmds[..], [Cmd::WriteOff { key, request, .. }]
            if *key == fresh && request.code == ConfirmationCode::new("222222")),
        "{cmds:?}"
    );
}

#[test]
fn a_resend_too_soon_says_how_long_to_wait() {
    let mut m = opened();
    server_codes(&mut m, CodePolicy::Always);
    code_sent(&mut m);
    let cmds = key(&mut m, KeyCode::F(5));
    let [Cmd::SendCode { id, .. }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    let wait = refusal(Reason::CodeResendWait).with_retry_after(Duration::from_millis(41_200));
    update(
        &mut m,
        Msg::CodeSent {
            id,
            result: Err(wait),
        },
    );
    assert_eq!(code_step(&m).problem, Some(CodeProblem::Wait(42)));
    // Only F5 resends: a letter typed or pasted into the code field sends nothing and
    // types nothing, so the code being read out stays good.
    assert!(key(&mut m, KeyCode::Char('r')).is_empty());
    assert!(crate::app::update::update(&mut m, Msg::Paste("1r2".into())).is_empty());
    assert_eq!(typed_code(&m), "12");
    assert!(matches!(
        &key(&mut m, KeyCode::F(5))[..],
        [Cmd::SendCode { .. }]
    ));
}

#[test]
fn a_failed_send_sends_no_write_off() {
    for failure in [
        refusal(Reason::CodeUndelivered),
        ServiceError::new(ErrorKind::Timeout, "timed out"),
        ServiceError::new(ErrorKind::Server, "502"),
    ] {
        let mut m = opened();
        server_codes(&mut m, CodePolicy::Always);
        let (cmds, _) = consent(&mut m);
        let [Cmd::SendCode { id, .. }] = cmds[..] else {
            panic!("{cmds:?}")
        };
        let cmds = update(
            &mut m,
            Msg::CodeSent {
                id,
                result: Err(failure.clone()),
            },
        );
        assert!(cmds.is_empty(), "{failure:?}");
        assert_eq!(code_step(&m).problem, Some(CodeProblem::NotSent(failure)));
        assert!(
            m.in_flight.is_empty(),
            "a send is not money: nothing is in doubt"
        );
    }
}

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
use crate::domain::confirm::{
    CodeCheck, CodeFallback, CodePolicy, CodeSent, CodeVia, ConfirmationCode, Confirmed,
};
use crate::domain::limits::Capabilities;
use crate::domain::{Balances, ErrorKind, Reason, ServiceError, WriteOff};
use std::time::Duration;

/// The provider (our server) has codes under `policy`; the profile says nothing.
fn server_codes(m: &mut Model, policy: CodePolicy) {
    m.capabilities.data = Some(Capabilities {
        codes: Some(policy),
        ..Capabilities::default()
    });
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
    m.codes = CodeAsk {
        policy: CodePolicy::Always,
        via: CodeVia::Mloyalty,
        fallback: CodeFallback::Refuse,
        service: true,
    };
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
    m.codes = CodeAsk {
        policy: CodePolicy::Always,
        via: CodeVia::Mloyalty,
        fallback: CodeFallback::Refuse,
        service: true,
    };
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
    // `r` resends too, once the pause is over.
    assert!(matches!(
        &key(&mut m, KeyCode::Char('r'))[..],
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

#[test]
fn replies_to_an_older_send_or_check_are_dropped() {
    let mut m = opened();
    server_codes(&mut m, CodePolicy::Always);
    let (cmds, _) = consent(&mut m);
    let [Cmd::SendCode { id: first, .. }] = cmds[..] else {
        panic!()
    };
    let [Cmd::SendCode { id: second, .. }] = key(&mut m, KeyCode::F(5))[..] else {
        panic!()
    };
    let late = update(
        &mut m,
        Msg::CodeSent {
            id: first,
            result: Err(refusal(Reason::CodeUndelivered)),
        },
    );
    assert!(late.is_empty());
    assert_eq!(code_step(&m).problem, None);
    assert_eq!(code_step(&m).sending, Some(second));
    let id = check(&mut m, "123456");
    let stale = update(
        &mut m,
        Msg::CodeChecked {
            id: RequestId(id.0 - 1),
            result: Ok(CodeCheck::Carried),
        },
    );
    assert!(stale.is_empty(), "{stale:?}");
    assert!(code_step(&m).checking.is_some());
    // Nothing is checked twice while one check is on its way.
    assert!(key(&mut m, KeyCode::Enter).is_empty());
}

#[test]
fn a_managers_pin_lets_it_go_without_the_code() {
    let mut m = opened();
    server_codes(&mut m, CodePolicy::Always);
    let made = code_sent(&mut m);
    key(&mut m, KeyCode::Tab);
    assert_eq!(code_step(&m).field, CodeField::Pin);
    type_text(&mut m, "12");
    key(&mut m, KeyCode::Enter);
    assert_eq!(code_step(&m).problem, Some(CodeProblem::PinMissing));
    type_text(&mut m, "34");
    let cmds = key(&mut m, KeyCode::Enter);
    let [
        Cmd::WriteOff {
            ref request,
            ref key,
            ref manager,
            ref confirmed,
            ..
        },
    ] = cmds[..]
    else {
        panic!("{cmds:?}")
    };
    assert!(request.code.is_none());
    assert_eq!(*key, made);
    assert_eq!(manager.as_ref().map(|p| p.expose()), Some("1234"));
    assert_eq!(
        *confirmed,
        Some(Confirmed::Manager),
        "journalled as a bypass"
    );
}

#[test]
fn where_nothing_can_check_a_code_the_profile_refuses_or_wants_a_pin() {
    let mut m = opened();
    m.codes = CodeAsk {
        policy: CodePolicy::Always,
        via: CodeVia::Provider,
        fallback: CodeFallback::Refuse,
        service: false,
    };
    let (cmds, _) = consent(&mut m);
    assert!(cmds.is_empty(), "{cmds:?}");
    assert_eq!(dialog_step(&m), &WriteOffStep::Form);
    let Some(Dialog::WriteOff(d)) = &m.dialog else {
        panic!()
    };
    assert_eq!(d.problem, Some(FormProblem::CodeUncheckable));

    let mut m = opened();
    m.codes = CodeAsk {
        policy: CodePolicy::Always,
        via: CodeVia::Mloyalty,
        fallback: CodeFallback::Manager,
        // Mloyalty's section was left off: nothing sends codes.
        service: false,
    };
    let (cmds, made) = consent(&mut m);
    assert!(cmds.is_empty(), "no code is sent: {cmds:?}");
    let step = code_step(&m);
    assert!(!step.checkable);
    assert_eq!(step.field, CodeField::Pin);
    // The PIN is the only way: Tab and resend do nothing.
    assert!(key(&mut m, KeyCode::F(5)).is_empty());
    key(&mut m, KeyCode::Tab);
    assert_eq!(code_step(&m).field, CodeField::Pin);
    type_text(&mut m, "9876");
    let cmds = key(&mut m, KeyCode::Enter);
    assert!(
        matches!(&cmds[..], [Cmd::WriteOff { key, manager: Some(_), request, .. }]
            if *key == made && request.code.is_none()),
        "{cmds:?}"
    );
}

#[test]
fn an_unanswered_write_off_after_a_code_is_judged_by_reading_back_and_retried_with_it() {
    let mut m = opened();
    server_codes(&mut m, CodePolicy::Always);
    let made = code_sent(&mut m);
    let id = check(&mut m, "555555");
    let [Cmd::WriteOff { id, .. }] = update(
        &mut m,
        Msg::CodeChecked {
            id,
            result: Ok(CodeCheck::Carried),
        },
    )[..] else {
        panic!()
    };
    let cmds = update(
        &mut m,
        Msg::WrittenOff {
            id,
            result: Err(ServiceError::new(ErrorKind::Timeout, "timed out")),
        },
    );
    assert!(matches!(dialog_step(&m), WriteOffStep::Checking { .. }));
    assert!(
        cmds.iter()
            .all(|c| !matches!(c, Cmd::WriteOff { .. } | Cmd::SendCode { .. })),
        "never resent, no new code: {cmds:?}"
    );
    // Nothing moved: it did not go through, and is offered again as it was.
    let balances = Balances {
        points: amount("100"),
        rubles: amount("50.5"),
    };
    let coupons = [coupon(7, NOW_MS + 1000), coupon(8, NOW_MS - 1000)];
    answer_loads(&mut m, cmds, balances, &coupons, &history(3));
    let cmds = key(&mut m, KeyCode::Enter);
    let expected = WriteOff {
        code: ConfirmationCode::new("555555"),
        ..to_confirmation_request()
    };
    assert!(
        matches!(&cmds[..], [Cmd::WriteOff { key, request, .. }] if *key == made && *request == expected),
        "the same key and the same code: {cmds:?}"
    );
}

/// What [`to_confirmation`] fills in.
fn to_confirmation_request() -> WriteOff {
    let mut m = opened();
    to_confirmation(&mut m)
}

#[test]
fn a_pasted_code_keeps_its_digits_only() {
    let mut m = opened();
    server_codes(&mut m, CodePolicy::Always);
    code_sent(&mut m);
    update(&mut m, Msg::Paste("12 34-56\n".into()));
    assert_eq!(typed_code(&m), "123456");
    assert!(matches!(
        &key(&mut m, KeyCode::Enter)[..],
        [Cmd::CheckCode { .. }]
    ));
}

#[test]
fn a_server_wanting_a_code_the_console_did_not_expect_gets_one_sent() {
    // The capabilities have not answered: nothing says a code is needed, so the write-off
    // goes; the server refuses it for want of a code, and nothing was written.
    let mut m = opened();
    let (cmds, made) = consent(&mut m);
    let [Cmd::WriteOff { id, .. }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    let required = refusal(Reason::CodeRequired);
    let cmds = update(
        &mut m,
        Msg::WrittenOff {
            id,
            result: Err(required.clone()),
        },
    );
    assert!(
        matches!(&cmds[..], [Cmd::SendCode { request, .. }] if request.code.is_none()),
        "{cmds:?}"
    );
    let step = code_step(&m);
    assert!(step.checkable);
    assert_ne!(step.key, made);
    assert_eq!(step.problem, Some(CodeProblem::Refused(required)));
}

#[test]
fn after_the_server_says_the_code_is_wrong_where_it_went_is_still_said() {
    let mut m = opened();
    server_codes(&mut m, CodePolicy::Always);
    code_sent(&mut m);
    let id = check(&mut m, "000000");
    let [Cmd::WriteOff { id, .. }] = update(
        &mut m,
        Msg::CodeChecked {
            id,
            result: Ok(CodeCheck::Carried),
        },
    )[..] else {
        panic!()
    };
    update(
        &mut m,
        Msg::WrittenOff {
            id,
            result: Err(refusal(Reason::CodeWrong)),
        },
    );
    let step = code_step(&m);
    assert_eq!(
        step.sent.as_ref().and_then(|s| s.to.as_deref()),
        Some("+7 *** ***-45-67")
    );
    assert_eq!(step.sending, None, "no new code is sent for a wrong try");
}

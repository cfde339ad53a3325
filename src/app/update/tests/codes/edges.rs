//! The code step's edges: stale replies, a manager's PIN in place of the code, the profile's
//! fallback where nothing can check one, an unanswered write-off after a code, pasted codes,
//! and a server that wants a code the console did not expect.

use super::*;

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

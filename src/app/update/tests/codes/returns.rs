//! Coming back to the code step: after the server refused the PIN typed in place of the
//! code, and after the cashier left the step and confirmed the same write-off again while
//! the code sent still lives. And the step's keys: a code no longer than a code, the help
//! over the step, and Enter named for what it does in the PIN field.

use super::*;
use crate::app::keys::{Action, Scope, labels};
use jiff::{SignedDuration, Timestamp};

/// A code sent for the write-off `consent` makes, living `life` more.
fn sent_for(m: &mut Model, life: SignedDuration) -> CodeSent {
    let (cmds, _) = consent(m);
    let [Cmd::SendCode { id, .. }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    let sent = CodeSent {
        to: Some("+7 *** ***-45-67".into()),
        expires_at: Some(m.now + life),
        resend_after_seconds: Some(60),
    };
    update(
        m,
        Msg::CodeSent {
            id,
            result: Ok(sent.clone()),
        },
    );
    sent
}

/// In the PIN field, types `pin` and Enter: the write-off's id and key.
fn by_pin(m: &mut Model, pin: &str) -> (RequestId, String) {
    key(m, KeyCode::Tab);
    type_text(m, pin);
    let cmds = key(m, KeyCode::Enter);
    let [Cmd::WriteOff { id, ref key, .. }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    (id, key.clone())
}

#[test]
fn a_pin_refused_in_the_code_step_stays_there_and_asks_no_reason() {
    for reason in [Reason::PinWrong, Reason::ManagerRequired] {
        let mut m = opened();
        server_codes(&mut m, CodePolicy::Always);
        let sent = sent_for(&mut m, SignedDuration::from_mins(5));
        let (id, used) = by_pin(&mut m, "9999");
        let refused = refusal(reason);
        let cmds = update(
            &mut m,
            Msg::WrittenOff {
                id,
                result: Err(refused.clone()),
            },
        );
        assert!(cmds.is_empty(), "{reason:?}: {cmds:?}");
        let step = code_step(&m);
        assert_eq!(step.field, CodeField::Pin, "{reason:?}");
        assert_eq!(step.problem, Some(CodeProblem::Refused(refused)));
        assert_eq!(step.sent, Some(sent.clone()), "the code sent is still good");
        assert_ne!(step.key, used, "the old key's stored answer is the refusal");
        let Some(Dialog::WriteOff(d)) = &m.dialog else {
            panic!()
        };
        assert!(d.code_pin.is_empty(), "the PIN field is cleared");
        assert!(d.manager.is_none() && d.confirmed.is_none());
        assert!(d.pin.is_none(), "no over-limit PIN field");
        assert!(
            d.override_reason.is_none() && d.problem.is_none(),
            "no override reason is asked for a code bypass"
        );
        // Another PIN goes at once, as a bypass, under the new key and with no reason.
        let fresh = step.key.clone();
        type_text(&mut m, "1234");
        let cmds = key(&mut m, KeyCode::Enter);
        assert!(
            matches!(&cmds[..], [Cmd::WriteOff { key, manager: Some(_), confirmed: Some(Confirmed::Manager), request, .. }]
                if *key == fresh && request.why.is_none()),
            "{cmds:?}"
        );
    }
}

#[test]
fn a_limit_refused_after_a_right_pin_goes_on_to_the_form_as_before() {
    let mut m = opened();
    server_codes(&mut m, CodePolicy::Always);
    sent_for(&mut m, SignedDuration::from_mins(5));
    let (id, _) = by_pin(&mut m, "1234");
    let limit = refusal(Reason::Limit(crate::domain::limits::LimitKind::Operation));
    update(
        &mut m,
        Msg::WrittenOff {
            id,
            result: Err(limit),
        },
    );
    assert_eq!(*dialog_step(&m), WriteOffStep::Form);
}

#[test]
fn leaving_the_step_and_coming_back_keeps_saying_where_the_live_code_went() {
    let mut m = opened();
    server_codes(&mut m, CodePolicy::Always);
    // Half a second to live: the fixture's coupon expires a second after now.
    let sent = sent_for(&mut m, SignedDuration::from_millis(500));
    key(&mut m, KeyCode::Esc);
    assert_eq!(*dialog_step(&m), WriteOffStep::Form);
    // The same write-off confirmed again: the code the client has is still said, and no
    // second code voids it.
    key(&mut m, KeyCode::Enter);
    let cmds = key(&mut m, KeyCode::Char('y'));
    assert!(cmds.is_empty(), "{cmds:?}");
    assert_eq!(code_step(&m).sent, Some(sent.clone()));
    assert_eq!(code_step(&m).sending, None);
    // The dialog closed and opened again (`w`) for the same client and write-off: the same.
    key(&mut m, KeyCode::Esc);
    key(&mut m, KeyCode::Esc);
    assert!(m.dialog.is_none());
    let (cmds, _) = consent(&mut m);
    assert!(cmds.is_empty(), "{cmds:?}");
    assert_eq!(code_step(&m).sent, Some(sent));
    // Once it has expired, coming back sends another.
    key(&mut m, KeyCode::Esc);
    m.now += SignedDuration::from_millis(600);
    key(&mut m, KeyCode::Enter);
    let cmds = key(&mut m, KeyCode::Char('y'));
    assert!(matches!(&cmds[..], [Cmd::SendCode { .. }]), "{cmds:?}");
    assert_eq!(code_step(&m).sent, None);
}

#[test]
fn a_code_sent_for_another_write_off_is_not_said_for_this_one() {
    let mut m = opened();
    server_codes(&mut m, CodePolicy::Always);
    sent_for(&mut m, SignedDuration::from_mins(5));
    key(&mut m, KeyCode::Esc);
    // Another amount: the code is bound to the first.
    key(&mut m, KeyCode::Backspace);
    type_text(&mut m, "4");
    key(&mut m, KeyCode::Enter);
    let cmds = key(&mut m, KeyCode::Char('y'));
    assert!(matches!(&cmds[..], [Cmd::SendCode { .. }]), "{cmds:?}");
    assert_eq!(code_step(&m).sent, None);
}

#[test]
fn the_code_field_takes_no_more_digits_than_a_code_has() {
    let mut m = opened();
    server_codes(&mut m, CodePolicy::Always);
    code_sent(&mut m);
    type_text(&mut m, "1234567890123456789012");
    assert_eq!(typed_code(&m), "12345678");
    key(&mut m, KeyCode::Backspace);
    update(&mut m, Msg::Paste("9876543210".into()));
    assert_eq!(typed_code(&m), "12345679", "a paste stops at the cap too");
    assert_eq!(typed_code(&m).len(), crate::domain::codes::CODE_MAX);
}

#[test]
fn f1_and_question_mark_open_the_help_over_the_step_and_give_it_back() {
    for help in [KeyCode::F(1), KeyCode::Char('?')] {
        let mut m = opened();
        server_codes(&mut m, CodePolicy::Always);
        let (cmds, _) = consent(&mut m);
        let [Cmd::SendCode { id, .. }] = cmds[..] else {
            panic!("{cmds:?}")
        };
        type_text(&mut m, "12");
        key(&mut m, help);
        assert!(matches!(m.dialog, Some(Dialog::Help(_))), "{help:?}");
        assert_eq!(m.key_context().scope, Scope::Help);
        // The send's answer arrives while the help is open: it still reaches the step.
        let sent = CodeSent {
            to: Some("+7 *** ***-45-67".into()),
            expires_at: Some(Timestamp::from_millisecond(NOW_MS + 300_000).unwrap()),
            resend_after_seconds: None,
        };
        update(
            &mut m,
            Msg::CodeSent {
                id,
                result: Ok(sent.clone()),
            },
        );
        key(&mut m, KeyCode::Esc);
        assert_eq!(code_step(&m).sent, Some(sent), "{help:?}");
        assert_eq!(typed_code(&m), "12", "the step as it was");
    }
    // From the form too, by F1 (`?` may be typed there).
    let mut m = opened();
    key(&mut m, KeyCode::Char('w'));
    key(&mut m, KeyCode::F(1));
    assert!(matches!(m.dialog, Some(Dialog::Help(_))));
    key(&mut m, KeyCode::F(1));
    assert_eq!(*dialog_step(&m), WriteOffStep::Form);
}

#[test]
fn in_the_pin_field_enter_is_named_write_off_by_pin() {
    let mut m = opened();
    server_codes(&mut m, CodePolicy::Always);
    code_sent(&mut m);
    let t = m.locale.text();
    let enter = |m: &Model| labels::action(t, Action::Submit, m.key_context().scope);
    assert_eq!(enter(&m), t.codes.action_check);
    key(&mut m, KeyCode::Tab);
    assert_eq!(m.key_context().scope, Scope::WriteOffCodePin);
    assert_eq!(enter(&m), t.codes.action_by_pin);
    // The field's other keys work there as in the code field.
    assert!(matches!(
        &key(&mut m, KeyCode::F(5))[..],
        [Cmd::SendCode { .. }]
    ));
    key(&mut m, KeyCode::Tab);
    assert_eq!(code_step(&m).field, CodeField::Code);
}

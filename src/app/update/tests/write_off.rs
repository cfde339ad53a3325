//! The write-off dialog: its form and validation, the confirmation, sending once, the answer.

use crate::app::fixtures::{amount, client, key, opened, type_text};
use crate::app::keys::key::KeyCode;
use crate::app::model::{Button, Dialog, FormProblem, Model, Notice, WriteOffField, WriteOffStep};
use crate::app::msg::{Cmd, Msg, RequestId};
use crate::app::update::update;
use crate::domain::{AmountError, ClientId, CouponId, ErrorKind, ServiceError, WriteOff};

pub(super) fn dialog_step(m: &Model) -> &WriteOffStep {
    match &m.dialog {
        Some(Dialog::WriteOff(d)) => &d.step,
        other => panic!("no write-off dialog: {other:?}"),
    }
}

fn problem(m: &Model) -> Option<&FormProblem> {
    match &m.dialog {
        Some(Dialog::WriteOff(d)) => d.problem.as_ref(),
        _ => None,
    }
}

#[test]
fn write_off_opens_with_points_focused() {
    let mut m = opened();
    key(&mut m, KeyCode::Char('w'));
    let Some(Dialog::WriteOff(d)) = &m.dialog else {
        panic!()
    };
    assert_eq!(d.field, WriteOffField::Points);
    assert_eq!(d.step, WriteOffStep::Form);
    assert_eq!(d.coupons.len(), 2);
}

#[test]
fn write_off_needs_a_loaded_balance() {
    let mut m = opened();
    m.card.as_mut().unwrap().balance.data = None;
    key(&mut m, KeyCode::Char('w'));
    assert!(m.dialog.is_none());
}

#[test]
fn validation_explains_every_refusal() {
    let cases: [(&str, FormProblem); 5] = [
        (
            "abc",
            FormProblem::Amount {
                field: WriteOffField::Points,
                error: AmountError::NotANumber,
            },
        ),
        (
            "-5",
            FormProblem::Amount {
                field: WriteOffField::Points,
                error: AmountError::NotANumber,
            },
        ),
        (
            "1.234",
            FormProblem::Amount {
                field: WriteOffField::Points,
                error: AmountError::TooManyDecimals,
            },
        ),
        ("0", FormProblem::NotPositive(WriteOffField::Points)),
        (
            "100.01",
            FormProblem::AboveBalance {
                field: WriteOffField::Points,
                available: amount("100"),
            },
        ),
    ];
    for (text, expected) in cases {
        let mut m = opened();
        key(&mut m, KeyCode::Char('w'));
        type_text(&mut m, text);
        assert!(key(&mut m, KeyCode::Enter).is_empty());
        assert_eq!(problem(&m), Some(&expected), "{text}");
        assert_eq!(dialog_step(&m), &WriteOffStep::Form);
    }
    let mut m = opened();
    key(&mut m, KeyCode::Char('w'));
    key(&mut m, KeyCode::Enter);
    assert_eq!(problem(&m), Some(&FormProblem::Nothing));
}

#[test]
fn an_expired_coupon_cannot_be_picked() {
    let mut m = opened();
    key(&mut m, KeyCode::Char('w'));
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Char(' '));
    assert_eq!(problem(&m), Some(&FormProblem::CouponExpired(CouponId(8))));
    let Some(Dialog::WriteOff(d)) = &m.dialog else {
        panic!()
    };
    assert!(d.chosen.is_empty());
}

/// Fills points 12,5 and roubles 50.50 and coupon 7, then goes to the confirmation.
pub(super) fn to_confirmation(m: &mut Model) -> WriteOff {
    key(m, KeyCode::Char('w'));
    type_text(m, "12,5");
    key(m, KeyCode::Tab);
    type_text(m, "50.50");
    key(m, KeyCode::Tab);
    key(m, KeyCode::Char(' '));
    assert!(key(m, KeyCode::Enter).is_empty());
    let expected = WriteOff {
        points: Some(amount("12.5")),
        rubles: Some(amount("50.5")),
        coupons: vec![CouponId(7)],
        receipt: None,
        why: None,
        code: None,
    };
    assert!(matches!(
        dialog_step(m),
        WriteOffStep::Confirm { request, focus: Button::Cancel, .. } if *request == expected
    ));
    expected
}

#[test]
fn confirmation_defaults_to_cancel() {
    let mut m = opened();
    to_confirmation(&mut m);
    // Enter on the focused Cancel goes back to the form; nothing is sent.
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    assert_eq!(dialog_step(&m), &WriteOffStep::Form);
    // The form keeps what was typed: Enter goes straight back to the confirmation.
    key(&mut m, KeyCode::Enter);
    assert!(matches!(
        dialog_step(&m),
        WriteOffStep::Confirm {
            focus: Button::Cancel,
            ..
        }
    ));
    assert!(key(&mut m, KeyCode::Char('n')).is_empty());
    assert_eq!(dialog_step(&m), &WriteOffStep::Form);
    key(&mut m, KeyCode::Esc);
    assert!(m.dialog.is_none(), "Esc in the form closes the dialog");
}

#[test]
fn confirming_sends_once_and_a_second_press_does_nothing() {
    let mut m = opened();
    let expected = to_confirmation(&mut m);
    key(&mut m, KeyCode::Right);
    let cmds = key(&mut m, KeyCode::Enter);
    assert!(matches!(
        &cmds[..],
        [Cmd::WriteOff { client: ClientId(1), request, .. }] if *request == expected
    ));
    assert!(matches!(dialog_step(&m), WriteOffStep::Sending { .. }));
    for code in [
        KeyCode::Enter,
        KeyCode::Char('y'),
        KeyCode::Esc,
        KeyCode::Char('w'),
    ] {
        assert!(key(&mut m, code).is_empty(), "{code:?} while sending");
    }
    assert!(matches!(dialog_step(&m), WriteOffStep::Sending { .. }));
    assert!(m.busy());
}

/// A screen too small shows only that it is: the confirmation it hides takes no key, paste
/// or click; back at full size it takes them again.
#[test]
fn a_hidden_confirmation_takes_no_key_while_the_screen_is_too_small() {
    let mut m = opened();
    to_confirmation(&mut m);
    update(
        &mut m,
        Msg::Resized {
            width: 60,
            height: 20,
        },
    );
    assert!(m.too_small());
    for code in [KeyCode::Char('y'), KeyCode::Right, KeyCode::Enter] {
        assert!(key(&mut m, code).is_empty(), "{code:?} while too small");
    }
    assert!(update(&mut m, Msg::Paste("y\n".into())).is_empty());
    assert!(matches!(dialog_step(&m), WriteOffStep::Confirm { .. }));
    update(
        &mut m,
        Msg::Resized {
            width: 80,
            height: 24,
        },
    );
    assert!(matches!(
        &key(&mut m, KeyCode::Char('y'))[..],
        [Cmd::WriteOff { .. }]
    ));
}

#[test]
fn success_closes_the_dialog_says_what_was_written_off_and_refreshes() {
    let mut m = opened();
    let expected = to_confirmation(&mut m);
    let [Cmd::WriteOff { id, .. }] = key(&mut m, KeyCode::Char('y'))[..] else {
        panic!()
    };
    let cmds = update(&mut m, Msg::WrittenOff { id, result: Ok(()) });
    assert!(m.dialog.is_none());
    assert_eq!(
        m.notice,
        Some(Notice::WrittenOff {
            client: client(1, "Пётр Иванов"),
            request: expected
        })
    );
    assert_eq!(cmds.len(), 3, "balance, coupons and history are read again");
}

#[test]
fn a_refusal_returns_to_the_form_with_the_servers_reason() {
    let mut m = opened();
    to_confirmation(&mut m);
    let [Cmd::WriteOff { id, .. }] = key(&mut m, KeyCode::Char('y'))[..] else {
        panic!()
    };
    let refusal = ServiceError::new(ErrorKind::Rejected, "insufficient points balance");
    assert!(
        update(
            &mut m,
            Msg::WrittenOff {
                id,
                result: Err(refusal.clone())
            }
        )
        .is_empty()
    );
    assert_eq!(dialog_step(&m), &WriteOffStep::Form);
    assert_eq!(problem(&m), Some(&FormProblem::Refused(refusal)));
}

#[test]
fn the_key_is_made_before_sending_and_kept_for_the_same_request() {
    let mut m = opened();
    to_confirmation(&mut m);
    let WriteOffStep::Confirm { key: first, .. } = dialog_step(&m).clone() else {
        panic!()
    };
    assert!(first.starts_with(&m.session));
    // Back to the form and confirmed again unchanged: the same key.
    key(&mut m, KeyCode::Char('n'));
    key(&mut m, KeyCode::Enter);
    let WriteOffStep::Confirm { key: again, .. } = dialog_step(&m).clone() else {
        panic!()
    };
    assert_eq!(again, first);
    let cmds = key(&mut m, KeyCode::Char('y'));
    assert!(matches!(&cmds[..], [Cmd::WriteOff { key, .. }] if *key == first));
    // A changed request is a new write-off with a new key.
    let mut m = opened();
    to_confirmation(&mut m);
    let WriteOffStep::Confirm { key: first, .. } = dialog_step(&m).clone() else {
        panic!()
    };
    key(&mut m, KeyCode::Char('n'));
    // The coupon list still has the focus: Space unpicks coupon 7.
    key(&mut m, KeyCode::Char(' '));
    key(&mut m, KeyCode::Enter);
    let WriteOffStep::Confirm { key: other, .. } = dialog_step(&m).clone() else {
        panic!()
    };
    assert_ne!(other, first);
}

fn write_off_dialog(m: &Model) -> &crate::app::model::WriteOffDialog {
    match &m.dialog {
        Some(Dialog::WriteOff(d)) => d,
        other => panic!("no write-off dialog: {other:?}"),
    }
}

#[test]
fn shift_tab_walks_the_form_backwards() {
    use crate::app::model::WriteOffField;
    let mut m = opened();
    key(&mut m, KeyCode::Char('w'));
    let mut seen = Vec::new();
    for _ in 0..3 {
        key(&mut m, KeyCode::BackTab);
        seen.push(write_off_dialog(&m).field);
    }
    assert_eq!(
        seen,
        [
            WriteOffField::Coupons,
            WriteOffField::Rubles,
            WriteOffField::Points
        ]
    );
}

#[test]
fn arrows_and_space_pick_coupons_only_in_the_coupon_list() {
    let mut m = opened();
    key(&mut m, KeyCode::Char('w'));
    // In the points field: the arrows leave the coupon list alone and Space is typed.
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Char(' '));
    let d = write_off_dialog(&m);
    assert_eq!(d.coupon_cursor, 0);
    assert!(d.chosen.is_empty(), "{:?}", d.chosen);
    key(&mut m, KeyCode::Up);
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Down);
    let d = write_off_dialog(&m);
    assert_eq!(d.coupon_cursor, 1);
}

#[test]
fn a_reply_to_an_older_write_off_is_ignored() {
    let mut m = opened();
    to_confirmation(&mut m);
    key(&mut m, KeyCode::Char('y'));
    assert!(
        update(
            &mut m,
            Msg::WrittenOff {
                id: RequestId(1),
                result: Ok(())
            }
        )
        .is_empty()
    );
    assert!(matches!(dialog_step(&m), WriteOffStep::Sending { .. }));
}

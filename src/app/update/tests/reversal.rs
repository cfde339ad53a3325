//! The reversal dialog (сторно): opened from F7 and F2 rows, only where the provider reverses;
//! the original read back and prefilled; validation; the confirmation; the PIN never kept in
//! the form once sent; every answer, and the read-back verdicts after no answer.

use crate::app::fixtures::{amount, key, opened, type_text};
use crate::app::keys::key::KeyCode;
use crate::app::model::{
    Dialog, Model, Notice, ReversalField, ReversalProblem, ReversalStep, ReversalVerdict, Screen,
};
use crate::app::msg::{Cmd, Msg, RequestId};
use crate::app::update::update;
use crate::domain::journal::{Attempt, JournalRow, Outcome};
use crate::domain::limits::{Capabilities, ManagerPin};
use crate::domain::reversal::{About, Operation, OperationKind, ReasonCode, Who};
use crate::domain::{
    Amount, ClientId, CouponId, ErrorKind, OperationId, Reason, Reversal, ServiceError, WriteOff,
};
use jiff::Timestamp;

const OP: OperationId = OperationId(41);

fn reversing() -> Capabilities {
    Capabilities {
        reversal: true,
        ..Capabilities::default()
    }
}

/// The original write-off: 100 points and 20 roubles and coupon 7, 25 points given back.
fn original() -> Operation {
    Operation {
        id: OP,
        client: ClientId(1),
        kind: OperationKind::WriteOff,
        at: Timestamp::from_second(1_700_000_000).unwrap(),
        points: amount("100"),
        rubles: amount("20"),
        coupons: vec![CouponId(7)],
        reversed_points: amount("25"),
        reversed_rubles: Amount::ZERO,
        reversed_coupons: vec![],
        receipt: None,
        who: Who {
            principal: Some("shop".into()),
            login: Some("anna".into()),
            manager: None,
        },
        why: None,
        original: None,
    }
}

fn journal_row(outcome: Option<Outcome>, operation: Option<OperationId>) -> JournalRow {
    JournalRow {
        at: Timestamp::from_second(1_700_000_000).unwrap(),
        profile: "shop".into(),
        user: "anna".into(),
        attempt: Attempt::write_off(
            "k-1".into(),
            ClientId(1),
            WriteOff {
                points: Some(amount("100")),
                ..WriteOff::default()
            },
        ),
        outcome,
        detail: None,
        operation,
    }
}

/// On F7 with one applied write-off the server numbered, the provider able to reverse.
fn on_journal(caps: Capabilities, row: JournalRow) -> Model {
    let mut m = opened();
    m.capabilities.data = Some(caps);
    let cmds = key(&mut m, KeyCode::F(7));
    let [Cmd::LoadJournal { id }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    update(
        &mut m,
        Msg::JournalLoaded {
            id,
            result: Ok(vec![row]),
        },
    );
    m
}

fn step(m: &Model) -> &ReversalStep {
    match &m.dialog {
        Some(Dialog::Reversal(d)) => &d.step,
        other => panic!("no reversal dialog: {other:?}"),
    }
}

fn dialog(m: &Model) -> &crate::app::model::ReversalDialog {
    match &m.dialog {
        Some(Dialog::Reversal(d)) => d,
        other => panic!("no reversal dialog: {other:?}"),
    }
}

/// `c` on the F7 row, and the original read back.
fn opened_on(m: &mut Model, op: Operation) {
    let cmds = key(m, KeyCode::Char('c'));
    let [Cmd::LoadOperation { id, operation }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!(operation, OP);
    update(m, Msg::OperationLoaded { id, result: Ok(op) });
    assert_eq!(step(m), &ReversalStep::Form);
}

/// To the PIN field (Tab from points: roubles, coupons, reason, note, PIN) and types it.
fn pin(m: &mut Model, digits: &str) {
    while dialog(m).field != ReversalField::Pin {
        key(m, KeyCode::Tab);
    }
    type_text(m, digits);
}

/// From the form to the confirmation and through it: the Reverse command sent.
fn confirmed(m: &mut Model) -> (RequestId, Reversal, String, ManagerPin) {
    assert!(key(m, KeyCode::Enter).is_empty());
    let ReversalStep::Confirm { focus, .. } = step(m) else {
        panic!("{:?}", step(m))
    };
    assert_eq!(*focus, crate::app::model::Button::Cancel);
    let cmds = key(m, KeyCode::Char('y'));
    let [
        Cmd::Reverse {
            id,
            request,
            key,
            manager,
        },
    ] = &cmds[..]
    else {
        panic!("{cmds:?}")
    };
    (*id, request.clone(), key.clone(), manager.clone())
}

#[test]
fn a_provider_that_cannot_reverse_says_so_instead_of_a_dialog() {
    let mut m = on_journal(
        Capabilities::default(),
        journal_row(Some(Outcome::Applied), Some(OP)),
    );
    assert!(key(&mut m, KeyCode::Char('c')).is_empty());
    assert!(m.dialog.is_none());
    assert_eq!(m.notice, Some(Notice::ReversalNotOffered));
}

#[test]
fn only_an_applied_numbered_write_off_is_reversed() {
    for row in [
        journal_row(Some(Outcome::Refused), Some(OP)),
        journal_row(Some(Outcome::Unknown), Some(OP)),
        journal_row(Some(Outcome::Applied), None),
    ] {
        let mut m = on_journal(reversing(), row);
        assert!(key(&mut m, KeyCode::Char('c')).is_empty());
        assert!(m.dialog.is_none());
        assert_eq!(m.notice, Some(Notice::NotReversible));
    }
    let mut m = on_journal(
        reversing(),
        journal_row(Some(Outcome::AppliedAfterCheck), Some(OP)),
    );
    assert!(matches!(
        key(&mut m, KeyCode::Char('c'))[..],
        [Cmd::LoadOperation { operation: OP, .. }]
    ));
}

#[test]
fn the_form_is_prefilled_with_what_is_left() {
    let mut m = on_journal(reversing(), journal_row(Some(Outcome::Applied), Some(OP)));
    opened_on(&mut m, original());
    let d = dialog(&m);
    assert_eq!(d.points.value(), "75");
    assert_eq!(d.rubles.value(), "20");
    assert!(d.coupons_back, "coupon 7 is left to give back");
    assert_eq!(d.reason, ReasonCode::Mistake);
    assert_eq!(d.field, ReversalField::Points);
}

#[test]
fn a_history_row_naming_a_write_off_opens_it() {
    let mut m = opened();
    m.capabilities.data = Some(reversing());
    let card = m.card.as_mut().unwrap();
    card.history.rows.data.as_mut().unwrap()[1].about = Some(About {
        operation: Some(OP),
        kind: Some(OperationKind::WriteOff),
        ..About::default()
    });
    // Tab to the history pane, down to the second row.
    while m.focus != crate::app::model::Pane::History {
        key(&mut m, KeyCode::Tab);
    }
    assert!(key(&mut m, KeyCode::Char('c')).is_empty());
    assert_eq!(m.notice, Some(Notice::NotReversible), "row 0 names nothing");
    key(&mut m, KeyCode::Down);
    let cmds = key(&mut m, KeyCode::Char('c'));
    assert!(
        matches!(cmds[..], [Cmd::LoadOperation { operation: OP, .. }]),
        "{cmds:?}"
    );
    assert_eq!(dialog(&m).client, ClientId(1));
}

#[test]
fn the_form_explains_what_it_cannot_take() {
    let mut m = on_journal(reversing(), journal_row(Some(Outcome::Applied), Some(OP)));
    opened_on(&mut m, original());
    let problem = |m: &Model| dialog(m).problem.clone();
    // No PIN yet.
    key(&mut m, KeyCode::Enter);
    assert_eq!(problem(&m), Some(ReversalProblem::PinMissing));
    // More than is left.
    type_text(&mut m, "0");
    key(&mut m, KeyCode::Enter);
    assert_eq!(
        problem(&m),
        Some(ReversalProblem::AboveLeft {
            field: ReversalField::Points,
            left: amount("75"),
        })
    );
    // «другое» without its note.
    if let Some(Dialog::Reversal(d)) = m.dialog.as_mut() {
        d.points = tui_input::Input::new("10".into());
    }
    while dialog(&m).field != ReversalField::Reason {
        key(&mut m, KeyCode::Tab);
    }
    for _ in 0..3 {
        key(&mut m, KeyCode::Down);
    }
    assert_eq!(dialog(&m).reason, ReasonCode::Other);
    pin(&mut m, "4321");
    key(&mut m, KeyCode::Enter);
    assert_eq!(problem(&m), Some(ReversalProblem::NoteMissing));
    assert_eq!(step(&m), &ReversalStep::Form);
}

#[test]
fn a_partial_reversal_is_confirmed_sent_once_and_reloads_the_journal() {
    let mut m = on_journal(reversing(), journal_row(Some(Outcome::Applied), Some(OP)));
    opened_on(&mut m, original());
    if let Some(Dialog::Reversal(d)) = m.dialog.as_mut() {
        d.points = tui_input::Input::new("30".into());
    }
    // Only the points: roubles cleared, coupons kept.
    key(&mut m, KeyCode::Tab);
    update(&mut m, Msg::Key(crate::app::keys::key::Key::ctrl('u')));
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Char(' '));
    assert!(!dialog(&m).coupons_back);
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Down);
    pin(&mut m, "4321");
    let (id, request, _key, manager) = confirmed(&mut m);
    assert_eq!(
        request,
        Reversal {
            original: OP,
            client: ClientId(1),
            points: Some(amount("30")),
            rubles: None,
            coupons: vec![],
            why: crate::domain::reversal::Why::new(ReasonCode::Returned, None).unwrap(),
        }
    );
    assert_eq!(manager.expose(), "4321");
    assert_eq!(dialog(&m).pin.len(), 0, "the PIN leaves the form once sent");
    assert!(
        !format!("{:?}", m.dialog).contains("4321"),
        "nor is it in a Debug print"
    );
    // Nothing more goes while it is on its way.
    assert!(key(&mut m, KeyCode::Char('y')).is_empty());
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    let cmds = update(
        &mut m,
        Msg::Reversed {
            id,
            result: Ok(Some(OperationId(42))),
        },
    );
    assert!(m.dialog.is_none());
    assert!(matches!(
        m.notice,
        Some(Notice::Reversed {
            after_check: false,
            ..
        })
    ));
    assert_eq!(m.screen, Screen::Journal);
    assert!(
        cmds.iter().any(|c| matches!(c, Cmd::LoadJournal { .. })),
        "{cmds:?}"
    );
    assert!(
        cmds.iter().any(|c| matches!(c, Cmd::LoadBalance { .. })),
        "the client's card is open: it is read again"
    );
}

#[test]
fn a_full_reversal_gives_back_everything_left() {
    let mut m = on_journal(reversing(), journal_row(Some(Outcome::Applied), Some(OP)));
    opened_on(&mut m, original());
    pin(&mut m, "4321");
    let (_, request, _, _) = confirmed(&mut m);
    assert_eq!(request.points, Some(amount("75")));
    assert_eq!(request.rubles, Some(amount("20")));
    assert_eq!(request.coupons, vec![CouponId(7)]);
}

#[test]
fn a_refusal_says_why_and_a_wrong_pin_is_cleared_for_another_try() {
    let mut m = on_journal(reversing(), journal_row(Some(Outcome::Applied), Some(OP)));
    opened_on(&mut m, original());
    pin(&mut m, "1111");
    let (id, request, first_key, _) = confirmed(&mut m);
    let refused = ServiceError::new(ErrorKind::Rejected, "pin").with_reason(Some(Reason::PinWrong));
    assert!(
        update(
            &mut m,
            Msg::Reversed {
                id,
                result: Err(refused.clone()),
            },
        )
        .is_empty()
    );
    assert_eq!(step(&m), &ReversalStep::Form);
    assert_eq!(dialog(&m).problem, Some(ReversalProblem::Refused(refused)));
    assert_eq!(dialog(&m).field, ReversalField::Pin);
    assert_eq!(dialog(&m).pin.len(), 0);
    type_text(&mut m, "4321");
    let (_, again, second_key, manager) = confirmed(&mut m);
    assert_eq!(again, request);
    assert_eq!(manager.expose(), "4321");
    // A new key: the refusal moved nothing, and it is the old key's stored answer.
    assert_ne!(second_key, first_key);
}

#[test]
fn an_over_reversal_refusal_goes_back_to_the_form() {
    let mut m = on_journal(reversing(), journal_row(Some(Outcome::Applied), Some(OP)));
    opened_on(&mut m, original());
    pin(&mut m, "4321");
    let (id, ..) = confirmed(&mut m);
    let refused =
        ServiceError::new(ErrorKind::Rejected, "over").with_reason(Some(Reason::OverReversal));
    update(
        &mut m,
        Msg::Reversed {
            id,
            result: Err(refused.clone()),
        },
    );
    assert_eq!(step(&m), &ReversalStep::Form);
    assert_eq!(dialog(&m).problem, Some(ReversalProblem::Refused(refused)));
}

/// Sends the full reversal and lets it time out: the original is read again.
fn unanswered(m: &mut Model) -> (RequestId, Reversal, String) {
    opened_on(m, original());
    pin(m, "4321");
    let (id, request, sent_key, _) = confirmed(m);
    let cmds = update(
        m,
        Msg::Reversed {
            id,
            result: Err(ServiceError::new(ErrorKind::Timeout, "no answer")),
        },
    );
    let [
        Cmd::LoadOperation {
            id: read,
            operation,
        },
    ] = cmds[..]
    else {
        panic!("never resent blind: {cmds:?}")
    };
    assert_eq!(operation, OP);
    assert!(matches!(step(m), ReversalStep::Checking { .. }));
    // Nothing is sent, nor the dialog closed, while it is checked; quitting asks first.
    assert!(key_presses_do_nothing(m));
    update(m, Msg::Key(crate::app::keys::key::Key::ctrl('c')));
    assert_eq!(
        m.quit_asked,
        Some(crate::app::model::Unsaved::WriteOffInFlight)
    );
    key(m, KeyCode::Esc);
    assert_eq!(m.quit_asked, None);
    (read, request, sent_key)
}

fn key_presses_do_nothing(m: &mut Model) -> bool {
    [KeyCode::Char('y'), KeyCode::Enter, KeyCode::Esc]
        .into_iter()
        .all(|k| key(m, k).is_empty())
        && m.dialog.is_some()
}

fn recorded(cmds: &[Cmd]) -> Option<Outcome> {
    cmds.iter().find_map(|c| match c {
        Cmd::Record { outcome, .. } => Some(*outcome),
        _ => None,
    })
}

#[test]
fn unknown_then_reversed_by_exactly_what_was_asked_is_applied() {
    let mut m = on_journal(reversing(), journal_row(Some(Outcome::Applied), Some(OP)));
    let (read, ..) = unanswered(&mut m);
    let mut now = original();
    now.reversed_points = amount("100");
    now.reversed_rubles = amount("20");
    now.reversed_coupons = vec![CouponId(7)];
    let cmds = update(
        &mut m,
        Msg::OperationLoaded {
            id: read,
            result: Ok(now),
        },
    );
    assert_eq!(recorded(&cmds), Some(Outcome::AppliedAfterCheck));
    assert!(m.dialog.is_none());
    assert!(matches!(
        m.notice,
        Some(Notice::Reversed {
            after_check: true,
            ..
        })
    ));
}

#[test]
fn unknown_then_unchanged_is_not_applied_and_only_then_retried_with_the_same_key() {
    let mut m = on_journal(reversing(), journal_row(Some(Outcome::Applied), Some(OP)));
    let (read, request, sent_key) = unanswered(&mut m);
    let cmds = update(
        &mut m,
        Msg::OperationLoaded {
            id: read,
            result: Ok(original()),
        },
    );
    assert_eq!(recorded(&cmds), Some(Outcome::NotAppliedAfterCheck));
    assert!(matches!(
        step(&m),
        ReversalStep::Checked {
            verdict: ReversalVerdict::NotApplied,
            ..
        }
    ));
    let cmds = key(&mut m, KeyCode::Char('y'));
    let [
        Cmd::Reverse {
            request: again,
            key: again_key,
            manager,
            ..
        },
    ] = &cmds[..]
    else {
        panic!("{cmds:?}")
    };
    assert_eq!(*again, request);
    assert_eq!(*again_key, sent_key);
    assert_eq!(manager.expose(), "4321", "the PIN it was sent with");
}

#[test]
fn unknown_then_changed_otherwise_or_unreadable_is_unclear_and_never_retried() {
    let mut other = original();
    other.reversed_points = amount("35");
    for result in [
        Ok(other),
        Err(ServiceError::new(ErrorKind::Timeout, "again")),
    ] {
        let mut m = on_journal(reversing(), journal_row(Some(Outcome::Applied), Some(OP)));
        let (read, ..) = unanswered(&mut m);
        let cmds = update(&mut m, Msg::OperationLoaded { id: read, result });
        assert_eq!(recorded(&cmds), Some(Outcome::UnclearAfterCheck));
        assert!(matches!(
            step(&m),
            ReversalStep::Checked {
                verdict: ReversalVerdict::Unclear,
                ..
            }
        ));
        assert!(key(&mut m, KeyCode::Char('y')).is_empty());
        assert!(key(&mut m, KeyCode::Enter).is_empty());
        key(&mut m, KeyCode::Esc);
        assert!(m.dialog.is_none(), "closing is all that is left");
    }
}

#[test]
fn stale_replies_are_dropped() {
    let mut m = on_journal(reversing(), journal_row(Some(Outcome::Applied), Some(OP)));
    let cmds = key(&mut m, KeyCode::Char('c'));
    let [Cmd::LoadOperation { id, .. }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    // A reply to another read leaves the dialog loading.
    update(
        &mut m,
        Msg::OperationLoaded {
            id: RequestId(id.0 + 100),
            result: Ok(original()),
        },
    );
    assert!(matches!(step(&m), ReversalStep::Loading { .. }));
    update(
        &mut m,
        Msg::OperationLoaded {
            id,
            result: Ok(original()),
        },
    );
    pin(&mut m, "4321");
    let (id, ..) = confirmed(&mut m);
    update(
        &mut m,
        Msg::Reversed {
            id: RequestId(id.0 + 100),
            result: Ok(None),
        },
    );
    assert!(matches!(step(&m), ReversalStep::Sending { .. }));
}

#[test]
fn an_original_that_cannot_be_read_only_closes() {
    let mut m = on_journal(reversing(), journal_row(Some(Outcome::Applied), Some(OP)));
    let cmds = key(&mut m, KeyCode::Char('c'));
    let [Cmd::LoadOperation { id, .. }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    let e = ServiceError::new(ErrorKind::Rejected, "gone").with_reason(Some(Reason::NotReversible));
    update(&mut m, Msg::OperationLoaded { id, result: Err(e) });
    assert!(matches!(step(&m), ReversalStep::Unreadable(_)));
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    key(&mut m, KeyCode::Esc);
    assert!(m.dialog.is_none());
}

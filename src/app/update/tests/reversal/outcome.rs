//! After the reversal is sent: a refusal back to the form (a wrong PIN cleared, a new key),
//! and no answer judged by reading the original again: applied, not applied (only then sent
//! again, under the same key), or unclear and never resent; replies no longer waited for
//! are dropped.

use super::{
    OP, confirmed, dialog, journal_row, on_journal, opened_on, original, pin, reversing, step,
};
use crate::app::fixtures::{amount, key, type_text};
use crate::app::keys::key::KeyCode;
use crate::app::model::{
    Model, Notice, ReversalField, ReversalProblem, ReversalStep, ReversalVerdict,
};
use crate::app::msg::{Cmd, Msg, RequestId};
use crate::app::update::update;
use crate::domain::journal::Outcome;
use crate::domain::{CouponId, ErrorKind, Reason, Reversal, ServiceError};

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

//! A write-off without a clear answer: checked by reading back, never resent on its own, and the
//! verdicts the check comes to.

use super::write_off::{dialog_step, to_confirmation};
use crate::app::fixtures::{NOW_MS, amount, answer_loads, coupon, history, key, opened, type_text};
use crate::app::keys::key::{Key, KeyCode, Modifiers};
use crate::app::model::{Doubt, Model, Notice, Verdict, WriteOffStep};
use crate::app::msg::{Cmd, Msg};
use crate::app::update::update;
use crate::domain::journal::Outcome;
use crate::domain::{Balances, ClientId, Coupon, CouponId, ErrorKind, ServiceError};
use jiff::Timestamp;

/// Confirms, answers with a timeout, and returns the commands that came out.
fn time_out(m: &mut Model) -> Vec<Cmd> {
    to_confirmation(m);
    let [Cmd::WriteOff { id, .. }] = key(m, KeyCode::Char('y'))[..] else {
        panic!()
    };
    let timeout = ServiceError::new(ErrorKind::Timeout, "timed out");
    update(
        m,
        Msg::WrittenOff {
            id,
            result: Err(timeout),
        },
    )
}

/// Answers the re-reads of a check with these balances and coupons.
fn answer_check(
    m: &mut Model,
    cmds: Vec<Cmd>,
    points: &str,
    rubles: &str,
    coupons: Vec<Coupon>,
) -> Vec<Cmd> {
    let balances = Balances {
        points: amount(points),
        rubles: amount(rubles),
    };
    answer_loads(m, cmds, balances, &coupons, &history(3))
}

#[test]
fn a_timeout_is_checked_by_rereading_not_by_retrying() {
    let mut m = opened();
    let cmds = time_out(&mut m);
    assert_eq!(
        m.notice,
        Some(Notice::OutcomeUnknown {
            client: ClientId(1)
        })
    );
    assert!(matches!(dialog_step(&m), WriteOffStep::Checking { .. }));
    assert!(
        cmds.iter().all(|c| !matches!(c, Cmd::WriteOff { .. })),
        "never retried blindly"
    );
    assert!(
        key(&mut m, KeyCode::Char('y')).is_empty(),
        "nothing to confirm while checking"
    );
    // 100 - 12.5 points, 50.5 - 50.5 roubles, coupon 7 gone: it went through.
    let WriteOffStep::Checking { key: sent, .. } = dialog_step(&m).clone() else {
        panic!()
    };
    let out = answer_check(&mut m, cmds, "87.5", "0", vec![coupon(8, NOW_MS - 1000)]);
    assert_eq!(
        out,
        vec![Cmd::Record {
            key: sent,
            client: ClientId(1),
            outcome: Outcome::AppliedAfterCheck
        }]
    );
    assert!(m.dialog.is_none());
    assert!(matches!(
        m.notice,
        Some(Notice::WrittenOffAfterCheck { .. })
    ));
}

/// Only an answer that proves a refusal returns to the form; a 5xx, an unreadable answer,
/// a conflict with a write in flight, a timeout or a broken connection are checked by
/// reading back, and nothing is sent again.
#[test]
fn only_a_refusal_returns_to_the_form_every_other_failure_is_checked() {
    for kind in [
        ErrorKind::Timeout,
        ErrorKind::Interrupted,
        ErrorKind::Server,
        ErrorKind::BadResponse,
        ErrorKind::InProgress,
        ErrorKind::Rejected,
        ErrorKind::Unauthorized,
        ErrorKind::RateLimited,
        ErrorKind::Unreachable,
    ] {
        let mut m = opened();
        to_confirmation(&mut m);
        let [Cmd::WriteOff { id, .. }] = key(&mut m, KeyCode::Char('y'))[..] else {
            panic!()
        };
        let e = ServiceError::new(kind, "502 Bad Gateway");
        let cmds = update(&mut m, Msg::WrittenOff { id, result: Err(e) });
        assert!(
            cmds.iter().all(|c| !matches!(c, Cmd::WriteOff { .. })),
            "{kind:?}: never sent again on its own"
        );
        let refused = matches!(
            kind,
            ErrorKind::Rejected
                | ErrorKind::Unauthorized
                | ErrorKind::RateLimited
                | ErrorKind::Unreachable
        );
        if refused {
            assert_eq!(dialog_step(&m), &WriteOffStep::Form, "{kind:?}");
        } else {
            assert!(
                matches!(dialog_step(&m), WriteOffStep::Checking { .. }),
                "{kind:?}: {:?}",
                dialog_step(&m)
            );
            assert!(
                cmds.iter().any(|c| matches!(c, Cmd::LoadBalance { .. })),
                "{kind:?}: read back"
            );
        }
    }
}

#[test]
fn a_write_off_shown_not_to_have_gone_through_is_offered_again_with_its_key() {
    let mut m = opened();
    let cmds = time_out(&mut m);
    let WriteOffStep::Checking { key: sent, .. } = dialog_step(&m).clone() else {
        panic!()
    };
    let out = answer_check(
        &mut m,
        cmds,
        "100",
        "50.5",
        vec![coupon(7, NOW_MS + 1000), coupon(8, NOW_MS - 1000)],
    );
    assert_eq!(
        out,
        vec![Cmd::Record {
            key: sent.clone(),
            client: ClientId(1),
            outcome: Outcome::NotAppliedAfterCheck
        }]
    );
    assert!(matches!(
        dialog_step(&m),
        WriteOffStep::Checked {
            verdict: Verdict::NotApplied,
            ..
        }
    ));
    let cmds = key(&mut m, KeyCode::Enter);
    assert!(
        matches!(&cmds[..], [Cmd::WriteOff { key, .. }] if *key == sent),
        "the same key again"
    );
}

#[test]
fn an_unclear_check_offers_no_retry() {
    let mut m = opened();
    let cmds = time_out(&mut m);
    // Points moved, but not by the amount sent: another till, perhaps.
    let out = answer_check(&mut m, cmds, "60", "50.5", vec![coupon(7, NOW_MS + 1000)]);
    assert!(matches!(
        &out[..],
        [Cmd::Record {
            outcome: Outcome::UnclearAfterCheck,
            ..
        }]
    ));
    assert!(matches!(
        dialog_step(&m),
        WriteOffStep::Checked {
            verdict: Verdict::Unclear(Doubt::ChangedOtherwise),
            ..
        }
    ));
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    assert!(key(&mut m, KeyCode::Char('y')).is_empty());
    key(&mut m, KeyCode::Esc);
    assert!(m.dialog.is_none());
}

/// A write-off left unclear keeps the client's next `w` from writing off anything new:
/// it checks again first, against the balance the doubtful one was sent against.
fn left_unclear(m: &mut Model) -> String {
    let cmds = time_out(m);
    let WriteOffStep::Checking { key: sent, .. } = dialog_step(m).clone() else {
        panic!()
    };
    answer_check(m, cmds, "60", "50.5", vec![coupon(7, NOW_MS + 1000)]);
    key(m, KeyCode::Esc);
    assert!(m.dialog.is_none());
    assert!(m.doubts.contains_key(&ClientId(1)));
    sent
}

#[test]
fn w_after_an_unclear_write_off_checks_it_again_before_anything_new() {
    let mut m = opened();
    let sent = left_unclear(&mut m);
    let cmds = key(&mut m, KeyCode::Char('w'));
    assert!(
        matches!(dialog_step(&m), WriteOffStep::Checking { key, .. } if *key == sent),
        "{:?}",
        dialog_step(&m)
    );
    assert_eq!(m.notice, Some(Notice::CheckingEarlier));
    assert!(cmds.iter().all(|c| !matches!(c, Cmd::WriteOff { .. })));
    // Nothing moved since it was sent: it did not go through, and only now is the same
    // write-off offered again, under its own key.
    answer_check(
        &mut m,
        cmds,
        "100",
        "50.5",
        vec![coupon(7, NOW_MS + 1000), coupon(8, NOW_MS - 1000)],
    );
    assert!(!m.doubts.contains_key(&ClientId(1)), "settled");
    let cmds = key(&mut m, KeyCode::Enter);
    assert!(
        matches!(&cmds[..], [Cmd::WriteOff { key, .. }] if *key == sent),
        "{cmds:?}"
    );
}

#[test]
fn a_write_off_still_unclear_lets_the_cashier_write_off_anew_only_when_asked() {
    let mut m = opened();
    let sent = left_unclear(&mut m);
    let cmds = key(&mut m, KeyCode::Char('w'));
    answer_check(&mut m, cmds, "60", "50.5", vec![coupon(7, NOW_MS + 1000)]);
    assert!(matches!(
        dialog_step(&m),
        WriteOffStep::Checked {
            verdict: Verdict::Unclear(_),
            ..
        }
    ));
    // Neither Enter nor y sends anything; n, once the history is read, opens a new form.
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    assert!(key(&mut m, KeyCode::Char('y')).is_empty());
    assert!(m.doubts.contains_key(&ClientId(1)));
    key(&mut m, KeyCode::Char('n'));
    assert_eq!(dialog_step(&m), &WriteOffStep::Form);
    assert!(!m.doubts.contains_key(&ClientId(1)));
    type_text(&mut m, "5");
    key(&mut m, KeyCode::Enter);
    let WriteOffStep::Confirm { key: new, .. } = dialog_step(&m).clone() else {
        panic!("{:?}", dialog_step(&m))
    };
    assert_ne!(new, sent, "a new write-off has a key of its own");
}

#[test]
fn a_recheck_that_finds_it_applied_settles_the_doubt() {
    let mut m = opened();
    left_unclear(&mut m);
    let cmds = key(&mut m, KeyCode::Char('w'));
    // 12.5 points, 50.5 roubles and coupon 7 gone from what it was sent against.
    answer_check(&mut m, cmds, "87.5", "0", vec![coupon(8, NOW_MS - 1000)]);
    assert!(m.dialog.is_none());
    assert!(!m.doubts.contains_key(&ClientId(1)));
    assert!(matches!(
        m.notice,
        Some(Notice::WrittenOffAfterCheck { .. })
    ));
}

/// The verdict a check came to, and that it records it and retries nothing.
fn checked(m: &Model, out: &[Cmd]) -> Verdict {
    let WriteOffStep::Checked { verdict, .. } = dialog_step(m) else {
        panic!("{:?}", dialog_step(m))
    };
    let outcome = match verdict {
        Verdict::NotApplied => Outcome::NotAppliedAfterCheck,
        Verdict::Unclear(_) => Outcome::UnclearAfterCheck,
    };
    assert!(
        matches!(out, [Cmd::Record { outcome: o, .. }] if *o == outcome),
        "{out:?}"
    );
    *verdict
}

#[test]
fn a_reread_that_fails_is_unclear_and_nothing_is_retried() {
    let mut m = opened();
    let cmds = time_out(&mut m);
    let mut out = Vec::new();
    for cmd in cmds {
        out.extend(match cmd {
            Cmd::LoadBalance { id, .. } => update(
                &mut m,
                Msg::BalanceLoaded {
                    id,
                    result: Err(ServiceError::new(ErrorKind::Unreachable, "down")),
                },
            ),
            Cmd::LoadCoupons { id, .. } => update(
                &mut m,
                Msg::CouponsLoaded {
                    id,
                    result: Ok(vec![coupon(7, NOW_MS + 1000)]),
                },
            ),
            _ => Vec::new(),
        });
    }
    assert_eq!(checked(&m, &out), Verdict::Unclear(Doubt::Unreadable));
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    assert!(key(&mut m, KeyCode::Char('y')).is_empty());
}

#[test]
fn a_balance_that_went_up_meanwhile_is_unclear() {
    let mut m = opened();
    let cmds = time_out(&mut m);
    // An accrual landed: points rose, roubles are as before, the coupon is still there.
    let out = answer_check(&mut m, cmds, "110", "50.5", vec![coupon(7, NOW_MS + 1000)]);
    assert_eq!(checked(&m, &out), Verdict::Unclear(Doubt::ChangedOtherwise));
}

#[test]
fn a_coupon_that_expired_before_the_check_proves_nothing_by_its_absence() {
    let mut m = opened();
    let cmds = time_out(&mut m);
    // Coupon 7 expired a second after the dialog opened; the vendor no longer lists it.
    update(
        &mut m,
        Msg::Tick(Timestamp::from_millisecond(NOW_MS + 2000).unwrap()),
    );
    let out = answer_check(&mut m, cmds, "87.5", "0", vec![coupon(8, NOW_MS - 1000)]);
    assert_eq!(
        checked(&m, &out),
        Verdict::Unclear(Doubt::CouponExpired(CouponId(7)))
    );
    assert!(key(&mut m, KeyCode::Enter).is_empty(), "nothing retried");
}

#[test]
fn an_unclear_verdict_is_not_sent_again_whatever_action_comes() {
    use crate::app::keys::Action;
    let mut m = opened();
    let cmds = time_out(&mut m);
    answer_check(&mut m, cmds, "60", "50.5", vec![coupon(7, NOW_MS + 1000)]);
    // Past the key map, straight to the dialog: the verdict itself forbids a retry.
    let enter = Key::new(KeyCode::Enter, Modifiers::NONE);
    for action in [Action::Confirm, Action::Submit] {
        assert!(crate::app::update::write_off::on_key(&mut m, Some(action), enter).is_empty());
    }
}

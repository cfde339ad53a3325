//! The reversal form: what it cannot take, and what it sends once confirmed (a part, or
//! everything left), the PIN out of the form as soon as it is sent.

use super::{
    OP, confirmed, dialog, journal_row, on_journal, opened_on, original, pin, reversing, step,
};
use crate::app::fixtures::{amount, key, type_text};
use crate::app::keys::key::KeyCode;
use crate::app::model::{
    Dialog, Model, Notice, ReversalField, ReversalProblem, ReversalStep, Screen,
};
use crate::app::msg::{Cmd, Msg};
use crate::app::update::update;
use crate::domain::journal::Outcome;
use crate::domain::reversal::ReasonCode;
use crate::domain::{ClientId, CouponId, OperationId, Reversal};

#[test]
fn the_form_explains_what_it_cannot_take() {
    let mut m = on_journal(reversing(), journal_row(Some(Outcome::Applied), Some(OP)));
    opened_on(&mut m, original());
    let problem = |m: &Model| dialog(m).problem.clone();
    // No reason chosen yet: none is chosen for the cashier.
    key(&mut m, KeyCode::Enter);
    assert_eq!(problem(&m), Some(ReversalProblem::ReasonMissing));
    if let Some(Dialog::Reversal(d)) = m.dialog.as_mut() {
        d.reason = Some(ReasonCode::Mistake);
    }
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
    assert_eq!(dialog(&m).reason, Some(ReasonCode::Other));
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

//! The reversal dialog (сторно): opened from F7 and F2 rows, only where the provider reverses;
//! the original read back and prefilled (`open`); validation, the confirmation and the PIN
//! never kept in the form once sent (`form`); every answer, and the read-back verdicts after
//! no answer (`outcome`). The dialog's fixtures are here, once.

mod form;
mod open;
mod outcome;

use crate::app::fixtures::{amount, key, opened, type_text};
use crate::app::keys::key::KeyCode;
use crate::app::model::{Dialog, Model, ReversalField, ReversalStep};
use crate::app::msg::{Cmd, Msg, RequestId};
use crate::app::update::update;
use crate::domain::journal::{Attempt, JournalRow, Outcome};
use crate::domain::limits::{Capabilities, ManagerPin};
use crate::domain::reversal::{Operation, OperationKind, Who};
use crate::domain::{Amount, ClientId, CouponId, OperationId, Reversal, WriteOff};
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

/// To the PIN field (Tab from points: roubles, coupons, reason, note, PIN) and types it;
/// on the way, ↓ on the reason chooses the first on the list if none was chosen.
fn pin(m: &mut Model, digits: &str) {
    while dialog(m).field != ReversalField::Pin {
        if dialog(m).field == ReversalField::Reason && dialog(m).reason.is_none() {
            key(m, KeyCode::Down);
        }
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

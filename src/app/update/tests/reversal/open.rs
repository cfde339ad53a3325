//! Where the reversal opens: only where the provider reverses, only on an applied write-off
//! the server numbered (from F7 or from F2's history); the original read back and the form
//! prefilled with what is left of it, or closed when it cannot be read.

use super::{OP, dialog, journal_row, on_journal, opened_on, original, reversing, step};
use crate::app::fixtures::{key, opened};
use crate::app::keys::key::KeyCode;
use crate::app::model::{Notice, ReversalField, ReversalStep};
use crate::app::msg::{Cmd, Msg};
use crate::app::update::update;
use crate::domain::journal::Outcome;
use crate::domain::limits::Capabilities;
use crate::domain::reversal::{About, OperationKind};
use crate::domain::{ClientId, ErrorKind, Reason, ServiceError};

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
    assert_eq!(d.reason, None, "no reason is anybody's until one is chosen");
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

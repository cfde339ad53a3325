//! F7: the journal of write-offs, read afresh each time.

use crate::app::fixtures::{key, opened};
use crate::app::keys::key::KeyCode;
use crate::app::msg::{Cmd, Msg};
use crate::app::update::update;

#[test]
fn f7_reads_the_journal_each_time() {
    let mut m = opened();
    let cmds = key(&mut m, KeyCode::F(7));
    let [Cmd::LoadJournal { id }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    update(
        &mut m,
        Msg::JournalLoaded {
            id,
            result: Ok(vec![]),
        },
    );
    assert_eq!(m.journal.rows.data, Some(vec![]));
    key(&mut m, KeyCode::F(2));
    assert!(matches!(
        key(&mut m, KeyCode::F(7))[..],
        [Cmd::LoadJournal { .. }]
    ));
}

#[test]
fn the_filter_finds_a_receipt_and_the_reversal_key_takes_the_row_it_shows() {
    use crate::app::model::Dialog;
    use crate::domain::journal::{Attempt, JournalRow, Outcome};
    use crate::domain::limits::Capabilities;
    use crate::domain::{Amount, ClientId, OperationId, Receipt, WriteOff};
    use jiff::Timestamp;
    let row = |key: &str, receipt: Option<&str>, op: i64| JournalRow {
        at: Timestamp::from_second(1_700_000_000).unwrap(),
        profile: "shop".into(),
        user: "anna".into(),
        attempt: Attempt::write_off(
            key.into(),
            ClientId(1),
            WriteOff {
                points: Some(Amount::from_minor(1_000)),
                receipt: receipt.map(|n| Receipt {
                    number: n.into(),
                    total: Amount::from_minor(10_000),
                }),
                ..WriteOff::default()
            },
        ),
        outcome: Some(Outcome::Applied),
        detail: None,
        operation: Some(OperationId(op)),
    };
    let mut m = opened();
    m.capabilities.data = Some(Capabilities {
        reversal: true,
        ..Capabilities::default()
    });
    let [Cmd::LoadJournal { id }] = key(&mut m, KeyCode::F(7))[..] else {
        panic!()
    };
    update(
        &mut m,
        Msg::JournalLoaded {
            id,
            result: Ok(vec![
                row("k1", Some("A-1"), 11),
                row("k2", Some("b-17"), 12),
                row("k3", None, 13),
            ]),
        },
    );
    key(&mut m, KeyCode::Char('/'));
    crate::app::fixtures::type_text(&mut m, "B-1");
    assert_eq!(m.journal.shown().len(), 1, "case aside, the receipt B-17");
    // Enter gives the keys back to the table; the filter stays.
    key(&mut m, KeyCode::Enter);
    assert!(!m.journal.filtering);
    let cmds = key(&mut m, KeyCode::Char('c'));
    assert!(
        matches!(
            cmds[..],
            [Cmd::LoadOperation {
                operation: OperationId(12),
                ..
            }]
        ),
        "{cmds:?}"
    );
    assert!(matches!(m.dialog, Some(Dialog::Reversal(_))));
    key(&mut m, KeyCode::Esc);
    // Esc in the filter clears it.
    key(&mut m, KeyCode::Char('/'));
    key(&mut m, KeyCode::Esc);
    assert_eq!(m.journal.shown().len(), 3);
}

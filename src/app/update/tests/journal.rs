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

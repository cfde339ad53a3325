//! Quitting: Ctrl-C from anywhere.

use crate::app::fixtures::{key, opened};
use crate::app::keys::key::{Key, KeyCode, Modifiers};
use crate::app::msg::{Cmd, Msg};
use crate::app::update::update;

#[test]
fn ctrl_c_quits_from_anywhere() {
    let mut m = opened();
    key(&mut m, KeyCode::Char('w'));
    let cmds = update(
        &mut m,
        Msg::Key(Key::new(KeyCode::Char('c'), Modifiers::CONTROL)),
    );
    assert_eq!(cmds, vec![Cmd::Quit]);
}

//! The help overlay: found by typed text, its cursor within the lines found.

use crate::app::fixtures::{key, opened, type_text};
use crate::app::keys::key::KeyCode;
use crate::app::model::Dialog;

#[test]
fn help_finds_keys_by_typed_text_scrolls_and_closes() {
    let mut m = opened();
    key(&mut m, KeyCode::Char('?'));
    assert!(matches!(m.dialog, Some(Dialog::Help(_))));
    assert!(
        type_text(&mut m, "qu").is_empty(),
        "q is looked for in the help, it does not quit"
    );
    let Some(Dialog::Help(h)) = &m.dialog else {
        panic!("help stays open while typing");
    };
    assert_eq!(h.filter.value(), "qu");
    key(&mut m, KeyCode::Backspace);
    key(&mut m, KeyCode::Backspace);
    key(&mut m, KeyCode::PageDown);
    key(&mut m, KeyCode::Down);
    let Some(Dialog::Help(h)) = &m.dialog else {
        panic!("help stays open while scrolling");
    };
    assert_eq!(h.scroll, 11);
    key(&mut m, KeyCode::End);
    let Some(Dialog::Help(h)) = &m.dialog else {
        panic!("help stays open while scrolling");
    };
    let end = h.scroll;
    key(&mut m, KeyCode::PageDown);
    assert!(matches!(&m.dialog, Some(Dialog::Help(h)) if h.scroll == end));
    key(&mut m, KeyCode::Char('?'));
    assert!(m.dialog.is_none(), "? with nothing typed closes it");
    key(&mut m, KeyCode::F(1));
    key(&mut m, KeyCode::Esc);
    assert!(m.dialog.is_none());
}

/// The cursor moves over the lines the filter found, not over all the help: End on a
/// narrowed list stops at its last line, and the first Up moves visibly.
#[test]
fn the_help_cursor_stays_within_the_lines_found() {
    let mut m = opened();
    key(&mut m, KeyCode::Char('?'));
    type_text(&mut m, "quit");
    let Some(Dialog::Help(h)) = &m.dialog else {
        panic!("help is open")
    };
    let found = crate::app::update::help::lines(&m, h.filter.value()).len();
    assert!(found > 1 && found < 10, "a few lines found: {found}");
    key(&mut m, KeyCode::End);
    key(&mut m, KeyCode::PageDown);
    let Some(Dialog::Help(h)) = &m.dialog else {
        panic!("help is open")
    };
    assert_eq!(h.scroll, found - 1);
    key(&mut m, KeyCode::Up);
    let Some(Dialog::Help(h)) = &m.dialog else {
        panic!("help is open")
    };
    assert_eq!(h.scroll, found - 2);
}

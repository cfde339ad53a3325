//! The status line: the spinner while busy, the end of demo seeding told.

use crate::app::fixtures::{NOW_MS, key, model, search_answered, type_text};
use crate::app::keys::key::KeyCode;
use crate::app::model::Notice;
use crate::app::msg::{Cmd, Msg};
use crate::app::update::update;
use crate::domain::{ErrorKind, ServiceError};
use jiff::Timestamp;

#[test]
fn ticks_move_the_spinner_only_while_busy() {
    let mut m = model();
    update(
        &mut m,
        Msg::Tick(Timestamp::from_millisecond(NOW_MS + 1).unwrap()),
    );
    assert_eq!(m.spinner, 0);
    type_text(&mut m, "9123");
    key(&mut m, KeyCode::Enter);
    update(
        &mut m,
        Msg::Tick(Timestamp::from_millisecond(NOW_MS + 2).unwrap()),
    );
    assert_eq!(m.spinner, 1);
    assert_eq!(m.now.as_millisecond(), NOW_MS + 2);
}

/// The demo database is filled after the first frame: its end is said on the status line,
/// and so is its failure.
#[test]
fn the_end_of_demo_seeding_is_told() {
    let mut m = model();
    m.notice = Some(Notice::DemoSeeding { clients: 5000 });
    assert!(update(&mut m, Msg::DemoSeeded(Ok(5000))).is_empty());
    assert_eq!(m.notice, Some(Notice::DemoCreated { clients: 5000 }));
    // A search made while the database was still empty is made again.
    search_answered(&mut m, "9123456789", vec![]);
    let again = update(&mut m, Msg::DemoSeeded(Ok(5000)));
    assert!(matches!(again[..], [Cmd::Search { .. }]), "{again:?}");
    let failed = ServiceError::new(ErrorKind::Server, "demo data: disk full");
    update(&mut m, Msg::DemoSeeded(Err(failed.clone())));
    assert_eq!(m.error, Some(failed));
}

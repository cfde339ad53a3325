//! Requests on their way: every one recorded, only reads cancellable.

use super::write_off::to_confirmation;
use crate::app::fixtures::{key, opened};
use crate::app::keys::key::KeyCode;
use crate::app::msg::{Cmd, Msg, RequestId};
use crate::app::update::update;

/// Every request is recorded until its reply: a write-off on its way turns the spinner
/// like a read, but it is never offered to Esc, however long it takes; a slow read is.
#[test]
fn writes_on_their_way_are_recorded_and_never_cancelled() {
    use crate::app::msg::Kind;
    let mut m = opened();
    to_confirmation(&mut m);
    key(&mut m, KeyCode::Right);
    let [Cmd::WriteOff { id, .. }] = key(&mut m, KeyCode::Enter)[..] else {
        panic!("sent")
    };
    assert_eq!(m.in_flight.get(&id).map(|r| r.kind), Some(Kind::Write));
    assert!(m.busy());
    let later = m.now + jiff::SignedDuration::from_secs(30);
    update(&mut m, Msg::Tick(later));
    assert!(m.slow_reads().is_empty(), "a write is no read to drop");
    m.dialog = None;
    assert!(
        !key(&mut m, KeyCode::Esc)
            .iter()
            .any(|c| matches!(c, Cmd::Cancel(_))),
        "Esc cancels no write"
    );
    update(&mut m, Msg::WrittenOff { id, result: Ok(()) });
    assert!(!m.in_flight.contains_key(&id), "the reply clears it");
}

/// Each command says whether it starts a request and of which kind; only reads cancel.
#[test]
fn only_reads_are_cancellable() {
    use crate::app::msg::Kind;
    let id = RequestId(7);
    let read = Cmd::LoadGroups { id };
    let write = Cmd::RemoveGroup { id, group: 1 };
    let local = Cmd::LoadJournal { id };
    assert_eq!(read.request().map(|r| r.kind), Some(Kind::Read));
    assert_eq!(write.request().map(|r| r.kind), Some(Kind::Write));
    assert_eq!(local.request().map(|r| r.kind), Some(Kind::Local));
    assert_eq!(read.cancellable(), Some(id));
    assert_eq!(write.cancellable(), None);
    assert_eq!(local.cancellable(), None);
    assert_eq!(Cmd::Quit.request(), None);
}

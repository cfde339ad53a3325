//! F7: the audit journal of this till's money movements, newest first; a write-off on it is
//! reversed from here, and the shift report opens from here.

use super::super::keys::Action;
use super::super::model::Model;
use super::super::msg::{Cmd, Reply, RequestId};
use crate::domain::journal::JournalRow;

pub fn load(model: &mut Model) -> Vec<Cmd> {
    let id = model.next_id();
    model.journal.rows.start(id);
    vec![Cmd::LoadJournal { id }]
}

pub fn on_key(model: &mut Model, action: Action) -> Vec<Cmd> {
    match action {
        Action::Move(step) => {
            let len = model.journal.rows.data.as_ref().map_or(0, Vec::len);
            super::step_selection(&mut model.journal.selected, len, step);
            Vec::new()
        }
        Action::Refresh => load(model),
        Action::Reverse => super::reversal::open_from_journal(model),
        Action::ShiftReport => super::shift::open(model),
        _ => Vec::new(),
    }
}

pub fn loaded(model: &mut Model, id: RequestId, result: Reply<Vec<JournalRow>>) -> Vec<Cmd> {
    if model
        .journal
        .rows
        .accept_reporting(id, result, &mut model.error)
    {
        let len = model.journal.rows.data.as_ref().map_or(0, Vec::len);
        model.journal.selected = model.journal.selected.min(len.saturating_sub(1));
    }
    Vec::new()
}

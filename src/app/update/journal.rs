//! F7: the audit journal of this till's money movements, newest first; a write-off on it is
//! reversed from here, and the shift report opens from here.

use super::super::keys::Action;
use super::super::model::Model;
use super::super::msg::{Cmd, Reply, RequestId};
use crate::app::keys::key::Key;
use crate::domain::journal::JournalRow;

pub fn load(model: &mut Model) -> Vec<Cmd> {
    let id = model.next_id();
    model.journal.rows.start(id);
    vec![Cmd::LoadJournal { id }]
}

pub fn on_key(model: &mut Model, action: Option<Action>, key: Key) -> Vec<Cmd> {
    if model.journal.filtering {
        return on_filter_key(model, action, key);
    }
    let Some(action) = action else {
        return Vec::new();
    };
    match action {
        Action::Move(step) => {
            let len = model.journal.shown().len();
            super::step_selection(&mut model.journal.selected, len, step);
            Vec::new()
        }
        Action::EditFilter => {
            model.journal.filtering = true;
            Vec::new()
        }
        Action::Refresh => load(model),
        Action::Reverse => super::reversal::open_from_journal(model),
        Action::ShiftReport => super::shift::open(model),
        _ => Vec::new(),
    }
}

/// Typing into the filter: the rows are this till's own, so they are filtered as it is
/// typed. Enter keeps the filter and gives the keys back to the table; Esc clears it.
pub fn on_filter_key(model: &mut Model, action: Option<Action>, key: Key) -> Vec<Cmd> {
    let keymap = model.keymap.clone();
    let journal = &mut model.journal;
    match action {
        Some(Action::Submit) => journal.filtering = false,
        Some(Action::Cancel) => {
            journal.filtering = false;
            journal.filter = tui_input::Input::default();
        }
        _ => {
            if super::typed(&keymap, &mut journal.filter, key) {
                journal.selected = 0;
            }
        }
    }
    Vec::new()
}

pub fn loaded(model: &mut Model, id: RequestId, result: Reply<Vec<JournalRow>>) -> Vec<Cmd> {
    if model
        .journal
        .rows
        .accept_reporting(id, result, &mut model.error)
    {
        let len = model.journal.shown().len();
        model.journal.selected = model.journal.selected.min(len.saturating_sub(1));
    }
    Vec::new()
}

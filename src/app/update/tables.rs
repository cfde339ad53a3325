//! What F4–F6 share: the row of filter fields above each table, the arrows and CSV export.
//! Each screen's own keys and replies live in `accumulations`, `registrations` and
//! `card_operations`.

use super::super::keys::Action;
use super::super::model::{Model, Notice};
use super::super::msg::{Cmd, Export, Exported, Reply, RequestId};
use super::screens;
use crate::app::keys::key::{Key, KeyCode};

pub fn on_filter_key(model: &mut Model, action: Option<Action>, key: Key) -> Vec<Cmd> {
    let Some(table) = &screens::spec(model.screen).table else {
        return Vec::new();
    };
    let keymap = model.keymap.clone();
    let f = (table.filter_mut)(model);
    match action {
        Some(Action::Cancel) => f.set_editing(false),
        Some(Action::NextField) => f.step(key.code == KeyCode::BackTab),
        Some(Action::Submit) => return (table.apply)(model),
        _ => {
            if let Some(input) = f.focused_input()
                && super::typed(&keymap, input, key)
            {
                f.clear_invalid();
            }
        }
    }
    Vec::new()
}

/// Keys on an admin table: the filter and the arrows work alike; the rest is the screen's.
pub fn on_key(model: &mut Model, action: Option<Action>, _: Key) -> Vec<Cmd> {
    let (Some(action), Some(table)) = (action, &screens::spec(model.screen).table) else {
        return Vec::new();
    };
    match action {
        Action::EditFilter => {
            (table.filter_mut)(model).set_editing(true);
            Vec::new()
        }
        Action::Move(step) => {
            let Some(rows) = screens::spec(model.screen).rows else {
                return Vec::new();
            };
            let (selected, len) = rows(model);
            super::step_selection(selected, len, step);
            Vec::new()
        }
        _ => (table.on_key)(model, action),
    }
}

pub fn export(model: &mut Model, export: Export) -> Vec<Cmd> {
    if model.exporting.is_some() {
        return Vec::new();
    }
    let id = model.next_id();
    model.exporting = Some(id);
    model.error = None;
    vec![Cmd::Export { id, export }]
}

/// «Выгружено N строк…» while the export writes, from its own request only: a progress
/// that arrives after the export ended (or from an export given up) says nothing.
pub fn export_progress(model: &mut Model, id: RequestId, rows: usize) -> Vec<Cmd> {
    if model.exporting == Some(id) {
        model.notice = Some(Notice::Exporting { rows });
    }
    Vec::new()
}

pub fn exported(model: &mut Model, id: RequestId, result: Reply<Exported>) -> Vec<Cmd> {
    if model.exporting != Some(id) {
        return Vec::new();
    }
    model.exporting = None;
    match result {
        Ok(done) => {
            model.notice = Some(Notice::Exported {
                path: done.path,
                rows: done.rows,
            })
        }
        Err(e) => model.error = Some(e),
    }
    Vec::new()
}

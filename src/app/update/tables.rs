//! What F4–F6 share: the row of filter fields above each table, the arrows, the first load,
//! and CSV export. Each screen's own keys and replies live in `accumulations`,
//! `registrations` and `card_operations`.

use super::super::keys::Action;
use super::super::model::{Model, Notice, Screen};
use super::super::msg::{Cmd, Export, Exported, Reply, RequestId};
use super::{accumulations, card_operations, registrations};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// What opening a screen for the first time loads.
pub fn first_load(model: &mut Model) -> Vec<Cmd> {
    match model.screen {
        Screen::Accumulations if model.accumulations.rows.data.is_none() => {
            accumulations::first_load(model)
        }
        Screen::Registrations if model.registrations.query.is_none() => {
            registrations::apply_registrations(model)
        }
        Screen::CardOperations if model.card_operations.query.is_none() => {
            card_operations::first_load(model)
        }
        _ => Vec::new(),
    }
}

pub fn on_filter_key(model: &mut Model, action: Option<Action>, key: KeyEvent) -> Vec<Cmd> {
    let Some(f) = model.table_filter_mut() else {
        return Vec::new();
    };
    match action {
        Some(Action::Cancel) => f.editing = false,
        Some(Action::NextField) => {
            let len = f.inputs.len().max(1);
            f.field = if key.code == KeyCode::BackTab {
                (f.field + len - 1) % len
            } else {
                (f.field + 1) % len
            };
        }
        Some(Action::Submit) => return apply(model),
        _ => {
            let field = f.field;
            if let Some(input) = f.inputs.get_mut(field)
                && super::typed(input, key)
            {
                f.invalid = None;
            }
        }
    }
    Vec::new()
}

fn apply(model: &mut Model) -> Vec<Cmd> {
    match model.screen {
        Screen::Accumulations => accumulations::apply(model),
        Screen::Registrations => registrations::apply(model),
        Screen::CardOperations => card_operations::apply_card_operations(model),
        Screen::Clients | Screen::Groups | Screen::Journal => Vec::new(),
    }
}

/// Keys on an admin table: the filter and the arrows work alike; the rest is the screen's.
pub fn on_key(model: &mut Model, action: Action) -> Vec<Cmd> {
    match (model.screen, action) {
        (_, Action::EditFilter) => {
            if let Some(f) = model.table_filter_mut() {
                f.editing = true;
            }
            Vec::new()
        }
        (_, Action::Up | Action::Down) => {
            let (selected, len) = match model.screen {
                Screen::Accumulations => (
                    &mut model.accumulations.selected,
                    model.accumulations.rows.data.as_ref().map_or(0, Vec::len),
                ),
                Screen::Registrations => (
                    &mut model.registrations.selected,
                    model.registrations.rows.data.as_ref().map_or(0, Vec::len),
                ),
                Screen::CardOperations => (
                    &mut model.card_operations.selected,
                    model
                        .card_operations
                        .rows
                        .data
                        .as_ref()
                        .map_or(0, |p| p.operations.len()),
                ),
                _ => return Vec::new(),
            };
            super::step_selection(selected, len, action == Action::Up);
            Vec::new()
        }
        (Screen::Accumulations, _) => accumulations::on_key(model, action),
        (Screen::Registrations, _) => registrations::on_key(model, action),
        (Screen::CardOperations, _) => card_operations::on_key(model, action),
        _ => Vec::new(),
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

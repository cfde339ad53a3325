//! `update(&mut Model, Msg) -> Vec<Cmd>`: the only place the Model changes.

mod card;
mod filter;
mod search;
mod write_off;

use super::keys::{self, Action, Scope};
use super::model::{Dialog, Model, Pane, WriteOffStep};
use super::msg::{Cmd, Msg};
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

pub fn update(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Release => Vec::new(),
        Msg::Key(key) => on_key(model, key),
        Msg::Paste(text) => on_paste(model, &text),
        Msg::Resized => Vec::new(),
        Msg::Tick(now) => {
            model.now = now;
            if model.busy() {
                model.spinner = model.spinner.wrapping_add(1);
            }
            Vec::new()
        }
        Msg::DebounceElapsed(generation) => search::debounce_elapsed(model, generation),
        Msg::Searched { id, result } => search::searched(model, id, result),
        Msg::BalanceLoaded { id, result } => card::balance_loaded(model, id, result),
        Msg::CouponsLoaded { id, result } => card::coupons_loaded(model, id, result),
        Msg::HistoryLoaded { id, result } => card::history_loaded(model, id, result),
        Msg::WrittenOff { id, result } => write_off::written_off(model, id, result),
    }
}

/// The scope whose bindings apply now, and whether a text field has the keyboard.
fn scope(model: &Model) -> (Scope, bool) {
    match &model.dialog {
        Some(Dialog::Help) => (Scope::Global, false),
        Some(Dialog::WriteOff(d)) => match d.step {
            WriteOffStep::Form => (Scope::WriteOffForm, true),
            _ => (Scope::WriteOffConfirm, false),
        },
        Some(Dialog::HistoryFilter(_)) => (Scope::Filter, true),
        None => match model.focus {
            Pane::Search => (Scope::Search, true),
            Pane::Results => (Scope::Results, false),
            Pane::History => (Scope::History, false),
        },
    }
}

fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    if matches!(model.dialog, Some(Dialog::Help)) {
        // The overlay is read and dismissed with any key; Ctrl-C still quits.
        model.dialog = None;
        return match keys::resolve(Scope::Global, false, &key) {
            Some(Action::Quit) if key.code != ratatui::crossterm::event::KeyCode::Char('q') => {
                quit(model)
            }
            _ => Vec::new(),
        };
    }
    let (scope, typing) = scope(model);
    let action = keys::resolve(scope, typing, &key);
    match &model.dialog {
        Some(Dialog::WriteOff(_)) => return write_off::on_key(model, action, key),
        Some(Dialog::HistoryFilter(_)) => return filter::on_key(model, action, key),
        _ => {}
    }
    let Some(action) = action else {
        return if model.focus == Pane::Search {
            search::edit(model, key)
        } else {
            Vec::new()
        };
    };
    match action {
        Action::Quit => quit(model),
        Action::Help => {
            model.dialog = Some(Dialog::Help);
            Vec::new()
        }
        Action::ClientsScreen | Action::FocusSearch => {
            model.focus = Pane::Search;
            Vec::new()
        }
        Action::NextPane => {
            model.focus = cycle(model, 1);
            Vec::new()
        }
        Action::PrevPane => {
            model.focus = cycle(model, -1);
            Vec::new()
        }
        Action::Back => back(model),
        Action::Submit if model.focus == Pane::Search => search::submit(model),
        Action::Submit => card::open_selected(model),
        Action::Up => move_selection(model, -1),
        Action::Down if model.focus == Pane::Search => {
            model.focus = Pane::Results;
            Vec::new()
        }
        Action::Down => move_selection(model, 1),
        Action::WriteOff => write_off::open(model),
        Action::Refresh => card::refresh(model),
        Action::HistoryPrev => card::history_page(model, -1),
        Action::HistoryNext => card::history_page(model, 1),
        Action::HistoryFilter => filter::open(model),
        Action::NextField | Action::ToggleCoupon | Action::Confirm | Action::Cancel => Vec::new(),
    }
}

fn quit(model: &mut Model) -> Vec<Cmd> {
    model.quit = true;
    vec![Cmd::Quit]
}

fn panes(model: &Model) -> Vec<Pane> {
    let mut panes = vec![Pane::Search, Pane::Results];
    if model.card.is_some() {
        panes.push(Pane::History);
    }
    panes
}

fn cycle(model: &Model, step: isize) -> Pane {
    let panes = panes(model);
    let at = panes.iter().position(|p| *p == model.focus).unwrap_or(0) as isize;
    let len = panes.len() as isize;
    panes[((at + step).rem_euclid(len)) as usize]
}

/// Esc walks back one step: history to results, results to search, then clears the search,
/// then closes the client card.
fn back(model: &mut Model) -> Vec<Cmd> {
    match model.focus {
        Pane::History => model.focus = Pane::Results,
        Pane::Results => model.focus = Pane::Search,
        Pane::Search if !model.search.input.value().is_empty() => search::clear(model),
        Pane::Search => model.card = None,
    }
    model.notice = None;
    Vec::new()
}

fn move_selection(model: &mut Model, step: isize) -> Vec<Cmd> {
    let (selected, len) = match model.focus {
        Pane::Results => (
            &mut model.search.selected,
            model.search.results.data.as_ref().map_or(0, Vec::len),
        ),
        Pane::History => match model.card.as_mut() {
            Some(card) => (
                &mut card.history.selected,
                card.history.rows.data.as_ref().map_or(0, Vec::len),
            ),
            None => return Vec::new(),
        },
        Pane::Search => return Vec::new(),
    };
    if len > 0 {
        *selected = selected.saturating_add_signed(step).min(len - 1);
    }
    Vec::new()
}

fn on_paste(model: &mut Model, text: &str) -> Vec<Cmd> {
    // Pasted text is typed into the focused field; newlines must not submit anything.
    let flat: String = text.chars().filter(|c| !c.is_control()).collect();
    let mut cmds = Vec::new();
    for c in flat.chars() {
        let key = KeyEvent::from(ratatui::crossterm::event::KeyCode::Char(c));
        let typing = scope(model).1;
        if !typing {
            break;
        }
        cmds.extend(match &model.dialog {
            Some(Dialog::WriteOff(_)) => write_off::on_key(model, None, key),
            Some(Dialog::HistoryFilter(_)) => filter::on_key(model, None, key),
            _ => search::edit(model, key),
        });
    }
    // Only the last debounce of a paste matters.
    let last_debounce = cmds.iter().rposition(|c| matches!(c, Cmd::Debounce { .. }));
    cmds.into_iter()
        .enumerate()
        .filter(|(i, c)| !matches!(c, Cmd::Debounce { .. }) || Some(*i) == last_debounce)
        .map(|(_, c)| c)
        .collect()
}

#[cfg(test)]
mod tests;

//! F2's keys: the search field, the results, the open client's history, and the dialogs they
//! open (write-off, history filter).

use super::super::keys::{Action, Move};
use super::super::model::{Model, Pane, next_in};
use super::super::msg::Cmd;
use super::{card, filter, search, step_selection, write_off};
use crate::app::keys::key::{Key, KeyCode};

pub fn on_key(model: &mut Model, action: Option<Action>, key: Key) -> Vec<Cmd> {
    let Some(action) = action else {
        if model.focus != Pane::Search && starts_a_search(key) {
            // A phone or an email typed on a list is the next client's: it goes to the
            // search as a new query, not onto the end of the last one.
            model.focus = Pane::Search;
            model.search.replace = true;
        }
        return if model.focus == Pane::Search {
            search::edit(model, key)
        } else {
            Vec::new()
        };
    };
    // The query stays selected for one key only.
    model.search.replace = false;
    match action {
        Action::Quit | Action::Suspend | Action::Messages | Action::Help | Action::Show(_) => {
            Vec::new()
        }
        Action::FocusSearch => {
            // `/` selects the query: what is typed next replaces it, an arrow keeps it.
            model.focus = Pane::Search;
            model.search.replace = !model.search.input.value().is_empty();
            Vec::new()
        }
        Action::NextPane => {
            model.focus = cycle(model, false);
            Vec::new()
        }
        Action::PrevPane => {
            model.focus = cycle(model, true);
            Vec::new()
        }
        Action::Back => back(model),
        Action::Submit if model.focus == Pane::Search => search::submit(model),
        Action::Submit => card::open_selected(model),
        Action::Move(Move::Down) if model.focus == Pane::Search => {
            model.focus = Pane::Results;
            Vec::new()
        }
        Action::Move(step) => move_selection(model, step),
        Action::WriteOff => write_off::open(model),
        Action::Refresh => card::refresh(model),
        Action::PagePrev => card::history_page(model, -1),
        Action::PageNext => card::history_page(model, 1),
        Action::HistoryFilter => filter::open(model),
        Action::Export => card::export_history(model),
        Action::Reverse if model.focus == Pane::History => {
            super::reversal::open_from_history(model)
        }
        Action::NextField
        | Action::Edit(_)
        | Action::ToggleCoupon
        | Action::PickCoupon
        | Action::WriteOffAnew
        | Action::ResendCode
        | Action::ToggleKind
        | Action::EditFilter
        | Action::Confirm
        | Action::Cancel
        | Action::NewGroup
        | Action::EditGroup
        | Action::RemoveGroup
        | Action::NextPreset
        | Action::CycleType
        | Action::CycleSort
        | Action::ToggleOrder
        | Action::Reverse
        | Action::ShiftReport => Vec::new(),
    }
}

fn panes(model: &Model) -> Vec<Pane> {
    let mut panes = vec![Pane::Search, Pane::Results];
    if model.card.is_some() {
        panes.push(Pane::History);
    }
    panes
}

fn cycle(model: &Model, backwards: bool) -> Pane {
    next_in(&panes(model), model.focus, backwards)
}

/// Esc walks back one step: history to results, results to search, then clears the search
/// (and with its list the client card opened from it).
fn back(model: &mut Model) -> Vec<Cmd> {
    match model.focus {
        Pane::History => model.focus = Pane::Results,
        Pane::Results => model.focus = Pane::Search,
        Pane::Search => search::clear(model),
    }
    model.notice = None;
    Vec::new()
}

/// Keys that can only be the start of a phone or an email: digits, `+`, `%`, `@`.
fn starts_a_search(key: Key) -> bool {
    key.is_text()
        && matches!(key.code, KeyCode::Char(c) if c.is_ascii_digit() || matches!(c, '+' | '%' | '@'))
}

fn move_selection(model: &mut Model, step: Move) -> Vec<Cmd> {
    let (selected, len) = match model.focus {
        Pane::Results => (
            &mut model.search.selected,
            model.search.results.data.as_ref().map_or(0, Vec::len),
        ),
        Pane::History => match model.card.as_mut() {
            // PgUp/PgDn at the edge of a page turn the page, as `[`/`]` do.
            Some(card)
                if step == Move::PageDown
                    && card
                        .history
                        .rows
                        .data
                        .as_ref()
                        .is_some_and(|rows| card.history.selected + 1 >= rows.len()) =>
            {
                return card::history_page(model, 1);
            }
            Some(card) if step == Move::PageUp && card.history.selected == 0 => {
                return card::history_page(model, -1);
            }
            Some(card) => (
                &mut card.history.selected,
                card.history.rows.data.as_ref().map_or(0, Vec::len),
            ),
            None => return Vec::new(),
        },
        Pane::Search => return Vec::new(),
    };
    step_selection(selected, len, step);
    Vec::new()
}

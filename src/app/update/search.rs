//! The search field: typing, debounce, Enter, and replies (stale ones dropped).

use super::super::keys::Keymap;
use super::super::model::{Model, Notice, Pane, Remote};
use super::super::msg::{Cmd, Reply, RequestId};
use crate::app::keys::key::Key;
use crate::domain::{Client, ClientQuery};
use std::time::Duration;
use tui_input::InputRequest;

/// Long enough to let a cashier finish a burst of typing, short enough to feel instant.
pub const DEBOUNCE: Duration = Duration::from_millis(250);

pub fn edit(model: &mut Model, key: Key) -> Vec<Cmd> {
    let before = model.search.input.value().to_string();
    if std::mem::take(&mut model.search.replace) && replaces(&model.keymap, &key) {
        model.search.input.reset();
    }
    super::typed(&model.keymap, &mut model.search.input, key);
    if model.search.input.value() == before {
        return Vec::new();
    }
    // A new query is a new search: the client opened from the last one is not its answer.
    super::card::close(model);
    model.search.generation += 1;
    model.search.open_single = false;
    let text = model.search.input.value().trim();
    if text.is_empty() {
        clear_results(model);
        return Vec::new();
    }
    if !ClientQuery::ready_as_you_type(text) {
        return Vec::new();
    }
    vec![Cmd::Debounce {
        generation: model.search.generation,
        delay: DEBOUNCE,
    }]
}

/// Whether a key pressed on a selected query replaces it: text and deletions do; a key that
/// moves the cursor only ends the selection.
fn replaces(keymap: &Keymap, key: &Key) -> bool {
    use InputRequest as R;
    !matches!(
        keymap.field_request(key),
        None | Some(
            R::SetCursor(_)
                | R::GoToPrevChar
                | R::GoToNextChar
                | R::GoToPrevWord
                | R::GoToNextWord
                | R::GoToStart
                | R::GoToEnd
        )
    )
}

pub fn debounce_elapsed(model: &mut Model, generation: u64) -> Vec<Cmd> {
    if generation != model.search.generation {
        return Vec::new();
    }
    start(model, false)
}

/// Enter: search now (unless these results are already for this text) and move to them;
/// a single match is opened at once, now or when it comes (one keystroke less per sale).
pub fn submit(model: &mut Model) -> Vec<Cmd> {
    model.search.generation += 1;
    let cmds = start(model, true);
    if ClientQuery::from_input(model.search.input.value()).is_none() {
        return cmds;
    }
    model.focus = Pane::Results;
    model.search.selected = 0;
    model.search.open_single = true;
    if cmds.is_empty() {
        return open_if_single(model);
    }
    cmds
}

/// Opens the only match of a search Enter was pressed on.
fn open_if_single(model: &mut Model) -> Vec<Cmd> {
    let single = model
        .search
        .results
        .data
        .as_ref()
        .is_some_and(|r| r.len() == 1);
    if !(model.search.open_single && single && !model.search.results.is_loading()) {
        return Vec::new();
    }
    model.search.open_single = false;
    model.search.selected = 0;
    super::card::open_selected(model)
}

fn start(model: &mut Model, explicit: bool) -> Vec<Cmd> {
    let text = model.search.input.value().trim().to_string();
    let Some(query) = ClientQuery::from_input(&text) else {
        if explicit && !text.is_empty() {
            model.notice = Some(Notice::NoSearchFor(text));
        }
        return Vec::new();
    };
    if model.search.searched_text.as_deref() == Some(text.as_str())
        && (model.search.results.is_loading() || model.search.results.error.is_none())
    {
        return Vec::new();
    }
    let id = model.next_id();
    model.search.results.start(id);
    model.search.searched_text = Some(text);
    model.error = None;
    vec![Cmd::Search { id, query }]
}

/// The data under the search changed (the demo database was filled after the first frame):
/// what is typed is looked up again, so a search made meanwhile does not stay empty.
pub fn again(model: &mut Model) -> Vec<Cmd> {
    model.search.searched_text = None;
    start(model, false)
}

pub fn searched(model: &mut Model, id: RequestId, result: Reply<Vec<Client>>) -> Vec<Cmd> {
    if model
        .search
        .results
        .accept_reporting(id, result, &mut model.error)
    {
        model.search.selected = 0;
        return open_if_single(model);
    }
    Vec::new()
}

fn clear_results(model: &mut Model) {
    model.search.results = Remote::default();
    model.search.searched_text = None;
    model.search.selected = 0;
}

pub fn clear(model: &mut Model) {
    model.search.input.reset();
    model.search.replace = false;
    model.search.open_single = false;
    model.search.generation += 1;
    clear_results(model);
}

//! The help overlay: which bindings it lists for the screen shown, finding a key by typing,
//! and scrolling.

use super::super::keys::key::{Key, KeyCode};
use super::super::keys::{Action, Binding, Hint, Scope};
use super::super::model::{Dialog, HelpState, Model};
use super::super::msg::Cmd;
use super::screens;

/// A heading of the overlay and the bindings under it.
pub struct HelpSection<'a> {
    pub scope: Scope,
    pub bindings: Vec<&'a Binding>,
}

/// Lines after the last section's bindings: the paste line under the field keys.
pub const HELP_TRAILER_LINES: usize = 1;

pub fn open(model: &mut Model) -> Vec<Cmd> {
    model.dialog = Some(Dialog::Help(HelpState::default()));
    Vec::new()
}

/// The overlay's sections for the screen shown: the global keys that do something here, the
/// screen's own scopes, the moves of its lists and the keys of any text field.
pub fn sections(model: &Model) -> Vec<HelpSection<'_>> {
    let here = screens::spec(model.screen).help;
    let keymap = &model.keymap;
    let relevant = |b: &&Binding| match b.hint {
        Hint::Always | Hint::Never => true,
        Hint::In(scopes) | Hint::HelpIn(scopes) => scopes.iter().any(|s| here.contains(s)),
    };
    let mut sections = vec![HelpSection {
        scope: Scope::Global,
        bindings: keymap.own(Scope::Global).filter(relevant).collect(),
    }];
    for &scope in here {
        sections.push(HelpSection {
            scope,
            bindings: keymap.in_scope(scope).collect(),
        });
    }
    if here.iter().any(|s| s.is_list()) {
        sections.push(HelpSection {
            scope: Scope::List,
            bindings: keymap.moves().iter().collect(),
        });
    }
    sections.push(HelpSection {
        scope: Scope::Field,
        bindings: keymap.field().iter().collect(),
    });
    sections
}

/// The overlay's lines unfiltered: a heading and the bindings of each section, a blank line
/// between sections, and the trailer.
fn line_count(model: &Model) -> usize {
    let sections = sections(model);
    let rows: usize = sections.iter().map(|s| 1 + s.bindings.len()).sum();
    rows + sections.len().saturating_sub(1) + HELP_TRAILER_LINES
}

pub fn on_key(model: &mut Model, action: Option<Action>, key: Key) -> Vec<Cmd> {
    let lines = line_count(model);
    let keymap = model.keymap.clone();
    let Some(Dialog::Help(help)) = model.dialog.as_mut() else {
        return Vec::new();
    };
    match action {
        Some(Action::Cancel) => model.dialog = None,
        Some(Action::Move(step)) => super::step_selection(&mut help.scroll, lines, step),
        // `?` closes the overlay it opened, unless it is being looked for.
        _ if key == Key::char('?') && help.filter.value().is_empty() => model.dialog = None,
        _ if key.code == KeyCode::Enter => {}
        _ => {
            if super::typed(&keymap, &mut help.filter, key) {
                help.scroll = 0;
            }
        }
    }
    Vec::new()
}

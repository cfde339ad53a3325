//! The help overlay: which bindings it lists for the screen shown, finding a key by typing,
//! and scrolling.

use super::super::keys::key::{Key, KeyCode};
use super::super::keys::{Action, Binding, Hint, Scope};
use super::super::model::{Dialog, HelpState, Model};
use super::super::msg::Cmd;
use super::screens;
use crate::app::keys::labels;

/// A heading of the overlay and the bindings under it.
pub struct HelpSection<'a> {
    pub scope: Scope,
    pub bindings: Vec<&'a Binding>,
}

/// Opens the help, over the dialog open (if any), which it gives back on closing.
pub fn open(model: &mut Model) -> Vec<Cmd> {
    let under = model.dialog.take().map(Box::new);
    model.dialog = Some(Dialog::Help(HelpState {
        under,
        ..HelpState::default()
    }));
    Vec::new()
}

fn close(model: &mut Model) {
    if let Some(Dialog::Help(help)) = model.dialog.take() {
        model.dialog = help.under.map(|d| *d);
    }
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

/// One line of the overlay as it is shown now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    /// A section's heading.
    Heading(Scope),
    /// A binding, or the paste line under the field keys: its keys as named and what it
    /// does; `section` indexes [`sections`], whose rows align their keys alike.
    Row {
        section: usize,
        keys: String,
        what: &'static str,
    },
    /// Between two sections.
    Blank,
}

/// The overlay's lines for the screen shown, with what is typed in its field finding keys by
/// their names or what they do. The view draws these and the cursor moves over these, so
/// the cursor never parks past the last line found.
pub fn lines(model: &Model, filter: &str) -> Vec<HelpLine> {
    let t = model.locale.text();
    let needle = filter.to_lowercase();
    let matches = |keys: &str, what: &str| {
        needle.is_empty()
            || keys.to_lowercase().contains(&needle)
            || what.to_lowercase().contains(&needle)
    };
    let mut lines = Vec::new();
    for (index, section) in sections(model).iter().enumerate() {
        let mut rows: Vec<HelpLine> = section
            .bindings
            .iter()
            .map(|b| {
                (
                    labels::keys(t, &b.keys),
                    labels::action(t, b.action, b.scope),
                )
            })
            .chain(
                // Pasting has no binding of its own: the terminal's paste is the key.
                (section.scope == Scope::Field)
                    .then(|| (t.edit_paste_keys.to_string(), t.edit_paste)),
            )
            .filter(|(keys, what)| matches(keys, what))
            .map(|(keys, what)| HelpLine::Row {
                section: index,
                keys,
                what,
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(HelpLine::Blank);
        }
        lines.push(HelpLine::Heading(section.scope));
        lines.append(&mut rows);
    }
    lines
}

pub fn on_key(model: &mut Model, action: Option<Action>, key: Key) -> Vec<Cmd> {
    let Some(Dialog::Help(help)) = model.dialog.as_ref() else {
        return Vec::new();
    };
    let lines = lines(model, help.filter.value()).len();
    let keymap = model.keymap.clone();
    let Some(Dialog::Help(help)) = model.dialog.as_mut() else {
        return Vec::new();
    };
    match action {
        Some(Action::Cancel) => close(model),
        Some(Action::Move(step)) => super::step_selection(&mut help.scroll, lines, step),
        // `?` closes the overlay it opened, unless it is being looked for.
        _ if key == Key::char('?') && help.filter.value().is_empty() => close(model),
        _ if key.code == KeyCode::Enter => {}
        _ => {
            if super::typed(&keymap, &mut help.filter, key) {
                help.scroll = 0;
            }
        }
    }
    Vec::new()
}

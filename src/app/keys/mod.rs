//! The key registry: every binding in one table, from which the key handling, the hint bar
//! and the help overlay are all derived, so what is shown can never drift from what works.

use super::model::Screen;
use key::{Key, Modifiers};

mod bindings;
mod context;
pub mod key;
mod keymap;
pub mod labels;
mod name;
pub use bindings::{BINDINGS, FIELD, HELP, MOVES};
pub use context::KeyContext;
pub use keymap::{KeyError, Keymap, action_name, scope_name};
use std::borrow::Cow;
use tui_input::InputRequest;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    /// The status line's last messages.
    Messages,
    /// Ctrl-Z: the shell's job control, which raw mode turns off.
    Suspend,
    Help,
    Show(Screen),
    FocusSearch,
    /// Into the filter fields above an admin table.
    EditFilter,
    Submit,
    Move(Move),
    /// Editing the text field that has the keyboard.
    Edit(FieldEdit),
    NextPane,
    PrevPane,
    WriteOff,
    Refresh,
    PagePrev,
    PageNext,
    HistoryFilter,
    NewGroup,
    EditGroup,
    RemoveGroup,
    NextPreset,
    CycleType,
    CycleSort,
    ToggleOrder,
    Export,
    Back,
    NextField,
    ToggleCoupon,
    /// From any field of the write-off form: pick the next spendable coupon.
    PickCoupon,
    /// After a check that could not tell: the cashier has read the history, and writes off
    /// anew.
    WriteOffAnew,
    /// Switch a group between bonus and discount.
    ToggleKind,
    /// Give back all or part of the write-off on the selected row (сторно).
    Reverse,
    /// F7: «Итоги смены», per cashier since the start of today.
    ShiftReport,
    Confirm,
    Cancel,
    /// In the write-off's code step: have another code sent.
    ResendCode,
}

/// A step through a list or table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Move {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
}

/// What the readline keys people expect do to a text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldEdit {
    DeleteBack,
    DeleteForward,
    Clear,
    DeleteWordBack,
    DeleteWordForward,
    DeleteToEnd,
    Left,
    Right,
    WordLeft,
    WordRight,
    Start,
    End,
    Yank,
}

/// Where a binding applies. `Global` ones work everywhere except that plain letters are left
/// to a focused text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Global,
    /// The moves every list and table shares (`MOVES`); list scopes fall back to it.
    List,
    /// Editing keys of any text field (`FIELD`), applied to the field that has the keyboard.
    Field,
    /// The help overlay: typing filters it, the arrows scroll it.
    Help,
    /// The messages overlay: any key but a move closes it.
    Messages,
    Search,
    Results,
    History,
    WriteOffForm,
    WriteOffConfirm,
    /// A write-off or a reversal sent or being checked: nothing to press until its answer
    /// comes.
    WriteOffWaiting,
    /// A check that could not tell whether the write-off went through: only closing.
    WriteOffUnclear,
    /// The write-off's code step: the client's code, or a manager's PIN in its place.
    WriteOffCode,
    /// The code step with the manager's PIN field focused in place of the code.
    WriteOffCodePin,
    /// The code step where nothing can check a code: only a manager's PIN.
    WriteOffPinOnly,
    Filter,
    Groups,
    Accumulations,
    Registrations,
    CardOperations,
    Journal,
    /// Typing into the filter fields above an admin table.
    AdminFilter,
    GroupForm,
    GroupRemove,
    /// Poster stored another birthday bonus than the one saved.
    BonusMismatch,
    /// F6: the cards a search found.
    CardPicker,
    /// Quitting would lose a write-off's outcome or a form's input: asked first.
    QuitConfirm,
    /// The reversal dialog's form.
    ReversalForm,
    ReversalConfirm,
    /// The original could not be read, or a check could not tell: only closing.
    ReversalUnclear,
    /// F7's «Итоги смены» popup.
    ShiftReport,
    /// Typing into F7's filter.
    JournalFilter,
}

impl Scope {
    /// Scopes that show a list or table, where the moves of `MOVES` apply.
    pub fn is_list(self) -> bool {
        matches!(
            self,
            Scope::Results
                | Scope::History
                | Scope::Groups
                | Scope::Accumulations
                | Scope::Registrations
                | Scope::CardOperations
                | Scope::Journal
                | Scope::CardPicker
                | Scope::Messages
        )
    }

    /// Scopes that own the keyboard: only their own bindings (and Ctrl-C) work there.
    pub fn is_modal(self) -> bool {
        matches!(
            self,
            Scope::WriteOffForm
                | Scope::WriteOffConfirm
                | Scope::WriteOffWaiting
                | Scope::WriteOffUnclear
                | Scope::WriteOffCode
                | Scope::WriteOffCodePin
                | Scope::WriteOffPinOnly
                | Scope::Filter
                | Scope::GroupForm
                | Scope::GroupRemove
                | Scope::BonusMismatch
                | Scope::CardPicker
                | Scope::QuitConfirm
                | Scope::Help
                | Scope::Messages
                | Scope::ReversalForm
                | Scope::ReversalConfirm
                | Scope::ReversalUnclear
                | Scope::ShiftReport
        )
    }
}

#[derive(Debug, Clone)]
pub struct Binding {
    /// The built-in keys, or the user's from `keys.toml`.
    pub keys: Cow<'static, [Key]>,
    pub action: Action,
    pub scope: Scope,
    /// When the hint bar shows it (the help overlay shows every binding).
    pub hint: Hint,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    Always,
    Never,
    /// Only while one of these scopes has the keyboard (history paging keys work
    /// everywhere but matter when looking at the history); the help lists it only on
    /// screens that have one of them.
    In(&'static [Scope]),
    /// Never in the hint bar; the help lists it only on screens that have one of these.
    HelpIn(&'static [Scope]),
}

impl Binding {
    pub fn hinted_in(&self, scope: Scope) -> bool {
        match self.hint {
            // Only a screen without its provider has the global scope for its own
            // (`Model::key_context`): there is nothing on it to load again.
            Hint::Always => !(scope == Scope::Global && self.action == Action::Refresh),
            Hint::Never | Hint::HelpIn(_) => false,
            Hint::In(scopes) => scopes.contains(&scope),
        }
    }
}

impl Keymap {
    /// A scope's own bindings: its entries in the registry, and the moves if it is a list.
    pub fn own(&self, scope: Scope) -> impl Iterator<Item = &Binding> {
        let moves: &[Binding] = if scope.is_list() { self.moves() } else { &[] };
        self.registry()
            .filter(move |b| b.scope == scope)
            .chain(moves)
    }

    /// What `key` does to the text field that has the keyboard: a character is typed, an
    /// editing key of the field scope edits.
    pub fn field_request(&self, key: &Key) -> Option<InputRequest> {
        use crate::app::keys::key::KeyCode;
        let Modifiers { ctrl, alt, .. } = key.modifiers;
        if let KeyCode::Char(c) = key.code
            // AltGr arrives as Ctrl+Alt on Windows and types a character.
            && ctrl == alt
        {
            return Some(InputRequest::InsertChar(c));
        }
        let edit = self
            .field()
            .iter()
            .find(|b| b.keys.iter().any(|k| k.matches(key)))
            .and_then(|b| match b.action {
                Action::Edit(edit) => Some(edit),
                _ => None,
            })?;
        Some(match edit {
            FieldEdit::DeleteBack => InputRequest::DeletePrevChar,
            FieldEdit::DeleteForward => InputRequest::DeleteNextChar,
            FieldEdit::Clear => InputRequest::DeleteLine,
            FieldEdit::DeleteWordBack => InputRequest::DeletePrevWord,
            FieldEdit::DeleteWordForward => InputRequest::DeleteNextWord,
            FieldEdit::DeleteToEnd => InputRequest::DeleteTillEnd,
            FieldEdit::Left => InputRequest::GoToPrevChar,
            FieldEdit::Right => InputRequest::GoToNextChar,
            FieldEdit::WordLeft => InputRequest::GoToPrevWord,
            FieldEdit::WordRight => InputRequest::GoToNextWord,
            FieldEdit::Start => InputRequest::GoToStart,
            FieldEdit::End => InputRequest::GoToEnd,
            FieldEdit::Yank => InputRequest::Yank,
        })
    }

    /// The action a key performs in `scope`, falling back to global bindings; with `typing`,
    /// global bindings on plain characters are skipped so the character reaches the field.
    pub fn resolve(&self, scope: Scope, typing: bool, pressed: &Key) -> Option<Action> {
        first_action(self.own(scope), pressed, false).or_else(|| {
            if scope.is_modal() {
                // Dialogs own the keyboard: only Ctrl-C and Ctrl-Z get through.
                if Key::ctrl('c').matches(pressed) {
                    Some(Action::Quit)
                } else {
                    Key::ctrl('z').matches(pressed).then_some(Action::Suspend)
                }
            } else {
                first_action(self.own(Scope::Global), pressed, typing)
            }
        })
    }

    /// The bindings shown for a scope: its own first, then the global ones.
    pub fn for_scope(&self, scope: Scope) -> impl Iterator<Item = &Binding> {
        // A global binding whose key the scope binds itself is shadowed there.
        let shadowed = move |b: &Binding| {
            b.keys
                .iter()
                .any(|k| self.own(scope).any(|o| o.keys.contains(k)))
        };
        let global = self
            .own(Scope::Global)
            .filter(move |b| !scope.is_modal() && !shadowed(b));
        self.own(scope).chain(global)
    }
}

/// The action of the first binding with the pressed key; `skip_text` leaves out keys that
/// would type into a field.
fn first_action<'a>(
    mut bindings: impl Iterator<Item = &'a Binding>,
    pressed: &Key,
    skip_text: bool,
) -> Option<Action> {
    bindings
        .find(|b| {
            b.keys
                .iter()
                .any(|k| k.matches(pressed) && !(skip_text && k.is_text()))
        })
        .map(|b| b.action)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keys::key::KeyCode as K;
    use Action as A;

    fn ev(code: K) -> Key {
        Key::plain(code)
    }

    fn resolve(scope: Scope, typing: bool, pressed: &Key) -> Option<Action> {
        Keymap::default().resolve(scope, typing, pressed)
    }

    fn field_request(key: &Key) -> Option<InputRequest> {
        Keymap::default().field_request(key)
    }

    #[test]
    fn letters_type_into_search_but_act_elsewhere() {
        assert_eq!(resolve(Scope::Search, true, &ev(K::Char('q'))), None);
        assert_eq!(
            resolve(Scope::Results, false, &ev(K::Char('q'))),
            Some(A::Quit)
        );
        let ctrl_c = Key::ctrl('c');
        assert_eq!(resolve(Scope::Search, true, &ctrl_c), Some(A::Quit));
        assert_eq!(resolve(Scope::WriteOffForm, true, &ctrl_c), Some(A::Quit));
    }

    #[test]
    fn dialogs_swallow_global_keys() {
        assert_eq!(
            resolve(Scope::WriteOffConfirm, false, &ev(K::Char('w'))),
            None
        );
        assert_eq!(
            resolve(Scope::WriteOffConfirm, false, &ev(K::Char('y'))),
            Some(A::Confirm)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope() {
        let map = Keymap::default();
        for scope in map.registry().map(|b| b.scope) {
            for a in map.own(scope) {
                for b in map.own(scope) {
                    if std::ptr::eq(a, b) {
                        continue;
                    }
                    for k in a.keys.iter() {
                        assert!(!b.keys.contains(k), "{k:?} bound twice in {scope:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn readline_keys_edit_a_field_and_control_letters_do_not_type() {
        let mut input = tui_input::Input::new("двадцать пять".into());
        input.handle(field_request(&Key::ctrl('w')).unwrap());
        assert_eq!(input.value(), "двадцать ");
        input.handle(field_request(&Key::alt(K::Backspace)).unwrap());
        assert_eq!(input.value(), "");
        input.handle(field_request(&Key::char('ж')).unwrap());
        input.handle(field_request(&Key::plain(K::Home)).unwrap());
        input.handle(field_request(&Key::char('у')).unwrap());
        assert_eq!(input.value(), "уж");
        input.handle(field_request(&Key::ctrl('u')).unwrap());
        assert_eq!(input.value(), "");
        assert_eq!(field_request(&Key::ctrl('x')), None);
    }

    #[test]
    fn every_list_moves_alike_and_j_still_types_into_search() {
        for scope in [Scope::Results, Scope::Groups, Scope::CardPicker] {
            assert_eq!(
                resolve(scope, false, &ev(K::Char('j'))),
                Some(A::Move(Move::Down))
            );
            assert_eq!(
                resolve(scope, false, &ev(K::End)),
                Some(A::Move(Move::Bottom))
            );
        }
        assert_eq!(resolve(Scope::Search, true, &ev(K::Char('j'))), None);
        assert_eq!(
            resolve(Scope::Search, true, &ev(K::Char('/'))),
            Some(A::FocusSearch)
        );
        assert_eq!(
            resolve(Scope::AdminFilter, true, &ev(K::F(3))),
            Some(A::Show(Screen::Groups))
        );
        assert_eq!(
            resolve(Scope::AdminFilter, true, &ev(K::Char('?'))),
            Some(A::Help)
        );
        assert_eq!(resolve(Scope::AdminFilter, true, &ev(K::Char('q'))), None);
    }
}

//! The key registry: every binding in one table, from which the key handling, the hint bar
//! and the help overlay are all derived, so what is shown can never drift from what works.

use super::model::Screen;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Help,
    Show(Screen),
    FocusSearch,
    /// Into the filter fields above an admin table.
    EditFilter,
    Submit,
    Up,
    Down,
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
    /// Switch a group between bonus and discount.
    ToggleKind,
    Confirm,
    Cancel,
}

/// Where a binding applies. `Global` ones work everywhere except that plain letters are left
/// to a focused text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Global,
    Search,
    Results,
    History,
    WriteOffForm,
    WriteOffConfirm,
    /// A write-off sent or being checked: nothing to press until its answer comes.
    WriteOffWaiting,
    /// A check that could not tell whether the write-off went through: only closing.
    WriteOffUnclear,
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
}

impl Scope {
    /// Scopes that own the keyboard: only their own bindings (and Ctrl-C) work there.
    pub fn is_modal(self) -> bool {
        matches!(
            self,
            Scope::WriteOffForm
                | Scope::WriteOffConfirm
                | Scope::WriteOffWaiting
                | Scope::WriteOffUnclear
                | Scope::Filter
                | Scope::AdminFilter
                | Scope::GroupForm
                | Scope::GroupRemove
                | Scope::BonusMismatch
                | Scope::CardPicker
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        modifiers: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::CONTROL,
    }
}

pub struct Binding {
    pub keys: &'static [Key],
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
    /// everywhere but matter when looking at the history).
    In(&'static [Scope]),
}

impl Binding {
    pub fn hinted_in(&self, scope: Scope) -> bool {
        match self.hint {
            Hint::Always => true,
            Hint::Never => false,
            Hint::In(scopes) => scopes.contains(&scope),
        }
    }
}

const fn bind(keys: &'static [Key], action: Action, scope: Scope, hint: Hint) -> Binding {
    Binding {
        keys,
        action,
        scope,
        hint,
    }
}

use Action as A;
use KeyCode as K;
use Scope as S;

/// The scopes of the cashier screen, where the write-off key matters.
const CASHIER: &[Scope] = &[Scope::Search, Scope::Results, Scope::History];

pub const BINDINGS: &[Binding] = &[
    bind(&[ch('?'), key(K::F(1))], A::Help, S::Global, Hint::Always),
    bind(&[ch('q'), ctrl('c')], A::Quit, S::Global, Hint::Always),
    bind(
        &[key(K::F(2))],
        A::Show(Screen::Clients),
        S::Global,
        Hint::Never,
    ),
    bind(
        &[key(K::F(3))],
        A::Show(Screen::Groups),
        S::Global,
        Hint::Never,
    ),
    bind(
        &[key(K::F(4))],
        A::Show(Screen::Accumulations),
        S::Global,
        Hint::Never,
    ),
    bind(
        &[key(K::F(5))],
        A::Show(Screen::Registrations),
        S::Global,
        Hint::Never,
    ),
    bind(
        &[key(K::F(6))],
        A::Show(Screen::CardOperations),
        S::Global,
        Hint::Never,
    ),
    bind(
        &[key(K::F(7))],
        A::Show(Screen::Journal),
        S::Global,
        Hint::Never,
    ),
    bind(&[ch('/')], A::FocusSearch, S::Global, Hint::Always),
    bind(&[key(K::Tab)], A::NextPane, S::Global, Hint::Never),
    bind(&[key(K::BackTab)], A::PrevPane, S::Global, Hint::Never),
    bind(&[ch('w')], A::WriteOff, S::Global, Hint::In(CASHIER)),
    bind(&[ch('r')], A::Refresh, S::Global, Hint::Always),
    bind(&[key(K::Esc)], A::Back, S::Global, Hint::Never),
    bind(&[key(K::Enter)], A::Submit, S::Search, Hint::Always),
    bind(&[key(K::Down)], A::Down, S::Search, Hint::Never),
    bind(&[key(K::Enter)], A::Submit, S::Results, Hint::Always),
    bind(&[key(K::Up)], A::Up, S::Results, Hint::Never),
    bind(&[key(K::Down)], A::Down, S::Results, Hint::Never),
    bind(&[key(K::Up)], A::Up, S::History, Hint::Never),
    bind(&[key(K::Down)], A::Down, S::History, Hint::Never),
    bind(&[ch('[')], A::PagePrev, S::Global, Hint::In(&[S::History])),
    bind(&[ch(']')], A::PageNext, S::Global, Hint::In(&[S::History])),
    bind(
        &[ch('f')],
        A::HistoryFilter,
        S::Global,
        Hint::In(&[S::History]),
    ),
    bind(
        &[key(K::Tab), key(K::BackTab)],
        A::NextField,
        S::WriteOffForm,
        Hint::Always,
    ),
    bind(&[key(K::Up)], A::Up, S::WriteOffForm, Hint::Never),
    bind(&[key(K::Down)], A::Down, S::WriteOffForm, Hint::Never),
    bind(&[ch(' ')], A::ToggleCoupon, S::WriteOffForm, Hint::Always),
    bind(&[key(K::Enter)], A::Submit, S::WriteOffForm, Hint::Always),
    bind(&[key(K::Esc)], A::Cancel, S::WriteOffForm, Hint::Always),
    bind(&[ch('y')], A::Confirm, S::WriteOffConfirm, Hint::Always),
    bind(
        &[key(K::Enter)],
        A::Submit,
        S::WriteOffConfirm,
        Hint::Always,
    ),
    bind(
        &[key(K::Tab), key(K::BackTab), key(K::Left), key(K::Right)],
        A::NextField,
        S::WriteOffConfirm,
        Hint::Never,
    ),
    bind(
        &[ch('n'), key(K::Esc)],
        A::Cancel,
        S::WriteOffConfirm,
        Hint::Always,
    ),
    bind(&[key(K::Esc)], A::Cancel, S::WriteOffUnclear, Hint::Always),
    bind(
        &[key(K::Tab), key(K::BackTab)],
        A::NextField,
        S::Filter,
        Hint::Always,
    ),
    bind(&[key(K::Enter)], A::Submit, S::Filter, Hint::Always),
    bind(&[key(K::Esc)], A::Cancel, S::Filter, Hint::Always),
    bind(&[key(K::Up)], A::Up, S::Groups, Hint::Never),
    bind(&[key(K::Down)], A::Down, S::Groups, Hint::Never),
    bind(&[key(K::Enter)], A::Submit, S::Groups, Hint::Always),
    bind(&[ch('n')], A::NewGroup, S::Groups, Hint::Always),
    bind(&[ch('e')], A::EditGroup, S::Groups, Hint::Always),
    bind(&[ch('d')], A::RemoveGroup, S::Groups, Hint::Always),
    bind(&[key(K::Up)], A::Up, S::Accumulations, Hint::Never),
    bind(&[key(K::Down)], A::Down, S::Accumulations, Hint::Never),
    bind(&[ch('/')], A::EditFilter, S::Accumulations, Hint::Always),
    bind(&[ch('[')], A::PagePrev, S::Accumulations, Hint::Always),
    bind(&[ch(']')], A::PageNext, S::Accumulations, Hint::Always),
    bind(&[key(K::Up)], A::Up, S::Registrations, Hint::Never),
    bind(&[key(K::Down)], A::Down, S::Registrations, Hint::Never),
    bind(&[ch('/')], A::EditFilter, S::Registrations, Hint::Always),
    bind(&[ch('p')], A::NextPreset, S::Registrations, Hint::Always),
    bind(&[ch('x')], A::Export, S::Registrations, Hint::Always),
    bind(&[key(K::Up)], A::Up, S::CardOperations, Hint::Never),
    bind(&[key(K::Down)], A::Down, S::CardOperations, Hint::Never),
    bind(&[ch('/')], A::EditFilter, S::CardOperations, Hint::Always),
    bind(&[ch('t')], A::CycleType, S::CardOperations, Hint::Always),
    bind(&[ch('s')], A::CycleSort, S::CardOperations, Hint::Always),
    bind(&[ch('o')], A::ToggleOrder, S::CardOperations, Hint::Always),
    bind(&[ch('[')], A::PagePrev, S::CardOperations, Hint::Never),
    bind(&[ch(']')], A::PageNext, S::CardOperations, Hint::Never),
    bind(&[ch('x')], A::Export, S::CardOperations, Hint::Always),
    bind(&[ch('x')], A::Export, S::History, Hint::Always),
    bind(&[key(K::Up)], A::Up, S::Journal, Hint::Never),
    bind(&[key(K::Down)], A::Down, S::Journal, Hint::Never),
    bind(
        &[key(K::Tab), key(K::BackTab)],
        A::NextField,
        S::AdminFilter,
        Hint::Always,
    ),
    bind(&[key(K::Enter)], A::Submit, S::AdminFilter, Hint::Always),
    bind(&[key(K::Esc)], A::Cancel, S::AdminFilter, Hint::Always),
    bind(
        &[key(K::Tab), key(K::BackTab)],
        A::NextField,
        S::GroupForm,
        Hint::Always,
    ),
    bind(&[ch(' ')], A::ToggleKind, S::GroupForm, Hint::Always),
    bind(&[key(K::Enter)], A::Submit, S::GroupForm, Hint::Always),
    bind(&[key(K::Esc)], A::Cancel, S::GroupForm, Hint::Always),
    bind(&[ch('y')], A::Confirm, S::GroupRemove, Hint::Always),
    bind(&[key(K::Enter)], A::Submit, S::GroupRemove, Hint::Always),
    bind(
        &[key(K::Tab), key(K::BackTab), key(K::Left), key(K::Right)],
        A::NextField,
        S::GroupRemove,
        Hint::Never,
    ),
    bind(
        &[ch('n'), key(K::Esc)],
        A::Cancel,
        S::GroupRemove,
        Hint::Always,
    ),
    bind(&[key(K::Up)], A::Up, S::CardPicker, Hint::Never),
    bind(&[key(K::Down)], A::Down, S::CardPicker, Hint::Never),
    bind(&[key(K::Enter)], A::Submit, S::CardPicker, Hint::Always),
    bind(&[key(K::Esc)], A::Cancel, S::CardPicker, Hint::Always),
    bind(&[ch('y')], A::Confirm, S::BonusMismatch, Hint::Always),
    bind(&[key(K::Enter)], A::Submit, S::BonusMismatch, Hint::Always),
    bind(
        &[key(K::Tab), key(K::BackTab), key(K::Left), key(K::Right)],
        A::NextField,
        S::BonusMismatch,
        Hint::Never,
    ),
    bind(
        &[ch('n'), key(K::Esc)],
        A::Cancel,
        S::BonusMismatch,
        Hint::Always,
    ),
];

impl Key {
    pub fn matches(&self, event: &KeyEvent) -> bool {
        // Shift is part of the character for `?`, `[`, `]` on most layouts, so it is ignored
        // for characters and BackTab.
        let mods = event.modifiers - KeyModifiers::SHIFT;
        self.code == event.code && self.modifiers - KeyModifiers::SHIFT == mods
    }

    /// A key that types a character into a focused text field.
    pub fn is_text(&self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && !self.modifiers.contains(KeyModifiers::CONTROL)
    }
}

/// The action a key performs in `scope`, falling back to global bindings; with `typing`,
/// global bindings on plain characters are skipped so the character reaches the field.
pub fn resolve(scope: Scope, typing: bool, event: &KeyEvent) -> Option<Action> {
    let find = |s: Scope| {
        BINDINGS
            .iter()
            .filter(|b| b.scope == s)
            .find(|b| {
                b.keys
                    .iter()
                    .any(|k| k.matches(event) && !(typing && s == Scope::Global && k.is_text()))
            })
            .map(|b| b.action)
    };
    find(scope).or_else(|| {
        if scope.is_modal() {
            // Dialogs own the keyboard: only Ctrl-C gets through.
            ctrl('c').matches(event).then_some(Action::Quit)
        } else {
            find(Scope::Global)
        }
    })
}

/// The bindings shown for a scope: its own first, then the global ones.
pub fn for_scope(scope: Scope) -> impl Iterator<Item = &'static Binding> {
    let own = BINDINGS.iter().filter(move |b| b.scope == scope);
    // A global binding whose key the scope binds itself is shadowed there.
    let shadowed = move |b: &Binding| {
        b.keys.iter().any(|k| {
            BINDINGS
                .iter()
                .any(|o| o.scope == scope && o.keys.contains(k))
        })
    };
    let global = BINDINGS
        .iter()
        .filter(move |b| b.scope == Scope::Global && !scope.is_modal() && !shadowed(b));
    own.chain(global)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn letters_type_into_search_but_act_elsewhere() {
        assert_eq!(resolve(Scope::Search, true, &ev(K::Char('q'))), None);
        assert_eq!(
            resolve(Scope::Results, false, &ev(K::Char('q'))),
            Some(A::Quit)
        );
        let ctrl_c = KeyEvent::new(K::Char('c'), KeyModifiers::CONTROL);
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
        for a in BINDINGS {
            for b in BINDINGS {
                if std::ptr::eq(a, b) || a.scope != b.scope {
                    continue;
                }
                for k in a.keys {
                    assert!(!b.keys.contains(k), "{k:?} bound twice in {:?}", a.scope);
                }
            }
        }
    }
}

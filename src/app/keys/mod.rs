//! The key registry: every binding in one table, from which the key handling, the hint bar
//! and the help overlay are all derived, so what is shown can never drift from what works.

use super::key::Key;
use super::model::Screen;

mod bindings;
pub use bindings::BINDINGS;

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

/// The action a key performs in `scope`, falling back to global bindings; with `typing`,
/// global bindings on plain characters are skipped so the character reaches the field.
pub fn resolve(scope: Scope, typing: bool, pressed: &Key) -> Option<Action> {
    let find = |s: Scope| {
        BINDINGS
            .iter()
            .filter(|b| b.scope == s)
            .find(|b| {
                b.keys
                    .iter()
                    .any(|k| k.matches(pressed) && !(typing && s == Scope::Global && k.is_text()))
            })
            .map(|b| b.action)
    };
    find(scope).or_else(|| {
        if scope.is_modal() {
            // Dialogs own the keyboard: only Ctrl-C gets through.
            Key::ctrl('c').matches(pressed).then_some(Action::Quit)
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
    use crate::app::key::KeyCode as K;
    use Action as A;

    fn ev(code: K) -> Key {
        Key::plain(code)
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

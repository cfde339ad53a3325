//! The table of every binding: which keys do what, in which scope, and when the hint bar
//! shows them.

use super::super::key::{Key, KeyCode};
use super::super::model::Screen;
use super::{Action, Binding, Hint, Scope};

const fn key(code: KeyCode) -> Key {
    Key::plain(code)
}

const fn ch(c: char) -> Key {
    Key::char(c)
}

const fn ctrl(c: char) -> Key {
    Key::ctrl(c)
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

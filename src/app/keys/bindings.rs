//! The table of every binding: which keys do what, in which scope, and when the hint bar
//! shows them.

use super::super::model::Screen;
use super::key::{Key, KeyCode, Modifiers};
use super::{Action, Binding, FieldEdit as E, Hint, Move, Scope};
use std::borrow::Cow;

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
        keys: Cow::Borrowed(keys),
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
    bind(&[ctrl('z')], A::Suspend, S::Global, Hint::Never),
    bind(&[ch('m')], A::Messages, S::Global, Hint::Never),
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
    bind(&[ch('/')], A::FocusSearch, S::Global, Hint::In(CASHIER)),
    // Already in the field: `/` is not typed into it.
    bind(&[ch('/')], A::FocusSearch, S::Search, Hint::Never),
    bind(
        &[key(K::Tab)],
        A::NextPane,
        S::Global,
        Hint::HelpIn(CASHIER),
    ),
    bind(
        &[key(K::BackTab)],
        A::PrevPane,
        S::Global,
        Hint::HelpIn(CASHIER),
    ),
    bind(&[ch('w')], A::WriteOff, S::Global, Hint::In(CASHIER)),
    bind(&[ch('r')], A::Refresh, S::Global, Hint::Always),
    bind(&[key(K::Esc)], A::Back, S::Global, Hint::Never),
    bind(&[key(K::Enter)], A::Submit, S::Search, Hint::Always),
    bind(&[key(K::Down)], A::Move(Move::Down), S::Search, Hint::Never),
    bind(&[key(K::Enter)], A::Submit, S::Results, Hint::Always),
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
    bind(
        &[key(K::Up)],
        A::Move(Move::Up),
        S::WriteOffForm,
        Hint::Never,
    ),
    bind(
        &[key(K::Down)],
        A::Move(Move::Down),
        S::WriteOffForm,
        Hint::Never,
    ),
    // The coupon list's own label names Space; the hint bar keeps its room for `+`, which
    // works from every field.
    bind(&[ch(' ')], A::ToggleCoupon, S::WriteOffForm, Hint::Never),
    bind(&[ch('+')], A::PickCoupon, S::WriteOffForm, Hint::Always),
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
        &[ch('n')],
        A::WriteOffAnew,
        S::WriteOffUnclear,
        Hint::Always,
    ),
    bind(
        &[key(K::Tab), key(K::BackTab)],
        A::NextField,
        S::Filter,
        Hint::Always,
    ),
    bind(&[key(K::Enter)], A::Submit, S::Filter, Hint::Always),
    bind(&[key(K::Esc)], A::Cancel, S::Filter, Hint::Always),
    bind(&[key(K::Enter)], A::Submit, S::Groups, Hint::Always),
    bind(&[ch('n')], A::NewGroup, S::Groups, Hint::Always),
    bind(&[ch('e')], A::EditGroup, S::Groups, Hint::Always),
    bind(&[ch('d')], A::RemoveGroup, S::Groups, Hint::Always),
    bind(&[ch('/')], A::EditFilter, S::Accumulations, Hint::Always),
    bind(&[ch('[')], A::PagePrev, S::Accumulations, Hint::Always),
    bind(&[ch(']')], A::PageNext, S::Accumulations, Hint::Always),
    bind(&[ch('/')], A::EditFilter, S::Registrations, Hint::Always),
    bind(&[ch('p')], A::NextPreset, S::Registrations, Hint::Always),
    bind(&[ch('x')], A::Export, S::Registrations, Hint::Always),
    bind(&[ch('/')], A::EditFilter, S::CardOperations, Hint::Always),
    bind(&[ch('t')], A::CycleType, S::CardOperations, Hint::Always),
    bind(&[ch('s')], A::CycleSort, S::CardOperations, Hint::Always),
    bind(&[ch('o')], A::ToggleOrder, S::CardOperations, Hint::Always),
    bind(&[ch('[')], A::PagePrev, S::CardOperations, Hint::Never),
    bind(&[ch(']')], A::PageNext, S::CardOperations, Hint::Never),
    bind(&[ch('x')], A::Export, S::CardOperations, Hint::Always),
    bind(&[ch('x')], A::Export, S::History, Hint::Always),
    bind(
        &[key(K::Tab), key(K::BackTab)],
        A::NextField,
        S::AdminFilter,
        Hint::Always,
    ),
    bind(&[key(K::Enter)], A::Submit, S::AdminFilter, Hint::Always),
    bind(&[key(K::Esc)], A::Cancel, S::AdminFilter, Hint::Always),
    bind(&[ch('/')], A::EditFilter, S::AdminFilter, Hint::Never),
    // Filter fields are not dialogs: help and the screens stay one key away.
    bind(&[ch('?')], A::Help, S::AdminFilter, Hint::Never),
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
    // The history's hint bar keeps its room for paging at 80 columns; F7 and the help name it.
    bind(&[ch('c')], A::Reverse, S::History, Hint::Never),
    bind(&[ch('c')], A::Reverse, S::Journal, Hint::Always),
    bind(&[ch('s')], A::ShiftReport, S::Journal, Hint::Always),
    bind(&[ch('/')], A::EditFilter, S::Journal, Hint::Always),
    bind(&[key(K::Enter)], A::Submit, S::JournalFilter, Hint::Always),
    bind(&[key(K::Esc)], A::Cancel, S::JournalFilter, Hint::Always),
    bind(
        &[key(K::Tab), key(K::BackTab)],
        A::NextField,
        S::ReversalForm,
        Hint::Always,
    ),
    // The reason is chosen by up/down wherever the focus is: left/right stay the text
    // fields' own. The hint bar names up (one is enough to be found); the help names both.
    bind(
        &[key(K::Up)],
        A::Move(Move::Up),
        S::ReversalForm,
        Hint::Always,
    ),
    bind(
        &[key(K::Down)],
        A::Move(Move::Down),
        S::ReversalForm,
        Hint::Never,
    ),
    // Named by the coupons' own line; in the note it types a space.
    bind(&[ch(' ')], A::ToggleCoupon, S::ReversalForm, Hint::Never),
    bind(&[key(K::Enter)], A::Submit, S::ReversalForm, Hint::Always),
    bind(&[key(K::Esc)], A::Cancel, S::ReversalForm, Hint::Always),
    bind(&[ch('y')], A::Confirm, S::ReversalConfirm, Hint::Always),
    bind(
        &[key(K::Enter)],
        A::Submit,
        S::ReversalConfirm,
        Hint::Always,
    ),
    bind(
        &[key(K::Tab), key(K::BackTab), key(K::Left), key(K::Right)],
        A::NextField,
        S::ReversalConfirm,
        Hint::Never,
    ),
    bind(
        &[ch('n'), key(K::Esc)],
        A::Cancel,
        S::ReversalConfirm,
        Hint::Always,
    ),
    bind(&[key(K::Esc)], A::Cancel, S::ReversalUnclear, Hint::Always),
    bind(
        &[key(K::Esc), key(K::Enter)],
        A::Cancel,
        S::ShiftReport,
        Hint::Always,
    ),
    bind(&[ch('y'), ctrl('c')], A::Quit, S::QuitConfirm, Hint::Always),
    bind(
        &[ch('n'), key(K::Esc)],
        A::Cancel,
        S::QuitConfirm,
        Hint::Always,
    ),
];

/// Moving in any list or table (`Scope::List`, which every list scope falls back to).
pub const MOVES: &[Binding] = &[
    bind(
        &[key(K::Up), ch('k')],
        A::Move(Move::Up),
        S::List,
        Hint::Never,
    ),
    bind(
        &[key(K::Down), ch('j')],
        A::Move(Move::Down),
        S::List,
        Hint::Never,
    ),
    bind(
        &[key(K::PageUp)],
        A::Move(Move::PageUp),
        S::List,
        Hint::Never,
    ),
    bind(
        &[key(K::PageDown)],
        A::Move(Move::PageDown),
        S::List,
        Hint::Never,
    ),
    bind(
        &[key(K::Home), ch('g')],
        A::Move(Move::Top),
        S::List,
        Hint::Never,
    ),
    bind(
        &[key(K::End), ch('G')],
        A::Move(Move::Bottom),
        S::List,
        Hint::Never,
    ),
];

/// The editing keys of every text field (`Scope::Field`); characters are typed besides.
pub const FIELD: &[Binding] = &[
    bind(
        &[key(K::Backspace), ctrl('h')],
        A::Edit(E::DeleteBack),
        S::Field,
        Hint::Never,
    ),
    bind(
        &[key(K::Delete)],
        A::Edit(E::DeleteForward),
        S::Field,
        Hint::Never,
    ),
    bind(&[ctrl('u')], A::Edit(E::Clear), S::Field, Hint::Never),
    bind(
        &[ctrl('w'), Key::alt(K::Backspace)],
        A::Edit(E::DeleteWordBack),
        S::Field,
        Hint::Never,
    ),
    bind(
        &[Key::new(K::Delete, Modifiers::CONTROL)],
        A::Edit(E::DeleteWordForward),
        S::Field,
        Hint::Never,
    ),
    bind(&[ctrl('k')], A::Edit(E::DeleteToEnd), S::Field, Hint::Never),
    bind(
        &[key(K::Left), ctrl('b')],
        A::Edit(E::Left),
        S::Field,
        Hint::Never,
    ),
    bind(
        &[key(K::Right), ctrl('f')],
        A::Edit(E::Right),
        S::Field,
        Hint::Never,
    ),
    bind(
        &[
            Key::new(K::Left, Modifiers::CONTROL),
            Key::alt(K::Char('b')),
        ],
        A::Edit(E::WordLeft),
        S::Field,
        Hint::Never,
    ),
    bind(
        &[
            Key::new(K::Right, Modifiers::CONTROL),
            Key::alt(K::Char('f')),
        ],
        A::Edit(E::WordRight),
        S::Field,
        Hint::Never,
    ),
    bind(
        &[key(K::Home), ctrl('a')],
        A::Edit(E::Start),
        S::Field,
        Hint::Never,
    ),
    bind(
        &[key(K::End), ctrl('e')],
        A::Edit(E::End),
        S::Field,
        Hint::Never,
    ),
    bind(&[ctrl('y')], A::Edit(E::Yank), S::Field, Hint::Never),
];

/// The help overlay: characters filter it.
pub const HELP: &[Binding] = &[
    bind(&[key(K::Up)], A::Move(Move::Up), S::Help, Hint::Never),
    bind(&[key(K::Down)], A::Move(Move::Down), S::Help, Hint::Never),
    bind(
        &[key(K::PageUp)],
        A::Move(Move::PageUp),
        S::Help,
        Hint::Never,
    ),
    bind(
        &[key(K::PageDown)],
        A::Move(Move::PageDown),
        S::Help,
        Hint::Never,
    ),
    bind(&[key(K::Home)], A::Move(Move::Top), S::Help, Hint::Never),
    bind(&[key(K::End)], A::Move(Move::Bottom), S::Help, Hint::Never),
    bind(
        &[key(K::Esc), key(K::F(1))],
        A::Cancel,
        S::Help,
        Hint::Always,
    ),
    bind(
        &[key(K::Esc), ch('m')],
        A::Cancel,
        S::Messages,
        Hint::Always,
    ),
];

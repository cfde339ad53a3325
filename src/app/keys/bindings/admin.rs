//! The admin screens (F3–F6) and their dialogs.

use super::{A, K, S, bind, ch, key};
use crate::app::keys::{Binding, Hint};

/// The admin tables: groups (F3), accumulations (F4), registrations (F5), card operations (F6).
pub(super) const ADMIN_TABLES: &[Binding] = &[
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
];

/// The admin dialogs: the tables' filter row, the group form and its removal, the card
/// picker and the birthday-bonus correction.
pub(super) const ADMIN_DIALOGS: &[Binding] = &[
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
];

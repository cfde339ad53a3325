//! The editing keys of every text field.

use super::{A, K, S, bind, ctrl, key};
use crate::app::keys::key::{Key, Modifiers};
use crate::app::keys::{Binding, FieldEdit as E, Hint};

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

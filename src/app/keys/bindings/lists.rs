//! Moving in lists and tables, and the overlays (help, messages) that scroll like one.

use super::{A, K, S, bind, ch, key};
use crate::app::keys::{Binding, Hint, Move};

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

//! The keys every screen shares, and the quit question's.

use super::{A, K, S, bind, ch, ctrl, key};
use crate::app::keys::{Binding, Hint};
use crate::app::model::Screen;

/// Every screen's keys: help, quitting, suspending, the messages and the screens themselves.
pub(super) const GLOBAL: &[Binding] = &[
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
];

/// The quit question, asked when quitting would lose work.
pub(super) const QUIT: &[Binding] = &[
    bind(&[ch('y'), ctrl('c')], A::Quit, S::QuitConfirm, Hint::Always),
    bind(
        &[ch('n'), key(K::Esc)],
        A::Cancel,
        S::QuitConfirm,
        Hint::Always,
    ),
];

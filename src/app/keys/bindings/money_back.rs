//! Money back (сторно) and the till's journal.

use super::{A, K, S, bind, ch, key};
use crate::app::keys::{Binding, Hint, Move};

/// Money back and the till's journal (F7): reversing from the history or the journal, the
/// journal's filter and shift report, and the reversal form with its confirmation.
pub(super) const MONEY_BACK: &[Binding] = &[
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
];

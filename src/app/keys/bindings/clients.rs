//! The cashier's screen (F2) and its dialogs: write-off and the history's period.

use super::{A, K, S, bind, ch, key};
use crate::app::keys::{Binding, Hint, Move, Scope};

/// The scopes of the cashier screen, where the write-off key matters.
const CASHIER: &[Scope] = &[Scope::Search, Scope::Results, Scope::History];

/// The cashier's screen: search, results and history, with the refresh and back keys that
/// every screen shares (their place here keeps the help's and README's order).
pub(super) const CLIENTS: &[Binding] = &[
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
];

/// The write-off form, its confirmation, and the question after an outcome left unclear.
pub(super) const WRITE_OFF: &[Binding] = &[
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
    // The help opens over the form and gives it back; `?` may be typed into a receipt.
    bind(&[key(K::F(1))], A::Help, S::WriteOffForm, Hint::Never),
    // The code step: only F5 sends another code, as any letter typed or pasted into the
    // code field by mistake would void the code the client is reading out.
    bind(&[key(K::Enter)], A::Submit, S::WriteOffCode, Hint::Always),
    bind(
        &[key(K::Tab), key(K::BackTab)],
        A::NextField,
        S::WriteOffCode,
        Hint::Always,
    ),
    bind(
        &[key(K::F(5))],
        A::ResendCode,
        S::WriteOffCode,
        Hint::Always,
    ),
    bind(&[key(K::Esc)], A::Cancel, S::WriteOffCode, Hint::Always),
    // Codes and PINs are digits: `?` is no one's, and opens the help as F1 does.
    bind(
        &[key(K::F(1)), ch('?')],
        A::Help,
        S::WriteOffCode,
        Hint::Never,
    ),
    // The same step with the manager's PIN field focused: Enter writes off by the PIN.
    bind(
        &[key(K::Enter)],
        A::Submit,
        S::WriteOffCodePin,
        Hint::Always,
    ),
    bind(
        &[key(K::Tab), key(K::BackTab)],
        A::NextField,
        S::WriteOffCodePin,
        Hint::Always,
    ),
    bind(
        &[key(K::F(5))],
        A::ResendCode,
        S::WriteOffCodePin,
        Hint::Always,
    ),
    bind(&[key(K::Esc)], A::Cancel, S::WriteOffCodePin, Hint::Always),
    bind(
        &[key(K::F(1)), ch('?')],
        A::Help,
        S::WriteOffCodePin,
        Hint::Never,
    ),
    bind(
        &[key(K::Enter)],
        A::Submit,
        S::WriteOffPinOnly,
        Hint::Always,
    ),
    bind(&[key(K::Esc)], A::Cancel, S::WriteOffPinOnly, Hint::Always),
    bind(
        &[key(K::F(1)), ch('?')],
        A::Help,
        S::WriteOffPinOnly,
        Hint::Never,
    ),
];

/// The history's period dialog.
pub(super) const HISTORY_FILTER: &[Binding] = &[
    bind(
        &[key(K::Tab), key(K::BackTab)],
        A::NextField,
        S::Filter,
        Hint::Always,
    ),
    bind(&[key(K::Enter)], A::Submit, S::Filter, Hint::Always),
    bind(&[key(K::Esc)], A::Cancel, S::Filter, Hint::Always),
];

/// The history's CSV export; the registry lists it after the admin tables, as it always has.
pub(super) const HISTORY_EXPORT: &[Binding] =
    &[bind(&[ch('x')], A::Export, S::History, Hint::Always)];

//! The table of every binding: which keys do what, in which scope, and when the hint bar
//! shows them. Each screen or dialog group's bindings are in a module named for it; the
//! registry is assembled here, in the order the help and README list them.

use super::key::{Key, KeyCode};
use super::{Action, Binding, Hint, Scope};
use std::borrow::Cow;

mod admin;
mod clients;
mod field;
mod global;
mod lists;
mod money_back;

pub use field::FIELD;
pub use lists::{HELP, MOVES};

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

/// The registry, group by group. A scope's first binding decides where the README's table
/// lists it, so the order is kept as it is.
pub const BINDINGS: &[&[Binding]] = &[
    global::GLOBAL,
    clients::CLIENTS,
    clients::WRITE_OFF,
    clients::HISTORY_FILTER,
    admin::ADMIN_TABLES,
    clients::HISTORY_EXPORT,
    admin::ADMIN_DIALOGS,
    money_back::MONEY_BACK,
    global::QUIT,
];

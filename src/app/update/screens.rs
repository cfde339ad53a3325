//! The screens as `update` knows them: one entry per screen with its key scope, the provider
//! it needs, what showing it loads and who takes its keys. Key dispatch, the key context and
//! availability read this table instead of matching on `Screen`; a new screen is one more
//! entry here beside its own module.

use super::super::keys::{Action, Scope};
use super::super::model::{Availability, FilterRow, Model, Pane, Screen};
use super::super::msg::Cmd;
use super::{accumulations, card_operations, cashier, groups, journal, registrations, tables};
use crate::app::keys::key::Key;
use crate::app::mouse::List;
use crate::i18n::Text;

pub struct ScreenSpec {
    pub screen: Screen,
    /// Its name in the status bar, its pane's title and the help's "show" keys.
    pub title: fn(&Text) -> &'static str,
    /// Its shorter name on the tab row.
    pub tab: fn(&Text) -> &'static str,
    /// Whose keys apply when no dialog or filter has them, and whether a field types.
    pub scope: fn(&Model) -> (Scope, bool),
    /// Whether the configuration gives it a provider.
    pub available: fn(&Availability) -> bool,
    /// The scopes its help lists after the global keys, in this order.
    pub help: &'static [Scope],
    /// What showing it loads.
    pub on_show: fn(&mut Model) -> Vec<Cmd>,
    /// Its keys once the global ones are taken: the action, if bound, and the key to type.
    pub on_key: fn(&mut Model, Option<Action>, Key) -> Vec<Cmd>,
    /// The lists the mouse can reach on it.
    pub lists: &'static [List],
    /// Its table's selected row and how many rows it has (the mouse's and the tables' keys'),
    /// when it has a table.
    pub rows: Option<Rows>,
    /// The admin tables' filter row, which `tables` handles alike for all of them.
    pub table: Option<Table>,
}

/// A table's selected row and how many rows it has.
pub type Rows = fn(&mut Model) -> (&mut usize, usize);

pub struct Table {
    pub filter: fn(&Model) -> &dyn FilterRow,
    pub filter_mut: fn(&mut Model) -> &mut dyn FilterRow,
    /// The filter's Enter.
    pub apply: fn(&mut Model) -> Vec<Cmd>,
    /// The screen's own keys, after the filter and the arrows.
    pub on_key: fn(&mut Model, Action) -> Vec<Cmd>,
}

const NOTHING: fn(&mut Model) -> Vec<Cmd> = |_| Vec::new();

pub const SCREENS: [ScreenSpec; 6] = [
    ScreenSpec {
        screen: Screen::Clients,
        title: |t| t.screen_clients,
        tab: |t| t.screen_clients,
        scope: |m| match m.focus {
            Pane::Search => (Scope::Search, true),
            Pane::Results => (Scope::Results, false),
            Pane::History => (Scope::History, false),
        },
        available: |a| a.clients,
        help: &[
            Scope::Search,
            Scope::Results,
            Scope::History,
            Scope::WriteOffForm,
            Scope::WriteOffConfirm,
            Scope::WriteOffUnclear,
            Scope::WriteOffCode,
            Scope::WriteOffCodePin,
            Scope::WriteOffPinOnly,
            Scope::Filter,
            Scope::ReversalForm,
            Scope::ReversalConfirm,
            Scope::ReversalUnclear,
        ],
        on_show: NOTHING,
        on_key: cashier::on_key,
        lists: &[List::Results, List::History],
        rows: None,
        table: None,
    },
    ScreenSpec {
        screen: Screen::Groups,
        title: |t| t.screen_groups,
        tab: |t| t.screen_groups,
        scope: |_| (Scope::Groups, false),
        available: |a| a.groups,
        // The bonus-mismatch dialog takes the removal dialog's keys and shows them itself.
        help: &[Scope::Groups, Scope::GroupForm, Scope::GroupRemove],
        on_show: |m| {
            if m.groups.list.data.is_none() && !m.groups.list.is_loading() {
                groups::load(m)
            } else {
                Vec::new()
            }
        },
        on_key: |m, a, _| a.map_or_else(Vec::new, |a| groups::on_key(m, a)),
        lists: &[List::Table],
        rows: Some(|m| {
            let len = m.groups.list.data.as_ref().map_or(0, Vec::len);
            (&mut m.groups.selected, len)
        }),
        table: None,
    },
    ScreenSpec {
        screen: Screen::Accumulations,
        title: |t| t.screen_accumulations,
        tab: |t| t.screen_accumulations,
        scope: |_| (Scope::Accumulations, false),
        available: |a| a.accumulations,
        help: &[Scope::Accumulations, Scope::AdminFilter],
        on_show: |m| {
            if m.accumulations.rows.data.is_none() {
                accumulations::first_load(m)
            } else {
                Vec::new()
            }
        },
        on_key: tables::on_key,
        lists: &[List::Table],
        rows: Some(|m| {
            let a = &mut m.accumulations;
            (&mut a.selected, a.rows.data.as_ref().map_or(0, Vec::len))
        }),
        table: Some(Table {
            filter: |m| &m.accumulations.filter,
            filter_mut: |m| &mut m.accumulations.filter,
            apply: accumulations::apply,
            on_key: accumulations::on_key,
        }),
    },
    ScreenSpec {
        screen: Screen::Registrations,
        title: |t| t.screen_registrations,
        tab: |t| t.screen_registrations,
        scope: |_| (Scope::Registrations, false),
        available: |a| a.registrations,
        help: &[Scope::Registrations, Scope::AdminFilter],
        on_show: |m| {
            if m.registrations.query.is_none() {
                registrations::apply_registrations(m)
            } else {
                Vec::new()
            }
        },
        on_key: registrations::on_table_key,
        lists: &[List::Table],
        rows: Some(|m| {
            let r = &mut m.registrations;
            (&mut r.selected, r.days.total())
        }),
        table: Some(Table {
            filter: |m| &m.registrations.filter,
            filter_mut: |m| &mut m.registrations.filter,
            apply: registrations::apply,
            on_key: registrations::on_key,
        }),
    },
    ScreenSpec {
        screen: Screen::CardOperations,
        title: |t| t.screen_card_operations,
        tab: |t| t.tab_card_operations,
        scope: |_| (Scope::CardOperations, false),
        available: |a| a.card_operations,
        help: &[Scope::CardOperations, Scope::AdminFilter, Scope::CardPicker],
        on_show: |m| {
            if m.card_operations.query.is_none() {
                card_operations::first_load(m)
            } else {
                Vec::new()
            }
        },
        on_key: tables::on_key,
        lists: &[List::Table],
        rows: Some(|m| {
            let o = &mut m.card_operations;
            let len = o.rows.data.as_ref().map_or(0, |p| p.operations.len());
            (&mut o.selected, len)
        }),
        table: Some(Table {
            filter: |m| &m.card_operations.filter,
            filter_mut: |m| &mut m.card_operations.filter,
            apply: card_operations::apply_card_operations,
            on_key: card_operations::on_key,
        }),
    },
    ScreenSpec {
        screen: Screen::Journal,
        title: |t| t.screen_journal,
        tab: |t| t.screen_journal,
        scope: |m| {
            if m.journal.filtering {
                (Scope::JournalFilter, true)
            } else {
                (Scope::Journal, false)
            }
        },
        // The journal is local and always there.
        available: |_| true,
        help: &[
            Scope::Journal,
            Scope::JournalFilter,
            Scope::ReversalForm,
            Scope::ReversalConfirm,
            Scope::ReversalUnclear,
            Scope::ShiftReport,
        ],
        // It grows with every write-off: read it each time it is shown.
        on_show: journal::load,
        on_key: journal::on_key,
        lists: &[List::Table],
        rows: Some(|m| {
            let len = m.journal.shown().len();
            (&mut m.journal.selected, len)
        }),
        table: None,
    },
];

/// A screen's name in the status bar and its pane's title.
pub fn title(t: &Text, screen: Screen) -> &'static str {
    (spec(screen).title)(t)
}

/// A screen's name on the tab row.
pub fn tab(t: &Text, screen: Screen) -> &'static str {
    (spec(screen).tab)(t)
}

/// Whether the backend behind `screen` is configured; without it the screen shows how to
/// configure it and takes no keys of its own.
pub fn available(model: &Model, screen: Screen) -> bool {
    (spec(screen).available)(&model.available)
}

/// The entry of a screen. Every screen has one (a test checks `Screen::ALL`); should one be
/// missing, the cashier's is used rather than the console stopping.
pub fn spec(screen: Screen) -> &'static ScreenSpec {
    SCREENS
        .iter()
        .find(|s| s.screen == screen)
        .unwrap_or(&SCREENS[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_screen_has_exactly_one_entry() {
        for &screen in Screen::ALL {
            assert_eq!(SCREENS.iter().filter(|e| e.screen == screen).count(), 1);
            assert_eq!(spec(screen).screen, screen);
        }
        assert_eq!(SCREENS.len(), Screen::ALL.len());
    }
}

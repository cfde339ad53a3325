//! Pure transition tests of the admin screens: a file per screen, and here what they share
//! (exports, the filter row, pasting, screens without a provider).

use crate::app::fixtures::{key, model_at, type_text};
use crate::app::keys::key::KeyCode;
use crate::app::model::{
    ADMIN_PAGE, AccumulationField, Availability, Button, CardOperationField, Dialog,
    GroupFormProblem, Model, Notice, Preset, RegistrationField, Screen,
};
use crate::app::msg::{Cmd, Export, Exported, Msg, RequestId};
use crate::app::update::update;
use crate::domain::admin::{
    Accumulation, AccumulationPage, AccumulationStatus, CardOperation, CardOperationPage,
    CardOperationQuery, Expiry, Group, GroupDraft, GroupKind, GroupProblem, OperationKind,
    RetailCard, SortColumn, SortDirection,
};
use crate::domain::{Amount, ErrorKind, ServiceError};
use crate::i18n::Locale;
use jiff::Timestamp;
use jiff::civil::date;
use rust_decimal::Decimal;
use std::time::Duration;

mod accumulations;
mod bonus;
mod card_operations;
mod groups;
mod registrations;

/// 2026-11-18 12:00 UTC, a Wednesday.
const NOW_MS: i64 = 1_795_003_200_000;

fn model() -> Model {
    model_at(Locale::Ru, NOW_MS)
}

fn group(id: i64, name: &str, kind: GroupKind, clients: u64) -> Group {
    Group {
        id,
        name: name.into(),
        kind,
        percent: Decimal::TEN,
        birthday_bonus: if kind == GroupKind::Bonus {
            Amount::from_minor(5000)
        } else {
            Amount::ZERO
        },
        clients,
        use_ewallet: Some(false),
        removed: false,
    }
}

/// F3 with two groups loaded.
pub(super) fn groups_screen() -> Model {
    let mut m = model();
    let cmds = key(&mut m, KeyCode::F(3));
    let [Cmd::LoadGroups { id }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    update(
        &mut m,
        Msg::GroupsLoaded {
            id,
            result: Ok(vec![
                group(1, "Постоянный посетитель", GroupKind::Bonus, 125),
                group(4, "Скидка 10%", GroupKind::Discount, 43),
            ]),
        },
    );
    m
}

#[test]
fn one_export_at_a_time_and_its_outcome_is_said() {
    let mut m = model();
    key(&mut m, KeyCode::F(5));
    let [Cmd::Export { id, .. }] = key(&mut m, KeyCode::Char('x'))[..] else {
        panic!()
    };
    assert!(
        key(&mut m, KeyCode::Char('x')).is_empty(),
        "no second export while one runs"
    );
    let path = std::path::PathBuf::from("exports/registrations.csv");
    update(
        &mut m,
        Msg::Exported {
            id,
            result: Ok(Exported {
                path: path.clone(),
                rows: 7,
            }),
        },
    );
    assert_eq!(m.notice, Some(Notice::Exported { path, rows: 7 }));
    let [Cmd::Export { id, .. }] = key(&mut m, KeyCode::Char('x'))[..] else {
        panic!()
    };
    let e = ServiceError::new(ErrorKind::Rejected, "exports: permission denied");
    update(
        &mut m,
        Msg::Exported {
            id,
            result: Err(e.clone()),
        },
    );
    assert_eq!(m.error, Some(e));
    assert!(m.exporting.is_none());
}

/// While an export writes, the status line says how many rows it has written; a progress
/// that arrives after its export ended, or from another request, changes nothing.
#[test]
fn an_export_under_way_says_its_rows_and_stale_progress_is_dropped() {
    let mut m = model();
    key(&mut m, KeyCode::F(5));
    let [Cmd::Export { id, .. }] = key(&mut m, KeyCode::Char('x'))[..] else {
        panic!()
    };
    update(&mut m, Msg::ExportProgress { id, rows: 500 });
    assert_eq!(m.notice, Some(Notice::Exporting { rows: 500 }));
    update(&mut m, Msg::ExportProgress { id, rows: 1000 });
    assert_eq!(m.notice, Some(Notice::Exporting { rows: 1000 }));
    let other = m.next_id();
    update(&mut m, Msg::ExportProgress { id: other, rows: 9 });
    assert_eq!(m.notice, Some(Notice::Exporting { rows: 1000 }));
    let path = std::path::PathBuf::from("exports/registrations.csv");
    update(
        &mut m,
        Msg::Exported {
            id,
            result: Ok(Exported {
                path: path.clone(),
                rows: 1234,
            }),
        },
    );
    // The runtime's last progress may come after the outcome: the outcome stays said.
    update(&mut m, Msg::ExportProgress { id, rows: 1234 });
    assert_eq!(m.notice, Some(Notice::Exported { path, rows: 1234 }));
}

#[test]
fn a_screen_without_its_provider_loads_nothing() {
    let mut m = model();
    m.available = Availability {
        groups: false,
        ..Availability::ALL
    };
    assert!(key(&mut m, KeyCode::F(3)).is_empty());
    assert_eq!(m.screen, Screen::Groups);
    assert!(key(&mut m, KeyCode::Char('n')).is_empty());
    assert!(m.dialog.is_none());
    assert_eq!(key(&mut m, KeyCode::Char('q')), vec![Cmd::Quit]);
}

#[test]
fn letters_type_into_admin_filters() {
    let mut m = model();
    key(&mut m, KeyCode::F(6));
    assert!(
        key(&mut m, KeyCode::Char('q')).is_empty(),
        "q is typed, not quit"
    );
    key(&mut m, KeyCode::Esc);
    assert!(!m.card_operations.filter.editing);
    assert_eq!(key(&mut m, KeyCode::Char('q')), vec![Cmd::Quit]);
}

/// Pasted text lands in the field that has the keyboard on every screen, never in the
/// hidden search field.
#[test]
fn a_paste_lands_in_the_focused_field_of_forms_and_filters() {
    // F6 opens with the card field focused.
    let mut m = model();
    key(&mut m, KeyCode::F(6));
    update(&mut m, Msg::Paste("79123456789".into()));
    assert_eq!(
        m.card_operations.filter.value(CardOperationField::Card),
        "79123456789"
    );
    assert_eq!(m.search.input.value(), "", "not the hidden search field");

    // F4's client filter.
    let mut m = model();
    key(&mut m, KeyCode::F(4));
    key(&mut m, KeyCode::Char('/'));
    update(&mut m, Msg::Paste("1234567".into()));
    assert_eq!(
        m.accumulations.filter.value(AccumulationField::Client),
        "1234567"
    );

    // The group form's name.
    let mut m = groups_screen();
    key(&mut m, KeyCode::Char('n'));
    update(&mut m, Msg::Paste("Кофеманы\n".into()));
    let Some(Dialog::GroupForm(f)) = &m.dialog else {
        panic!()
    };
    assert_eq!(f.name.value(), "Кофеманы");
    assert_eq!(m.search.input.value(), "");
}

/// Dispatch, paste, the hint bar and the help read one answer: a form types and owns the
/// keyboard, a table's filter types into its fields without owning the keyboard (F-keys and
/// help still work there), a bare table does neither.
#[test]
fn the_key_context_follows_the_dialog_then_the_screen() {
    use crate::app::keys::Scope;
    let mut m = model();
    let c = m.key_context();
    assert_eq!((c.scope, c.typing, c.modal), (Scope::Search, true, false));

    key(&mut m, KeyCode::F(4));
    let c = m.key_context();
    assert_eq!(
        (c.scope, c.typing, c.modal),
        (Scope::Accumulations, false, false)
    );
    key(&mut m, KeyCode::Char('/'));
    let c = m.key_context();
    assert_eq!(
        (c.scope, c.typing, c.modal),
        (Scope::AdminFilter, true, false)
    );

    let mut m = groups_screen();
    key(&mut m, KeyCode::Char('n'));
    let c = m.key_context();
    assert_eq!((c.scope, c.typing, c.modal), (Scope::GroupForm, true, true));
}

/// Tab and Shift-Tab walk a filter row by its named fields and wrap round at both ends.
#[test]
fn tab_walks_the_filter_fields_round_the_row() {
    let mut m = model();
    key(&mut m, KeyCode::F(5));
    key(&mut m, KeyCode::Char('/'));
    assert_eq!(m.registrations.filter.field, RegistrationField::From);
    key(&mut m, KeyCode::BackTab);
    assert_eq!(m.registrations.filter.field, RegistrationField::PointOfSale);
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Tab);
    assert_eq!(m.registrations.filter.field, RegistrationField::To);
    type_text(&mut m, "7");
    assert!(
        m.registrations
            .filter
            .value(RegistrationField::To)
            .ends_with('7')
    );
}

#[test]
fn a_screen_without_its_provider_offers_only_the_keys_that_work_there() {
    use crate::app::keys::{Action, Scope};
    let mut m = model();
    m.available = Availability {
        groups: false,
        ..Availability::ALL
    };
    key(&mut m, KeyCode::F(3));
    let context = m.key_context();
    assert_eq!(context.scope, Scope::Global, "F3's own keys do not apply");
    for c in ['n', 'e', 'd', 'r'] {
        assert!(key(&mut m, KeyCode::Char(c)).is_empty(), "{c}");
        assert!(m.dialog.is_none(), "{c}");
    }
    let hinted: Vec<Action> = m
        .keymap
        .for_scope(context.scope)
        .filter(|b| b.hinted_in(context.scope))
        .map(|b| b.action)
        .collect();
    assert!(hinted.contains(&Action::Help), "{hinted:?}");
    assert!(
        !hinted.contains(&Action::Refresh),
        "nothing to load again: {hinted:?}"
    );
    // Where there is something to load, `r` is offered.
    m.available = Availability::ALL;
    let scope = m.key_context().scope;
    assert_eq!(scope, Scope::Groups);
    assert!(
        m.keymap
            .for_scope(scope)
            .any(|b| b.action == Action::Refresh && b.hinted_in(scope))
    );
}

/// `/` opens the filter fields above a table, and inside them it is a character: dates are
/// written `31/12/2026` too.
#[test]
fn a_slash_types_into_the_admin_filter_fields() {
    let mut m = model();
    key(&mut m, KeyCode::F(5));
    key(&mut m, KeyCode::Char('/'));
    for _ in 0..12 {
        key(&mut m, KeyCode::Backspace);
    }
    type_text(&mut m, "01/02/2026");
    assert_eq!(
        m.registrations.filter.value(RegistrationField::From),
        "01/02/2026"
    );
}

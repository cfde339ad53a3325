//! Pure tests of F5 and F6 when the vendor ignores what was asked: rows from outside the
//! period are left out and counted, and a page out of the order asked for is said to be.

use crate::app::fixtures::{key, model_at, type_text};
use crate::app::keys::key::KeyCode;
use crate::app::model::Model;
use crate::app::msg::{Cmd, Msg, RequestId};
use crate::app::update::update;
use crate::domain::admin::{
    CardOperation, CardOperationPage, Expiry, OperationKind, Registration, SortColumn,
    SortDirection,
};
use crate::domain::{ErrorKind, ServiceError};
use crate::i18n::Locale;
use jiff::Timestamp;
use jiff::civil::date;
use rust_decimal::Decimal;

/// 2026-11-18 12:00 UTC, 15:00 in Moscow.
const NOW_MS: i64 = 1_795_003_200_000;

fn at(text: &str) -> Timestamp {
    text.parse().expect("an instant written in the test")
}

fn registration(client: i64, pos: i64, registered: &str) -> Registration {
    Registration {
        client,
        card: 2_000_000_000_000 + client,
        out_number: 100_000 + client,
        is_virtual: false,
        card_type: "Стандарт".into(),
        card_status: "Активна".into(),
        pos,
        pos_name: format!("Точка {pos}"),
        registered: at(registered),
    }
}

/// F5 opened on "today" in the vendor's zone (+03:00); the load it sends.
fn registrations_today(m: &mut Model) -> RequestId {
    m.registrations.zone = jiff::tz::TimeZone::fixed(jiff::tz::offset(3));
    let cmds = key(m, KeyCode::F(5));
    let [Cmd::LoadRegistrations { id, query }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!(
        (query.from, query.to),
        (date(2026, 11, 18), date(2026, 11, 18))
    );
    id
}

fn answer_registrations(m: &mut Model, id: RequestId, rows: Vec<Registration>) {
    update(
        m,
        Msg::RegistrationsLoaded {
            id,
            result: Ok(rows),
        },
    );
}

fn shown_clients(m: &Model) -> Vec<i64> {
    let days = &m.registrations.days;
    (0..days.total())
        .map(|i| {
            days.row(i)
                .expect("a single day's rows stay in memory")
                .client
        })
        .collect()
}

/// "Today" over April 2024 rows: only today's are shown, and how many were not is kept for
/// the screen to say. Today is Moscow's: 00:30 there is still the 17th in UTC, and 00:30 of
/// the 19th there is still the 18th in UTC.
#[test]
fn rows_from_outside_the_period_are_left_out_and_counted() {
    let mut m = model_at(Locale::Ru, NOW_MS);
    let id = registrations_today(&mut m);
    answer_registrations(
        &mut m,
        id,
        vec![
            registration(1, 1, "2024-04-10T09:00:00Z"),
            registration(2, 1, "2026-11-17T21:30:00Z"),
            registration(3, 2, "2026-11-18T11:00:00Z"),
            registration(4, 2, "2026-11-18T21:30:00Z"),
            registration(5, 2, "2024-04-11T09:00:00Z"),
            registration(6, 2, "2026-11-18T20:59:59.999Z"),
        ],
    );
    assert_eq!(shown_clients(&m), [2, 3, 6]);
    assert_eq!(m.registrations.outside_period, 3);
}

/// The count belongs to the rows on screen: a failed reload shows neither (the day is
/// missing, and said to be, rather than the rows of a reload that did not happen passing for
/// its answer), a reload the vendor answered within the period clears it.
#[test]
fn the_count_left_out_follows_the_rows_shown() {
    let mut m = model_at(Locale::En, NOW_MS);
    let id = registrations_today(&mut m);
    answer_registrations(
        &mut m,
        id,
        vec![
            registration(1, 1, "2024-04-10T09:00:00Z"),
            registration(2, 1, "2026-11-18T11:00:00Z"),
        ],
    );
    assert_eq!(m.registrations.outside_period, 1);
    let [Cmd::LoadRegistrations { id, .. }] = key(&mut m, KeyCode::Char('r'))[..] else {
        panic!("r reloads")
    };
    update(
        &mut m,
        Msg::RegistrationsLoaded {
            id,
            result: Err(ServiceError::new(
                ErrorKind::Unreachable,
                "connection refused",
            )),
        },
    );
    assert_eq!(shown_clients(&m), Vec::<i64>::new());
    assert_eq!(m.registrations.outside_period, 0);
    assert_eq!(
        m.registrations.days.missing(),
        Some((1, date(2026, 11, 18)))
    );
    assert!(m.error.is_some(), "the failure is said on the status line");
    let [Cmd::LoadRegistrations { id, .. }] = key(&mut m, KeyCode::Char('r'))[..] else {
        panic!("r reloads")
    };
    answer_registrations(&mut m, id, vec![registration(2, 1, "2026-11-18T11:00:00Z")]);
    assert_eq!(shown_clients(&m), [2]);
    assert_eq!(m.registrations.outside_period, 0);
}

fn operation(n: i64, kind: OperationKind) -> CardOperation {
    let day = Timestamp::from_second(1_587_487_843 + n * 86_400).unwrap();
    CardOperation {
        uuid: Some(format!("op-{n}")),
        kind: Some(kind),
        amount: Some(Decimal::from(100 + n)),
        value: Some(Decimal::from(5 + n)),
        used_value: Some(Decimal::ZERO),
        is_payment: Some(false),
        date: Some(day),
        expires: Some(Expiry::At(day)),
        description: None,
        last_update: Some(day),
    }
}

/// Oldest first: the order a vendor that ignores `sort_orders` may well answer in.
fn oldest_first() -> Vec<CardOperation> {
    (0..5)
        .map(|n| operation(n, OperationKind::Income))
        .collect()
}

fn newest_first() -> Vec<CardOperation> {
    let mut ops = oldest_first();
    ops.reverse();
    ops
}

/// Card 12 of promotion 1 on F6; the load it sends.
fn card_12(m: &mut Model) -> RequestId {
    key(m, KeyCode::F(6));
    type_text(m, "12");
    key(m, KeyCode::Tab);
    type_text(m, "1");
    let cmds = key(m, KeyCode::Enter);
    let [Cmd::LoadCardOperations { id, query }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!(
        (query.sort, query.direction),
        (SortColumn::Date, SortDirection::Desc)
    );
    id
}

fn answer_page(m: &mut Model, id: RequestId, operations: Vec<CardOperation>) {
    let page = CardOperationPage {
        operations,
        next_offset: None,
        total: None,
    };
    update(
        m,
        Msg::CardOperationsLoaded {
            id,
            result: Ok(page),
        },
    );
}

/// Presses a key that reloads F6 and returns the load.
fn reload(m: &mut Model, c: char) -> RequestId {
    let cmds = key(m, KeyCode::Char(c));
    let [Cmd::LoadCardOperations { id, .. }] = cmds[..] else {
        panic!("{c}: {cmds:?}")
    };
    id
}

/// "date ↓" over oldest-first rows is said to be out of order; the same rows under "date ↑"
/// are what was asked, and newest first under "date ↓" too.
#[test]
fn a_page_in_the_wrong_order_is_said_to_be_and_the_right_order_is_not() {
    let mut m = model_at(Locale::Ru, NOW_MS);
    let id = card_12(&mut m);
    answer_page(&mut m, id, oldest_first());
    assert!(m.card_operations.unsorted, "date ↓ over ascending dates");
    let id = reload(&mut m, 'o');
    assert_eq!(m.card_operations.direction, SortDirection::Asc);
    answer_page(&mut m, id, oldest_first());
    assert!(!m.card_operations.unsorted, "date ↑ over ascending dates");
    let id = reload(&mut m, 'o');
    answer_page(&mut m, id, newest_first());
    assert!(!m.card_operations.unsorted, "date ↓ over descending dates");
    // A failed reload keeps the page on screen, and what was said of it.
    let id = reload(&mut m, 'o');
    update(
        &mut m,
        Msg::CardOperationsLoaded {
            id,
            result: Err(ServiceError::new(
                ErrorKind::Unreachable,
                "connection refused",
            )),
        },
    );
    assert!(!m.card_operations.unsorted);
}

/// The sorted column is the one judged: by amount the page is checked on amounts, and a
/// row without a value where the vendor chose to put it is no sign of disorder.
#[test]
fn the_order_is_judged_by_the_sorted_column_and_rows_without_a_value_pass() {
    let mut m = model_at(Locale::En, NOW_MS);
    let id = card_12(&mut m);
    let mut page = newest_first();
    page[2].date = None;
    page.push(CardOperation {
        date: None,
        ..operation(9, OperationKind::Income)
    });
    answer_page(&mut m, id, page);
    assert!(!m.card_operations.unsorted, "nulls are not judged");
    // `s`: by type, going down: outcomes (REGOS's code 2) before incomes (1).
    let id = reload(&mut m, 's');
    assert_eq!(m.card_operations.sort, SortColumn::Type);
    let incomes_first = vec![
        operation(1, OperationKind::Income),
        operation(2, OperationKind::Outcome),
    ];
    answer_page(&mut m, id, incomes_first);
    assert!(m.card_operations.unsorted, "type ↓ with incomes first");
    // `s`: by amount, going down; the dates' order no longer matters.
    let id = reload(&mut m, 's');
    assert_eq!(m.card_operations.sort, SortColumn::Amount);
    let mut by_amount = oldest_first();
    for (o, amount) in by_amount.iter_mut().zip([50, 40, 40, 30, 10]) {
        o.amount = Some(Decimal::from(amount));
    }
    answer_page(&mut m, id, by_amount.clone());
    assert!(
        !m.card_operations.unsorted,
        "amounts going down, ties allowed"
    );
    by_amount[4].amount = Some(Decimal::from(60));
    let id = reload(&mut m, 'r');
    answer_page(&mut m, id, by_amount);
    assert!(m.card_operations.unsorted, "the last amount is the largest");
}

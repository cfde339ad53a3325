//! The admin screens (F3 to F6) and their dialogs, drawn.

use super::*;
use crate::app::model::{Availability, ConfigFault};
use crate::domain::admin::{
    Accumulation, AccumulationPage, AccumulationStatus, CardOperation, CardOperationPage, Expiry,
    Group, GroupKind, OperationKind, Promotion, Registration, RetailCard,
};
use crate::domain::setting::{Problem, SettingFault};
use rust_decimal::Decimal;

fn groups() -> Vec<Group> {
    vec![
        Group {
            id: 1,
            name: "Постоянный посетитель".into(),
            kind: GroupKind::Bonus,
            percent: Decimal::TEN,
            birthday_bonus: Amount::from_minor(5000),
            clients: 125,
            use_ewallet: Some(false),
            removed: false,
        },
        Group {
            id: 4,
            name: "Скидочная система 10%".into(),
            kind: GroupKind::Discount,
            percent: Decimal::TEN,
            birthday_bonus: Amount::ZERO,
            clients: 43,
            use_ewallet: Some(false),
            removed: false,
        },
        Group {
            id: 5,
            name: "Staff".into(),
            kind: GroupKind::Bonus,
            percent: Decimal::new(55, 1),
            birthday_bonus: Amount::from_minor(100_000),
            clients: 7,
            use_ewallet: Some(false),
            removed: false,
        },
    ]
}

fn groups_screen(l: Locale) -> Model {
    let mut m = model(l);
    let Some(Cmd::LoadGroups { id }) = key(&mut m, KeyCode::F(3)).into_iter().next() else {
        panic!()
    };
    update(
        &mut m,
        Msg::GroupsLoaded {
            id,
            result: Ok(groups()),
        },
    );
    m
}

#[test]
fn groups_with_details() {
    let build = |l: Locale| {
        let mut m = groups_screen(l);
        let Some(Cmd::LoadGroup { id, .. }) = key(&mut m, KeyCode::Enter).into_iter().next() else {
            panic!()
        };
        update(
            &mut m,
            Msg::GroupLoaded {
                id,
                result: Ok(groups()[0].clone()),
            },
        );
        m
    };
    both("groups", build);
    wide("groups_ru", &build(Locale::Ru));
}

#[test]
fn groups_failed_to_load() {
    both("groups_error", |l| {
        let mut m = model(l);
        let Some(Cmd::LoadGroups { id }) = key(&mut m, KeyCode::F(3)).into_iter().next() else {
            panic!()
        };
        update(
            &mut m,
            Msg::GroupsLoaded {
                id,
                result: Err(ServiceError::new(
                    ErrorKind::Unauthorized,
                    "Poster 11: Bad access token",
                )),
            },
        );
        m
    });
}

#[test]
fn group_form_new_with_a_problem() {
    both("group_form_new", |l| {
        let mut m = groups_screen(l);
        key(&mut m, KeyCode::Char('n'));
        type_text(&mut m, "Кофеманы");
        key(&mut m, KeyCode::Tab);
        key(&mut m, KeyCode::Tab);
        type_text(&mut m, "150");
        key(&mut m, KeyCode::Enter);
        m
    });
}

#[test]
fn group_form_edit_discount() {
    both("group_form_edit", |l| {
        let mut m = groups_screen(l);
        key(&mut m, KeyCode::Down);
        key(&mut m, KeyCode::Char('e'));
        m
    });
}

#[test]
fn group_removal_confirmation() {
    both("group_remove", |l| {
        let mut m = groups_screen(l);
        key(&mut m, KeyCode::Char('d'));
        m
    });
}

#[test]
fn a_birthday_bonus_poster_stored_wrong() {
    both("bonus_mismatch", |l| {
        let mut m = groups_screen(l);
        key(&mut m, KeyCode::Char('n'));
        type_text(&mut m, "Кофеманы");
        key(&mut m, KeyCode::Tab);
        key(&mut m, KeyCode::Tab);
        type_text(&mut m, "5");
        key(&mut m, KeyCode::Tab);
        type_text(&mut m, "50");
        let Some(Cmd::SaveGroup { id, .. }) = key(&mut m, KeyCode::Enter).into_iter().next() else {
            panic!()
        };
        let cmds = update(&mut m, Msg::GroupSaved { id, result: Ok(6) });
        let [Cmd::LoadGroups { id: list }, Cmd::LoadGroup { id, .. }] = cmds[..] else {
            panic!("{cmds:?}")
        };
        // Poster read the 50.00 it was sent as kopecks.
        let stored = Group {
            id: 6,
            name: "Кофеманы".into(),
            kind: GroupKind::Bonus,
            percent: Decimal::from(5),
            birthday_bonus: Amount::from_minor(50),
            clients: 0,
            use_ewallet: Some(false),
            removed: false,
        };
        let mut all = groups();
        all.push(stored.clone());
        update(
            &mut m,
            Msg::GroupsLoaded {
                id: list,
                result: Ok(all),
            },
        );
        update(
            &mut m,
            Msg::GroupLoaded {
                id,
                result: Ok(stored),
            },
        );
        m
    });
}

fn accumulations() -> Vec<Accumulation> {
    (0..30)
        .map(|i| Accumulation {
            id: i + 1,
            promotion_id: 14 + i % 3,
            client_id: 1_234_567 + i,
            product_id: 934,
            modification_id: (i % 4 == 0).then_some(2),
            status: [
                AccumulationStatus::Active,
                AccumulationStatus::Closed,
                AccumulationStatus::Deleted,
                AccumulationStatus::Other(9),
            ][i as usize % 4],
            count: if i % 5 == 0 {
                Decimal::new(44_769_718, 7)
            } else {
                Decimal::from(i % 9 + 1)
            },
            product_sum: Decimal::from(1476),
            prize_product_id: None,
            started: Some(jiff::civil::datetime(2018, 5, 2, 13, 25, 16, 0)),
            closed: (i % 4 == 1).then(|| jiff::civil::datetime(2018, 6, 1, 10, 0, 0, 0)),
            weighed: i % 5 == 0,
        })
        .collect()
}

fn promotions() -> Vec<Promotion> {
    vec![
        Promotion {
            id: 14,
            name: "Каждый 6-й кофе в подарок".into(),
            starts: Some(jiff::civil::datetime(2018, 4, 29, 0, 0, 0, 0)),
            ends: None,
        },
        Promotion {
            id: 15,
            name: "Десерт после 5 покупок".into(),
            starts: Some(jiff::civil::datetime(2018, 5, 1, 10, 0, 0, 0)),
            ends: Some(jiff::civil::datetime(2030, 12, 31, 23, 59, 59, 0)),
        },
    ]
}

/// F4 opened, its first page and the promotions answered with `rows` of `clients`.
fn accumulations_screen(l: Locale, rows: Vec<Accumulation>, clients: u32) -> Model {
    accumulations_answered(l, rows, clients, Ok(promotions()))
}

/// Like [`accumulations_screen`], the promotions answered with `promoted`.
fn accumulations_answered(
    l: Locale,
    rows: Vec<Accumulation>,
    clients: u32,
    promoted: Result<Vec<Promotion>, ServiceError>,
) -> Model {
    let mut m = model(l);
    for cmd in key(&mut m, KeyCode::F(4)) {
        match cmd {
            Cmd::LoadAccumulations { id, .. } => update(
                &mut m,
                Msg::AccumulationsLoaded {
                    id,
                    result: Ok(AccumulationPage {
                        rows: rows.clone(),
                        clients,
                    }),
                },
            ),
            Cmd::LoadPromotions { id } => update(
                &mut m,
                Msg::PromotionsLoaded {
                    id,
                    result: promoted.clone(),
                },
            ),
            other => panic!("{other:?}"),
        };
    }
    m
}

#[test]
fn accumulations_page() {
    let build = |l: Locale| {
        let mut m = accumulations_screen(l, accumulations(), 30);
        key(&mut m, KeyCode::Char('/'));
        type_text(&mut m, "12x");
        key(&mut m, KeyCode::Enter);
        m
    };
    both("accumulations", build);
    wide("accumulations_ru", &build(Locale::Ru));
}

/// Poster refused `clients.getPromotions` (its error 42): the table stays, its promotions
/// by number, and F4 says so; the status line, which every screen shares, does not.
#[test]
fn accumulations_when_the_promotions_are_refused() {
    let refused = || {
        Err(ServiceError::new(
            ErrorKind::Rejected,
            "Poster 42: no such variable",
        ))
    };
    both("accumulations_promotions_refused", |l| {
        let mut m = accumulations_answered(l, accumulations(), 30, refused());
        key(&mut m, KeyCode::Down);
        m
    });
    let mut m = accumulations_answered(Locale::En, accumulations(), 30, refused());
    let f4 = draw(&m, 120, 40);
    assert!(
        f4.contains("Promotion names not loaded. The server refused the request"),
        "{f4}"
    );
    assert!(f4.contains("14.76 ₽"), "kopecks shown in roubles: {f4}");
    for screen in [1, 3, 5, 6] {
        key(&mut m, KeyCode::F(screen));
        let other = draw(&m, 120, 40);
        assert!(
            !other.contains("Promotion names") && !other.contains("refused"),
            "F{screen}: {other}"
        );
    }
}

#[test]
fn accumulations_of_one_client() {
    both("accumulations_filtered", |l| {
        let mut m = accumulations_screen(l, accumulations(), 30);
        key(&mut m, KeyCode::Char('/'));
        type_text(&mut m, "1234569");
        let Some(Cmd::LoadAccumulations { id, query }) =
            key(&mut m, KeyCode::Enter).into_iter().next()
        else {
            panic!("the filter applies")
        };
        assert_eq!(query.client_id, Some(1_234_569));
        let rows = accumulations()
            .into_iter()
            .map(|a| Accumulation {
                client_id: 1_234_569,
                ..a
            })
            .take(3)
            .collect();
        update(
            &mut m,
            Msg::AccumulationsLoaded {
                id,
                result: Ok(AccumulationPage { rows, clients: 1 }),
            },
        );
        m
    });
}

#[test]
fn accumulations_looking_for_a_client_page_by_page() {
    both("accumulations_walking", |l| {
        let mut m = accumulations_screen(l, accumulations(), 30);
        key(&mut m, KeyCode::Char('/'));
        type_text(&mut m, "7777");
        let Some(Cmd::LoadAccumulations { id, .. }) =
            key(&mut m, KeyCode::Enter).into_iter().next()
        else {
            panic!()
        };
        let not_here = AccumulationPage {
            rows: Vec::new(),
            clients: 50,
        };
        update(
            &mut m,
            Msg::AccumulationsLoaded {
                id,
                result: Ok(not_here),
            },
        );
        m
    });
}

fn registrations() -> Vec<Registration> {
    let points = [
        "ТЦ «Европейский»",
        "Кафе на набережной, Арбат 12",
        "Интернет-магазин",
    ];
    (0..12)
        .map(|i| Registration {
            client: 1_234_567 + i,
            card: 2_000_000_000_000 + i,
            out_number: 100_000 + i,
            is_virtual: i % 3 == 2,
            card_type: if i % 3 == 2 {
                "Виртуальная"
            } else {
                "Стандарт"
            }
            .into(),
            card_status: "Активна".into(),
            pos: i % 3 + 1,
            pos_name: points[i as usize % 3].into(),
            registered: Timestamp::from_millisecond(NOW_MS - i * 3_600_000).unwrap(),
        })
        .collect()
}

#[test]
fn registrations_this_month() {
    let build = |l: Locale| {
        let mut m = model(l);
        // Each key asks anew; every answer comes, the earlier ones stale and dropped.
        let mut asked = key(&mut m, KeyCode::F(5));
        asked.extend(key(&mut m, KeyCode::Char('p')));
        asked.extend(key(&mut m, KeyCode::Char('p')));
        for cmd in asked {
            let Cmd::LoadRegistrations { id, .. } = cmd else {
                panic!("{cmd:?}")
            };
            update(
                &mut m,
                Msg::RegistrationsLoaded {
                    id,
                    result: Ok(registrations()),
                },
            );
        }
        m
    };
    both("registrations", build);
    wide("registrations_ru", &build(Locale::Ru));
}

#[test]
fn registrations_empty_and_refused() {
    both("registrations_error", |l| {
        let mut m = model(l);
        let Some(Cmd::LoadRegistrations { id, .. }) = key(&mut m, KeyCode::F(5)).into_iter().next()
        else {
            panic!()
        };
        update(
            &mut m,
            Msg::RegistrationsLoaded {
                id,
                result: Err(ServiceError::new(
                    ErrorKind::Rejected,
                    "Mloyalty 3: Token and Operator must match the access token",
                )),
            },
        );
        m
    });
}

/// «Сегодня» answered with today's rows and three from April 2024 by a vendor that
/// ignored the period: only today's are listed and counted per point of sale, and the
/// screen says how many were left out.
#[test]
fn registrations_the_vendor_sent_outside_the_period() {
    both("registrations_outside_period", |l| {
        let mut m = model(l);
        let Some(Cmd::LoadRegistrations { id, .. }) = key(&mut m, KeyCode::F(5)).into_iter().next()
        else {
            panic!()
        };
        let april_2024 = Timestamp::from_second(1_712_743_200).unwrap();
        let mut rows = registrations();
        rows.extend((0..3).map(|i| Registration {
            client: 7_000_000 + i,
            pos: 2,
            pos_name: "Кафе на набережной, Арбат 12".into(),
            registered: april_2024,
            ..registrations()[1].clone()
        }));
        update(
            &mut m,
            Msg::RegistrationsLoaded {
                id,
                result: Ok(rows),
            },
        );
        m
    });
}

#[test]
fn card_operations_before_a_card_is_named() {
    both("card_operations_start", |l| {
        let mut m = model(l);
        key(&mut m, KeyCode::F(6));
        key(&mut m, KeyCode::Enter);
        m
    });
}

#[test]
fn cards_found_by_phone() {
    both("card_picker", |l| {
        let mut m = model(l);
        key(&mut m, KeyCode::F(6));
        type_text(&mut m, "+7 912 345-67-89");
        let Some(Cmd::FindCards { id, .. }) = key(&mut m, KeyCode::Enter).into_iter().next() else {
            panic!()
        };
        let card = |id: i64, holder: Option<&str>, bonus: Option<i64>| RetailCard {
            id,
            barcode: Some(format!("20000000000{id:02}")),
            holder: holder.map(str::to_string),
            promo_id: Some(3),
            promo_name: Some("Кэшбэк 5% «Ёлки»".into()),
            bonus: bonus.map(|b| Decimal::new(b, 2)),
            enabled: Some(true),
        };
        let cards = vec![
            card(17, Some("Иванов Иван Иванович"), Some(15_450)),
            card(18, Some("Иванова Анна"), Some(0)),
            card(19, None, None),
        ];
        update(
            &mut m,
            Msg::CardsFound {
                id,
                result: Ok(cards),
            },
        );
        key(&mut m, KeyCode::Down);
        m
    });
}

#[test]
fn card_operations_page() {
    let build = |l: Locale| {
        let mut m = model(l);
        key(&mut m, KeyCode::F(6));
        type_text(&mut m, "12");
        key(&mut m, KeyCode::Tab);
        type_text(&mut m, "1");
        let Some(Cmd::LoadCardOperations { id, .. }) =
            key(&mut m, KeyCode::Enter).into_iter().next()
        else {
            panic!()
        };
        let operations = (0..20)
            .map(|i| CardOperation {
                uuid: Some(format!("404cd163-83f0-11ea-9e81-{i:012}")),
                kind: Some(if i % 3 == 0 {
                    OperationKind::Outcome
                } else {
                    OperationKind::Income
                }),
                amount: Some(Decimal::new(1_476_000 + i * 1000, 3)),
                value: Some(Decimal::new(73_800 + i, 3)),
                used_value: Some(Decimal::ZERO),
                is_payment: Some(i % 3 == 0),
                date: Some(Timestamp::from_second(1_587_487_843 - i * 86_400).unwrap()),
                expires: Some(if i % 2 == 0 {
                    Expiry::At(Timestamp::from_second(1_619_023_843).unwrap())
                } else {
                    Expiry::Never
                }),
                description: (i % 4 == 0).then(|| "Покупка в кафе «Ёлки»".to_string()),
                last_update: Some(Timestamp::from_second(1_587_487_843).unwrap()),
            })
            // REGOS may leave any field null: the row stays, with "—".
            .map(|o| match o.uuid.as_deref() {
                Some(u) if u.ends_with("007") => CardOperation {
                    uuid: o.uuid,
                    kind: o.kind,
                    ..CardOperation::default()
                },
                _ => o,
            })
            .collect();
        let page = CardOperationPage {
            operations,
            next_offset: Some(20),
            total: Some(57),
        };
        update(
            &mut m,
            Msg::CardOperationsLoaded {
                id,
                result: Ok(page.clone()),
            },
        );
        // `t`: income only. The reload is answered with what the filter asks for.
        let Some(Cmd::LoadCardOperations { id, query }) =
            key(&mut m, KeyCode::Char('t')).into_iter().next()
        else {
            panic!()
        };
        assert_eq!(query.kind, Some(OperationKind::Income));
        let operations: Vec<_> = page
            .operations
            .into_iter()
            .filter(|o| o.kind == Some(OperationKind::Income))
            .collect();
        let income = CardOperationPage {
            total: Some(operations.len() as u64),
            operations,
            next_offset: None,
        };
        update(
            &mut m,
            Msg::CardOperationsLoaded {
                id,
                result: Ok(income),
            },
        );
        m
    };
    both("card_operations", build);
    wide("card_operations_ru", &build(Locale::Ru));
}

/// "date ↓" asked, and a vendor that ignored `sort_orders` answered oldest first: the
/// rows stay in the vendor's order and the sort label is followed by a note saying so.
#[test]
fn card_operations_the_vendor_did_not_sort() {
    both("card_operations_unsorted", |l| {
        let mut m = model(l);
        key(&mut m, KeyCode::F(6));
        type_text(&mut m, "12");
        key(&mut m, KeyCode::Tab);
        type_text(&mut m, "1");
        let Some(Cmd::LoadCardOperations { id, .. }) =
            key(&mut m, KeyCode::Enter).into_iter().next()
        else {
            panic!()
        };
        let operations = (0..6)
            .map(|i| {
                let at = Timestamp::from_second(1_587_487_843 + i * 86_400).unwrap();
                CardOperation {
                    uuid: Some(format!("404cd163-83f0-11ea-9e81-{i:012}")),
                    kind: Some(OperationKind::Income),
                    amount: Some(Decimal::new(1_476_000 + i * 1000, 3)),
                    value: Some(Decimal::new(73_800 + i, 3)),
                    used_value: Some(Decimal::ZERO),
                    is_payment: Some(false),
                    date: Some(at),
                    expires: Some(Expiry::Never),
                    description: Some("Покупка в кафе «Ёлки»".into()),
                    last_update: Some(at),
                }
            })
            .collect();
        let page = CardOperationPage {
            operations,
            next_offset: None,
            total: Some(6),
        };
        update(
            &mut m,
            Msg::CardOperationsLoaded {
                id,
                result: Ok(page),
            },
        );
        m
    });
}

#[test]
fn screens_without_a_provider() {
    // The profile in use is named in the snippet, and the hints offer none of F3's
    // own keys (n, e, d), which do nothing here.
    both("not_configured", |l| {
        let mut m = model(l);
        m.backend = BackendLabel::Profile("down".into());
        m.available = Availability {
            groups: false,
            ..Availability::ALL
        };
        key(&mut m, KeyCode::F(3));
        m
    });
}

/// A Mloyalty section that is wrong: F5 says what and where, not how to add one.
#[test]
fn a_screen_whose_section_is_wrong() {
    both("config_fault", |l| {
        let mut m = model(l);
        m.backend = BackendLabel::Profile("shop".into());
        m.available = Availability {
            registrations: false,
            ..Availability::ALL
        };
        m.config_faults = vec![ConfigFault {
            section: "mloyalty",
            fault: SettingFault {
                at: "profiles.shop.mloyalty".into(),
                problem: Problem::ManagerNotPhone,
            },
            file: "/home/kassa/.config/loyalty/config.toml".into(),
        }];
        key(&mut m, KeyCode::F(5));
        m
    });
}

#[test]
fn help_on_the_groups_screen() {
    both("help_groups", |l| {
        let mut m = groups_screen(l);
        key(&mut m, KeyCode::Char('?'));
        m
    });
}

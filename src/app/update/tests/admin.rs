//! Pure transition tests of the admin screens: groups, accumulations, registrations, card
//! operations, exports, and screens without a provider.

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
fn f3_loads_groups_once_and_enter_loads_details() {
    let mut m = groups_screen();
    assert_eq!(m.screen, Screen::Groups);
    key(&mut m, KeyCode::F(2));
    assert!(key(&mut m, KeyCode::F(3)).is_empty(), "already loaded");
    key(&mut m, KeyCode::Down);
    assert!(matches!(
        key(&mut m, KeyCode::Enter)[..],
        [Cmd::LoadGroup { group: 4, .. }]
    ));
    assert!(m.busy());
}

#[test]
fn a_new_group_is_validated_then_saved_once() {
    let mut m = groups_screen();
    key(&mut m, KeyCode::Char('n'));
    assert!(matches!(m.dialog, Some(Dialog::GroupForm(_))));
    // Letters type into the name, they do not act.
    type_text(&mut m, "  ");
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    let Some(Dialog::GroupForm(f)) = &m.dialog else {
        panic!()
    };
    assert_eq!(
        f.problem,
        Some(GroupFormProblem::Draft(GroupProblem::NameRequired))
    );
    type_text(&mut m, "Кофеманы");
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "101");
    key(&mut m, KeyCode::Enter);
    let Some(Dialog::GroupForm(f)) = &m.dialog else {
        panic!()
    };
    assert_eq!(
        f.problem,
        Some(GroupFormProblem::Draft(GroupProblem::PercentOutOfRange))
    );
    key(&mut m, KeyCode::Backspace);
    key(&mut m, KeyCode::Backspace);
    type_text(&mut m, ",5");
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "abc");
    key(&mut m, KeyCode::Enter);
    let Some(Dialog::GroupForm(f)) = &m.dialog else {
        panic!()
    };
    assert!(matches!(
        f.problem,
        Some(GroupFormProblem::BirthdayBonus(_))
    ));
    for _ in 0..3 {
        key(&mut m, KeyCode::Backspace);
    }
    type_text(&mut m, "150,50");
    let cmds = key(&mut m, KeyCode::Enter);
    let expected = GroupDraft {
        name: "Кофеманы".into(),
        kind: GroupKind::Bonus,
        percent: Decimal::new(15, 1),
        birthday_bonus: Amount::from_minor(15_050),
        use_ewallet: None,
    };
    let [
        Cmd::SaveGroup {
            id,
            group: None,
            draft,
        },
    ] = &cmds[..]
    else {
        panic!("{cmds:?}")
    };
    assert_eq!(draft, &expected);
    assert!(
        key(&mut m, KeyCode::Enter).is_empty(),
        "no second save while the first is out"
    );
    let cmds = update(
        &mut m,
        Msg::GroupSaved {
            id: *id,
            result: Ok(6),
        },
    );
    assert!(m.dialog.is_none());
    assert_eq!(
        m.notice,
        Some(Notice::GroupSaved {
            name: "Кофеманы".into()
        })
    );
    assert!(
        matches!(
            cmds[..],
            [Cmd::LoadGroups { .. }, Cmd::LoadGroup { group: 6, .. }]
        ),
        "the list is read again, and the group to check its birthday bonus: {cmds:?}"
    );
}

/// Saves a new bonus group with a birthday bonus of 50 roubles; answers the save with id 6
/// and the read-back with what Poster `stored`; returns the commands that came out.
fn save_and_read_back(m: &mut Model, stored: Amount) -> Vec<Cmd> {
    key(m, KeyCode::Char('n'));
    type_text(m, "Кофеманы");
    key(m, KeyCode::Tab);
    key(m, KeyCode::Tab);
    type_text(m, "5");
    key(m, KeyCode::Tab);
    type_text(m, "50");
    let [Cmd::SaveGroup { id, .. }] = key(m, KeyCode::Enter)[..] else {
        panic!()
    };
    let cmds = update(m, Msg::GroupSaved { id, result: Ok(6) });
    read_back(m, &cmds, stored)
}

/// Answers the check's `getGroup` in `cmds` with group 6 holding `stored`.
fn read_back(m: &mut Model, cmds: &[Cmd], stored: Amount) -> Vec<Cmd> {
    let Some(Cmd::LoadGroup { id, group: 6 }) = cmds
        .iter()
        .find(|c| matches!(c, Cmd::LoadGroup { .. }))
        .cloned()
    else {
        panic!("no read-back in {cmds:?}")
    };
    let mut group = group(6, "Кофеманы", GroupKind::Bonus, 0);
    group.percent = Decimal::from(5);
    group.birthday_bonus = stored;
    update(
        m,
        Msg::GroupLoaded {
            id,
            result: Ok(group),
        },
    )
}

fn mismatch(m: &Model) -> &crate::app::model::BonusMismatch {
    match &m.dialog {
        Some(Dialog::BonusMismatch(b)) => b,
        other => panic!("no mismatch dialog: {other:?}"),
    }
}

#[test]
fn a_birthday_bonus_stored_as_meant_needs_nothing() {
    let mut m = groups_screen();
    assert!(save_and_read_back(&mut m, Amount::from_minor(5000)).is_empty());
    assert!(m.dialog.is_none());
}

#[test]
fn a_bonus_a_vendor_read_in_roubles_is_said_and_corrected_on_request() {
    // The console writes kopecks (Poster's current docs, its PHP library); a vendor that
    // reads them as seed 003's roubles stored "5000" as 5000 ₽.
    let mut m = groups_screen();
    save_and_read_back(&mut m, Amount::from_minor(500_000));
    let b = mismatch(&m);
    assert_eq!(
        (b.meant, b.stored),
        (Amount::from_minor(5000), Amount::from_minor(500_000))
    );
    assert_eq!(b.focus, Button::Cancel, "nothing is sent by a stray Enter");
    let fix = b
        .fix
        .clone()
        .expect("a hundredfold difference can be corrected");
    // Sent as "50", which that vendor reads as 50 ₽.
    assert_eq!(fix.birthday_bonus, Amount::from_minor(50));
    let cmds = key(&mut m, KeyCode::Char('y'));
    let [
        Cmd::SaveGroup {
            id,
            group: Some(6),
            ref draft,
        },
    ] = cmds[..]
    else {
        panic!("{cmds:?}")
    };
    assert_eq!(draft, &fix);
    assert!(key(&mut m, KeyCode::Char('y')).is_empty(), "sent once");
    let cmds = update(&mut m, Msg::GroupSaved { id, result: Ok(6) });
    assert!(m.dialog.is_none());
    assert_eq!(
        m.notice,
        Some(Notice::BonusCorrected {
            name: "Кофеманы".into()
        })
    );
    // Read back once more: now it is right, and nothing more is asked.
    assert!(read_back(&mut m, &cmds, Amount::from_minor(5000)).is_empty());
    assert!(m.dialog.is_none());
}

#[test]
fn a_bonus_read_a_hundredfold_smaller_is_corrected_the_other_way_too() {
    // A vendor that divides what it is sent by a hundred: 5000 kopecks stored as 0.50 ₽.
    let mut m = groups_screen();
    save_and_read_back(&mut m, Amount::from_minor(50));
    let fix = mismatch(&m).fix.clone().unwrap();
    assert_eq!(fix.birthday_bonus, Amount::from_minor(500_000));
}

#[test]
fn a_difference_no_unit_explains_is_said_without_a_fix() {
    let mut m = groups_screen();
    save_and_read_back(&mut m, Amount::from_minor(4200));
    assert!(mismatch(&m).fix.is_none());
    assert!(
        key(&mut m, KeyCode::Char('y')).is_empty(),
        "nothing to send"
    );
    assert!(m.dialog.is_none(), "y closes it");
}

#[test]
fn a_discount_group_has_no_birthday_bonus_field() {
    let mut m = groups_screen();
    key(&mut m, KeyCode::Char('n'));
    type_text(&mut m, "VIP");
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Char(' '));
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "20");
    key(&mut m, KeyCode::Tab);
    let Some(Dialog::GroupForm(f)) = &m.dialog else {
        panic!()
    };
    assert_eq!(f.kind, GroupKind::Discount);
    assert_eq!(
        f.field,
        crate::app::model::GroupField::Name,
        "Tab skips the bonus field"
    );
    let cmds = key(&mut m, KeyCode::Enter);
    assert!(
        matches!(&cmds[..], [Cmd::SaveGroup { draft, .. }] if draft.birthday_bonus == Amount::ZERO)
    );
}

#[test]
fn editing_prefills_and_a_refusal_stays_in_the_form() {
    let mut m = groups_screen();
    key(&mut m, KeyCode::Char('e'));
    let Some(Dialog::GroupForm(f)) = &m.dialog else {
        panic!()
    };
    assert_eq!(
        (
            f.editing,
            f.name.value(),
            f.percent.value(),
            f.birthday_bonus.value()
        ),
        (Some(1), "Постоянный посетитель", "10", "50")
    );
    let cmds = key(&mut m, KeyCode::Enter);
    let [
        Cmd::SaveGroup {
            id,
            group: Some(1),
            ref draft,
        },
    ] = cmds[..]
    else {
        panic!("{cmds:?}")
    };
    assert_eq!(
        draft.use_ewallet,
        Some(false),
        "a field the form does not show goes back as it was"
    );
    let refusal = ServiceError::new(ErrorKind::Rejected, "Poster 38: name already exists");
    update(
        &mut m,
        Msg::GroupSaved {
            id,
            result: Err(refusal.clone()),
        },
    );
    let Some(Dialog::GroupForm(f)) = &m.dialog else {
        panic!("the form stays open")
    };
    assert_eq!(f.problem, Some(GroupFormProblem::Refused(refusal)));
    assert!(f.sending.is_none());
    key(&mut m, KeyCode::Esc);
    assert!(m.dialog.is_none());
}

#[test]
fn removal_asks_first_with_cancel_focused() {
    let mut m = groups_screen();
    key(&mut m, KeyCode::Char('d'));
    let Some(Dialog::GroupRemove(r)) = &m.dialog else {
        panic!()
    };
    assert_eq!(
        (r.group.id, r.group.clients, r.focus),
        (1, 125, Button::Cancel)
    );
    assert!(
        key(&mut m, KeyCode::Enter).is_empty(),
        "Enter on Cancel removes nothing"
    );
    assert!(m.dialog.is_none());
    key(&mut m, KeyCode::Char('d'));
    key(&mut m, KeyCode::Right);
    let cmds = key(&mut m, KeyCode::Enter);
    let [Cmd::RemoveGroup { id, group: 1 }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    assert!(
        key(&mut m, KeyCode::Char('y')).is_empty(),
        "no second removal in flight"
    );
    let cmds = update(&mut m, Msg::GroupRemoved { id, result: Ok(()) });
    assert_eq!(
        m.notice,
        Some(Notice::GroupRemoved {
            name: "Постоянный посетитель".into()
        })
    );
    assert!(matches!(cmds[..], [Cmd::LoadGroups { .. }]));
}

#[test]
fn a_failed_removal_keeps_the_dialog_with_the_reason() {
    let mut m = groups_screen();
    key(&mut m, KeyCode::Char('d'));
    let [Cmd::RemoveGroup { id, .. }] = key(&mut m, KeyCode::Char('y'))[..] else {
        panic!()
    };
    let e = ServiceError::new(ErrorKind::Unreachable, "could not connect");
    update(
        &mut m,
        Msg::GroupRemoved {
            id,
            result: Err(e.clone()),
        },
    );
    let Some(Dialog::GroupRemove(r)) = &m.dialog else {
        panic!()
    };
    assert_eq!(
        (r.problem.as_ref(), r.focus, r.sending),
        (Some(&e), Button::Cancel, None)
    );
}

fn accumulation(id: i64) -> Accumulation {
    Accumulation {
        id,
        promotion_id: 14,
        client_id: 61,
        product_id: 934,
        modification_id: None,
        status: AccumulationStatus::Active,
        count: Decimal::ONE,
        product_sum: Decimal::from(1476),
        prize_product_id: None,
        started: None,
        closed: None,
        weighed: false,
    }
}

/// A page of Poster's as full as the console asks: ADMIN_PAGE clients, two rows each.
fn full_page() -> AccumulationPage {
    AccumulationPage {
        rows: (0..ADMIN_PAGE as i64 * 2)
            .map(|i| Accumulation {
                client_id: 1000 + i / 2,
                ..accumulation(i)
            })
            .collect(),
        clients: ADMIN_PAGE,
    }
}

#[test]
fn accumulations_page_by_clients_not_rows() {
    let mut m = model();
    let [Cmd::LoadAccumulations { id, .. }, _] = key(&mut m, KeyCode::F(4))[..] else {
        panic!()
    };
    // Fewer clients than asked for: the last page, however many rows it has.
    let last = AccumulationPage {
        rows: (0..ADMIN_PAGE as i64 * 3).map(accumulation).collect(),
        clients: 3,
    };
    update(
        &mut m,
        Msg::AccumulationsLoaded {
            id,
            result: Ok(last),
        },
    );
    assert!(
        key(&mut m, KeyCode::Char(']')).is_empty(),
        "no page after the last"
    );
}

/// Poster has no client filter: when the client is not among a page's clients, the next
/// page is read, with the status bar saying so; Esc stops the walk.
#[test]
fn a_filtered_client_is_looked_for_page_by_page_and_esc_stops() {
    let mut m = model();
    key(&mut m, KeyCode::F(4));
    key(&mut m, KeyCode::Char('/'));
    type_text(&mut m, "77");
    let [Cmd::LoadAccumulations { id, query }] = key(&mut m, KeyCode::Enter)[..] else {
        panic!()
    };
    assert_eq!(query.client_id, Some(77));
    let not_here = AccumulationPage {
        rows: Vec::new(),
        clients: ADMIN_PAGE,
    };
    let cmds = update(
        &mut m,
        Msg::AccumulationsLoaded {
            id,
            result: Ok(not_here.clone()),
        },
    );
    let [Cmd::LoadAccumulations { id, query }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!((query.client_id, query.offset), (Some(77), ADMIN_PAGE));
    assert_eq!(
        m.notice,
        Some(Notice::LookingForClient {
            client: 77,
            page: 2
        })
    );
    // Found on the second page.
    let found = AccumulationPage {
        rows: vec![Accumulation {
            client_id: 77,
            ..accumulation(5)
        }],
        clients: ADMIN_PAGE,
    };
    assert!(
        update(
            &mut m,
            Msg::AccumulationsLoaded {
                id,
                result: Ok(found)
            }
        )
        .is_empty()
    );
    assert_eq!(m.accumulations.rows.data.as_ref().map(Vec::len), Some(1));
    assert_eq!(m.notice, None);

    // Another client, not found: Esc stops after the second page.
    key(&mut m, KeyCode::Char('/'));
    key(&mut m, KeyCode::Backspace);
    key(&mut m, KeyCode::Backspace);
    type_text(&mut m, "88");
    let [Cmd::LoadAccumulations { id, .. }] = key(&mut m, KeyCode::Enter)[..] else {
        panic!()
    };
    let [Cmd::LoadAccumulations { id: next, .. }] = update(
        &mut m,
        Msg::AccumulationsLoaded {
            id,
            result: Ok(not_here.clone()),
        },
    )[..] else {
        panic!()
    };
    key(&mut m, KeyCode::Esc);
    assert_eq!(
        m.notice,
        Some(Notice::ClientNotFound {
            client: 88,
            pages: 1
        })
    );
    assert!(!m.accumulations.rows.is_loading());
    assert!(
        update(
            &mut m,
            Msg::AccumulationsLoaded {
                id: next,
                result: Ok(not_here)
            }
        )
        .is_empty(),
        "the page asked for before Esc is dropped"
    );
}

/// An optional lookup refused: Poster answers `clients.getPromotions` with its error 42 on an
/// account that may not read promotions. The table stays usable, by promotion number; the
/// refusal is F4's and the messages', never the status line's; `r` asks again.
#[test]
fn a_refused_promotion_list_leaves_the_table_and_is_said_on_f4_only() {
    let mut m = model();
    let [
        Cmd::LoadAccumulations { id, .. },
        Cmd::LoadPromotions { id: promotions },
    ] = key(&mut m, KeyCode::F(4))[..]
    else {
        panic!()
    };
    let refused = ServiceError::new(ErrorKind::Rejected, "Poster 42: no such variable");
    assert!(
        update(
            &mut m,
            Msg::PromotionsLoaded {
                id: promotions,
                result: Err(refused.clone()),
            },
        )
        .is_empty()
    );
    update(
        &mut m,
        Msg::AccumulationsLoaded {
            id,
            result: Ok(full_page()),
        },
    );
    assert_eq!(m.error, None, "the status line is every screen's");
    assert_eq!(m.accumulations.promotions.error, Some(refused.clone()));
    assert!(
        m.messages
            .iter()
            .any(|msg| msg.said == crate::app::model::Said::Error(refused.clone())),
        "kept in the messages with the vendor's words"
    );
    // The table is as usable as with names: rows, selection, paging.
    assert_eq!(
        m.accumulations.rows.data.as_ref().map(Vec::len),
        Some(ADMIN_PAGE as usize * 2)
    );
    key(&mut m, KeyCode::Down);
    assert_eq!(m.accumulations.selected, 1);
    assert!(matches!(
        key(&mut m, KeyCode::Char(']'))[..],
        [Cmd::LoadAccumulations { query, .. }] if query.offset == ADMIN_PAGE
    ));
    key(&mut m, KeyCode::F(3));
    assert_eq!(m.error, None, "another screen says nothing of it");
    key(&mut m, KeyCode::F(4));
    // Refreshing asks for the page and, as they failed, the promotions again.
    let cmds = key(&mut m, KeyCode::Char('r'));
    let [
        Cmd::LoadAccumulations { .. },
        Cmd::LoadPromotions { id: again },
    ] = cmds[..]
    else {
        panic!("{cmds:?}")
    };
    update(
        &mut m,
        Msg::PromotionsLoaded {
            id: again,
            result: Ok(Vec::new()),
        },
    );
    assert_eq!(m.accumulations.promotions.error, None);
    let cmds = key(&mut m, KeyCode::Char('r'));
    assert!(
        matches!(cmds[..], [Cmd::LoadAccumulations { .. }]),
        "promotions read once they came: {cmds:?}"
    );
}

#[test]
fn accumulations_page_and_filter_by_client() {
    let mut m = model();
    let cmds = key(&mut m, KeyCode::F(4));
    let [
        Cmd::LoadAccumulations { id, query },
        Cmd::LoadPromotions { .. },
    ] = cmds[..]
    else {
        panic!("{cmds:?}")
    };
    assert_eq!(
        (query.client_id, query.offset, query.limit),
        (None, 0, ADMIN_PAGE)
    );
    update(
        &mut m,
        Msg::AccumulationsLoaded {
            id,
            result: Ok(full_page()),
        },
    );
    let cmds = key(&mut m, KeyCode::Char(']'));
    assert!(
        matches!(cmds[..], [Cmd::LoadAccumulations { query, .. }] if query.offset == ADMIN_PAGE)
    );
    key(&mut m, KeyCode::Char('/'));
    type_text(&mut m, "6x");
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    assert_eq!(
        m.accumulations.filter.invalid,
        Some(AccumulationField::Client)
    );
    key(&mut m, KeyCode::Backspace);
    type_text(&mut m, "1");
    let cmds = key(&mut m, KeyCode::Enter);
    assert!(
        matches!(cmds[..], [Cmd::LoadAccumulations { query, .. }] if query.client_id == Some(61) && query.offset == 0)
    );
    assert!(!m.accumulations.filter.editing);
}

#[test]
fn registration_presets_and_a_custom_period() {
    let mut m = model();
    let cmds = key(&mut m, KeyCode::F(5));
    let [Cmd::LoadRegistrations { query, .. }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!(
        (query.from, query.to, query.pos),
        (date(2026, 11, 18), date(2026, 11, 18), None)
    );
    let expect = [
        (Preset::Yesterday, date(2026, 11, 17), date(2026, 11, 17)),
        (Preset::ThisMonth, date(2026, 11, 1), date(2026, 11, 18)),
        (Preset::ThisYear, date(2026, 1, 1), date(2026, 11, 18)),
        (Preset::Today, date(2026, 11, 18), date(2026, 11, 18)),
    ];
    for (preset, from, to) in expect {
        let cmds = key(&mut m, KeyCode::Char('p'));
        assert_eq!(m.registrations.preset, preset);
        assert!(
            matches!(cmds[..], [Cmd::LoadRegistrations { query, .. }] if query.from == from && query.to == to)
        );
    }
    key(&mut m, KeyCode::Char('/'));
    for _ in 0..10 {
        key(&mut m, KeyCode::Backspace);
    }
    type_text(&mut m, "01.11.2026");
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "2");
    let cmds = key(&mut m, KeyCode::Enter);
    assert_eq!(m.registrations.preset, Preset::Custom);
    assert!(matches!(cmds[..], [Cmd::LoadRegistrations { query, .. }]
        if query.from == date(2026, 11, 1) && query.to == date(2026, 11, 18) && query.pos == Some(2)));
    let cmds = key(&mut m, KeyCode::Char('x'));
    assert!(
        matches!(&cmds[..], [Cmd::Export { export: Export::Registrations { query: q, .. }, .. }] if q.pos == Some(2))
    );
}

#[test]
fn a_backwards_period_is_refused() {
    let mut m = model();
    key(&mut m, KeyCode::F(5));
    key(&mut m, KeyCode::Char('/'));
    for _ in 0..10 {
        key(&mut m, KeyCode::Backspace);
    }
    type_text(&mut m, "20.11.2026");
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    assert_eq!(m.registrations.filter.invalid, Some(RegistrationField::To));
}

fn operation(n: i64) -> CardOperation {
    let at = Timestamp::from_second(1_587_487_843 + n).unwrap();
    CardOperation {
        uuid: Some(format!("op-{n}")),
        kind: Some(OperationKind::Income),
        amount: Some(Decimal::from(100)),
        value: Some(Decimal::from(5)),
        used_value: Some(Decimal::ZERO),
        is_payment: Some(false),
        date: Some(at),
        expires: Some(Expiry::Never),
        description: None,
        last_update: Some(at),
    }
}

/// Names card 12 of promo 1 on F6 and returns the load it sends.
fn card_operations_of_card_12(m: &mut Model) -> (RequestId, CardOperationQuery) {
    key(m, KeyCode::F(6));
    type_text(m, "12");
    key(m, KeyCode::Tab);
    type_text(m, "1");
    let cmds = key(m, KeyCode::Enter);
    let [Cmd::LoadCardOperations { id, query }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    (id, query)
}

#[test]
fn a_rate_limited_page_waits_as_told_says_so_and_asks_again() {
    let mut m = model();
    let (mut id, query) = card_operations_of_card_12(&mut m);
    let limited = || {
        Err(
            ServiceError::new(ErrorKind::RateLimited, "429 Too Many Requests")
                .with_retry_after(Duration::from_secs(7)),
        )
    };
    for _ in 0..3 {
        let cmds = update(
            &mut m,
            Msg::CardOperationsLoaded {
                id,
                result: limited(),
            },
        );
        assert_eq!(
            cmds,
            vec![Cmd::RetryLater {
                id,
                delay: Duration::from_secs(7)
            }]
        );
        assert_eq!(m.notice, Some(Notice::RateLimited { seconds: 7 }));
        assert!(
            m.card_operations.rows.is_loading(),
            "still waiting, not failed"
        );
        assert!(m.error.is_none());
        let cmds = update(&mut m, Msg::RetryDue(id));
        let [
            Cmd::LoadCardOperations {
                id: again,
                query: asked,
            },
        ] = cmds[..]
        else {
            panic!("{cmds:?}")
        };
        assert_eq!(asked, query, "the same page again");
        id = again;
    }
    // A fourth refusal in a row is shown as the error it is.
    assert!(
        update(
            &mut m,
            Msg::CardOperationsLoaded {
                id,
                result: limited()
            }
        )
        .is_empty()
    );
    assert_eq!(
        m.card_operations.rows.error.as_ref().map(|e| e.kind),
        Some(ErrorKind::RateLimited)
    );
}

#[test]
fn a_retry_for_a_request_that_was_replaced_does_nothing() {
    let mut m = model();
    let (id, _) = card_operations_of_card_12(&mut m);
    let limited =
        Err(ServiceError::new(ErrorKind::RateLimited, "8213")
            .with_retry_after(Duration::from_secs(1)));
    update(
        &mut m,
        Msg::CardOperationsLoaded {
            id,
            result: limited,
        },
    );
    // The admin asks for another type meanwhile: that request takes the old one's place.
    let cmds = key(&mut m, KeyCode::Char('t'));
    assert!(
        matches!(cmds[..], [Cmd::LoadCardOperations { .. }]),
        "{cmds:?}"
    );
    assert!(update(&mut m, Msg::RetryDue(id)).is_empty());
}

#[test]
fn card_operations_need_a_card_then_sort_filter_and_page() {
    let mut m = model();
    assert!(
        key(&mut m, KeyCode::F(6)).is_empty(),
        "nothing to load before a card is named"
    );
    assert!(m.card_operations.filter.editing);
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    assert_eq!(
        m.card_operations.filter.invalid,
        Some(CardOperationField::Card)
    );
    type_text(&mut m, "12");
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "1");
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "01.11.2026");
    let cmds = key(&mut m, KeyCode::Enter);
    let [Cmd::LoadCardOperations { id, query }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!((query.card_id, query.promo_id, query.kind), (12, 1, None));
    assert_eq!(query.from.unwrap().as_second(), 1_793_491_200);
    assert_eq!(
        (query.sort, query.direction, query.offset),
        (SortColumn::Date, SortDirection::Desc, 0)
    );
    let page = CardOperationPage {
        operations: (0..50).map(operation).collect(),
        next_offset: Some(50),
        total: Some(120),
    };
    update(
        &mut m,
        Msg::CardOperationsLoaded {
            id,
            result: Ok(page),
        },
    );
    let cmds = key(&mut m, KeyCode::Char(']'));
    assert!(matches!(cmds[..], [Cmd::LoadCardOperations { query, .. }] if query.offset == 50));
    let cmds = key(&mut m, KeyCode::Char('t'));
    assert!(
        matches!(cmds[..], [Cmd::LoadCardOperations { query, .. }] if query.kind == Some(OperationKind::Income) && query.offset == 0)
    );
    let cmds = key(&mut m, KeyCode::Char('s'));
    assert!(
        matches!(cmds[..], [Cmd::LoadCardOperations { query, .. }] if query.sort == SortColumn::Type)
    );
    let cmds = key(&mut m, KeyCode::Char('o'));
    assert!(
        matches!(cmds[..], [Cmd::LoadCardOperations { query, .. }] if query.direction == SortDirection::Asc)
    );
    let cmds = key(&mut m, KeyCode::Char('x'));
    assert!(
        matches!(&cmds[..], [Cmd::Export { export: Export::CardOperations(q), .. }] if q.card_id == 12 && q.offset == 0)
    );
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

fn card(id: i64, holder: &str) -> RetailCard {
    RetailCard {
        id,
        barcode: Some(format!("20000000000{id:02}")),
        holder: Some(holder.into()),
        promo_id: Some(3),
        promo_name: Some("Кэшбэк 5%".into()),
        bonus: Some(Decimal::new(1545, 1)),
        enabled: Some(true),
    }
}

#[test]
fn a_phone_in_the_card_field_finds_the_card_and_its_operations_open() {
    let mut m = model();
    key(&mut m, KeyCode::F(6));
    type_text(&mut m, "+7 912 345-67-89");
    let cmds = key(&mut m, KeyCode::Enter);
    let [Cmd::FindCards { id, ref text }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!(text, "+7 912 345-67-89");
    assert!(matches!(m.dialog, Some(Dialog::CardPicker(_))));
    update(
        &mut m,
        Msg::CardsFound {
            id,
            result: Ok(vec![card(17, "Иванов Иван"), card(18, "Иванова Анна")]),
        },
    );
    key(&mut m, KeyCode::Down);
    let cmds = key(&mut m, KeyCode::Enter);
    let [Cmd::LoadCardOperations { query, .. }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!(
        (query.card_id, query.promo_id),
        (18, 3),
        "the picked card and its promotion"
    );
    assert!(m.dialog.is_none());
    assert_eq!(
        m.card_operations.filter.value(CardOperationField::Card),
        "#18",
        "marked as an id, so Enter again shows the same card"
    );
    key(&mut m, KeyCode::Char('/'));
    let [Cmd::LoadCardOperations { query, .. }] = key(&mut m, KeyCode::Enter)[..] else {
        panic!()
    };
    assert_eq!(query.card_id, 18);
}

#[test]
fn card_ids_are_short_numbers_or_marked_and_a_phones_last_digits_are_searched() {
    // (typed, the card id asked for, or None when the text is searched for)
    for (text, id) in [
        ("12", Some(12)),
        ("#12", Some(12)),
        ("# 1234567", Some(1_234_567)),
        ("5678", None),
        ("345678901", None),
        ("2000000000017", None),
        ("79123456789", None),
        ("+7 912 345-67-89", None),
        ("Иванов", None),
    ] {
        let mut m = model();
        key(&mut m, KeyCode::F(6));
        type_text(&mut m, text);
        key(&mut m, KeyCode::Tab);
        type_text(&mut m, "1");
        let cmds = key(&mut m, KeyCode::Enter);
        match id {
            Some(id) => assert!(
                matches!(cmds[..], [Cmd::LoadCardOperations { query, .. }] if query.card_id == id),
                "{text}: {cmds:?}"
            ),
            None => assert!(
                matches!(cmds[..], [Cmd::FindCards { ref text, .. }] if text == text.trim()),
                "{text}: {cmds:?}"
            ),
        }
    }
    for text in ["ab", "#", "#12a", "#0", "0"] {
        let mut m = model();
        key(&mut m, KeyCode::F(6));
        type_text(&mut m, text);
        key(&mut m, KeyCode::Tab);
        type_text(&mut m, "1");
        assert!(key(&mut m, KeyCode::Enter).is_empty(), "{text}");
        assert_eq!(
            m.card_operations.filter.invalid,
            Some(CardOperationField::Card),
            "{text}: neither an id nor enough to search"
        );
    }
}

#[test]
fn the_card_picker_says_when_nothing_matches_and_esc_goes_back() {
    let mut m = model();
    key(&mut m, KeyCode::F(6));
    type_text(&mut m, "Никто Такой");
    let [Cmd::FindCards { id, .. }] = key(&mut m, KeyCode::Enter)[..] else {
        panic!()
    };
    update(
        &mut m,
        Msg::CardsFound {
            id,
            result: Ok(Vec::new()),
        },
    );
    assert!(key(&mut m, KeyCode::Enter).is_empty(), "nothing to pick");
    key(&mut m, KeyCode::Esc);
    assert!(m.dialog.is_none());
    assert!(
        m.card_operations.filter.editing,
        "back in the filter to try again"
    );
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

/// After a new group is saved, its details come back and its row is the highlighted one,
/// whichever order the two answers come in: `e` and `d` act on the group the admin reads.
#[test]
fn a_saved_group_is_the_highlighted_row_under_its_details() {
    for detail_first in [true, false] {
        let mut m = groups_screen();
        key(&mut m, KeyCode::Char('n'));
        type_text(&mut m, "Кофеманы");
        key(&mut m, KeyCode::Tab);
        key(&mut m, KeyCode::Tab);
        type_text(&mut m, "5");
        key(&mut m, KeyCode::Tab);
        type_text(&mut m, "50");
        let [Cmd::SaveGroup { id, .. }] = key(&mut m, KeyCode::Enter)[..] else {
            panic!()
        };
        let cmds = update(&mut m, Msg::GroupSaved { id, result: Ok(6) });
        let list = cmds.iter().find_map(|c| match c {
            Cmd::LoadGroups { id } => Some(*id),
            _ => None,
        });
        let answer_list = |m: &mut Model| {
            update(
                m,
                Msg::GroupsLoaded {
                    id: list.expect("the list is read again"),
                    result: Ok(vec![
                        group(1, "Постоянный посетитель", GroupKind::Bonus, 125),
                        group(4, "Скидка 10%", GroupKind::Discount, 43),
                        group(6, "Кофеманы", GroupKind::Bonus, 0),
                    ]),
                },
            );
        };
        if detail_first {
            read_back(&mut m, &cmds, Amount::from_minor(5000));
            answer_list(&mut m);
        } else {
            answer_list(&mut m);
            read_back(&mut m, &cmds, Amount::from_minor(5000));
        }
        assert_eq!(m.groups.selected, 2, "detail first: {detail_first}");
    }
}

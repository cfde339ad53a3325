//! F6: a card's operations, rate limits, sorting, paging, and the card picker.

use super::*;

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

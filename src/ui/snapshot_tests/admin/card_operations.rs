//! F6: a card's bonus operations, the card picker, and a page the vendor did not sort.

use super::*;

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

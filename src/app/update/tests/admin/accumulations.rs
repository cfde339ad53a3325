//! F4: accumulations paged by client, a client looked for page by page, promotions.

use super::*;

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

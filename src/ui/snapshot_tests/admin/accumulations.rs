//! F4: accumulations by page and by client, and promotions the vendor refused.

use super::*;

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

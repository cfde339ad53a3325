//! F5: the period's presets and a custom one.

use super::*;
use crate::app::model::{DayState, REGISTRATION_WINDOW};
use crate::domain::admin::{Registration, RegistrationQuery};

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
    // Each preset's period is kept whole and asked for from its first day alone.
    for (preset, from, to) in expect {
        let cmds = key(&mut m, KeyCode::Char('p'));
        assert_eq!(m.registrations.preset, preset);
        let period = m.registrations.query.unwrap();
        assert_eq!((period.from, period.to), (from, to));
        assert!(
            matches!(cmds[..], [Cmd::LoadRegistrations { query, .. }] if query.from == from && query.to == from)
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
        if query.from == date(2026, 11, 1) && query.to == date(2026, 11, 1) && query.pos == Some(2)));
    assert_eq!(
        m.registrations.query,
        Some(RegistrationQuery {
            from: date(2026, 11, 1),
            to: date(2026, 11, 18),
            pos: Some(2)
        })
    );
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

fn registration(client: i64, pos: i64, registered: Timestamp) -> Registration {
    Registration {
        client,
        card: 2_000_000_000_000 + client,
        out_number: 100_000 + client,
        is_virtual: false,
        card_type: "Стандарт".into(),
        card_status: "Активна".into(),
        pos,
        pos_name: format!("Точка {pos}"),
        registered,
    }
}

/// `n` registrations at noon (in the model's zone) of the day `query` asks for, spread over
/// three points of sale; clients numbered from `first`.
fn day_rows(m: &Model, query: RegistrationQuery, first: i64, n: i64) -> Vec<Registration> {
    let noon = query
        .from
        .at(12, 0, 0, 0)
        .to_zoned(m.registrations.zone.clone())
        .unwrap()
        .timestamp();
    (0..n)
        .map(|i| {
            registration(
                first + i,
                i % 3 + 1,
                noon + jiff::SignedDuration::from_secs(i),
            )
        })
        .collect()
}

fn one_load(cmds: &[Cmd]) -> (RequestId, RegistrationQuery) {
    let [Cmd::LoadRegistrations { id, query }] = cmds[..] else {
        panic!("one day asked for: {cmds:?}")
    };
    (id, query)
}

fn answer(
    m: &mut Model,
    id: RequestId,
    result: Result<Vec<Registration>, ServiceError>,
) -> Vec<Cmd> {
    update(m, Msg::RegistrationsLoaded { id, result })
}

/// Rows held in memory over the whole period.
fn held(m: &Model) -> usize {
    m.registrations
        .days
        .days
        .iter()
        .map(|(_, s)| match s {
            DayState::Counted {
                cached: Some(rows), ..
            } => rows.len(),
            _ => 0,
        })
        .sum()
}

/// «Этот год» is asked for a day at a time, in order, each day once: the first day's rows
/// are on screen as soon as it is answered, the per-point counts and the total add up every
/// day, and only the rows near the selection stay in memory.
#[test]
fn a_year_is_counted_a_day_at_a_time_holding_only_the_rows_near_the_selection() {
    let mut m = model();
    key(&mut m, KeyCode::F(5));
    for _ in 0..3 {
        key(&mut m, KeyCode::Char('p'));
    }
    assert_eq!(m.registrations.preset, Preset::ThisYear);
    let (mut id, mut query) = one_load(&key(&mut m, KeyCode::Char('r')));
    let mut expect = date(2026, 1, 1);
    let mut asked = 0;
    loop {
        assert_eq!((query.from, query.to, query.pos), (expect, expect, None));
        asked += 1;
        let rows = day_rows(&m, query, asked * 1000, 120);
        let cmds = answer(&mut m, id, Ok(rows));
        if asked == 1 {
            assert_eq!(m.registrations.days.row(0).map(|r| r.client), Some(1000));
            assert!(
                m.registrations.days.counting.is_some(),
                "the rest still counted"
            );
        }
        if cmds.is_empty() {
            break;
        }
        (id, query) = one_load(&cmds);
        expect = expect.tomorrow().unwrap();
    }
    assert_eq!(expect, date(2026, 11, 18));
    assert_eq!(asked, 322);
    let days = &m.registrations.days;
    assert_eq!(days.total(), 322 * 120);
    assert_eq!(days.answered(), 322);
    assert!(!days.is_loading());
    assert_eq!(days.missing(), None);
    let per_pos: Vec<usize> = days.per_pos.values().copied().collect();
    assert_eq!(per_pos, [322 * 40, 322 * 40, 322 * 40]);
    assert_eq!(m.registrations.outside_period, 0);
    // The first rows and the days over the window after them, not the year.
    assert!(
        held(&m) <= 2 * REGISTRATION_WINDOW + 2 * 120,
        "{}",
        held(&m)
    );
    assert!(m.registrations.days.row(0).is_some());
    assert!(m.registrations.days.row(322 * 120 - 1).is_none());
}

/// End jumps to the last row: its day's rows, let go while counting, are asked for again
/// (that day alone), the first days' rows are let go, and the answer puts the rows on screen.
#[test]
fn rows_let_go_are_asked_for_again_when_the_selection_reaches_them() {
    let mut m = model();
    key(&mut m, KeyCode::F(5));
    key(&mut m, KeyCode::Char('p'));
    let (mut id, _) = one_load(&key(&mut m, KeyCode::Char('p')));
    assert_eq!(m.registrations.preset, Preset::ThisMonth);
    let mut last;
    loop {
        let query = m.registrations.days.days[m.registrations.days.counting.unwrap().1].0;
        let q = RegistrationQuery {
            from: query,
            to: query,
            pos: None,
        };
        let rows = day_rows(&m, q, query.day() as i64 * 1000, 300);
        let cmds = answer(&mut m, id, Ok(rows));
        last = q;
        if cmds.is_empty() {
            break;
        }
        (id, _) = one_load(&cmds);
    }
    assert_eq!(m.registrations.days.total(), 18 * 300);
    assert!(m.registrations.days.row(18 * 300 - 1).is_none());
    let (id, query) = one_load(&key(&mut m, KeyCode::End));
    assert_eq!(query, last);
    assert_eq!(m.registrations.selected, 18 * 300 - 1);
    assert!(
        m.registrations.days.row(0).is_none(),
        "the first day let go"
    );
    // A reply that is no longer waited for changes nothing.
    let rows = day_rows(&m, query, 1, 300);
    let stale = answer(&mut m, RequestId(id.0 - 1), Ok(rows));
    assert!(stale.is_empty());
    assert!(m.registrations.days.row(18 * 300 - 1).is_none());
    let rows = day_rows(&m, query, 18_000, 300);
    assert!(answer(&mut m, id, Ok(rows)).is_empty());
    assert_eq!(
        m.registrations.days.row(18 * 300 - 1).map(|r| r.client),
        Some(18_299)
    );
    assert!(held(&m) <= 2 * 300);
    assert_eq!(
        m.registrations.days.total(),
        18 * 300,
        "asked again, not counted again"
    );
}

/// A day the vendor refuses (more rows than it answers for a period) is said in its words,
/// the count goes on with the next day, and the total says it is incomplete rather than
/// passing for the period's.
#[test]
fn a_refused_day_is_said_and_leaves_the_total_incomplete() {
    let mut m = model();
    key(&mut m, KeyCode::F(5));
    let (id, _) = one_load(&key(&mut m, KeyCode::Char('p')));
    let (id2, query) = one_load(&key(&mut m, KeyCode::Char('p')));
    // The reply to the preset left behind is dropped.
    assert!(answer(&mut m, id, Ok(vec![])).is_empty());
    assert_eq!(m.registrations.days.answered(), 0);
    assert_eq!(query.from, date(2026, 11, 1));
    let refusal = ServiceError::new(
        ErrorKind::Rejected,
        "Mloyalty 1: more than 10000 clients in the period: choose a shorter one",
    );
    let (id3, next) = one_load(&answer(&mut m, id2, Err(refusal.clone())));
    assert_eq!(next.from, date(2026, 11, 2));
    assert_eq!(m.error, Some(refusal));
    let rows = day_rows(&m, next, 1, 5);
    one_load(&answer(&mut m, id3, Ok(rows)));
    let days = &m.registrations.days;
    assert_eq!(days.total(), 5);
    assert_eq!(days.missing(), Some((1, date(2026, 11, 1))));
    assert_eq!(days.answered(), 2);
}

#[test]
fn a_period_of_years_is_refused_before_it_is_asked_for() {
    let mut m = model();
    key(&mut m, KeyCode::F(5));
    key(&mut m, KeyCode::Char('/'));
    for _ in 0..10 {
        key(&mut m, KeyCode::Backspace);
    }
    type_text(&mut m, "01.11.2016");
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    assert_eq!(
        m.registrations.filter.invalid,
        Some(RegistrationField::From)
    );
}

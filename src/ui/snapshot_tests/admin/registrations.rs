//! F5: registrations in a period, empty, refused, and rows outside the period.

use super::*;

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
        // Each key asks anew; every answer comes, the earlier ones stale and dropped. The
        // month is asked for a day at a time, each day answered with its own rows.
        let mut asked = key(&mut m, KeyCode::F(5));
        asked.extend(key(&mut m, KeyCode::Char('p')));
        asked.extend(key(&mut m, KeyCode::Char('p')));
        while let Some(cmd) = asked.pop() {
            let Cmd::LoadRegistrations { id, query } = cmd else {
                panic!("{cmd:?}")
            };
            let zone = m.registrations.zone.clone();
            let rows = registrations()
                .into_iter()
                .filter(|r| r.registered.to_zoned(zone.clone()).date() == query.from)
                .collect();
            asked.extend(update(
                &mut m,
                Msg::RegistrationsLoaded {
                    id,
                    result: Ok(rows),
                },
            ));
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

/// «Этот месяц» counted a day at a time: the first day refused by the vendor, the second
/// answered, the rest still being counted. The title says how far the count is, and the
/// problem row that the total leaves a day out.
#[test]
fn registrations_counting_with_a_day_refused() {
    both("registrations_counting", |l| {
        let mut m = model(l);
        key(&mut m, KeyCode::F(5));
        key(&mut m, KeyCode::Char('p'));
        let Some(Cmd::LoadRegistrations { id, .. }) =
            key(&mut m, KeyCode::Char('p')).into_iter().next()
        else {
            panic!()
        };
        let next = update(
            &mut m,
            Msg::RegistrationsLoaded {
                id,
                result: Err(ServiceError::new(
                    ErrorKind::Rejected,
                    "Mloyalty 1: more than 10000 clients in the period: choose a shorter one",
                )),
            },
        );
        let Some(Cmd::LoadRegistrations { id, query }) = next.into_iter().next() else {
            panic!()
        };
        let zone = m.registrations.zone.clone();
        let noon = query
            .from
            .at(12, 0, 0, 0)
            .to_zoned(zone)
            .unwrap()
            .timestamp();
        let rows = registrations()
            .into_iter()
            .enumerate()
            .map(|(i, r)| Registration {
                registered: noon + jiff::SignedDuration::from_mins(i as i64),
                ..r
            })
            .collect();
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

//! F7's journal, the history's period, the help, quitting, and a terminal too small.

use super::*;

#[test]
fn the_journal() {
    use crate::domain::journal::{Attempt, JournalRow, Movement, Outcome};
    use crate::domain::{CouponId, WriteOff};
    let build = |l: Locale| {
        let mut m = model(l);
        let Some(Cmd::LoadJournal { id }) = key(&mut m, KeyCode::F(7)).into_iter().next() else {
            panic!()
        };
        let outcomes = [
            Some(Outcome::Applied),
            Some(Outcome::Refused),
            Some(Outcome::Unknown),
            Some(Outcome::AppliedAfterCheck),
            Some(Outcome::NotAppliedAfterCheck),
            Some(Outcome::UnclearAfterCheck),
            Some(Outcome::NotSent),
            None,
        ];
        let rows = outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| JournalRow {
                at: Timestamp::from_millisecond(NOW_MS - i as i64 * 600_000).unwrap(),
                profile: "embedded".into(),
                user: "cashier".into(),
                attempt: Attempt {
                    key: format!("72495f9e0c8b4d3a9e1f2b3c4d5e6f{}", 40 + i),
                    client: ClientId(1_234_567 + i as i64),
                    movement: Movement::WriteOff(WriteOff {
                        points: Some(Amount::from_minor(10_050 * (i as i64 + 1))),
                        rubles: (i % 2 == 0).then(|| Amount::from_minor(2_106)),
                        coupons: if i % 3 == 0 {
                            vec![CouponId(1235)]
                        } else {
                            vec![]
                        },
                        receipt: None,
                        why: None,
                        code: None,
                    }),
                    reason: None,
                    manager: false,
                    confirmed: None,
                },
                outcome: *o,
                detail: None,
                operation: None,
            })
            .collect();
        update(
            &mut m,
            Msg::JournalLoaded {
                id,
                result: Ok(rows),
            },
        );
        m
    };
    both("journal", build);
    wide("journal_ru", &build(Locale::Ru));
}

#[test]
fn history_period_dialog() {
    both("history_filter", |l| {
        let mut m = opened(l, 5);
        key(&mut m, KeyCode::Char('f'));
        type_text(&mut m, "01.11.2026");
        key(&mut m, KeyCode::Tab);
        type_text(&mut m, "31.11.2026");
        key(&mut m, KeyCode::Enter);
        m
    });
}

#[test]
fn history_for_a_period() {
    both("history_period", |l| {
        let mut m = opened(l, 8);
        key(&mut m, KeyCode::Char('f'));
        type_text(&mut m, "14.11.2026");
        key(&mut m, KeyCode::Tab);
        type_text(&mut m, "16.11.2026");
        let Some(Cmd::LoadHistory { id, query, .. }) =
            key(&mut m, KeyCode::Enter).into_iter().next()
        else {
            panic!("the period applies")
        };
        let (from, to) = (query.from.unwrap(), query.to.unwrap());
        let within = history(8)
            .into_iter()
            .filter(|e| e.at >= from && e.at <= to)
            .collect();
        update(
            &mut m,
            Msg::HistoryLoaded {
                id,
                result: Ok(within),
            },
        );
        m
    });
}

#[test]
fn help_overlay() {
    both("help", |l| {
        let mut m = opened(l, 5);
        key(&mut m, KeyCode::Char('?'));
        m
    });
}

#[test]
fn help_finds_keys_by_what_they_do() {
    both("help_find_coupon", |l| {
        let mut m = opened(l, 5);
        key(&mut m, KeyCode::Char('?'));
        type_text(&mut m, if l == Locale::Ru { "куп" } else { "coup" });
        m
    });
    both("help_field_keys", |l| {
        let mut m = opened(l, 5);
        key(&mut m, KeyCode::Char('?'));
        key(&mut m, KeyCode::End);
        m
    });
}

#[test]
fn quitting_with_unsaved_input_asks() {
    both("quit_confirm", |l| {
        let mut m = opened(l, 5);
        key(&mut m, KeyCode::Char('w'));
        type_text(&mut m, "10");
        update(&mut m, Msg::Key(Key::ctrl('c')));
        m
    });
}

#[test]
fn too_small() {
    for (w, h) in [(79, 24), (80, 23), (20, 5), (1, 1)] {
        named(
            &format!("too_small_{w}x{h}"),
            draw(&opened(Locale::Ru, 5), w, h),
        );
    }
}

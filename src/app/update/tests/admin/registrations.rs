//! F5: the period's presets and a custom one.

use super::*;

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

//! F3 after a save: the group read back, its birthday bonus compared with what was meant
//! (and corrected on request), and its row highlighted under its details.

use super::*;

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

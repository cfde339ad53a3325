//! F3: Poster's groups, the group form, removal and the birthday-bonus mismatch.

use super::*;

fn groups() -> Vec<Group> {
    vec![
        Group {
            id: 1,
            name: "Постоянный посетитель".into(),
            kind: GroupKind::Bonus,
            percent: Decimal::TEN,
            birthday_bonus: Amount::from_minor(5000),
            clients: 125,
            use_ewallet: Some(false),
            removed: false,
        },
        Group {
            id: 4,
            name: "Скидочная система 10%".into(),
            kind: GroupKind::Discount,
            percent: Decimal::TEN,
            birthday_bonus: Amount::ZERO,
            clients: 43,
            use_ewallet: Some(false),
            removed: false,
        },
        Group {
            id: 5,
            name: "Staff".into(),
            kind: GroupKind::Bonus,
            percent: Decimal::new(55, 1),
            birthday_bonus: Amount::from_minor(100_000),
            clients: 7,
            use_ewallet: Some(false),
            removed: false,
        },
    ]
}

pub(super) fn groups_screen(l: Locale) -> Model {
    let mut m = model(l);
    let Some(Cmd::LoadGroups { id }) = key(&mut m, KeyCode::F(3)).into_iter().next() else {
        panic!()
    };
    update(
        &mut m,
        Msg::GroupsLoaded {
            id,
            result: Ok(groups()),
        },
    );
    m
}

#[test]
fn groups_with_details() {
    let build = |l: Locale| {
        let mut m = groups_screen(l);
        let Some(Cmd::LoadGroup { id, .. }) = key(&mut m, KeyCode::Enter).into_iter().next() else {
            panic!()
        };
        update(
            &mut m,
            Msg::GroupLoaded {
                id,
                result: Ok(groups()[0].clone()),
            },
        );
        m
    };
    both("groups", build);
    wide("groups_ru", &build(Locale::Ru));
}

#[test]
fn groups_failed_to_load() {
    both("groups_error", |l| {
        let mut m = model(l);
        let Some(Cmd::LoadGroups { id }) = key(&mut m, KeyCode::F(3)).into_iter().next() else {
            panic!()
        };
        update(
            &mut m,
            Msg::GroupsLoaded {
                id,
                result: Err(ServiceError::new(
                    ErrorKind::Unauthorized,
                    "Poster 11: Bad access token",
                )),
            },
        );
        m
    });
}

#[test]
fn group_form_new_with_a_problem() {
    both("group_form_new", |l| {
        let mut m = groups_screen(l);
        key(&mut m, KeyCode::Char('n'));
        type_text(&mut m, "Кофеманы");
        key(&mut m, KeyCode::Tab);
        key(&mut m, KeyCode::Tab);
        type_text(&mut m, "150");
        key(&mut m, KeyCode::Enter);
        m
    });
}

#[test]
fn group_form_edit_discount() {
    both("group_form_edit", |l| {
        let mut m = groups_screen(l);
        key(&mut m, KeyCode::Down);
        key(&mut m, KeyCode::Char('e'));
        m
    });
}

#[test]
fn group_removal_confirmation() {
    both("group_remove", |l| {
        let mut m = groups_screen(l);
        key(&mut m, KeyCode::Char('d'));
        m
    });
}

#[test]
fn a_birthday_bonus_poster_stored_wrong() {
    both("bonus_mismatch", |l| {
        let mut m = groups_screen(l);
        key(&mut m, KeyCode::Char('n'));
        type_text(&mut m, "Кофеманы");
        key(&mut m, KeyCode::Tab);
        key(&mut m, KeyCode::Tab);
        type_text(&mut m, "5");
        key(&mut m, KeyCode::Tab);
        type_text(&mut m, "50");
        let Some(Cmd::SaveGroup { id, .. }) = key(&mut m, KeyCode::Enter).into_iter().next() else {
            panic!()
        };
        let cmds = update(&mut m, Msg::GroupSaved { id, result: Ok(6) });
        let [Cmd::LoadGroups { id: list }, Cmd::LoadGroup { id, .. }] = cmds[..] else {
            panic!("{cmds:?}")
        };
        // Poster read the 50.00 it was sent as kopecks.
        let stored = Group {
            id: 6,
            name: "Кофеманы".into(),
            kind: GroupKind::Bonus,
            percent: Decimal::from(5),
            birthday_bonus: Amount::from_minor(50),
            clients: 0,
            use_ewallet: Some(false),
            removed: false,
        };
        let mut all = groups();
        all.push(stored.clone());
        update(
            &mut m,
            Msg::GroupsLoaded {
                id: list,
                result: Ok(all),
            },
        );
        update(
            &mut m,
            Msg::GroupLoaded {
                id,
                result: Ok(stored),
            },
        );
        m
    });
}

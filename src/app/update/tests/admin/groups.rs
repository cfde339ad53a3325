//! F3: groups listed and opened, the form, removal, and the birthday bonus read back.

use super::*;

#[test]
fn f3_loads_groups_once_and_enter_loads_details() {
    let mut m = groups_screen();
    assert_eq!(m.screen, Screen::Groups);
    key(&mut m, KeyCode::F(2));
    assert!(key(&mut m, KeyCode::F(3)).is_empty(), "already loaded");
    key(&mut m, KeyCode::Down);
    assert!(matches!(
        key(&mut m, KeyCode::Enter)[..],
        [Cmd::LoadGroup { group: 4, .. }]
    ));
    assert!(m.busy());
}

#[test]
fn a_new_group_is_validated_then_saved_once() {
    let mut m = groups_screen();
    key(&mut m, KeyCode::Char('n'));
    assert!(matches!(m.dialog, Some(Dialog::GroupForm(_))));
    // Letters type into the name, they do not act.
    type_text(&mut m, "  ");
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    let Some(Dialog::GroupForm(f)) = &m.dialog else {
        panic!()
    };
    assert_eq!(
        f.problem,
        Some(GroupFormProblem::Draft(GroupProblem::NameRequired))
    );
    type_text(&mut m, "Кофеманы");
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "101");
    key(&mut m, KeyCode::Enter);
    let Some(Dialog::GroupForm(f)) = &m.dialog else {
        panic!()
    };
    assert_eq!(
        f.problem,
        Some(GroupFormProblem::Draft(GroupProblem::PercentOutOfRange))
    );
    key(&mut m, KeyCode::Backspace);
    key(&mut m, KeyCode::Backspace);
    type_text(&mut m, ",5");
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "abc");
    key(&mut m, KeyCode::Enter);
    let Some(Dialog::GroupForm(f)) = &m.dialog else {
        panic!()
    };
    assert!(matches!(
        f.problem,
        Some(GroupFormProblem::BirthdayBonus(_))
    ));
    for _ in 0..3 {
        key(&mut m, KeyCode::Backspace);
    }
    type_text(&mut m, "150,50");
    let cmds = key(&mut m, KeyCode::Enter);
    let expected = GroupDraft {
        name: "Кофеманы".into(),
        kind: GroupKind::Bonus,
        percent: Decimal::new(15, 1),
        birthday_bonus: Amount::from_minor(15_050),
        use_ewallet: None,
    };
    let [
        Cmd::SaveGroup {
            id,
            group: None,
            draft,
        },
    ] = &cmds[..]
    else {
        panic!("{cmds:?}")
    };
    assert_eq!(draft, &expected);
    assert!(
        key(&mut m, KeyCode::Enter).is_empty(),
        "no second save while the first is out"
    );
    let cmds = update(
        &mut m,
        Msg::GroupSaved {
            id: *id,
            result: Ok(6),
        },
    );
    assert!(m.dialog.is_none());
    assert_eq!(
        m.notice,
        Some(Notice::GroupSaved {
            name: "Кофеманы".into()
        })
    );
    assert!(
        matches!(
            cmds[..],
            [Cmd::LoadGroups { .. }, Cmd::LoadGroup { group: 6, .. }]
        ),
        "the list is read again, and the group to check its birthday bonus: {cmds:?}"
    );
}

#[test]
fn a_discount_group_has_no_birthday_bonus_field() {
    let mut m = groups_screen();
    key(&mut m, KeyCode::Char('n'));
    type_text(&mut m, "VIP");
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Char(' '));
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "20");
    key(&mut m, KeyCode::Tab);
    let Some(Dialog::GroupForm(f)) = &m.dialog else {
        panic!()
    };
    assert_eq!(f.kind, GroupKind::Discount);
    assert_eq!(
        f.field,
        crate::app::model::GroupField::Name,
        "Tab skips the bonus field"
    );
    let cmds = key(&mut m, KeyCode::Enter);
    assert!(
        matches!(&cmds[..], [Cmd::SaveGroup { draft, .. }] if draft.birthday_bonus == Amount::ZERO)
    );
}

#[test]
fn editing_prefills_and_a_refusal_stays_in_the_form() {
    let mut m = groups_screen();
    key(&mut m, KeyCode::Char('e'));
    let Some(Dialog::GroupForm(f)) = &m.dialog else {
        panic!()
    };
    assert_eq!(
        (
            f.editing,
            f.name.value(),
            f.percent.value(),
            f.birthday_bonus.value()
        ),
        (Some(1), "Постоянный посетитель", "10", "50")
    );
    let cmds = key(&mut m, KeyCode::Enter);
    let [
        Cmd::SaveGroup {
            id,
            group: Some(1),
            ref draft,
        },
    ] = cmds[..]
    else {
        panic!("{cmds:?}")
    };
    assert_eq!(
        draft.use_ewallet,
        Some(false),
        "a field the form does not show goes back as it was"
    );
    let refusal = ServiceError::new(ErrorKind::Rejected, "Poster 38: name already exists");
    update(
        &mut m,
        Msg::GroupSaved {
            id,
            result: Err(refusal.clone()),
        },
    );
    let Some(Dialog::GroupForm(f)) = &m.dialog else {
        panic!("the form stays open")
    };
    assert_eq!(f.problem, Some(GroupFormProblem::Refused(refusal)));
    assert!(f.sending.is_none());
    key(&mut m, KeyCode::Esc);
    assert!(m.dialog.is_none());
}

#[test]
fn removal_asks_first_with_cancel_focused() {
    let mut m = groups_screen();
    key(&mut m, KeyCode::Char('d'));
    let Some(Dialog::GroupRemove(r)) = &m.dialog else {
        panic!()
    };
    assert_eq!(
        (r.group.id, r.group.clients, r.focus),
        (1, 125, Button::Cancel)
    );
    assert!(
        key(&mut m, KeyCode::Enter).is_empty(),
        "Enter on Cancel removes nothing"
    );
    assert!(m.dialog.is_none());
    key(&mut m, KeyCode::Char('d'));
    key(&mut m, KeyCode::Right);
    let cmds = key(&mut m, KeyCode::Enter);
    let [Cmd::RemoveGroup { id, group: 1 }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    assert!(
        key(&mut m, KeyCode::Char('y')).is_empty(),
        "no second removal in flight"
    );
    let cmds = update(&mut m, Msg::GroupRemoved { id, result: Ok(()) });
    assert_eq!(
        m.notice,
        Some(Notice::GroupRemoved {
            name: "Постоянный посетитель".into()
        })
    );
    assert!(matches!(cmds[..], [Cmd::LoadGroups { .. }]));
}

#[test]
fn a_failed_removal_keeps_the_dialog_with_the_reason() {
    let mut m = groups_screen();
    key(&mut m, KeyCode::Char('d'));
    let [Cmd::RemoveGroup { id, .. }] = key(&mut m, KeyCode::Char('y'))[..] else {
        panic!()
    };
    let e = ServiceError::new(ErrorKind::Unreachable, "could not connect");
    update(
        &mut m,
        Msg::GroupRemoved {
            id,
            result: Err(e.clone()),
        },
    );
    let Some(Dialog::GroupRemove(r)) = &m.dialog else {
        panic!()
    };
    assert_eq!(
        (r.problem.as_ref(), r.focus, r.sending),
        (Some(&e), Button::Cancel, None)
    );
}

//! Searching: typing debounces, stale replies are dropped, failures are kept and shown.

use crate::app::fixtures::{client, key, model, search_id, type_text};
use crate::app::keys::key::KeyCode;
use crate::app::model::{Notice, Pane};
use crate::app::msg::{Cmd, Msg};
use crate::app::update::search::DEBOUNCE;
use crate::app::update::update;
use crate::domain::{ClientId, ClientQuery, ErrorKind, ServiceError};

#[test]
fn typing_debounces_and_only_the_latest_generation_searches() {
    let mut m = model();
    assert!(
        type_text(&mut m, "912").is_empty(),
        "three digits are not enough"
    );
    let cmds = key(&mut m, KeyCode::Char('3'));
    assert_eq!(
        cmds,
        vec![Cmd::Debounce {
            generation: 4,
            delay: DEBOUNCE
        }]
    );
    key(&mut m, KeyCode::Char('4'));
    // The first timer fires late: a newer keystroke has superseded it.
    assert!(update(&mut m, Msg::DebounceElapsed(4)).is_empty());
    let cmds = update(&mut m, Msg::DebounceElapsed(5));
    assert!(matches!(
        &cmds[..],
        [Cmd::Search { query, .. }] if *query == ClientQuery::from_input("91234").unwrap()
    ));
    assert!(m.busy());
}

#[test]
fn stale_search_replies_never_overwrite_newer_ones() {
    let mut m = model();
    type_text(&mut m, "1111");
    let g = m.search.generation;
    let old = search_id(&update(&mut m, Msg::DebounceElapsed(g)));
    type_text(&mut m, "2");
    let g = m.search.generation;
    let new = search_id(&update(&mut m, Msg::DebounceElapsed(g)));
    update(
        &mut m,
        Msg::Searched {
            id: new,
            result: Ok(vec![client(2, "New")]),
        },
    );
    update(
        &mut m,
        Msg::Searched {
            id: old,
            result: Ok(vec![client(1, "Old")]),
        },
    );
    assert_eq!(m.search.results.data.as_ref().unwrap()[0].id, ClientId(2));
    assert!(!m.busy());
}

#[test]
fn enter_searches_at_once_and_moves_to_the_results() {
    let mut m = model();
    type_text(&mut m, "test@test.ru");
    let cmds = key(&mut m, KeyCode::Enter);
    assert!(matches!(
        &cmds[..],
        [Cmd::Search { query, .. }] if query.email.as_deref() == Some("test@test.ru%")
    ));
    assert_eq!(m.focus, Pane::Results);
    // The debounce that typing started finds the search already done.
    let g = m.search.generation;
    assert!(update(&mut m, Msg::DebounceElapsed(g)).is_empty());
}

#[test]
fn the_seed_sample_phone_typed_as_is_searches_by_its_digits() {
    let mut m = model();
    type_text(&mut m, "7912345678");
    let cmds = key(&mut m, KeyCode::Enter);
    assert!(matches!(
        &cmds[..],
        [Cmd::Search { query, .. }] if query.phone.as_deref() == Some("%7912345678")
    ));
}

#[test]
fn a_name_is_not_searched_and_says_why() {
    let mut m = model();
    type_text(&mut m, "Иван");
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    assert_eq!(m.notice, Some(Notice::NoSearchFor("Иван".into())));
    assert_eq!(m.focus, Pane::Search);
}

#[test]
fn search_failures_are_kept_and_shown() {
    let mut m = model();
    type_text(&mut m, "5555");
    let id = search_id(&key(&mut m, KeyCode::Enter));
    let err = ServiceError::new(ErrorKind::Unreachable, "could not connect");
    update(
        &mut m,
        Msg::Searched {
            id,
            result: Err(err.clone()),
        },
    );
    assert_eq!(m.search.results.error, Some(err.clone()));
    assert_eq!(m.error, Some(err));
    // Enter again retries a failed search.
    key(&mut m, KeyCode::Esc);
    assert!(matches!(
        &key(&mut m, KeyCode::Enter)[..],
        [Cmd::Search { .. }]
    ));
}

#[test]
fn letters_type_into_the_search_field_instead_of_quitting() {
    let mut m = model();
    let cmds = type_text(&mut m, "q@w");
    assert!(!cmds.contains(&Cmd::Quit));
    assert_eq!(m.search.input.value(), "q@w");
    key(&mut m, KeyCode::Esc);
    assert_eq!(m.search.input.value(), "", "Esc clears the search");
    assert_eq!(key(&mut m, KeyCode::Tab), vec![]);
    assert_eq!(m.focus, Pane::Results);
    assert_eq!(key(&mut m, KeyCode::Char('q')), vec![Cmd::Quit]);
}

#[test]
fn paste_types_without_submitting() {
    let mut m = model();
    let cmds = update(&mut m, Msg::Paste("+7 912\n345-67-89\n".into()));
    assert_eq!(m.search.input.value(), "+7 912345-67-89");
    assert_eq!(
        cmds.iter()
            .filter(|c| matches!(c, Cmd::Debounce { .. }))
            .count(),
        1
    );
    assert_eq!(m.focus, Pane::Search);
}

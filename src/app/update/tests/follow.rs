//! The card and `w` follow what the list shows, the next client starts a new search, and a
//! coupon costs four keys.

use crate::app::fixtures::{client, model, opened, search_answered, search_id};
use crate::app::fixtures::{key, type_text};
use crate::app::keys::key::KeyCode;
use crate::app::model::Model;
use crate::app::model::{Dialog, Notice, Pane, WriteOffField};
use crate::app::msg::{Cmd, Msg};
use crate::app::update::update;
use crate::domain::{
    Amount, Balances, ClientId, ClientQuery, Coupon, CouponId, ErrorKind, ServiceError,
};

/// The search of what is typed is made again, as when the demo database is filled: the one
/// path on which an answer comes while a client is open.
fn searched_again(m: &mut Model, result: Result<Vec<crate::domain::Client>, ServiceError>) {
    let id = search_id(&update(m, Msg::DemoSeeded(Ok(5000))));
    update(m, Msg::Searched { id, result });
}

fn open_client(m: &Model) -> Option<ClientId> {
    m.card.as_ref().map(|c| c.client.id)
}

/// `w` with no client open: no dialog, and the status line says what to do.
fn w_says_open_a_client_first(m: &mut Model) {
    assert!(key(m, KeyCode::Char('w')).is_empty());
    assert!(m.dialog.is_none(), "no write-off without an open client");
    assert_eq!(m.notice, Some(Notice::NoClientToWriteOff));
}

#[test]
fn a_search_that_finds_nobody_closes_the_card() {
    let mut m = opened();
    assert_eq!(open_client(&m), Some(ClientId(1)));
    searched_again(&mut m, Ok(vec![]));
    assert_eq!(open_client(&m), None);
    w_says_open_a_client_first(&mut m);
}

#[test]
fn a_search_that_failed_closes_the_card() {
    let mut m = opened();
    let down = ServiceError::new(ErrorKind::Unreachable, "could not connect");
    searched_again(&mut m, Err(down));
    assert_eq!(open_client(&m), None);
    w_says_open_a_client_first(&mut m);
}

#[test]
fn the_same_client_found_again_on_the_highlighted_row_keeps_the_card() {
    let mut m = opened();
    searched_again(&mut m, Ok(vec![client(1, "Пётр Иванов")]));
    assert_eq!(open_client(&m), Some(ClientId(1)));
}

#[test]
fn a_highlight_moved_to_another_row_closes_the_card_and_does_not_reopen_it() {
    let mut m = opened();
    m.focus = Pane::History;
    key(&mut m, KeyCode::Esc);
    key(&mut m, KeyCode::Down);
    assert_eq!(m.search.selected, 1);
    assert_eq!(open_client(&m), None);
    w_says_open_a_client_first(&mut m);
    key(&mut m, KeyCode::Up);
    assert_eq!(open_client(&m), None, "only Enter opens a client");
    key(&mut m, KeyCode::Enter);
    assert_eq!(open_client(&m), Some(ClientId(1)));
}

#[test]
fn a_new_query_typed_while_a_card_is_open_closes_it_at_once() {
    // Typed on the list: a new query.
    let mut m = opened();
    type_text(&mut m, "0000");
    assert_eq!(m.search.input.value(), "0000");
    assert_eq!(open_client(&m), None);
    let id = search_id(&key(&mut m, KeyCode::Enter));
    update(
        &mut m,
        Msg::Searched {
            id,
            result: Ok(vec![]),
        },
    );
    w_says_open_a_client_first(&mut m);
    // Added to the query in the search field: also a new query.
    let mut m = opened();
    key(&mut m, KeyCode::BackTab);
    assert_eq!(m.focus, Pane::Search);
    type_text(&mut m, "0");
    assert_eq!(m.search.input.value(), "91234567890");
    assert_eq!(open_client(&m), None);
    // A key that changes nothing (the cursor at the start) leaves the card open.
    let mut m = opened();
    key(&mut m, KeyCode::BackTab);
    key(&mut m, KeyCode::Home);
    assert_eq!(open_client(&m), Some(ClientId(1)));
}

#[test]
fn late_answers_for_the_old_client_are_dropped() {
    let mut m = opened();
    let cmds = key(&mut m, KeyCode::Char('r'));
    let Some(Cmd::LoadBalance { id, .. }) = cmds.first().cloned() else {
        panic!("refresh loads the balance first: {cmds:?}");
    };
    searched_again(&mut m, Ok(vec![]));
    let rich = Balances {
        points: Amount::from_minor(99_900),
        rubles: Amount::ZERO,
    };
    update(
        &mut m,
        Msg::BalanceLoaded {
            id,
            result: Ok(rich),
        },
    );
    assert_eq!(open_client(&m), None, "an old answer opens nothing");
    // The same client opened again waits for its own answers, not the old one's.
    let mut m = opened();
    let cmds = key(&mut m, KeyCode::Char('r'));
    let Some(Cmd::LoadBalance { id, .. }) = cmds.first().cloned() else {
        panic!("refresh loads the balance first: {cmds:?}");
    };
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Up);
    key(&mut m, KeyCode::Enter);
    update(
        &mut m,
        Msg::BalanceLoaded {
            id,
            result: Ok(rich),
        },
    );
    let card = m.card.as_ref().unwrap();
    assert_eq!(card.balance.data, None, "still waiting for its own answer");
    // A late answer to the old search opens nothing either.
    let mut m = model();
    type_text(&mut m, "1111");
    let g = m.search.generation;
    let old = search_id(&update(&mut m, Msg::DebounceElapsed(g)));
    key(&mut m, KeyCode::Char('2'));
    let new = search_id(&key(&mut m, KeyCode::Enter));
    update(
        &mut m,
        Msg::Searched {
            id: old,
            result: Ok(vec![client(1, "Old")]),
        },
    );
    assert_eq!(open_client(&m), None);
    update(
        &mut m,
        Msg::Searched {
            id: new,
            result: Ok(vec![client(2, "New")]),
        },
    );
    assert_eq!(open_client(&m), Some(ClientId(2)));
}

#[test]
fn a_list_changed_under_an_open_write_off_closes_the_card_only_after_it() {
    let mut m = opened();
    key(&mut m, KeyCode::Char('w'));
    searched_again(&mut m, Ok(vec![]));
    // The write-off's check reads the card again: it stays while the dialog is up.
    assert!(matches!(m.dialog, Some(Dialog::WriteOff(_))));
    assert_eq!(open_client(&m), Some(ClientId(1)));
    key(&mut m, KeyCode::Esc);
    assert!(m.dialog.is_none());
    assert_eq!(open_client(&m), None);
}

#[test]
fn esc_on_the_search_clears_it_and_the_card_with_it() {
    let mut m = opened();
    key(&mut m, KeyCode::Esc);
    assert_eq!(m.focus, Pane::Search);
    assert_eq!(open_client(&m), Some(ClientId(1)));
    key(&mut m, KeyCode::Esc);
    assert!(m.search.input.value().is_empty());
    assert_eq!(open_client(&m), None);
}

// ---- the next client ------------------------------------------------------------------

#[test]
fn the_next_clients_digits_typed_on_the_list_find_the_next_client() {
    let mut m = opened();
    assert_eq!(m.focus, Pane::Results);
    let cmds = search_answered(&mut m, "5678", vec![client(9, "Анна")]);
    assert_eq!(m.search.input.value(), "5678", "not 91234567895678");
    assert_eq!(open_client(&m), Some(ClientId(9)));
    assert_eq!(cmds.len(), 3, "Enter opened the only match: {cmds:?}");
    // And the one after it, with the same keys.
    type_text(&mut m, "6512");
    assert_eq!(m.search.input.value(), "6512");
    let cmds = key(&mut m, KeyCode::Enter);
    assert!(matches!(
        &cmds[..],
        [Cmd::Search { query, .. }] if *query == ClientQuery::from_input("6512").unwrap()
    ));
}

#[test]
fn slash_selects_the_query_so_typing_replaces_it_and_a_move_keeps_it() {
    let mut m = model();
    search_answered(&mut m, "9123", vec![client(1, "A"), client(2, "B")]);
    key(&mut m, KeyCode::Char('/'));
    assert!(m.search.replace);
    type_text(&mut m, "5");
    assert_eq!(m.search.input.value(), "5");
    assert!(!m.search.replace, "the selection lasts one key");
    type_text(&mut m, "6");
    assert_eq!(m.search.input.value(), "56");
    // A key that moves the cursor keeps the text and ends the selection.
    key(&mut m, KeyCode::Char('/'));
    key(&mut m, KeyCode::End);
    type_text(&mut m, "7");
    assert_eq!(m.search.input.value(), "567");
    // A deletion takes the whole selection.
    key(&mut m, KeyCode::Char('/'));
    key(&mut m, KeyCode::Backspace);
    assert_eq!(m.search.input.value(), "");
    // An action other than typing ends the selection too.
    type_text(&mut m, "9123");
    key(&mut m, KeyCode::Char('/'));
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Tab);
    assert_eq!(m.focus, Pane::Search);
    type_text(&mut m, "4");
    assert_eq!(m.search.input.value(), "91234");
}

#[test]
fn a_paste_over_a_selected_query_replaces_it() {
    let mut m = model();
    type_text(&mut m, "9123");
    key(&mut m, KeyCode::Char('/'));
    update(&mut m, Msg::Paste("5678".into()));
    assert_eq!(m.search.input.value(), "5678");
}

// ---- a coupon in four keys ------------------------------------------------------------

fn coupon(id: i64, m: &Model, expired: bool) -> Coupon {
    let day = jiff::SignedDuration::from_hours(24);
    Coupon {
        id: CouponId(id),
        title: format!("Купон {id}"),
        expires_at: Some(if expired { m.now - day } else { m.now + day }),
    }
}

/// The open client's coupons, as if they had been read so.
fn with_coupons(m: &mut Model, coupons: Vec<Coupon>) {
    m.card.as_mut().unwrap().coupons.data = Some(coupons);
}

fn dialog(m: &Model) -> &crate::app::model::WriteOffDialog {
    match &m.dialog {
        Some(Dialog::WriteOff(d)) => d,
        other => panic!("no write-off dialog: {other:?}"),
    }
}

#[test]
fn the_coupon_cursor_starts_on_the_first_spendable_coupon() {
    let mut m = opened();
    let coupons = vec![
        coupon(8, &m, true),
        coupon(9, &m, true),
        coupon(7, &m, false),
    ];
    with_coupons(&mut m, coupons);
    key(&mut m, KeyCode::Char('w'));
    assert_eq!(dialog(&m).coupon_cursor, 2);
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Char(' '));
    assert_eq!(dialog(&m).chosen.iter().collect::<Vec<_>>(), [&CouponId(7)]);
}

#[test]
fn a_coupon_costs_four_keys_w_plus_enter_y() {
    let mut m = opened();
    let coupons = vec![coupon(8, &m, true), coupon(7, &m, false)];
    with_coupons(&mut m, coupons);
    key(&mut m, KeyCode::Char('w'));
    key(&mut m, KeyCode::Char('+'));
    assert_eq!(dialog(&m).field, WriteOffField::Coupons);
    key(&mut m, KeyCode::Enter);
    let cmds = key(&mut m, KeyCode::Char('y'));
    assert!(
        matches!(
            &cmds[..],
            [Cmd::WriteOff { client: ClientId(1), request, .. }]
                if request.coupons == [CouponId(7)] && request.points.is_none()
        ),
        "{cmds:?}"
    );
}

#[test]
fn plus_picks_the_next_spendable_coupon_and_skips_expired_and_picked_ones() {
    let mut m = opened();
    let coupons = vec![
        coupon(7, &m, false),
        coupon(8, &m, true),
        coupon(9, &m, false),
    ];
    with_coupons(&mut m, coupons);
    key(&mut m, KeyCode::Char('w'));
    type_text(&mut m, "10");
    key(&mut m, KeyCode::Char('+'));
    key(&mut m, KeyCode::Char('+'));
    let d = dialog(&m);
    assert_eq!(d.points.value(), "10", "+ is not typed into the amount");
    assert_eq!(
        d.chosen.iter().collect::<Vec<_>>(),
        [&CouponId(7), &CouponId(9)]
    );
    assert_eq!(d.coupon_cursor, 2);
    // Every spendable one is picked: + changes nothing and says nothing.
    key(&mut m, KeyCode::Char('+'));
    let d = dialog(&m);
    assert_eq!(d.chosen.len(), 2);
    assert_eq!(d.problem, None);
}

#[test]
fn plus_without_coupons_does_nothing() {
    let mut m = opened();
    with_coupons(&mut m, vec![]);
    key(&mut m, KeyCode::Char('w'));
    key(&mut m, KeyCode::Char('+'));
    let d = dialog(&m);
    assert_eq!(d.field, WriteOffField::Points);
    assert_eq!(d.points.value(), "");
}

// ---- messages belong to their screen --------------------------------------------------

#[test]
fn a_message_of_one_screen_is_not_left_on_another() {
    let mut m = model();
    type_text(&mut m, "5555");
    let id = search_id(&key(&mut m, KeyCode::Enter));
    let down = ServiceError::new(ErrorKind::Unreachable, "could not connect");
    update(
        &mut m,
        Msg::Searched {
            id,
            result: Err(down),
        },
    );
    assert!(m.error.is_some());
    key(&mut m, KeyCode::F(3));
    assert_eq!(m.error, None);
    assert_eq!(m.notice, None);
    // Still kept for `m`.
    assert!(!m.messages.is_empty());
}

#[test]
fn a_reply_that_fails_after_its_screen_was_left_is_not_said_on_another() {
    let mut m = model();
    type_text(&mut m, "5555");
    let id = search_id(&key(&mut m, KeyCode::Enter));
    key(&mut m, KeyCode::F(3));
    let down = ServiceError::new(ErrorKind::Unreachable, "could not connect");
    update(
        &mut m,
        Msg::Searched {
            id,
            result: Err(down.clone()),
        },
    );
    assert_eq!(m.error, None, "F3 does not show F2's failure");
    assert!(
        m.messages
            .iter()
            .any(|said| said.said == crate::app::model::Said::Error(down.clone())),
        "kept for m"
    );
    assert_eq!(m.search.results.error, Some(down), "F2's own pane keeps it");
}

//! The results list and the client's card: selection, stale replies, history pages and periods,
//! the card's panes.

use crate::app::fixtures::{
    amount, client, history, key, model, opened, search_answered, type_text,
};
use crate::app::keys::key::KeyCode;
use crate::app::model::{Dialog, HISTORY_PAGE, Pane};
use crate::app::msg::{Cmd, Msg, RequestId};
use crate::app::update::update;
use crate::domain::{Amount, Balances, ClientId};

#[test]
fn selection_moves_within_bounds_and_enter_opens_the_client() {
    let mut m = model();
    search_answered(&mut m, "9123", vec![client(1, "A"), client(2, "B")]);
    key(&mut m, KeyCode::Up);
    assert_eq!(m.search.selected, 0);
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Down);
    assert_eq!(m.search.selected, 1);
    let cmds = key(&mut m, KeyCode::Enter);
    assert_eq!(m.card.as_ref().unwrap().client.id, ClientId(2));
    assert_eq!(cmds.len(), 3);
    assert!(cmds.iter().all(|c| matches!(
        c,
        Cmd::LoadBalance {
            client: ClientId(2),
            ..
        } | Cmd::LoadCoupons {
            client: ClientId(2),
            ..
        } | Cmd::LoadHistory {
            client: ClientId(2),
            ..
        }
    )));
}

#[test]
fn replies_for_a_client_no_longer_open_are_dropped() {
    let mut m = opened();
    let cmds = key(&mut m, KeyCode::Char('r'));
    let Some(Cmd::LoadBalance { id, .. }) = cmds.first().cloned() else {
        panic!("refresh loads the balance first: {cmds:?}");
    };
    // The cashier opens the other client before the answer comes.
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Enter);
    update(
        &mut m,
        Msg::BalanceLoaded {
            id,
            result: Ok(Balances {
                points: amount("999"),
                rubles: Amount::ZERO,
            }),
        },
    );
    let card = m.card.as_ref().unwrap();
    assert_eq!(card.client.id, ClientId(2));
    assert_eq!(card.balance.data, None);
}

#[test]
fn history_pages_forward_only_after_a_full_page_and_back_to_zero() {
    let mut m = opened();
    assert!(
        key(&mut m, KeyCode::Char(']')).is_empty(),
        "3 rows: no next page"
    );
    let card = m.card.as_mut().unwrap();
    let id = RequestId(999);
    card.history.rows.start(id);
    update(
        &mut m,
        Msg::HistoryLoaded {
            id,
            result: Ok(history(HISTORY_PAGE as usize)),
        },
    );
    let cmds = key(&mut m, KeyCode::Char(']'));
    assert!(matches!(
        &cmds[..],
        [Cmd::LoadHistory { query, .. }] if query.offset == HISTORY_PAGE && query.limit == HISTORY_PAGE
    ));
    assert_eq!(m.focus, Pane::History);
    let cmds = key(&mut m, KeyCode::Char('['));
    assert!(matches!(&cmds[..], [Cmd::LoadHistory { query, .. }] if query.offset == 0));
    assert!(
        key(&mut m, KeyCode::Char('[')).is_empty(),
        "no page before the first"
    );
}

#[test]
fn history_period_filter_sets_whole_days_and_restarts_paging() {
    let mut m = opened();
    m.focus = Pane::History;
    key(&mut m, KeyCode::Char('f'));
    assert!(matches!(m.dialog, Some(Dialog::HistoryFilter(_))));
    type_text(&mut m, "32.01.2019");
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    let Some(Dialog::HistoryFilter(d)) = &m.dialog else {
        panic!()
    };
    assert!(d.invalid.is_some(), "32 January is not a date");
    for _ in 0..10 {
        key(&mut m, KeyCode::Backspace);
    }
    type_text(&mut m, "01.02.2019");
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "2019-02-01");
    let cmds = key(&mut m, KeyCode::Enter);
    let [Cmd::LoadHistory { query, .. }] = &cmds[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!(query.offset, 0);
    assert_eq!(query.from.unwrap().as_millisecond(), 1_548_979_200_000);
    assert_eq!(
        query.to.unwrap().as_millisecond(),
        1_548_979_200_000 + 86_399_999
    );
    assert!(m.dialog.is_none());
}

/// Dates are written with slashes too (`31/12/2026`): `/` types in the history's filter.
#[test]
fn a_slash_types_into_the_history_filter() {
    let mut m = opened();
    m.focus = Pane::History;
    key(&mut m, KeyCode::Char('f'));
    type_text(&mut m, "01/02/2019");
    let Some(Dialog::HistoryFilter(d)) = &m.dialog else {
        panic!("the filter stays open")
    };
    assert_eq!(d.from.value(), "01/02/2019");
    let cmds = key(&mut m, KeyCode::Enter);
    let [Cmd::LoadHistory { query, .. }] = &cmds[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!(query.from.unwrap().as_millisecond(), 1_548_979_200_000);
}

#[test]
fn tab_cycles_through_the_panes_of_an_open_client() {
    let mut m = opened();
    assert_eq!(m.focus, Pane::Results);
    key(&mut m, KeyCode::Tab);
    assert_eq!(m.focus, Pane::History);
    key(&mut m, KeyCode::Tab);
    assert_eq!(m.focus, Pane::Search);
    key(&mut m, KeyCode::BackTab);
    assert_eq!(m.focus, Pane::History);
}

//! The cashier's screen: the welcome, searching, the list, the card and its history.

use super::*;

#[test]
fn welcome_with_demo_notice() {
    both("welcome", |l| {
        let mut m = model(l);
        m.notice = Some(Notice::DemoCreated { clients: 5000 });
        m
    });
}

/// The first frame on a new data dir: the demo database is still being filled.
#[test]
fn welcome_while_the_demo_database_is_filled() {
    both("welcome_seeding", |l| {
        let mut m = model(l);
        m.notice = Some(Notice::DemoSeeding { clients: 5000 });
        m
    });
}

#[test]
fn results_list() {
    both("results", |l| {
        let mut m = model(l);
        searched(&mut m, Ok(clients()));
        m
    });
}

#[test]
fn results_none_found() {
    both("results_empty", |l| {
        let mut m = model(l);
        searched(&mut m, Ok(vec![]));
        m
    });
}

#[test]
fn search_in_flight() {
    both("searching", |l| {
        let mut m = model(l);
        type_text(&mut m, "test@te");
        key(&mut m, KeyCode::Enter);
        m
    });
}

/// A search waited on for 7 s, on its second try: the status line says so and offers Esc.
#[test]
fn search_slow_on_its_second_try() {
    both("search_slow", |l| {
        let mut m = model(l);
        type_text(&mut m, "test@te");
        let cmds = key(&mut m, KeyCode::Enter);
        let id = cmds.iter().find_map(Cmd::cancellable).unwrap();
        let later = m.now + jiff::SignedDuration::from_secs(7);
        update(&mut m, Msg::Tick(later));
        update(
            &mut m,
            Msg::Attempt {
                id,
                attempt: 2,
                of: 3,
            },
        );
        m
    });
}

/// A message longer than the status line loses whole parts (or, a single long sentence,
/// whole words), never the middle of a word; `m` shows it whole among the earlier ones.
#[test]
fn long_messages_drop_whole_parts_and_are_kept() {
    both("message_long", |l| {
        let mut m = model(l);
        type_text(
            &mut m,
            "Пётр Йосифович Соловьёв-Длиннофамильный из отдела закупок, дом 12",
        );
        key(&mut m, KeyCode::Enter);
        m
    });
    both("messages_overlay", |l| {
        let mut m = model(l);
        for text in [
            "Иван",
            "Пётр Йосифович Соловьёв-Длиннофамильный из отдела закупок, дом 12",
        ] {
            type_text(&mut m, text);
            key(&mut m, KeyCode::Enter);
            key(&mut m, KeyCode::Esc);
            key(&mut m, KeyCode::Esc);
        }
        // A gateway's page: the status line said the catalogue's sentence, and only here
        // is the vendor's own text shown, below it.
        searched(
            &mut m,
            Err(ServiceError::new(
                ErrorKind::Server,
                "502 Bad Gateway: <html><body><h1>502 Bad Gateway</h1>nginx</body></html>",
            )),
        );
        key(&mut m, KeyCode::Esc);
        key(&mut m, KeyCode::Esc);
        key(&mut m, KeyCode::Down);
        key(&mut m, KeyCode::Char('m'));
        m
    });
}

#[test]
fn search_failed() {
    both("search_error", |l| {
        let mut m = model(l);
        searched(
            &mut m,
            Err(ServiceError::new(
                ErrorKind::Unreachable,
                "could not connect: connection refused",
            )),
        );
        m
    });
}

#[test]
fn client_card() {
    both("card", |l| opened(l, 60));
}

#[test]
fn client_card_with_history_focused_and_scrolled() {
    both("card_history_focus", |l| {
        let mut m = opened(l, 60);
        key(&mut m, KeyCode::Tab);
        for _ in 0..25 {
            key(&mut m, KeyCode::Down);
        }
        m
    });
}

#[test]
fn client_card_loading() {
    both("card_loading", |l| {
        let mut m = model(l);
        searched(&mut m, Ok(clients()));
        key(&mut m, KeyCode::Down);
        key(&mut m, KeyCode::Enter);
        m
    });
}

#[test]
fn client_card_empty_and_failed_parts() {
    both("card_errors", |l| {
        let mut m = model(l);
        searched(&mut m, Ok(clients()));
        key(&mut m, KeyCode::Down);
        key(&mut m, KeyCode::Down);
        for cmd in key(&mut m, KeyCode::Enter) {
            match cmd {
                Cmd::LoadBalance { id, .. } => update(
                    &mut m,
                    Msg::BalanceLoaded {
                        id,
                        result: Err(ServiceError::new(
                            ErrorKind::Server,
                            "500 Internal Server Error",
                        )),
                    },
                ),
                Cmd::LoadCoupons { id, .. } => update(
                    &mut m,
                    Msg::CouponsLoaded {
                        id,
                        result: Ok(vec![]),
                    },
                ),
                Cmd::LoadHistory { id, .. } => update(
                    &mut m,
                    Msg::HistoryLoaded {
                        id,
                        result: Err(ServiceError::new(
                            ErrorKind::BadResponse,
                            "expected value at line 1 column 1",
                        )),
                    },
                ),
                _ => Vec::new(),
            };
        }
        m
    });
}

#[test]
fn history_empty_for_a_period() {
    both("history_empty", |l| opened(l, 0));
}

/// The card with the long transaction ids some vendors give: whole where the history has
/// room (120 and 200 columns), left out rather than cut where it has not (80).
#[test]
fn history_with_long_transaction_ids() {
    let build = |l: Locale| {
        let mut m = model(l);
        searched(&mut m, Ok(clients()));
        let mut account = account(30);
        for (i, e) in account.history.iter_mut().enumerate() {
            e.transaction_id = format!("{i:08}-83f0-11ea-9e81-0242ac130003");
        }
        for cmd in key(&mut m, KeyCode::Enter) {
            answer_from(&mut m, cmd, &account);
        }
        m
    };
    both("card_long_ids", build);
    wide("card_long_ids_ru", &build(Locale::Ru));
}

/// A client was open; the next phone typed on the list finds nobody: the card has gone with
/// the old list, and `w` says what to do instead of writing off from the last client.
#[test]
fn a_search_that_finds_nobody_leaves_no_card_and_w_says_what_to_do() {
    both("card_gone_nobody_found", |l| {
        let mut m = opened(l, 5);
        type_text(&mut m, "0000000000");
        let Some(Cmd::Search { id, .. }) = key(&mut m, KeyCode::Enter).into_iter().next() else {
            panic!("no search")
        };
        update(
            &mut m,
            Msg::Searched {
                id,
                result: Ok(vec![]),
            },
        );
        key(&mut m, KeyCode::Char('w'));
        m
    });
}

/// A search that stopped at its cap says `200+` and asks for a narrower one.
#[test]
fn a_search_at_its_cap_says_so() {
    both("results_capped", |l| {
        let mut m = model(l);
        let many = (0..200)
            .map(|i| Client {
                id: ClientId(2_000_000 + i),
                name: Some(format!("Клиент {i}")),
                phone: Some(format!("79120000{i:03}")),
                email: None,
            })
            .collect();
        searched(&mut m, Ok(many));
        m
    });
}

/// `/` selects the query: drawn reversed, so what is typed next visibly replaces it.
#[test]
fn slash_shows_the_query_selected() {
    let mut m = model(Locale::Ru);
    searched(&mut m, Ok(clients()));
    key(&mut m, KeyCode::Char('/'));
    named("search_query_selected_ru_80x24", styled(&m));
}

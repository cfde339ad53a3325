//! At the counter: every keystroke lands where the cashier expects, quitting never loses
//! work, and every list moves alike.

use super::admin::groups_screen;
use crate::app::fixtures::{client, history, model, opened, search_answered, search_id};
use crate::app::fixtures::{key, type_text};
use crate::app::keys::key::{Key, KeyCode};
use crate::app::model::{Dialog, HISTORY_PAGE, Pane, Unsaved};
use crate::app::msg::{Cmd, Msg, RequestId};
use crate::app::update::update;
use crate::domain::ClientId;

#[test]
fn slash_focuses_the_search_and_typed_there_does_nothing() {
    let mut m = model();
    type_text(&mut m, "9123");
    key(&mut m, KeyCode::Char('/'));
    key(&mut m, KeyCode::Char('/'));
    assert_eq!(m.search.input.value(), "9123");
    key(&mut m, KeyCode::Down);
    assert_eq!(m.focus, Pane::Results);
    key(&mut m, KeyCode::Char('/'));
    assert_eq!(m.focus, Pane::Search);
    assert_eq!(m.search.input.value(), "9123");
}

#[test]
fn digits_and_email_characters_typed_on_a_list_start_a_new_search() {
    let mut m = opened();
    m.focus = Pane::History;
    key(&mut m, KeyCode::Esc);
    key(&mut m, KeyCode::Esc);
    key(&mut m, KeyCode::Esc);
    assert!(m.search.input.value().is_empty());
    m.focus = Pane::Results;
    let cmds = type_text(&mut m, "+7912");
    assert_eq!(m.focus, Pane::Search);
    assert_eq!(m.search.input.value(), "+7912");
    assert!(matches!(cmds.last(), Some(Cmd::Debounce { .. })));
    m.focus = Pane::Results;
    type_text(&mut m, "@");
    assert_eq!(
        m.search.input.value(),
        "@",
        "a new query, not the end of the last"
    );
}

#[test]
fn an_email_that_starts_with_q_is_typed_not_quit() {
    let mut m = model();
    let cmds = type_text(&mut m, "qwerty@mail.ru");
    assert!(!cmds.contains(&Cmd::Quit));
    assert_eq!(m.search.input.value(), "qwerty@mail.ru");
}

/// Enter on a search with one match opens it, whether the answer is already there or
/// comes after the key.
#[test]
fn enter_on_a_single_match_opens_the_client() {
    let mut m = model();
    let cmds = search_answered(&mut m, "9123456789", vec![client(7, "Юлия Петрова")]);
    assert_eq!(m.card.as_ref().map(|c| c.client.id), Some(ClientId(7)));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::LoadBalance { client, .. } if *client == ClientId(7)))
    );

    let mut m = model();
    type_text(&mut m, "9123456789");
    let g = m.search.generation;
    let id = search_id(&update(&mut m, Msg::DebounceElapsed(g)));
    update(
        &mut m,
        Msg::Searched {
            id,
            result: Ok(vec![client(7, "Юлия Петрова")]),
        },
    );
    assert!(m.card.is_none(), "typing alone opens nothing");
    let cmds = key(&mut m, KeyCode::Enter);
    assert_eq!(m.card.as_ref().map(|c| c.client.id), Some(ClientId(7)));
    assert_eq!(cmds.len(), 3, "balance, coupons and history: {cmds:?}");
}

#[test]
fn enter_on_several_matches_only_moves_to_them() {
    let mut m = model();
    search_answered(&mut m, "9123", vec![client(1, "A"), client(2, "B")]);
    assert!(m.card.is_none());
    assert_eq!(m.focus, Pane::Results);
}

#[test]
fn every_list_moves_by_row_page_and_end() {
    let mut m = model();
    type_text(&mut m, "9123");
    let id = search_id(&key(&mut m, KeyCode::Enter));
    let many = (1..=25).map(|i| client(i, "Клиент")).collect();
    update(
        &mut m,
        Msg::Searched {
            id,
            result: Ok(many),
        },
    );
    key(&mut m, KeyCode::Char('j'));
    key(&mut m, KeyCode::Char('j'));
    key(&mut m, KeyCode::Char('k'));
    assert_eq!(m.search.selected, 1);
    key(&mut m, KeyCode::PageDown);
    assert_eq!(m.search.selected, 11);
    key(&mut m, KeyCode::Char('G'));
    assert_eq!(m.search.selected, 24);
    key(&mut m, KeyCode::PageDown);
    assert_eq!(m.search.selected, 24, "stays on the last row");
    key(&mut m, KeyCode::Home);
    assert_eq!(m.search.selected, 0);
    key(&mut m, KeyCode::End);
    key(&mut m, KeyCode::Char('g'));
    assert_eq!(m.search.selected, 0);

    let mut m = groups_screen();
    key(&mut m, KeyCode::End);
    let last = m.groups.list.data.as_ref().map_or(0, Vec::len) - 1;
    assert_eq!(m.groups.selected, last);
}

#[test]
fn page_keys_at_the_edge_of_the_history_turn_its_page() {
    let mut m = opened();
    let id = RequestId(999);
    m.card.as_mut().unwrap().history.rows.start(id);
    update(
        &mut m,
        Msg::HistoryLoaded {
            id,
            result: Ok(history(HISTORY_PAGE as usize)),
        },
    );
    m.focus = Pane::History;
    key(&mut m, KeyCode::End);
    let cmds = key(&mut m, KeyCode::PageDown);
    assert!(matches!(
        &cmds[..],
        [Cmd::LoadHistory { query, .. }] if query.offset == HISTORY_PAGE
    ));
    let cmds = key(&mut m, KeyCode::PageUp);
    assert!(matches!(&cmds[..], [Cmd::LoadHistory { query, .. }] if query.offset == 0));
}

#[test]
fn quitting_with_unsaved_input_asks_first() {
    let mut m = groups_screen();
    key(&mut m, KeyCode::Char('n'));
    // Nothing typed yet: Ctrl-C quits at once.
    assert_eq!(update(&mut m, Msg::Key(Key::ctrl('c'))), vec![Cmd::Quit]);
    type_text(&mut m, "Кофе");
    assert!(update(&mut m, Msg::Key(Key::ctrl('c'))).is_empty());
    assert_eq!(m.quit_asked, Some(Unsaved::Form));
    // Any other key stays, and the form keeps its text.
    key(&mut m, KeyCode::Char('x'));
    assert_eq!(m.quit_asked, None);
    let Some(Dialog::GroupForm(f)) = &m.dialog else {
        panic!("the form stays open");
    };
    assert_eq!(f.name.value(), "Кофе");
    update(&mut m, Msg::Key(Key::ctrl('c')));
    assert_eq!(key(&mut m, KeyCode::Char('y')), vec![Cmd::Quit]);
}

#[test]
fn quitting_with_a_write_off_in_flight_asks_and_ctrl_c_twice_quits() {
    let mut m = opened();
    key(&mut m, KeyCode::Char('w'));
    type_text(&mut m, "10");
    key(&mut m, KeyCode::Enter);
    key(&mut m, KeyCode::Char('y'));
    let Some(Dialog::WriteOff(_)) = &m.dialog else {
        panic!("the write-off is on its way");
    };
    assert_eq!(
        crate::app::update::quit::unsaved(&m),
        Some(Unsaved::WriteOffInFlight)
    );
    assert!(update(&mut m, Msg::Key(Key::ctrl('c'))).is_empty());
    assert_eq!(m.quit_asked, Some(Unsaved::WriteOffInFlight));
    assert_eq!(m.key_context().scope, crate::app::keys::Scope::QuitConfirm);
    assert_eq!(update(&mut m, Msg::Key(Key::ctrl('c'))), vec![Cmd::Quit]);
}

#[test]
fn f_keys_and_help_work_from_an_admin_filter_field() {
    let mut m = model();
    key(&mut m, KeyCode::F(6));
    key(&mut m, KeyCode::Char('/'));
    assert!(m.key_context().typing);
    key(&mut m, KeyCode::Char('?'));
    assert!(matches!(m.dialog, Some(Dialog::Help(_))));
    key(&mut m, KeyCode::Esc);
    key(&mut m, KeyCode::F(2));
    assert_eq!(m.screen, crate::app::model::Screen::Clients);
}

/// Advances the model's clock by `ms`, as the runtime's tick does.
fn tick(m: &mut crate::app::Model, ms: i64) {
    let now = m.now + jiff::SignedDuration::from_millis(ms);
    update(m, Msg::Tick(now));
}

#[test]
fn a_slow_read_shows_its_attempt_and_esc_cancels_it_but_never_a_write_off() {
    let mut m = model();
    type_text(&mut m, "9123");
    let id = search_id(&key(&mut m, KeyCode::Enter));
    assert!(m.slow_reads().is_empty(), "not slow yet");
    tick(&mut m, 1_500);
    update(
        &mut m,
        Msg::Attempt {
            id,
            attempt: 2,
            of: 3,
        },
    );
    let slow = m.slow_reads();
    assert_eq!(slow.len(), 1);
    assert_eq!(slow[0].1.attempt, Some((2, 3)));
    assert_eq!(key(&mut m, KeyCode::Esc), vec![Cmd::Cancel(vec![id])]);
    assert_eq!(
        m.focus,
        Pane::Results,
        "the Esc went to the wait, not to moving back"
    );
    update(
        &mut m,
        Msg::Searched {
            id,
            result: Err(crate::domain::ServiceError::new(
                crate::domain::ErrorKind::Cancelled,
                "cancelled",
            )),
        },
    );
    assert!(m.in_flight.is_empty());
    assert!(!m.search.results.is_loading());
    key(&mut m, KeyCode::Esc);
    assert_eq!(
        m.focus,
        Pane::Search,
        "with nothing to wait for Esc walks back"
    );

    // A write-off on its way is not a read: nothing to cancel.
    let mut m = opened();
    key(&mut m, KeyCode::Char('w'));
    type_text(&mut m, "10");
    key(&mut m, KeyCode::Enter);
    let sent = key(&mut m, KeyCode::Char('y'));
    assert!(sent.iter().all(|c| c.cancellable().is_none()), "{sent:?}");
    tick(&mut m, 5_000);
    assert!(m.slow_reads().is_empty());
}

#[test]
fn the_last_fifty_messages_are_kept_and_m_shows_them() {
    let mut m = model();
    for n in 0..60 {
        type_text(&mut m, &format!("ab{n}"));
        key(&mut m, KeyCode::Enter);
        m.search.input.reset();
    }
    assert_eq!(m.messages.len(), 50);
    let newest = m.messages.back().unwrap();
    assert_eq!(
        newest.said,
        crate::app::model::Said::Notice(crate::app::model::Notice::NoSearchFor("ab59".into()))
    );
    m.focus = Pane::Results;
    key(&mut m, KeyCode::Char('m'));
    assert!(matches!(m.dialog, Some(Dialog::Messages(0))));
    key(&mut m, KeyCode::Char('j'));
    assert!(matches!(m.dialog, Some(Dialog::Messages(1))));
    key(&mut m, KeyCode::Esc);
    assert!(m.dialog.is_none());
}

/// A date read in a table can be typed back: filter fields are filled in the rows' format.
#[test]
fn filter_dates_are_filled_as_the_rows_show_them() {
    use crate::app::model::RegistrationField;
    for (locale, today) in [
        (crate::i18n::Locale::En, "2023-11-14"),
        (crate::i18n::Locale::Ru, "14.11.2023"),
    ] {
        let mut m = crate::app::fixtures::model_at(locale, 1_700_000_000_000);
        key(&mut m, KeyCode::F(5));
        assert_eq!(m.registrations.filter.value(RegistrationField::From), today);

        let mut m = opened();
        m.locale = locale;
        m.card.as_mut().unwrap().history.from = Some(m.now);
        m.focus = Pane::History;
        key(&mut m, KeyCode::Char('f'));
        let Some(Dialog::HistoryFilter(f)) = &m.dialog else {
            panic!("f opens the period");
        };
        assert_eq!(f.from.value(), today);
    }
}

/// The other forms a paste must reach: the write-off amount, the history period and F5's
/// period; the hidden search field keeps its text.
#[test]
fn a_paste_reaches_the_write_off_the_history_period_and_f5() {
    let mut m = opened();
    let searched = m.search.input.value().to_string();
    key(&mut m, KeyCode::Char('w'));
    update(&mut m, Msg::Paste("1 000,50".into()));
    let Some(Dialog::WriteOff(d)) = &m.dialog else {
        panic!("the write-off form is open");
    };
    assert_eq!(d.points.value(), "1 000,50");
    key(&mut m, KeyCode::Esc);

    m.focus = Pane::History;
    key(&mut m, KeyCode::Char('f'));
    update(&mut m, Msg::Paste("01.11.2026".into()));
    let Some(Dialog::HistoryFilter(f)) = &m.dialog else {
        panic!("the period is open");
    };
    assert!(f.from.value().ends_with("01.11.2026"), "{}", f.from.value());
    assert_eq!(m.search.input.value(), searched);

    let mut m = model();
    key(&mut m, KeyCode::F(5));
    key(&mut m, KeyCode::Char('/'));
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Tab);
    update(&mut m, Msg::Paste("17".into()));
    assert_eq!(
        m.registrations
            .filter
            .value(crate::app::model::RegistrationField::PointOfSale),
        "17"
    );
}

/// F5's days are the vendor's: at 21:30 UTC it is already tomorrow in Moscow, and "today"
/// asks for Moscow's day.
#[test]
fn registration_presets_count_days_in_the_vendors_zone() {
    use crate::app::model::RegistrationField;
    // 2023-11-14 21:30 UTC = 2023-11-15 00:30 at +03:00.
    let mut m = crate::app::fixtures::model_at(crate::i18n::Locale::Ru, 1_699_997_400_000);
    m.registrations.zone = jiff::tz::TimeZone::fixed(jiff::tz::offset(3));
    let cmds = key(&mut m, KeyCode::F(5));
    assert!(matches!(&cmds[..], [Cmd::LoadRegistrations { query, .. }]
        if query.from == jiff::civil::date(2023, 11, 15)));
    assert_eq!(
        m.registrations.filter.value(RegistrationField::From),
        "15.11.2023"
    );
}

//! Every screen, dialog, empty and error state, drawn on ratatui's TestBackend at 80x24 and
//! 120x40, in Russian and English. Models are driven through `update` as the app drives them,
//! built with the update tests' fixtures.

use crate::app::fixtures::{answer_loads, key, model_at, search_id, type_text};
use crate::app::keys::key::{Key, KeyCode};
use crate::app::model::{BackendLabel, Notice};
use crate::app::{Cmd, Model, Msg, update};
use crate::domain::{
    Amount, Balances, Client, ClientId, Coupon, CouponId, Currency, ErrorKind, HistoryEntry,
    ServiceError,
};
use crate::i18n::Locale;
use crate::ui;
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const NOW_MS: i64 = 1_795_000_000_000; // 2026-11-18

fn model(locale: Locale) -> Model {
    model_at(locale, NOW_MS)
}

fn clients() -> Vec<Client> {
    vec![
        Client {
            id: ClientId(1_234_567),
            name: Some("Client First".into()),
            phone: Some("7912345678".into()),
            email: Some("test@test.ru".into()),
        },
        Client {
            id: ClientId(1_234_568),
            name: Some("Пётр Йосифович Соловьёв-Длиннофамильный".into()),
            phone: Some("+7 912 345-67-89".into()),
            email: None,
        },
        Client {
            id: ClientId(1_234_569),
            name: None,
            phone: None,
            email: Some("anna@почта.рф".into()),
        },
    ]
}

fn coupons() -> Vec<Coupon> {
    vec![
        Coupon {
            id: CouponId(1234),
            title: "Описание купона".into(),
            expires_at: Some(Timestamp::from_millisecond(1_548_968_400_000).unwrap()),
        },
        Coupon {
            id: CouponId(1235),
            title: "Скидка 10% на следующую покупку".into(),
            expires_at: Some(Timestamp::from_millisecond(NOW_MS + 30 * 86_400_000).unwrap()),
        },
        Coupon {
            id: CouponId(1236),
            title: "Free dessert".into(),
            expires_at: None,
        },
    ]
}

fn history(n: usize) -> Vec<HistoryEntry> {
    (0..n)
        .map(|i| HistoryEntry {
            amount: Amount::from_minor(if i % 3 == 0 {
                -(i as i64 + 1) * 1_000
            } else {
                123_456 + i as i64
            }),
            currency: if i % 4 == 0 {
                Currency::Rubles
            } else {
                Currency::Points
            },
            at: Timestamp::from_millisecond(NOW_MS - i as i64 * 86_400_000).unwrap(),
            transaction_id: format!("{}", 900_000 + i),
        })
        .collect()
}

/// Search for the sample phone and answer with `result`.
fn searched(m: &mut Model, result: Result<Vec<Client>, ServiceError>) {
    type_text(m, "7912345678");
    let id = search_id(&key(m, KeyCode::Enter));
    update(m, Msg::Searched { id, result });
}

/// Open the first client and answer its three loads.
fn opened(locale: Locale, history_rows: usize) -> Model {
    let mut m = model(locale);
    searched(&mut m, Ok(clients()));
    for cmd in key(&mut m, KeyCode::Enter) {
        answer(&mut m, cmd, history_rows);
    }
    m
}

/// What the vendor holds for the open client.
struct Account {
    balances: Balances,
    coupons: Vec<Coupon>,
    history: Vec<HistoryEntry>,
}

/// The client as the card opens it.
fn account(history_rows: usize) -> Account {
    Account {
        balances: Balances {
            points: Amount::from_minor(123_456),
            rubles: Amount::from_minor(432_106),
        },
        coupons: coupons(),
        history: history(history_rows),
    }
}

/// The same client after the confirmation's write-off (100.50 points, 21.06 roubles,
/// coupons 1235 and 1236) went through a minute later.
fn account_after_write_off(history_rows: usize) -> Account {
    let at = Timestamp::from_millisecond(NOW_MS + 60_000).unwrap();
    let mut history = vec![
        HistoryEntry {
            amount: Amount::from_minor(-2_106),
            currency: Currency::Rubles,
            at,
            transaction_id: "900101".into(),
        },
        HistoryEntry {
            amount: Amount::from_minor(-10_050),
            currency: Currency::Points,
            at,
            transaction_id: "900100".into(),
        },
    ];
    history.extend(self::history(history_rows));
    Account {
        balances: Balances {
            points: Amount::from_minor(123_456 - 10_050),
            rubles: Amount::from_minor(432_106 - 2_106),
        },
        coupons: coupons().into_iter().take(1).collect(),
        history,
    }
}

fn answer(m: &mut Model, cmd: Cmd, history_rows: usize) {
    answer_from(m, cmd, &account(history_rows));
}

fn answer_from(m: &mut Model, cmd: Cmd, account: &Account) {
    answer_loads(
        m,
        vec![cmd],
        account.balances,
        &account.coupons,
        &account.history,
    );
}

/// Presses `y` on the confirmation and answers the write-off it sends.
fn confirm_and_answer(m: &mut Model, result: Result<(), ServiceError>) -> Vec<Cmd> {
    let Some(Cmd::WriteOff { id, .. }) = key(m, KeyCode::Char('y')).into_iter().next() else {
        panic!("no write-off sent");
    };
    update(m, Msg::WrittenOff { id, result })
}

fn draw(m: &Model, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| {
            ui::view(m, f);
        })
        .unwrap();
    terminal.backend().to_string()
}

/// Snapshots a model at both sizes.
fn snap(name: &str, m: &Model) {
    insta::assert_snapshot!(format!("{name}_80x24"), draw(m, 80, 24));
    insta::assert_snapshot!(format!("{name}_120x40"), draw(m, 120, 40));
}

fn both(name: &str, build: impl Fn(Locale) -> Model) {
    snap(&format!("{name}_ru"), &build(Locale::Ru));
    snap(&format!("{name}_en"), &build(Locale::En));
}

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

#[test]
fn write_off_form() {
    both("write_off_form", |l| {
        let mut m = opened(l, 5);
        key(&mut m, KeyCode::Char('w'));
        type_text(&mut m, "100,5");
        // From the points field: the first spendable coupon, 1235.
        key(&mut m, KeyCode::Char('+'));
        m
    });
}

#[test]
fn write_off_form_with_a_problem() {
    both("write_off_problem", |l| {
        let mut m = opened(l, 5);
        key(&mut m, KeyCode::Char('w'));
        type_text(&mut m, "5000");
        key(&mut m, KeyCode::Enter);
        m
    });
}

#[test]
fn write_off_refused_by_the_server() {
    both("write_off_refused", |l| {
        let mut m = opened(l, 5);
        key(&mut m, KeyCode::Char('w'));
        type_text(&mut m, "10");
        key(&mut m, KeyCode::Enter);
        confirm_and_answer(
            &mut m,
            // Another till took the points meanwhile: the vendor names the reason.
            Err(
                ServiceError::new(ErrorKind::Rejected, "insufficient points balance")
                    .with_reason(Some(crate::domain::Reason::Insufficient)),
            ),
        );
        m
    });
}

fn confirmation(l: Locale) -> Model {
    let mut m = opened(l, 5);
    key(&mut m, KeyCode::Char('w'));
    type_text(&mut m, "100,5");
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "21.06");
    key(&mut m, KeyCode::Tab);
    // The cursor starts on 1235, the first coupon that has not expired.
    key(&mut m, KeyCode::Char(' '));
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Char(' '));
    key(&mut m, KeyCode::Enter);
    m
}

#[test]
fn write_off_confirmation() {
    both("write_off_confirm", confirmation);
}

#[test]
fn write_off_sending() {
    both("write_off_sending", |l| {
        let mut m = confirmation(l);
        key(&mut m, KeyCode::Char('y'));
        m
    });
}

#[test]
fn write_off_done() {
    both("write_off_done", |l| {
        let mut m = confirmation(l);
        for cmd in confirm_and_answer(&mut m, Ok(())) {
            answer_from(&mut m, cmd, &account_after_write_off(5));
        }
        m
    });
}

#[test]
fn write_off_unclear_after_the_check() {
    // 100.50 points, no answer, and the balance read again is exactly 100.50 lower: another
    // till may have taken it, so the console cannot say it went through.
    both("write_off_unclear", |l| {
        let mut m = opened(l, 5);
        key(&mut m, KeyCode::Char('w'));
        type_text(&mut m, "100,5");
        key(&mut m, KeyCode::Enter);
        let reread = Account {
            balances: Balances {
                points: Amount::from_minor(123_456 - 10_050),
                rubles: Amount::from_minor(432_106),
            },
            ..account(5)
        };
        for cmd in confirm_and_answer(
            &mut m,
            Err(ServiceError::new(ErrorKind::Timeout, "timed out")),
        ) {
            answer_from(&mut m, cmd, &reread);
        }
        m
    });
}

#[test]
fn write_off_without_an_answer_is_checked() {
    both("write_off_checking", |l| {
        let mut m = confirmation(l);
        confirm_and_answer(
            &mut m,
            Err(ServiceError::new(ErrorKind::Timeout, "timed out")),
        );
        m
    });
}

#[test]
fn write_off_shown_not_to_have_gone_through() {
    both("write_off_not_applied", |l| {
        let mut m = confirmation(l);
        for cmd in confirm_and_answer(
            &mut m,
            Err(ServiceError::new(
                ErrorKind::Interrupted,
                "connection reset",
            )),
        ) {
            answer(&mut m, cmd, 5);
        }
        m
    });
}

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
                    }),
                    reason: None,
                },
                outcome: *o,
                detail: None,
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
        insta::assert_snapshot!(
            format!("too_small_{w}x{h}"),
            draw(&opened(Locale::Ru, 5), w, h)
        );
    }
}

// ---- admin screens ----------------------------------------------------------------------

mod admin;

/// Vendor strings with escape sequences, a bidi override and NUL in every text field a
/// vendor fills, drawn through the real crossterm backend: none of it reaches the terminal.
#[test]
fn hostile_vendor_text_never_reaches_the_terminal() {
    use ratatui::backend::CrosstermBackend;
    use ratatui::layout::Rect;
    use ratatui::{TerminalOptions, Viewport};
    let evil = |s: &str| format!("{s}\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}\u{0}\u{1b}[31mred");
    let mut m = model(Locale::Ru);
    type_text(&mut m, "7912345678");
    let Some(Cmd::Search { id, .. }) = key(&mut m, KeyCode::Enter).into_iter().next() else {
        panic!()
    };
    let client = Client {
        id: ClientId(1),
        name: Some(evil("Иван")),
        phone: Some(evil("7912")),
        email: Some(evil("a@b")),
    };
    update(
        &mut m,
        Msg::Searched {
            id,
            result: Ok(vec![client]),
        },
    );
    for cmd in key(&mut m, KeyCode::Enter) {
        match cmd {
            Cmd::LoadBalance { id, .. } => update(
                &mut m,
                Msg::BalanceLoaded {
                    id,
                    result: Err(ServiceError {
                        kind: ErrorKind::Rejected,
                        detail: evil("refused"),
                        retry_after: None,
                        reason: None,
                    }),
                },
            ),
            Cmd::LoadCoupons { id, .. } => update(
                &mut m,
                Msg::CouponsLoaded {
                    id,
                    result: Ok(vec![Coupon {
                        id: CouponId(1),
                        title: evil("купон"),
                        expires_at: None,
                    }]),
                },
            ),
            Cmd::LoadHistory { id, .. } => update(
                &mut m,
                Msg::HistoryLoaded {
                    id,
                    result: Ok(vec![HistoryEntry {
                        amount: Amount::from_minor(100),
                        currency: Currency::Points,
                        at: Timestamp::from_millisecond(NOW_MS).unwrap(),
                        transaction_id: evil("tx"),
                    }]),
                },
            ),
            other => panic!("{other:?}"),
        };
    }
    let mut out = Vec::new();
    {
        let backend = CrosstermBackend::new(&mut out);
        let options = TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 100, 30)),
        };
        let mut terminal = Terminal::with_options(backend, options).unwrap();
        terminal
            .draw(|f| {
                ui::view(&m, f);
            })
            .unwrap();
    }
    let written = String::from_utf8_lossy(&out);
    assert!(written.contains("Иван"), "the text itself is shown");
    // Whatever the adapters did not clean (these strings bypass them), the view's last net
    // leaves no character the terminal would act on.
    for bad in [
        "\u{1b}]0;",
        "\u{1b}[2J",
        "\u{1b}[31mred",
        "\u{202e}",
        "\u{0}",
        "\u{7}",
    ] {
        assert!(!written.contains(bad), "{bad:?} reached the terminal");
    }
}

/// Draws with a theme's palette on this thread, and puts the default back after.
struct Themed;

impl Themed {
    fn with(palette: ui::theme::Palette) -> Themed {
        ui::theme::install(palette);
        Themed
    }
}

impl Drop for Themed {
    fn drop(&mut self) {
        ui::theme::install(ui::theme::Palette::DARK);
    }
}

fn buffer(m: &Model, width: u16, height: u16) -> ratatui::buffer::Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| {
            ui::view(m, f);
        })
        .unwrap();
    terminal.backend().buffer().clone()
}

/// The screen's text, then each run of styled cells on a row: where, and the colours and
/// attributes it is drawn with, so a theme's snapshot shows what it paints.
fn styled(m: &Model) -> String {
    let buffer = buffer(m, 80, 24);
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let row: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        out.push_str(&row);
        out.push('\n');
    }
    out.push_str("--- styles (row: columns = fg bg attributes)\n");
    for y in 0..buffer.area.height {
        let mut x = 0;
        while x < buffer.area.width {
            let cell = &buffer[(x, y)];
            let look = (cell.fg, cell.bg, cell.modifier);
            let start = x;
            while x < buffer.area.width {
                let c = &buffer[(x, y)];
                if (c.fg, c.bg, c.modifier) != look {
                    break;
                }
                x += 1;
            }
            if look
                != (
                    ratatui::style::Color::Reset,
                    ratatui::style::Color::Reset,
                    ratatui::style::Modifier::empty(),
                )
            {
                out.push_str(&format!(
                    "{y:2}: {start}-{} = {:?} {:?} {:?}\n",
                    x - 1,
                    look.0,
                    look.1,
                    look.2
                ));
            }
        }
    }
    out
}

#[test]
fn each_theme_paints_the_card_and_the_confirmation() {
    use ui::theme::Palette;
    for (name, palette) in [
        ("dark", Palette::DARK),
        ("light", Palette::LIGHT),
        ("mono", Palette::MONO),
    ] {
        let _theme = Themed::with(palette);
        insta::assert_snapshot!(
            format!("theme_{name}_card_ru_80x24"),
            styled(&opened(Locale::Ru, 5))
        );
        insta::assert_snapshot!(
            format!("theme_{name}_confirm_ru_80x24"),
            styled(&confirmation(Locale::Ru))
        );
    }
}

/// NO_COLOR's mono: not one cell carries a colour, and the meanings are still there, in
/// words and in reverse video: the selected row, the focused button, the expired coupon.
#[test]
fn mono_has_no_colour_and_keeps_every_meaning() {
    use ratatui::style::{Color, Modifier};
    let _theme = Themed::with(ui::theme::Palette::MONO);
    for m in [opened(Locale::Ru, 5), confirmation(Locale::Ru)] {
        let b = buffer(&m, 80, 24);
        let coloured: Vec<_> = b
            .content
            .iter()
            .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
            .collect();
        assert!(coloured.is_empty(), "{coloured:?}");
        assert!(
            b.content
                .iter()
                .any(|c| c.modifier.contains(Modifier::REVERSED))
        );
    }
    let card = buffer(&opened(Locale::Ru, 5), 80, 24);
    let text: String = card.content.iter().map(|c| c.symbol()).collect();
    assert!(
        text.contains("ИСТЁК"),
        "the expired coupon says so in words"
    );
    let m = confirmation(Locale::Ru);
    let b = buffer(&m, 80, 24);
    let reversed: String = b
        .content
        .iter()
        .filter(|c| c.modifier.contains(Modifier::REVERSED))
        .map(|c| c.symbol())
        .collect();
    assert!(
        reversed.contains("Отмена"),
        "the focused button is reversed: {reversed:?}"
    );
}

/// The frame says where its tabs and rows are, as they are drawn, for the mouse.
#[test]
fn the_frame_tells_where_tabs_and_rows_are() {
    use crate::app::model::Screen;
    use crate::app::mouse::{List, Target};
    let m = opened(Locale::Ru, 5);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut hits = ui::Hits::default();
    terminal.draw(|f| hits = ui::view(&m, f)).unwrap();
    let screen = terminal.backend().to_string();
    let lines: Vec<&str> = screen.lines().collect();
    let column_of = |line: usize, text: &str| {
        let before = &lines[line][..lines[line].find(text).unwrap()];
        before.chars().count() as u16 - 1
    };
    // Row 0: the tabs (each line of the text form is quoted, hence the `- 1`).
    assert_eq!(
        hits.at(column_of(0, "F3"), 0),
        Some(Target::Tab(Screen::Groups))
    );
    assert_eq!(
        hits.at(column_of(0, "F7"), 0),
        Some(Target::Tab(Screen::Journal))
    );
    // The results: two lines per client, from the pane's first inner row.
    let first = lines
        .iter()
        .position(|l| l.contains("▶ Client First"))
        .unwrap() as u16;
    assert_eq!(
        hits.at(3, first),
        Some(Target::Row {
            list: List::Results,
            index: 0
        })
    );
    assert_eq!(
        hits.at(3, first + 1),
        Some(Target::Row {
            list: List::Results,
            index: 0
        })
    );
    assert_eq!(
        hits.at(3, first + 2),
        Some(Target::Row {
            list: List::Results,
            index: 1
        })
    );
    // The history: the header, then one row per entry.
    let dated = lines.iter().position(|l| l.contains("17.11.2026")).unwrap() as u16;
    let x = column_of(dated as usize, "17.11.2026");
    assert_eq!(
        hits.at(x, dated),
        Some(Target::Row {
            list: List::History,
            index: 1
        })
    );
    assert_eq!(
        hits.at(x, dated - 2),
        Some(Target::Pane(List::History)),
        "the header"
    );
    assert_eq!(hits.at(0, 23), None, "the hint bar");
}

/// A wide terminal: the tables' columns take the room there is (nothing cut while the row
/// has space), F3's details sit under its list.
fn wide(name: &str, m: &Model) {
    insta::assert_snapshot!(format!("{name}_200x60"), draw(m, 200, 60));
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
    insta::assert_snapshot!("search_query_selected_ru_80x24", styled(&m));
}

/// The hint bar and the dialog name a key alike, in each language, as the key map has it.
#[test]
fn the_hint_bar_and_the_dialogs_name_keys_alike() {
    for (l, space, other) in [
        (Locale::Ru, "Пробел", "Space"),
        (Locale::En, "Space", "Пробел"),
    ] {
        let mut m = opened(l, 5);
        key(&mut m, KeyCode::Char('w'));
        let form = draw(&m, 120, 40);
        assert!(form.contains(&format!("({space} ")), "{form}");
        assert!(!form.contains(other), "{form}");
        let hints = form.lines().last().unwrap().to_string();
        assert!(hints.contains(" + "), "the coupon key is hinted: {hints}");
        key(&mut m, KeyCode::Esc);
        key(&mut m, KeyCode::F(3));
        key(&mut m, KeyCode::Char('n'));
        let group = draw(&m, 120, 40);
        let hints = group.lines().last().unwrap();
        assert!(hints.contains(&format!(" {space} ")), "{hints}");
        assert!(!group.contains(other), "{group}");
    }
}

/// The tabs name the keys the keymap has: a screen moved to F9 by keys.toml says F9, one
/// whose key was taken away says no key.
#[test]
fn the_tabs_name_the_keys_keys_toml_gave() {
    let mut m = model(Locale::Ru);
    m.keymap = std::sync::Arc::new(
        crate::app::keys::Keymap::with_overrides(
            "[global]\nshow_clients = \"F9\"\nshow_journal = []\n",
        )
        .unwrap(),
    );
    let screen = draw(&m, 100, 24);
    let tabs = screen.lines().next().unwrap();
    assert!(tabs.contains("[F9 Клиенты]"), "{tabs}");
    assert!(tabs.contains(" Журнал") && !tabs.contains("F7"), "{tabs}");
    assert!(tabs.contains("F3 Группы"), "{tabs}");
}

/// A search that fails after one that found clients shows the failure without the earlier
/// count: `Клиенты (2)` over an error would say two clients are listed when none is.
#[test]
fn a_failed_search_shows_no_earlier_count() {
    let mut m = model(Locale::Ru);
    searched(&mut m, Ok(clients()));
    assert!(draw(&m, 80, 24).contains("Клиенты ("), "counted first");
    key(&mut m, KeyCode::Char('/'));
    type_text(&mut m, "5678");
    let cmds = key(&mut m, KeyCode::Enter);
    let Some(Cmd::Search { id, .. }) = cmds.into_iter().next() else {
        panic!("no search")
    };
    update(
        &mut m,
        Msg::Searched {
            id,
            result: Err(ServiceError::new(
                ErrorKind::Unreachable,
                "could not connect: connection refused",
            )),
        },
    );
    let screen = draw(&m, 80, 24);
    assert!(!screen.contains("Клиенты ("), "{screen}");
}

/// The warning about a config others can read names the file and the command at 80 columns:
/// the reason is what gives way, in the messages overlay in full.
#[test]
fn a_readable_config_is_named_with_its_command_at_80_columns() {
    for locale in [Locale::Ru, Locale::En] {
        let mut m = model(locale);
        m.tell(Notice::ConfigReadable {
            path: "/home/kassa/.config/loyalty/config.toml".into(),
        });
        let screen = draw(&m, 80, 24);
        assert!(
            screen.contains("chmod 600 /home/kassa/.config/loyalty/config.toml"),
            "{screen}"
        );
    }
}

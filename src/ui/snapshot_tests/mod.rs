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
            about: None,
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
            about: None,
        },
        HistoryEntry {
            amount: Amount::from_minor(-10_050),
            currency: Currency::Points,
            at,
            transaction_id: "900100".into(),
            about: None,
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

/// A wide terminal: the tables' columns take the room there is (nothing cut while the row
/// has space), F3's details sit under its list.
fn wide(name: &str, m: &Model) {
    insta::assert_snapshot!(format!("{name}_200x60"), draw(m, 200, 60));
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

/// A snapshot under `name`, filed under this module whichever test file takes it.
fn named(name: &str, text: String) {
    insta::assert_snapshot!(name, text);
}

mod admin;
mod cashier;
mod codes;
mod dialogs;
mod money_both_ways;
mod status;
mod terminal;
mod write_off;

//! What the pure tests share, the `update` tests and the screens' snapshots alike: a model at
//! a fixed instant, keys pressed one at a time, a search answered, a card's loads answered;
//! and the cashier tests' client, found and opened at [`NOW_MS`].

use super::super::model::{BackendLabel, Model};
use super::super::msg::{Cmd, Msg, RequestId};
use super::update;
use crate::app::keys::key::{Key, KeyCode, Modifiers};
use crate::domain::{Amount, Balances, Client, ClientId, Coupon, CouponId, Currency, HistoryEntry};
use crate::i18n::Locale;
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// A fresh console on the embedded backend, in UTC, at `now_ms`.
pub fn model_at(locale: Locale, now_ms: i64) -> Model {
    Model::new(
        locale,
        TimeZone::UTC,
        BackendLabel::Embedded,
        Timestamp::from_millisecond(now_ms).expect("a test instant within jiff's range"),
    )
}

pub fn key(m: &mut Model, code: KeyCode) -> Vec<Cmd> {
    update(m, Msg::Key(Key::new(code, Modifiers::NONE)))
}

/// Types `text` key by key, as a person would; the commands of every key, in order.
pub fn type_text(m: &mut Model, text: &str) -> Vec<Cmd> {
    text.chars()
        .flat_map(|c| key(m, KeyCode::Char(c)))
        .collect()
}

/// Answers the loads among `cmds` (balance, coupons, history), as a card's opening or a
/// check's re-read sends them; the commands the answers gave, in order.
pub fn answer_loads(
    m: &mut Model,
    cmds: Vec<Cmd>,
    balances: Balances,
    coupons: &[Coupon],
    history: &[HistoryEntry],
) -> Vec<Cmd> {
    let mut out = Vec::new();
    for cmd in cmds {
        out.extend(match cmd {
            Cmd::LoadBalance { id, .. } => update(
                m,
                Msg::BalanceLoaded {
                    id,
                    result: Ok(balances),
                },
            ),
            Cmd::LoadCoupons { id, .. } => update(
                m,
                Msg::CouponsLoaded {
                    id,
                    result: Ok(coupons.to_vec()),
                },
            ),
            Cmd::LoadHistory { id, .. } => update(
                m,
                Msg::HistoryLoaded {
                    id,
                    result: Ok(history.to_vec()),
                },
            ),
            other => panic!("unexpected {other:?}"),
        });
    }
    out
}

/// The cashier tests' instant.
pub const NOW_MS: i64 = 1_700_000_000_000;

pub fn model() -> Model {
    model_at(Locale::En, NOW_MS)
}

pub fn client(id: i64, name: &str) -> Client {
    Client {
        id: ClientId(id),
        name: Some(name.to_string()),
        phone: Some("79123456789".to_string()),
        email: None,
    }
}

/// Types `text`, presses Enter and answers the search with `found`; the commands the answer
/// gave.
pub fn search_answered(m: &mut Model, text: &str, found: Vec<Client>) -> Vec<Cmd> {
    type_text(m, text);
    let id = search_id(&key(m, KeyCode::Enter));
    update(
        m,
        Msg::Searched {
            id,
            result: Ok(found),
        },
    )
}

pub fn search_id(cmds: &[Cmd]) -> RequestId {
    cmds.iter()
        .find_map(|c| match c {
            Cmd::Search { id, .. } => Some(*id),
            _ => None,
        })
        .expect("a search command")
}

pub fn coupon(id: i64, expires_ms: i64) -> Coupon {
    Coupon {
        id: CouponId(id),
        title: format!("Купон {id}"),
        expires_at: Some(Timestamp::from_millisecond(expires_ms).unwrap()),
    }
}

pub fn amount(text: &str) -> Amount {
    Amount::parse_decimal(text).unwrap()
}

/// A model with client 1 found, opened, and its balance, coupons and history loaded.
pub fn opened() -> Model {
    let mut m = model();
    type_text(&mut m, "9123456789");
    let id = search_id(&key(&mut m, KeyCode::Enter));
    update(
        &mut m,
        Msg::Searched {
            id,
            result: Ok(vec![client(1, "Пётр Иванов"), client(2, "Anna")]),
        },
    );
    let cmds = key(&mut m, KeyCode::Enter);
    let balances = Balances {
        points: amount("100"),
        rubles: amount("50.5"),
    };
    let coupons = [coupon(7, NOW_MS + 1000), coupon(8, NOW_MS - 1000)];
    answer_loads(&mut m, cmds, balances, &coupons, &history(3));
    m
}

pub fn history(n: usize) -> Vec<HistoryEntry> {
    (0..n)
        .map(|i| HistoryEntry {
            amount: Amount::from_minor(100 * (i as i64 + 1)),
            currency: Currency::Points,
            at: Timestamp::from_millisecond(NOW_MS - i as i64 * 60_000).unwrap(),
            transaction_id: format!("t{i}"),
            about: None,
        })
        .collect()
}

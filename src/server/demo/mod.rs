//! A deterministic demo data set: the same `N` always gives the same clients, coupons and
//! ledger, laid out relative to an anchor day so that it looks current whenever it is made.

pub mod operations;
mod people;
#[macro_use]
mod rows;
mod back_office;

/// Seeding a SQLite database on a connection of one's own (tests and benches).
pub use super::store::sqlite::seed;
use super::store::{ContactKeys, StoreError};
use back_office::BackOffice;
use jiff::{SignedDuration, Timestamp};
use people::{
    DOMAINS, FIRST_EN, FIRST_RU, LAST_EN, LAST_RU, Rng, phone_text, surname_for, transliterate,
};
pub(crate) use rows::{Sink, Table, Value};

/// The seed document's sample client comes first, exactly as documented.
pub const SAMPLE_CLIENT_ID: i64 = 1_234_567;
const SAMPLE_COUPON_ID: i64 = 1234;
const SAMPLE_EXPIRE_MS: i64 = 1_548_968_400_000;
/// Of the sample's 1234.56 points, what expires [`SAMPLE_EXPIRING_DAYS`] after the anchor
/// (the rest never does): the sample's figures, which documents and tests pin, are kept
/// until then.
pub const SAMPLE_EXPIRING: i64 = 30_000;
pub const SAMPLE_EXPIRING_DAYS: i64 = 3;
/// Points accrued at the anchor to the client right after the sample (the next a newcomer
/// lists), spendable [`PENDING_DAYS`] after it; the sample's own balance stays as the seed
/// document gives it.
pub const PENDING: i64 = 25_000;
pub const PENDING_DAYS: i64 = 4;

const COUPONS: &[&str] = &[
    "Скидка 10% на следующую покупку",
    "Кофе в подарок",
    "Free dessert",
    "−500 ₽ при покупке от 3000 ₽",
    "Двойные баллы в выходные",
    "Birthday gift",
];

const GROUPS: &[(i64, &str, i64, &str, i64)] = &[
    (1, "Постоянный посетитель", 1, "10", 5000),
    (2, "Скидочная система 10%", 2, "10", 0),
    (3, "Скидочная система 20%", 2, "20", 0),
    (4, "Сотрудники", 1, "5.5", 10000),
];
/// Promotions with Poster's local start and end (`None`: no end).
const PROMOTIONS: &[(i64, &str, &str, Option<&str>)] = &[
    (14, "Каждый 6-й кофе в подарок", "2018-04-29 00:00:00", None),
    (
        15,
        "Десерт после 5 покупок",
        "2018-05-01 10:00:00",
        Some("2030-12-31 23:59:59"),
    ),
    (16, "Coffee beans: 10 kg club", "2019-01-15 00:00:00", None),
];
const POINTS_OF_SALE: &[(i64, &str)] = &[
    (1, "ТЦ «Европейский»"),
    (2, "Арбат, 12"),
    (3, "Интернет-магазин"),
    (4, "Kiosk Sheremetyevo"),
];
const CARD_TYPES: &[&str] = &["Стандарт", "Золотая", "Gold"];
/// Notes of REGOS card operations, by type: a note never says the opposite of its type.
const INCOME_NOTES: &[&str] = &["Покупка", "Начисление за покупку", "Birthday bonus"];
const OUTCOME_NOTES: &[&str] = &["Списание на кассе", "Оплата бонусами", "Paid with bonus"];
/// The REGOS promotion every demo card belongs to.
pub const CARD_PROMO_ID: i64 = 1;
/// Demo cards are numbered from here, one per client in client order.
pub const FIRST_CARD_NUMBER: i64 = 2_000_000_000_000;

/// The static back-office tables: groups, promotions and points of sale.
fn back_office_tables(sink: &mut impl Sink) -> Result<(), StoreError> {
    for (id, name, kind, percent, bonus) in GROUPS {
        sink.row(Table::Groups, &row![*id, *name, *kind, *percent, *bonus])?;
    }
    for (id, name, start, end) in PROMOTIONS {
        sink.row(Table::Promotions, &row![*id, *name, *start, *end])?;
    }
    for (id, name) in POINTS_OF_SALE {
        sink.row(Table::PointsOfSale, &row![*id, *name])?;
    }
    Ok(())
}

/// One demo client made as big as a long-standing customer's card can be (`serve
/// --demo-heavy CLIENT:HISTORY:COUPONS`): what the console's card, history and exports are
/// measured on. Its rows come from the same generator, so its balances and lots agree with
/// its ledger as every other client's do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heavy {
    pub client: i64,
    pub history: u64,
    pub coupons: u64,
}

impl std::str::FromStr for Heavy {
    type Err = String;

    fn from_str(text: &str) -> Result<Heavy, String> {
        let usage =
            || format!("{text:?}: expected CLIENT:HISTORY:COUPONS, e.g. 1234600:100000:1000");
        let mut parts = text.split(':');
        let (Some(client), Some(history), Some(coupons), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(usage());
        };
        let heavy = Heavy {
            client: client.parse().map_err(|_| usage())?,
            history: history.parse().map_err(|_| usage())?,
            coupons: coupons.parse().map_err(|_| usage())?,
        };
        // The sample client's figures are pinned by the seed document and the tests.
        if heavy.client <= SAMPLE_CLIENT_ID {
            return Err(format!(
                "{text:?}: the client must be a demo client after the sample, above {SAMPLE_CLIENT_ID}"
            ));
        }
        Ok(heavy)
    }
}

impl Heavy {
    /// Whether the client is among `count` demo clients.
    pub fn within(&self, count: u64) -> bool {
        self.client > SAMPLE_CLIENT_ID && self.client < SAMPLE_CLIENT_ID + count as i64
    }
}

/// The demo data set, made one client at a time into a [`Sink`].
pub(crate) struct Demo {
    rng: Rng,
    count: u64,
    next: u64,
    coupon_id: i64,
    back_office: BackOffice,
    heavy: Option<Heavy>,
}

impl Demo {
    /// `count` clients (the seed's sample client first) with coupons and about six months
    /// of history ending at `anchor`.
    pub(crate) fn new(count: u64, anchor: Timestamp) -> Demo {
        Demo {
            rng: Rng::new(0x1234_5678 ^ count),
            count,
            next: 0,
            coupon_id: SAMPLE_COUPON_ID,
            back_office: BackOffice {
                anchor_ms: anchor.as_millisecond(),
                accumulation_id: 1,
            },
            heavy: None,
        }
    }

    /// The same data set with one client made big (see [`Heavy`]).
    pub(crate) fn with_heavy(self, heavy: Option<Heavy>) -> Demo {
        Demo { heavy, ..self }
    }

    /// The tables every client refers to; first, before any client.
    pub(crate) fn start(&self, sink: &mut impl Sink) -> Result<(), StoreError> {
        back_office_tables(sink)
    }

    /// The next client and everything of theirs; `false` once all are made.
    pub(crate) fn next_client(&mut self, sink: &mut impl Sink) -> Result<bool, StoreError> {
        if self.next >= self.count {
            return Ok(false);
        }
        let i = self.next;
        self.next += 1;
        let rng = &mut self.rng;
        let anchor_ms = self.back_office.anchor_ms;
        let day_ms = SignedDuration::from_hours(24).as_millis() as i64;
        let id = SAMPLE_CLIENT_ID + i as i64;
        let (name, phone, email) = if i == 0 {
            (
                Some("Client First".to_string()),
                Some("7912345678".to_string()),
                Some("test@test.ru".to_string()),
            )
        } else {
            let russian = rng.chance(70);
            let (first, last) = if russian {
                let first = rng.pick(FIRST_RU);
                (first, surname_for(first, rng.pick(LAST_RU)))
            } else {
                (rng.pick(FIRST_EN), rng.pick(LAST_EN).to_string())
            };
            let name = (!rng.chance(4)).then(|| format!("{first} {last}"));
            let phone = (!rng.chance(5)).then(|| phone_text(rng, i));
            let email = rng.chance(65).then(|| {
                format!(
                    "{}.{}{}@{}",
                    transliterate(first),
                    transliterate(&last),
                    i,
                    rng.pick(DOMAINS)
                )
            });
            (name, phone, email)
        };
        let keys = ContactKeys::of(phone.as_deref(), email.as_deref());
        let group = self.back_office.pick_group(rng);
        sink.row(
            Table::Clients,
            &row![
                id,
                name,
                phone,
                email,
                keys.phone_norm,
                keys.phone_rev,
                keys.email_lc,
                keys.email_rev,
                group
            ],
        )?;
        self.back_office.client(sink, rng, id, i)?;

        if i == 0 {
            sink.row(
                Table::Ledger,
                &row![id, "points", 123_456i64, SAMPLE_EXPIRE_MS, "accrual"],
            )?;
            sink.row(
                Table::Ledger,
                &row![id, "rubles", 432_106i64, SAMPLE_EXPIRE_MS, "deposit"],
            )?;
            sink.row(Table::Balances, &row![id, "points", 123_456i64])?;
            sink.row(Table::Balances, &row![id, "rubles", 432_106i64])?;
            let soon = anchor_ms + SAMPLE_EXPIRING_DAYS * day_ms;
            for (currency, amount, from, expires) in [
                ("points", SAMPLE_EXPIRING, SAMPLE_EXPIRE_MS, Some(soon)),
                ("points", 123_456 - SAMPLE_EXPIRING, SAMPLE_EXPIRE_MS, None),
                ("rubles", 432_106, SAMPLE_EXPIRE_MS, None),
            ] {
                sink.row(
                    Table::Lots,
                    &row![id, currency, amount, amount, from, expires],
                )?;
            }
            sink.row(
                Table::Coupons,
                &row![SAMPLE_COUPON_ID, id, "Описание купона", SAMPLE_EXPIRE_MS],
            )?;
            self.coupon_id += 1;
            sink.row(
                Table::Coupons,
                &row![
                    self.coupon_id,
                    id,
                    "Скидка 10% на следующую покупку",
                    anchor_ms + 30 * day_ms
                ],
            )?;
            self.coupon_id += 1;
            return Ok(true);
        }

        // Accruals and deposits across the last ~180 days, oldest first, with write-offs
        // that never exceed what was there at the time.
        let heavy = self.heavy.filter(|h| h.client == id);
        let entries = match heavy {
            Some(h) => h.history,
            None => 4 + rng.below(17),
        };
        // A couple of minutes an entry at least, so that a long history stays in order.
        let span_ms = (180 * day_ms).max(entries as i64 * 120_000);
        // Each currency's balance, once it has moved at all (a balance row exists from a
        // currency's first movement on, as the ledger's trigger makes it).
        let mut points: Option<i64> = None;
        let mut rubles: Option<i64> = None;
        let mut at = anchor_ms - span_ms;
        for _ in 0..entries {
            at += (rng.below(2 * span_ms as u64 / entries.max(1)) as i64).max(60_000);
            let rubles_move = rng.chance(25);
            let balance = if rubles_move {
                rubles.get_or_insert(0)
            } else {
                points.get_or_insert(0)
            };
            let (amount, kind) = if *balance > 1_000 && rng.chance(30) {
                (
                    -(1 + rng.below(*balance as u64 / 100) as i64) * 100,
                    "write_off",
                )
            } else if rubles_move {
                ((100 + rng.below(5_000) as i64) * 100, "deposit")
            } else {
                (1 + rng.below(50_000) as i64, "accrual")
            };
            *balance += amount;
            let currency = if rubles_move { "rubles" } else { "points" };
            // Past the anchor the entries bunch up on it, still in order.
            at = at.min(anchor_ms - rng.below(day_ms as u64) as i64);
            sink.row(Table::Ledger, &row![id, currency, amount, at, kind])?;
        }
        // The client after the sample has points not yet spendable, as a lot of their own.
        let pending = i == 1;
        if pending {
            points.get_or_insert(0);
            sink.row(
                Table::Ledger,
                &row![id, "points", PENDING, anchor_ms, "accrual"],
            )?;
            let from = anchor_ms + PENDING_DAYS * day_ms;
            sink.row(
                Table::Lots,
                &row![id, "points", PENDING, PENDING, from, None::<i64>],
            )?;
        }
        for (currency, balance) in [("points", points), ("rubles", rubles)] {
            if let Some(balance) = balance {
                let with_pending = balance
                    + if pending && currency == "points" {
                        PENDING
                    } else {
                        0
                    };
                sink.row(Table::Balances, &row![id, currency, with_pending])?;
                // One lot each, spendable since the history began and never expiring.
                if balance > 0 {
                    let since = anchor_ms - span_ms;
                    sink.row(
                        Table::Lots,
                        &row![id, currency, balance, balance, since, None::<i64>],
                    )?;
                }
            }
        }
        let coupons = match heavy {
            Some(h) => h.coupons,
            None => rng.below(4),
        };
        for _ in 0..coupons {
            let offset_days = rng.below(120) as i64 - 30;
            let expire = (!rng.chance(10)).then_some(anchor_ms + offset_days * day_ms);
            sink.row(
                Table::Coupons,
                &row![self.coupon_id, id, rng.pick(COUPONS), expire],
            )?;
            self.coupon_id += 1;
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row the demo makes, with the table it goes to.
    #[derive(Default)]
    struct Rows(Vec<(Table, Vec<Value>)>);

    impl Sink for Rows {
        fn row(&mut self, table: Table, values: &[Value]) -> Result<(), StoreError> {
            self.0.push((table, values.to_vec()));
            Ok(())
        }
    }

    fn made(count: u64, heavy: Option<Heavy>) -> Vec<(Table, Vec<Value>)> {
        let anchor: Timestamp = "2026-06-01T12:00:00Z".parse().unwrap();
        let mut rows = Rows::default();
        let mut demo = Demo::new(count, anchor).with_heavy(heavy);
        demo.start(&mut rows).unwrap();
        while demo.next_client(&mut rows).unwrap() {}
        rows.0
    }

    fn client_of(table: Table, values: &[Value]) -> Option<i64> {
        let column = match table {
            Table::Ledger | Table::Balances | Table::Lots => 0,
            Table::Coupons => 1,
            _ => return None,
        };
        match values[column] {
            Value::Int(id) => Some(id),
            _ => None,
        }
    }

    fn int(v: &Value) -> i64 {
        match v {
            Value::Int(v) => *v,
            other => panic!("not a number: {other:?}"),
        }
    }

    /// The heavy client has exactly the history and coupons asked for, and its
    /// balances are its ledger's sums and its lots hold them (what `serve --check` holds),
    /// as every other client's are.
    #[test]
    fn a_heavy_client_is_big_and_consistent() {
        let heavy = Heavy {
            client: SAMPLE_CLIENT_ID + 3,
            history: 5_000,
            coupons: 300,
        };
        let rows = made(10, Some(heavy));
        let of = |table: Table, id: i64| -> Vec<Vec<Value>> {
            rows.iter()
                .filter(|(t, v)| *t == table && client_of(*t, v) == Some(id))
                .map(|(_, v)| v.clone())
                .collect()
        };
        let ledger = of(Table::Ledger, heavy.client);
        assert_eq!(ledger.len(), 5_000);
        assert_eq!(of(Table::Coupons, heavy.client).len(), 300);
        // The sample and the next client carry pinned and pending figures of their own.
        for id in (2..10).map(|i| SAMPLE_CLIENT_ID + i) {
            let ledger = of(Table::Ledger, id);
            for balance in of(Table::Balances, id) {
                let currency = &balance[1];
                let sum: i64 = ledger
                    .iter()
                    .filter(|l| &l[1] == currency)
                    .map(|l| int(&l[2]))
                    .sum();
                assert_eq!(int(&balance[2]), sum, "{id} {currency:?}");
                let lots: i64 = of(Table::Lots, id)
                    .iter()
                    .filter(|l| &l[1] == currency)
                    .map(|l| int(&l[3]))
                    .sum();
                assert_eq!(lots, sum, "{id} {currency:?}");
            }
        }
    }

    #[test]
    fn the_heavy_client_is_given_as_client_history_coupons() {
        assert_eq!(
            "1234600:100000:1000".parse::<Heavy>(),
            Ok(Heavy {
                client: 1_234_600,
                history: 100_000,
                coupons: 1_000
            })
        );
        for wrong in ["1234600:100000", "1234600:1:2:3", "x:1:2", "1234567:10:10"] {
            assert!(wrong.parse::<Heavy>().is_err(), "{wrong}");
        }
        let h: Heavy = "1234600:1:1".parse().unwrap();
        assert!(h.within(34) && !h.within(33));
    }
}

//! A deterministic demo data set: the same `N` always gives the same clients, coupons and
//! ledger, laid out relative to an anchor day so that it looks current whenever it is made.

use super::store::{ContactKeys, StoreError};
use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, params};

/// The seed document's sample client comes first, exactly as documented.
pub const SAMPLE_CLIENT_ID: i64 = 1_234_567;
const SAMPLE_COUPON_ID: i64 = 1234;
const SAMPLE_EXPIRE_MS: i64 = 1_548_968_400_000;

const FIRST_RU: &[&str] = &[
    "Иван",
    "Пётр",
    "Анна",
    "Мария",
    "Сергей",
    "Ольга",
    "Алексей",
    "Наталья",
    "Дмитрий",
    "Юлия",
    "Андрей",
    "Екатерина",
    "Михаил",
    "Татьяна",
    "Николай",
    "Ксения",
    "Йосиф",
];
const LAST_RU: &[&str] = &[
    "Иванов",
    "Петров",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Соколов",
    "Лебедев",
    "Козлов",
    "Новиков",
    "Морозов",
    "Волков",
    "Соловьёв",
    "Васильев",
    "Зайцев",
    "Павлов",
    "Семёнов",
];
const FIRST_EN: &[&str] = &[
    "John", "Emma", "Oliver", "Sophia", "Liam", "Ava", "Noah", "Mia", "Lucas", "Zoe",
];
const LAST_EN: &[&str] = &[
    "Smith", "Brown", "Taylor", "Wilson", "Evans", "Walker", "Wright", "Green", "Hall",
];
const DOMAINS: &[&str] = &[
    "mail.ru",
    "yandex.ru",
    "gmail.com",
    "example.org",
    "inbox.ru",
];
const COUPONS: &[&str] = &[
    "Скидка 10% на следующую покупку",
    "Кофе в подарок",
    "Free dessert",
    "−500 ₽ при покупке от 3000 ₽",
    "Двойные баллы в выходные",
    "Birthday gift",
];

/// SplitMix64: tiny, fast, and the same sequence on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// How the seeded phones are written: vendors store whatever the sign-up form gave them.
fn phone_text(rng: &mut Rng, i: u64) -> String {
    let national = 9_000_000_000 + (i * 7_919 + rng.below(1000)) % 1_000_000_000;
    let s = national.to_string();
    match rng.below(4) {
        0 => format!("+7 {} {}-{}-{}", &s[0..3], &s[3..6], &s[6..8], &s[8..10]),
        1 => format!("8{s}"),
        2 => format!("7{s}"),
        _ => format!("8 ({}) {} {} {}", &s[0..3], &s[3..6], &s[6..8], &s[8..10]),
    }
}

fn transliterate(name: &str) -> String {
    const MAP: &[(char, &str)] = &[
        ('а', "a"),
        ('б', "b"),
        ('в', "v"),
        ('г', "g"),
        ('д', "d"),
        ('е', "e"),
        ('ё', "e"),
        ('ж', "zh"),
        ('з', "z"),
        ('и', "i"),
        ('й', "y"),
        ('к', "k"),
        ('л', "l"),
        ('м', "m"),
        ('н', "n"),
        ('о', "o"),
        ('п', "p"),
        ('р', "r"),
        ('с', "s"),
        ('т', "t"),
        ('у', "u"),
        ('ф', "f"),
        ('х', "h"),
        ('ц', "ts"),
        ('ч', "ch"),
        ('ш', "sh"),
        ('щ', "sch"),
        ('ы', "y"),
        ('э', "e"),
        ('ю', "yu"),
        ('я', "ya"),
        ('ь', ""),
        ('ъ', ""),
    ];
    name.to_lowercase()
        .chars()
        .map(|c| {
            MAP.iter()
                .find(|(k, _)| *k == c)
                .map_or_else(|| c.to_string(), |(_, v)| (*v).to_string())
        })
        .collect()
}

/// Seeds `count` clients (the seed's sample client first) with coupons and about six months
/// of history ending at `anchor`. Runs in one transaction; returns the number of clients.
pub fn seed(conn: &mut Connection, count: u64, anchor: Timestamp) -> Result<u64, StoreError> {
    let tx = conn.transaction()?;
    {
        let mut add_client = tx.prepare(
            "INSERT INTO clients (id, name, phone, email, phone_norm, phone_rev, email_lc, email_rev)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut add_entry = tx.prepare(
            "INSERT INTO ledger (client_id, currency, amount, at_ms, kind) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut add_coupon = tx.prepare(
            "INSERT INTO coupons (id, client_id, title, expire_ms) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut rng = Rng(0x1234_5678 ^ count);
        let anchor_ms = anchor.as_millisecond();
        let day_ms = SignedDuration::from_hours(24).as_millis() as i64;
        let mut coupon_id = SAMPLE_COUPON_ID;
        for i in 0..count {
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
                    (rng.pick(FIRST_RU), rng.pick(LAST_RU))
                } else {
                    (rng.pick(FIRST_EN), rng.pick(LAST_EN))
                };
                let name = (!rng.chance(4)).then(|| format!("{first} {last}"));
                let phone = (!rng.chance(5)).then(|| phone_text(&mut rng, i));
                let email = rng.chance(65).then(|| {
                    format!(
                        "{}.{}{}@{}",
                        transliterate(first),
                        transliterate(last),
                        i,
                        rng.pick(DOMAINS)
                    )
                });
                (name, phone, email)
            };
            let keys = ContactKeys::of(phone.as_deref(), email.as_deref());
            add_client.execute(params![
                id,
                name,
                phone,
                email,
                keys.phone_norm,
                keys.phone_rev,
                keys.email_lc,
                keys.email_rev
            ])?;

            if i == 0 {
                add_entry.execute(params![id, "points", 123_456, SAMPLE_EXPIRE_MS, "accrual"])?;
                add_entry.execute(params![id, "rubles", 432_106, SAMPLE_EXPIRE_MS, "deposit"])?;
                add_coupon.execute(params![
                    SAMPLE_COUPON_ID,
                    id,
                    "Описание купона",
                    SAMPLE_EXPIRE_MS
                ])?;
                coupon_id += 1;
                add_coupon.execute(params![
                    coupon_id,
                    id,
                    "Скидка 10% на следующую покупку",
                    anchor_ms + 30 * day_ms
                ])?;
                coupon_id += 1;
                continue;
            }

            // Accruals and deposits across the last ~180 days, oldest first, with write-offs
            // that never exceed what was there at the time.
            let entries = 4 + rng.below(17);
            let mut points: i64 = 0;
            let mut rubles: i64 = 0;
            let mut at = anchor_ms - 180 * day_ms;
            for _ in 0..entries {
                at += (rng.below(2 * 180 * day_ms as u64 / entries) as i64).max(60_000);
                let rubles_move = rng.chance(25);
                let balance = if rubles_move {
                    &mut rubles
                } else {
                    &mut points
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
                add_entry.execute(params![id, currency, amount, at, kind])?;
            }
            for _ in 0..rng.below(4) {
                let offset_days = rng.below(120) as i64 - 30;
                let expire = (!rng.chance(10)).then_some(anchor_ms + offset_days * day_ms);
                add_coupon.execute(params![coupon_id, id, rng.pick(COUPONS), expire])?;
                coupon_id += 1;
            }
        }
    }
    tx.commit()?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_cyrillic_names_for_emails() {
        assert_eq!(transliterate("Пётр"), "petr");
        assert_eq!(transliterate("Соловьёв"), "solovev");
        assert_eq!(transliterate("Emma"), "emma");
    }
}

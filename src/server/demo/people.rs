//! The demo's people: names in Russian and English, how their phones are written and the
//! emails made from their names, all drawn from one seeded `Rng` so the same `N` gives the
//! same people.

/// SplitMix64: tiny, fast, and the same sequence on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

pub const FIRST_RU: &[&str] = &[
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
/// The women's names of `FIRST_RU`: their surnames take the feminine ending.
const FEMALE_RU: &[&str] = &[
    "Анна",
    "Мария",
    "Ольга",
    "Наталья",
    "Юлия",
    "Екатерина",
    "Татьяна",
    "Ксения",
];

/// The masculine surnames of `LAST_RU` (all in -ов, -ев, -ёв); a woman's adds -а.
pub fn surname_for(first: &str, last: &str) -> String {
    if FEMALE_RU.contains(&first) {
        format!("{last}а")
    } else {
        last.to_string()
    }
}

pub const LAST_RU: &[&str] = &[
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
pub const FIRST_EN: &[&str] = &[
    "John", "Emma", "Oliver", "Sophia", "Liam", "Ava", "Noah", "Mia", "Lucas", "Zoe",
];
pub const LAST_EN: &[&str] = &[
    "Smith", "Brown", "Taylor", "Wilson", "Evans", "Walker", "Wright", "Green", "Hall",
];
pub const DOMAINS: &[&str] = &[
    "mail.ru",
    "yandex.ru",
    "gmail.com",
    "example.org",
    "inbox.ru",
];

/// How the seeded phones are written: vendors store whatever the sign-up form gave them.
pub fn phone_text(rng: &mut Rng, i: u64) -> String {
    let national = 9_000_000_000 + (i * 7_919 + rng.below(1000)) % 1_000_000_000;
    let s = national.to_string();
    match rng.below(4) {
        0 => format!("+7 {} {}-{}-{}", &s[0..3], &s[3..6], &s[6..8], &s[8..10]),
        1 => format!("8{s}"),
        2 => format!("7{s}"),
        _ => format!("8 ({}) {} {} {}", &s[0..3], &s[3..6], &s[6..8], &s[8..10]),
    }
}

pub fn transliterate(name: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_womans_surname_agrees_with_her_name() {
        assert_eq!(surname_for("Юлия", "Петров"), "Петрова");
        assert_eq!(surname_for("Ксения", "Соловьёв"), "Соловьёва");
        assert_eq!(surname_for("Пётр", "Петров"), "Петров");
        for first in FEMALE_RU {
            assert!(
                FIRST_RU.contains(first),
                "{first} is one of the first names"
            );
        }
    }

    #[test]
    fn transliterates_cyrillic_names_for_emails() {
        assert_eq!(transliterate("Пётр"), "petr");
        assert_eq!(transliterate("Соловьёв"), "solovev");
        assert_eq!(transliterate("Emma"), "emma");
    }
}

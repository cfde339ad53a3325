//! Every user-facing string, in Russian and English, and locale-aware formatting of money
//! and dates. The catalogue is a struct, so a string missing in one language does not build.

mod cli;
mod codes;
pub mod describe;
mod en;
mod format;
mod money;
mod ru;
mod text;

pub use format::{
    format_amount, format_date, format_datetime, format_day, format_decimal, format_movement,
    zone_name,
};
pub use text::Text;

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    Ru,
    En,
}

impl Locale {
    /// From `LC_ALL`, `LC_MESSAGES` or `LANG`, as POSIX orders them; English otherwise.
    pub fn from_env(env: impl Fn(&str) -> Option<String>) -> Locale {
        let value = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| env(k))
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        if value.to_lowercase().starts_with("ru") {
            Locale::Ru
        } else {
            Locale::En
        }
    }

    pub fn text(self) -> &'static Text {
        match self {
            Locale::Ru => &ru::TEXT,
            Locale::En => &en::TEXT,
        }
    }
}

/// A noun's forms after a number: Russian has three (1 клиент, 2 клиента, 5 клиентов),
/// English two (`few` = `many`).
pub struct Plural {
    pub one: &'static str,
    pub few: &'static str,
    pub many: &'static str,
}

impl Locale {
    /// `n` and its noun in the right form, `n` grouped as amounts are: `21 клиент`,
    /// `1 234 клиента`, `5 clients`. Every count shown with a noun goes through here.
    pub fn count(self, n: u64, noun: &Plural) -> String {
        let form = match self {
            Locale::Ru => match (n % 10, n % 100) {
                (_, 11..=14) => noun.many,
                (1, _) => noun.one,
                (2..=4, _) => noun.few,
                _ => noun.many,
            },
            Locale::En if n == 1 => noun.one,
            Locale::En => noun.many,
        };
        let number = format::format_decimal(self, rust_decimal::Decimal::from(n), None);
        format!("{number} {form}")
    }
}

/// Puts `arg` where the template has `{}`.
pub fn fill(template: &str, arg: impl std::fmt::Display) -> String {
    template.replacen("{}", &arg.to_string(), 1)
}

/// [`fill`] for a template with two places, filled in order.
pub fn fill2(template: &str, a: impl std::fmt::Display, b: impl std::fmt::Display) -> String {
    fill(&fill(template, a), b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_counts_follow_the_plural_rule() {
        let t = Locale::Ru.text();
        let said = |n| Locale::Ru.count(n, &t.clients);
        assert_eq!(said(1), "1 клиент");
        assert_eq!(said(2), "2 клиента");
        assert_eq!(said(5), "5 клиентов");
        assert_eq!(said(11), "11 клиентов");
        assert_eq!(said(14), "14 клиентов");
        assert_eq!(said(21), "21 клиент");
        assert_eq!(said(22), "22 клиента");
        assert_eq!(said(111), "111 клиентов");
        assert_eq!(said(5000), "5 000 клиентов");
        assert_eq!(said(0), "0 клиентов");
        let en = Locale::En.text();
        assert_eq!(Locale::En.count(1, &en.rows), "1 row");
        assert_eq!(Locale::En.count(1234, &en.rows), "1,234 rows");
    }

    #[test]
    fn locale_follows_lang() {
        let env = |k: &str| (k == "LANG").then(|| "ru_RU.UTF-8".to_string());
        assert_eq!(Locale::from_env(env), Locale::Ru);
        assert_eq!(Locale::from_env(|_| None), Locale::En);
        let both = |k: &str| match k {
            "LC_ALL" => Some("en_US.UTF-8".to_string()),
            "LANG" => Some("ru_RU.UTF-8".to_string()),
            _ => None,
        };
        assert_eq!(Locale::from_env(both), Locale::En);
    }

    #[test]
    fn fill_replaces_one_placeholder() {
        assert_eq!(fill("a {} b {}", 1), "a 1 b {}");
    }
}

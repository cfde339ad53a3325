//! Money and dates as each locale writes them.

use super::Locale;
use crate::domain::Amount;
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// `1 234,56` in Russian, `1,234.56` in English; always two decimals, minus sign kept.
pub fn format_amount(locale: Locale, amount: Amount) -> String {
    let (group, decimal) = match locale {
        Locale::Ru => (' ', ','),
        Locale::En => (',', '.'),
    };
    let minor = amount.minor();
    let abs = minor.unsigned_abs();
    let units = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push(group);
        }
        grouped.push(c);
    }
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{grouped}{decimal}{:02}", abs % 100)
}

pub fn format_date(locale: Locale, at: Timestamp, tz: &TimeZone) -> String {
    let zoned = at.to_zoned(tz.clone());
    match locale {
        Locale::Ru => zoned.strftime("%d.%m.%Y").to_string(),
        Locale::En => zoned.strftime("%Y-%m-%d").to_string(),
    }
}

pub fn format_datetime(locale: Locale, at: Timestamp, tz: &TimeZone) -> String {
    let zoned = at.to_zoned(tz.clone());
    match locale {
        Locale::Ru => zoned.strftime("%d.%m.%Y %H:%M").to_string(),
        Locale::En => zoned.strftime("%Y-%m-%d %H:%M").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_per_locale() {
        let a = Amount::from_minor(123_456_789);
        assert_eq!(format_amount(Locale::Ru, a), "1 234 567,89");
        assert_eq!(format_amount(Locale::En, a), "1,234,567.89");
        assert_eq!(format_amount(Locale::Ru, Amount::from_minor(-5)), "-0,05");
        assert_eq!(
            format_amount(Locale::En, Amount::from_minor(100_000)),
            "1,000.00"
        );
    }

    #[test]
    fn dates_per_locale() {
        let t = Timestamp::from_millisecond(1_548_968_400_000).unwrap();
        let msk = TimeZone::fixed(jiff::tz::offset(3));
        assert_eq!(format_datetime(Locale::Ru, t, &msk), "01.02.2019 00:00");
        assert_eq!(format_date(Locale::En, t, &TimeZone::UTC), "2019-01-31");
    }
}

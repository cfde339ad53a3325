//! Money and dates as each locale writes them.

use super::Locale;
use crate::domain::Amount;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use rust_decimal::Decimal;

/// `1 234,56` in Russian, `1,234.56` in English; always two decimals, minus sign kept.
pub fn format_amount(locale: Locale, amount: Amount) -> String {
    let minor = amount.minor();
    let abs = minor.unsigned_abs();
    let sign = if minor < 0 { "-" } else { "" };
    grouped(locale, &format!("{sign}{}.{:02}", abs / 100, abs % 100))
}

/// A movement of a balance as the history shows it: a credit with its `+`, a debit with its
/// minus, so the two read apart at a glance on the screen and on the command line alike.
pub fn format_movement(locale: Locale, amount: Amount) -> String {
    let text = format_amount(locale, amount);
    if amount.is_positive() {
        format!("+{text}")
    } else {
        text
    }
}

/// A vendor's decimal (a quantity, a price, a REGOS amount) as money is shown: the locale's
/// grouping and decimal mark; `places` fixes the decimals, `None` keeps up to three.
pub fn format_decimal(locale: Locale, d: Decimal, places: Option<u32>) -> String {
    let text = match places {
        Some(p) => format!("{:.*}", p as usize, d.round_dp(p)),
        None => d.round_dp(3).normalize().to_string(),
    };
    grouped(locale, &text)
}

/// `-1234.5` (as Rust prints numbers) in the locale's marks: `-1 234,5` or `-1,234.5`.
fn grouped(locale: Locale, plain: &str) -> String {
    let (group, decimal) = match locale {
        Locale::Ru => (' ', ','),
        Locale::En => (',', '.'),
    };
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain),
    };
    let (units, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut out = String::from(sign);
    for (i, c) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push(decimal);
        out.push_str(fraction);
    }
    out
}

pub fn format_date(locale: Locale, at: Timestamp, tz: &TimeZone) -> String {
    format_day(locale, at.to_zoned(tz.clone()).date())
}

/// A calendar day as rows show it and filter fields are filled: `31.12.2026`, `2026-12-31`.
pub fn format_day(locale: Locale, day: jiff::civil::Date) -> String {
    match locale {
        Locale::Ru => day.strftime("%d.%m.%Y").to_string(),
        Locale::En => day.strftime("%Y-%m-%d").to_string(),
    }
}

/// What a zone is called on screen: its IANA name, or its offset now when it has none.
pub fn zone_name(tz: &TimeZone, now: Timestamp) -> String {
    match tz.iana_name() {
        Some(name) => name.to_string(),
        None => format!("UTC{}", tz.to_offset(now)),
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
    fn decimals_are_grouped_as_amounts_are() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(format_decimal(Locale::Ru, d("2798"), Some(2)), "2 798,00");
        assert_eq!(format_decimal(Locale::En, d("2798"), Some(2)), "2,798.00");
        assert_eq!(format_decimal(Locale::Ru, d("4.4770"), None), "4,477");
        assert_eq!(
            format_decimal(Locale::En, d("-1234567.5"), None),
            "-1,234,567.5"
        );
        assert_eq!(format_decimal(Locale::Ru, d("0.005"), Some(2)), "0,00");
    }

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

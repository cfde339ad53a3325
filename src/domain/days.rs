//! A calendar day in the shop's zone as the instants that bound it, the one reading of "from
//! day X to day Y" every filter and every vendor period uses.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The first instant of `date` in `tz`.
pub fn first_instant(date: Date, tz: &TimeZone) -> Option<Timestamp> {
    date.to_zoned(tz.clone()).ok().map(|z| z.timestamp())
}

/// The last millisecond of `date` in `tz` (the next day's first instant less 1 ms: the
/// finest time the vendors' formats carry).
pub fn last_instant(date: Date, tz: &TimeZone) -> Option<Timestamp> {
    let next = first_instant(date.tomorrow().ok()?, tz)?;
    Some(next - jiff::SignedDuration::from_millis(1))
}

/// A date as cashiers write it: `31.12.2024`, `31.12.24` or `2024-12-31`; the console's
/// fields and the command line's `--from`/`--to` read the same forms.
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if let Ok(d) = text.parse::<Date>() {
        return Some(d);
    }
    let parts: Vec<&str> = text.split(['.', '/']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let (d, m, mut y): (i8, i8, i16) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    if y < 100 {
        y += 2000;
    }
    Date::new(y, m, d).ok()
}

/// [`parse_date`] for a command-line argument, saying which forms it takes.
pub fn date_argument(text: &str) -> Result<Date, String> {
    parse_date(text)
        .ok_or_else(|| format!("{text:?} is not a date: write 31.12.2026, 31.12.26 or 2026-12-31"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_common_forms() {
        let d = Date::new(2024, 12, 31).unwrap();
        assert_eq!(parse_date("31.12.2024"), Some(d));
        assert_eq!(parse_date("31.12.24"), Some(d));
        assert_eq!(parse_date("2024-12-31"), Some(d));
        assert_eq!(parse_date(" 31/12/2024 "), Some(d));
        assert_eq!(parse_date("31.13.2024"), None);
        assert_eq!(parse_date("29.02.2025"), None);
        assert_eq!(parse_date("завтра"), None);
        assert_eq!(
            date_argument("05.12.2026"),
            Ok(Date::new(2026, 12, 5).unwrap())
        );
        let said = date_argument("5 декабря").unwrap_err();
        assert!(said.contains("31.12.2026"), "{said}");
    }
    use jiff::civil::date;

    #[test]
    fn a_day_runs_from_its_first_instant_to_its_last_millisecond() {
        let msk = TimeZone::fixed(jiff::tz::offset(3));
        let d = date(2026, 11, 18);
        assert_eq!(
            first_instant(d, &msk).unwrap().to_string(),
            "2026-11-17T21:00:00Z"
        );
        assert_eq!(
            last_instant(d, &msk).unwrap().to_string(),
            "2026-11-18T20:59:59.999Z"
        );
        assert!(last_instant(Date::MAX, &msk).is_none());
    }
}

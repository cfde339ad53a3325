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

#[cfg(test)]
mod tests {
    use super::*;
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

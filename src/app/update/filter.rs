//! The history period filter: two dates, either may be empty.

use super::super::keys::Action;
use super::super::model::{Dialog, FilterDialog, FilterField, Model};
use super::super::msg::Cmd;
use super::card;
use crate::app::key::Key;
use crate::domain::days;
use crate::i18n::format_date;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use tui_input::Input;

/// `f` on the history: edit the period, prefilled with the current one.
pub fn open(model: &mut Model) -> Vec<Cmd> {
    let Some(card) = model.card.as_ref() else {
        return Vec::new();
    };
    // Filled as the history's rows show dates, so what is read there can be typed here.
    let show = |t: Option<Timestamp>| {
        t.map(|t| format_date(model.locale, t, &model.tz))
            .unwrap_or_default()
    };
    model.dialog = Some(Dialog::HistoryFilter(FilterDialog {
        from: Input::new(show(card.history.from)),
        to: Input::new(show(card.history.to)),
        field: FilterField::From,
        invalid: None,
    }));
    Vec::new()
}

/// A date as cashiers write it: `31.12.2024`, `31.12.24` or `2024-12-31`.
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

fn bound(text: &str, tz: &TimeZone, end_of_day: bool) -> Result<Option<Timestamp>, ()> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let date = parse_date(text).ok_or(())?;
    let bound = if end_of_day {
        days::last_instant(date, tz)
    } else {
        days::first_instant(date, tz)
    };
    bound.map(Some).ok_or(())
}

pub fn on_key(model: &mut Model, action: Option<Action>, key: Key) -> Vec<Cmd> {
    let tz = model.tz.clone();
    let keymap = model.keymap.clone();
    let Some(Dialog::HistoryFilter(d)) = model.dialog.as_mut() else {
        return Vec::new();
    };
    match action {
        Some(Action::Cancel) => model.dialog = None,
        Some(Action::NextField) => {
            d.field = match d.field {
                FilterField::From => FilterField::To,
                FilterField::To => FilterField::From,
            }
        }
        Some(Action::Submit) => {
            let from = bound(d.from.value(), &tz, false);
            let to = bound(d.to.value(), &tz, true);
            match (from, to) {
                (Err(()), _) => d.invalid = Some(FilterField::From),
                (_, Err(())) => d.invalid = Some(FilterField::To),
                (Ok(from), Ok(to)) => {
                    model.dialog = None;
                    if let Some(card) = model.card.as_mut() {
                        card.history.from = from;
                        card.history.to = to;
                        card.history.offset = 0;
                        card.history.selected = 0;
                    }
                    return card::load_history(model);
                }
            }
        }
        _ => {
            let input = match d.field {
                FilterField::From => &mut d.from,
                FilterField::To => &mut d.to,
            };
            if super::typed(&keymap, input, key) {
                d.invalid = None;
            }
        }
    }
    Vec::new()
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
        assert_eq!(parse_date("31.13.2024"), None);
        assert_eq!(parse_date("завтра"), None);
    }

    #[test]
    fn a_period_covers_whole_days() {
        let from = bound("01.02.2019", &TimeZone::UTC, false).unwrap().unwrap();
        let to = bound("01.02.2019", &TimeZone::UTC, true).unwrap().unwrap();
        assert_eq!(from.as_millisecond(), 1_548_979_200_000);
        assert_eq!(to.as_millisecond(), 1_548_979_200_000 + 86_400_000 - 1);
    }
}

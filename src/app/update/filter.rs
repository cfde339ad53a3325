//! The history period filter: two dates, either may be empty.

use super::super::keys::Action;
use super::super::model::{Dialog, FilterDialog, FilterField, Model};
use super::super::msg::Cmd;
use super::card;
use crate::app::keys::key::Key;
use crate::domain::days;
use crate::i18n::format_date;
use jiff::Timestamp;
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

fn bound(text: &str, tz: &TimeZone, end_of_day: bool) -> Result<Option<Timestamp>, ()> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let date = days::parse_date(text).ok_or(())?;
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
    fn a_period_covers_whole_days() {
        let from = bound("01.02.2019", &TimeZone::UTC, false).unwrap().unwrap();
        let to = bound("01.02.2019", &TimeZone::UTC, true).unwrap().unwrap();
        assert_eq!(from.as_millisecond(), 1_548_979_200_000);
        assert_eq!(to.as_millisecond(), 1_548_979_200_000 + 86_400_000 - 1);
    }
}

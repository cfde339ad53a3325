//! F5: Mloyalty's registrations in a period — presets, a custom period and point of sale.

use super::super::keys::Action;
use super::super::model::{
    DayState, Model, Preset, REGISTRATION_WINDOW, RegistrationDays, RegistrationField,
};
use super::super::msg::{Cmd, Export, Reply, RequestId};
use crate::app::keys::key::Key;
use crate::domain::admin::{REGISTRATION_DAYS_MAX, Registration, RegistrationQuery};
use crate::domain::days::parse_date;
use crate::i18n::format_day;
use jiff::Timestamp;
use jiff::civil::Date;

/// F5's keys beyond the shared ones (filter, arrows).
pub fn on_key(model: &mut Model, action: Action) -> Vec<Cmd> {
    match action {
        Action::NextPreset => {
            let r = &mut model.registrations;
            r.preset = match r.preset {
                Preset::Today => Preset::Yesterday,
                Preset::Yesterday => Preset::ThisMonth,
                Preset::ThisMonth => Preset::ThisYear,
                Preset::ThisYear | Preset::Custom => Preset::Today,
            };
            apply_registrations(model)
        }
        Action::Refresh => apply_registrations(model),
        Action::Export => match model.registrations.query {
            Some(q) => super::tables::export(
                model,
                Export::Registrations {
                    query: q,
                    zone: model.registrations.zone.clone(),
                },
            ),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// The filter applied: a custom period.
pub fn apply(model: &mut Model) -> Vec<Cmd> {
    model.registrations.preset = Preset::Custom;
    apply_registrations(model)
}

/// The days a preset stands for, counted in the shop's zone.
pub fn preset_days(
    preset: Preset,
    now: Timestamp,
    tz: &jiff::tz::TimeZone,
) -> Option<(Date, Date)> {
    let today = now.to_zoned(tz.clone()).date();
    Some(match preset {
        Preset::Today => (today, today),
        Preset::Yesterday => {
            let y = today.yesterday().ok()?;
            (y, y)
        }
        Preset::ThisMonth => (today.first_of_month(), today),
        Preset::ThisYear => (Date::new(today.year(), 1, 1).ok()?, today),
        Preset::Custom => return None,
    })
}

pub fn apply_registrations(model: &mut Model) -> Vec<Cmd> {
    let (now, locale) = (model.now, model.locale);
    let tz = model.registrations.zone.clone();
    let r = &mut model.registrations;
    // As the rows show dates, so a date read in the table can be typed back.
    let show = |d: Date| format_day(locale, d);
    let (from, to) = match preset_days(r.preset, now, &tz) {
        Some((from, to)) => {
            // The fields show the period a preset chose, ready to be adjusted.
            r.filter.set(RegistrationField::From, show(from));
            r.filter.set(RegistrationField::To, show(to));
            (from, to)
        }
        None => {
            let from = parse_date(r.filter.value(RegistrationField::From));
            let to = parse_date(r.filter.value(RegistrationField::To));
            match (from, to) {
                (Some(from), Some(to)) if from <= to => (from, to),
                (None, _) => {
                    r.filter.invalid = Some(RegistrationField::From);
                    return Vec::new();
                }
                _ => {
                    r.filter.invalid = Some(RegistrationField::To);
                    return Vec::new();
                }
            }
        }
    };
    let pos = match r.filter.value(RegistrationField::PointOfSale) {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(p) if p > 0 => Some(p),
            _ => {
                r.filter.invalid = Some(RegistrationField::PointOfSale);
                return Vec::new();
            }
        },
    };
    let query = RegistrationQuery { from, to, pos };
    // A mistyped year would be thousands of requests: the first field is what to fix.
    if query.day_count() > REGISTRATION_DAYS_MAX {
        r.filter.invalid = Some(RegistrationField::From);
        return Vec::new();
    }
    r.filter.editing = false;
    r.filter.invalid = None;
    r.query = Some(query);
    r.days = RegistrationDays::new(query.days().map(|d| d.from));
    r.selected = 0;
    r.outside_period = 0;
    count_next(model)
}

/// Asks for the next day not yet counted, if any: one at a time, in order, so the first
/// page comes first and the vendor is never asked for the whole period at once.
fn count_next(model: &mut Model) -> Vec<Cmd> {
    let Some(query) = model.registrations.query else {
        return Vec::new();
    };
    let Some(day) = model.registrations.days.next_waiting() else {
        model.registrations.days.counting = None;
        return Vec::new();
    };
    let id = model.next_id();
    let r = &mut model.registrations;
    r.days.counting = Some((id, day));
    ask_day(id, query, r.days.days[day].0)
}

/// The request for one day of the period's query.
fn ask_day(id: RequestId, query: RegistrationQuery, date: Date) -> Vec<Cmd> {
    vec![Cmd::LoadRegistrations {
        id,
        query: RegistrationQuery {
            from: date,
            to: date,
            pos: query.pos,
        },
    }]
}

/// After the selection moved: lets go of the rows of days away from it and asks again for
/// those of a day near it that were let go (one such request at a time).
pub fn keep_near_selection(model: &mut Model) -> Vec<Cmd> {
    let r = &mut model.registrations;
    let (Some(query), Some(day)) = (r.query, r.days.keep_near(r.selected)) else {
        return Vec::new();
    };
    if r.days.paging.is_some() || r.days.counting.is_some_and(|(_, d)| d == day) {
        return Vec::new();
    }
    let id = model.next_id();
    let r = &mut model.registrations;
    r.days.paging = Some((id, day));
    ask_day(id, query, r.days.days[day].0)
}

/// F5's table keys: the shared ones, then the rows near the new selection.
pub fn on_table_key(model: &mut Model, action: Option<Action>, key: Key) -> Vec<Cmd> {
    let mut cmds = super::tables::on_key(model, action, key);
    if matches!(action, Some(Action::Move(_))) {
        cmds.extend(keep_near_selection(model));
    }
    cmds
}

/// A day's rows, with those the vendor sent from outside the day left out and counted: a
/// vendor that ignores `BegDate`/`EndDate` answers with rows of any day, and a row shown under
/// «сегодня» must be from today. The day is the vendor's zone's, bounded by the same instants
/// the adapter sends. A reply for a request no longer waited for is dropped; a day refused or
/// failed is said (on the status line, in the vendor's words) and left out of the totals,
/// which then say they are incomplete.
pub fn registrations_loaded(
    model: &mut Model,
    id: RequestId,
    result: Reply<Vec<Registration>>,
) -> Vec<Cmd> {
    let r = &mut model.registrations;
    let counted = r.days.counting.filter(|(pending, _)| *pending == id);
    let paged = r.days.paging.filter(|(pending, _)| *pending == id);
    let Some((_, day)) = counted.or(paged) else {
        return Vec::new();
    };
    let date = r.days.days[day].0;
    let result = result.map(|rows| {
        let asked = RegistrationQuery {
            from: date,
            to: date,
            pos: None,
        };
        let (kept, left_out) = asked.within(rows, &r.zone);
        (kept, left_out)
    });
    if counted.is_some() {
        match result {
            Ok((rows, left_out)) => {
                r.outside_period += left_out;
                let keep = r.days.total() <= r.selected + REGISTRATION_WINDOW;
                r.days.count(day, rows, keep);
            }
            Err(e) => {
                r.days.days[day].1 = DayState::Missing(e.clone());
                model.error = Some(e);
            }
        }
        let mut cmds = count_next(model);
        cmds.extend(keep_near_selection(model));
        return cmds;
    }
    r.days.paging = None;
    match result {
        Ok((rows, _)) => {
            if let DayState::Counted { cached, .. } = &mut r.days.days[day].1 {
                *cached = Some(rows);
            }
        }
        Err(e) => model.error = Some(e),
    }
    keep_near_selection(model)
}

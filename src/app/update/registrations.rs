//! F5: Mloyalty's registrations in a period — presets, a custom period and point of sale.

use super::super::keys::Action;
use super::super::model::{Model, Preset, RegistrationField};
use super::super::msg::{Cmd, Export, Reply, RequestId};
use crate::domain::admin::{Registration, RegistrationQuery};
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
    r.filter.editing = false;
    r.filter.invalid = None;
    let query = RegistrationQuery { from, to, pos };
    r.query = Some(query);
    let id = model.next_id();
    model.registrations.rows.start(id);
    model.registrations.selected = 0;
    vec![Cmd::LoadRegistrations { id, query }]
}

/// The vendor's rows, with those it sent from outside the period left out and counted: a
/// vendor that ignores `BegDate`/`EndDate` answers with rows of any day, and a row shown under
/// «сегодня» must be from today. The period's days are the vendor's zone's, bounded by the
/// same instants the adapter sends.
pub fn registrations_loaded(
    model: &mut Model,
    id: RequestId,
    result: Reply<Vec<Registration>>,
) -> Vec<Cmd> {
    let r = &mut model.registrations;
    let mut outside = None;
    let result = result.map(|rows| match r.query {
        Some(query) => {
            let (kept, left_out) = query.within(rows, &r.zone);
            outside = Some(left_out);
            kept
        }
        None => rows,
    });
    if r.rows.accept_reporting(id, result, &mut model.error) && r.rows.error.is_none() {
        r.outside_period = outside.unwrap_or(0);
    }
    Vec::new()
}

//! F4–F6: the admin tables — Poster accumulations, Mloyalty registrations, REGOS card
//! operations — with their filter fields, paging and CSV export.

use super::super::keys::Action;
use super::super::model::{
    ADMIN_PAGE, CardPicker, Dialog, FilterForm, Model, Notice, Preset, Screen,
};
use super::super::msg::{Cmd, Export, Exported, Reply, RequestId};
use super::filter::parse_date;
use crate::domain::admin::{
    AccumulationPage, AccumulationQuery, CardOperationPage, CardOperationQuery, OperationKind,
    Promotion, Registration, RegistrationQuery, RetailCard, SortColumn, SortDirection,
};
use crate::domain::{ErrorKind, days};
use jiff::Timestamp;
use jiff::civil::Date;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use std::time::Duration;

/// Fields of the registrations filter.
pub const REG_FROM: usize = 0;
pub const REG_TO: usize = 1;
pub const REG_POS: usize = 2;
/// Fields of the card operations filter.
pub const OPS_CARD: usize = 0;
pub const OPS_PROMO: usize = 1;
pub const OPS_FROM: usize = 2;
pub const OPS_TO: usize = 3;

fn filter(model: &mut Model) -> Option<&mut FilterForm> {
    match model.screen {
        Screen::Accumulations => Some(&mut model.accumulations.filter),
        Screen::Registrations => Some(&mut model.registrations.filter),
        Screen::CardOperations => Some(&mut model.card_operations.filter),
        Screen::Clients | Screen::Groups | Screen::Journal => None,
    }
}

/// Whether the keyboard is in the filter fields of the current screen.
pub fn editing(model: &Model) -> bool {
    match model.screen {
        Screen::Accumulations => model.accumulations.filter.editing,
        Screen::Registrations => model.registrations.filter.editing,
        Screen::CardOperations => model.card_operations.filter.editing,
        Screen::Clients | Screen::Groups | Screen::Journal => false,
    }
}

/// What opening a screen for the first time loads.
pub fn first_load(model: &mut Model) -> Vec<Cmd> {
    match model.screen {
        Screen::Accumulations if model.accumulations.rows.data.is_none() => {
            let mut cmds = load_accumulations(model);
            let id = model.next_id();
            model.accumulations.promotions.start(id);
            cmds.push(Cmd::LoadPromotions { id });
            cmds
        }
        Screen::Registrations if model.registrations.query.is_none() => apply_registrations(model),
        Screen::CardOperations if model.card_operations.query.is_none() => {
            // Nothing to show before a card is named: start in its field.
            model.card_operations.filter.editing = true;
            model.card_operations.filter.field = OPS_CARD;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

pub fn on_filter_key(model: &mut Model, action: Option<Action>, key: KeyEvent) -> Vec<Cmd> {
    let Some(f) = filter(model) else {
        return Vec::new();
    };
    match action {
        Some(Action::Cancel) => f.editing = false,
        Some(Action::NextField) => {
            let len = f.inputs.len().max(1);
            f.field = if key.code == KeyCode::BackTab {
                (f.field + len - 1) % len
            } else {
                (f.field + 1) % len
            };
        }
        Some(Action::Submit) => return apply(model),
        _ => {
            let field = f.field;
            if let Some(input) = f.inputs.get_mut(field)
                && super::typed(input, key)
            {
                f.invalid = None;
            }
        }
    }
    Vec::new()
}

fn apply(model: &mut Model) -> Vec<Cmd> {
    match model.screen {
        Screen::Accumulations => {
            let f = &mut model.accumulations.filter;
            let text = f.value(0);
            let client = if text.is_empty() {
                None
            } else {
                match text.parse::<i64>() {
                    Ok(id) => Some(id),
                    Err(_) => {
                        f.invalid = Some(0);
                        return Vec::new();
                    }
                }
            };
            f.editing = false;
            model.accumulations.client = client;
            model.accumulations.offset = 0;
            model.accumulations.walked = 0;
            load_accumulations(model)
        }
        Screen::Registrations => {
            model.registrations.preset = Preset::Custom;
            apply_registrations(model)
        }
        Screen::CardOperations => apply_card_operations(model),
        Screen::Clients | Screen::Groups | Screen::Journal => Vec::new(),
    }
}

pub fn on_key(model: &mut Model, action: Action) -> Vec<Cmd> {
    match (model.screen, action) {
        (_, Action::EditFilter) => {
            if let Some(f) = filter(model) {
                f.editing = true;
            }
            Vec::new()
        }
        (_, Action::Up | Action::Down) => {
            let (selected, len) = match model.screen {
                Screen::Accumulations => (
                    &mut model.accumulations.selected,
                    model.accumulations.rows.data.as_ref().map_or(0, Vec::len),
                ),
                Screen::Registrations => (
                    &mut model.registrations.selected,
                    model.registrations.rows.data.as_ref().map_or(0, Vec::len),
                ),
                Screen::CardOperations => (
                    &mut model.card_operations.selected,
                    model
                        .card_operations
                        .rows
                        .data
                        .as_ref()
                        .map_or(0, |p| p.operations.len()),
                ),
                _ => return Vec::new(),
            };
            super::step_selection(selected, len, action == Action::Up);
            Vec::new()
        }
        (Screen::Accumulations, Action::Back) => stop_walk(model),
        (Screen::Accumulations, Action::PagePrev | Action::PageNext) => {
            let a = &mut model.accumulations;
            // Poster pages by clients: a page that held a full page of them may have more.
            let full = a.rows.data.is_some() && a.clients_on_page >= ADMIN_PAGE;
            a.offset = match action {
                Action::PageNext if full => a.offset + ADMIN_PAGE,
                Action::PagePrev if a.offset > 0 => a.offset.saturating_sub(ADMIN_PAGE),
                _ => return Vec::new(),
            };
            load_accumulations(model)
        }
        (Screen::Accumulations, Action::Refresh) => load_accumulations(model),
        (Screen::Registrations, Action::NextPreset) => {
            let r = &mut model.registrations;
            r.preset = match r.preset {
                Preset::Today => Preset::Yesterday,
                Preset::Yesterday => Preset::ThisMonth,
                Preset::ThisMonth => Preset::ThisYear,
                Preset::ThisYear | Preset::Custom => Preset::Today,
            };
            apply_registrations(model)
        }
        (Screen::Registrations, Action::Refresh) => apply_registrations(model),
        (Screen::Registrations, Action::Export) => match model.registrations.query {
            Some(q) => export(model, Export::Registrations(q)),
            None => Vec::new(),
        },
        (Screen::CardOperations, Action::CycleType) => {
            let o = &mut model.card_operations;
            o.kind = match o.kind {
                None => Some(OperationKind::Income),
                Some(OperationKind::Income) => Some(OperationKind::Outcome),
                Some(OperationKind::Outcome) => None,
            };
            requery(model)
        }
        (Screen::CardOperations, Action::CycleSort) => {
            let o = &mut model.card_operations;
            let at = SortColumn::ALL
                .iter()
                .position(|c| *c == o.sort)
                .unwrap_or(0);
            o.sort = SortColumn::ALL[(at + 1) % SortColumn::ALL.len()];
            requery(model)
        }
        (Screen::CardOperations, Action::ToggleOrder) => {
            let o = &mut model.card_operations;
            o.direction = match o.direction {
                SortDirection::Asc => SortDirection::Desc,
                SortDirection::Desc => SortDirection::Asc,
            };
            requery(model)
        }
        (Screen::CardOperations, Action::PagePrev | Action::PageNext) => {
            let o = &model.card_operations;
            let (Some(query), Some(page)) = (o.query, o.rows.data.as_ref()) else {
                return Vec::new();
            };
            let offset = match action {
                Action::PageNext => match page.next_offset {
                    Some(next) => next,
                    None if page.operations.len() as u32 >= query.limit => {
                        query.offset + query.limit
                    }
                    None => return Vec::new(),
                },
                _ if query.offset > 0 => query.offset.saturating_sub(query.limit),
                _ => return Vec::new(),
            };
            load_card_operations(model, CardOperationQuery { offset, ..query })
        }
        (Screen::CardOperations, Action::Refresh) => match model.card_operations.query {
            Some(q) => load_card_operations(model, q),
            None => Vec::new(),
        },
        (Screen::CardOperations, Action::Export) => match model.card_operations.query {
            Some(q) => export(
                model,
                Export::CardOperations(CardOperationQuery { offset: 0, ..q }),
            ),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn load_accumulations(model: &mut Model) -> Vec<Cmd> {
    let id = model.next_id();
    let a = &mut model.accumulations;
    a.rows.start(id);
    a.selected = 0;
    let query = AccumulationQuery {
        client_id: a.client,
        offset: a.offset,
        limit: ADMIN_PAGE,
    };
    vec![Cmd::LoadAccumulations { id, query }]
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

fn apply_registrations(model: &mut Model) -> Vec<Cmd> {
    let (now, tz) = (model.now, model.tz.clone());
    let r = &mut model.registrations;
    let show = |d: Date| d.strftime("%d.%m.%Y").to_string();
    let (from, to) = match preset_days(r.preset, now, &tz) {
        Some((from, to)) => {
            // The fields show the period a preset chose, ready to be adjusted.
            r.filter.inputs[REG_FROM] = show(from).into();
            r.filter.inputs[REG_TO] = show(to).into();
            (from, to)
        }
        None => {
            let from = parse_date(r.filter.value(REG_FROM));
            let to = parse_date(r.filter.value(REG_TO));
            match (from, to) {
                (Some(from), Some(to)) if from <= to => (from, to),
                (None, _) => {
                    r.filter.invalid = Some(REG_FROM);
                    return Vec::new();
                }
                _ => {
                    r.filter.invalid = Some(REG_TO);
                    return Vec::new();
                }
            }
        }
    };
    let pos = match r.filter.value(REG_POS) {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(p) if p > 0 => Some(p),
            _ => {
                r.filter.invalid = Some(REG_POS);
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

/// A day's bounds in the shop's zone: its first instant, or its last.
fn day_bound(date: Date, tz: &jiff::tz::TimeZone, end: bool) -> Option<Timestamp> {
    if end {
        days::last_instant(date, tz)
    } else {
        days::first_instant(date, tz)
    }
}

fn apply_card_operations(model: &mut Model) -> Vec<Cmd> {
    let tz = model.tz.clone();
    let o = &mut model.card_operations;
    let f = &mut o.filter;
    let id_field = |text: &str| text.parse::<i64>().ok().filter(|v| *v > 0);
    let card_text = f.value(OPS_CARD).trim().to_string();
    if looks_like_a_search(&card_text) {
        return find_cards(model, card_text);
    }
    let Some(card) = id_field(&card_text) else {
        f.invalid = Some(OPS_CARD);
        return Vec::new();
    };
    let Some(promo) = id_field(f.value(OPS_PROMO)) else {
        f.invalid = Some(OPS_PROMO);
        return Vec::new();
    };
    let mut bounds = [None, None];
    for (slot, field) in [(0, OPS_FROM), (1, OPS_TO)] {
        let text = f.value(field);
        if text.is_empty() {
            continue;
        }
        match parse_date(text).and_then(|d| day_bound(d, &tz, field == OPS_TO)) {
            Some(t) => bounds[slot] = Some(t),
            None => {
                f.invalid = Some(field);
                return Vec::new();
            }
        }
    }
    f.editing = false;
    f.invalid = None;
    let query = CardOperationQuery {
        card_id: card,
        promo_id: promo,
        kind: o.kind,
        from: bounds[0],
        to: bounds[1],
        sort: o.sort,
        direction: o.direction,
        offset: 0,
        limit: ADMIN_PAGE,
    };
    load_card_operations(model, query)
}

/// Type, sort and order change the query on screen and start again from its first page.
fn requery(model: &mut Model) -> Vec<Cmd> {
    let o = &model.card_operations;
    match o.query {
        Some(q) => {
            let query = CardOperationQuery {
                kind: o.kind,
                sort: o.sort,
                direction: o.direction,
                offset: 0,
                ..q
            };
            load_card_operations(model, query)
        }
        None => Vec::new(),
    }
}

fn load_card_operations(model: &mut Model, query: CardOperationQuery) -> Vec<Cmd> {
    let id = model.next_id();
    let o = &mut model.card_operations;
    o.query = Some(query);
    o.rows.start(id);
    o.selected = 0;
    vec![Cmd::LoadCardOperations { id, query }]
}

pub fn export(model: &mut Model, export: Export) -> Vec<Cmd> {
    if model.exporting.is_some() {
        return Vec::new();
    }
    let id = model.next_id();
    model.exporting = Some(id);
    model.error = None;
    vec![Cmd::Export { id, export }]
}

pub fn exported(model: &mut Model, id: RequestId, result: Reply<Exported>) -> Vec<Cmd> {
    if model.exporting != Some(id) {
        return Vec::new();
    }
    model.exporting = None;
    match result {
        Ok(done) => {
            model.notice = Some(Notice::Exported {
                path: done.path,
                rows: done.rows,
            })
        }
        Err(e) => model.error = Some(e),
    }
    Vec::new()
}

/// Most of Poster's pages read while looking for one client: past this the admin is told.
const MAX_WALK: u32 = 100;

pub fn accumulations_loaded(
    model: &mut Model,
    id: RequestId,
    result: Reply<AccumulationPage>,
) -> Vec<Cmd> {
    let a = &mut model.accumulations;
    if a.rows.pending != Some(id) {
        return Vec::new();
    }
    if let (Ok(page), Some(client)) = (&result, a.client)
        && page.rows.is_empty()
        && page.clients >= ADMIN_PAGE
    {
        // Poster has no client filter: the client may be on a later page of its clients.
        if a.walked + 1 < MAX_WALK {
            a.walked += 1;
            a.offset += ADMIN_PAGE;
            model.notice = Some(Notice::LookingForClient {
                client,
                page: a.walked + 1,
            });
            return load_accumulations(model);
        }
        model.notice = Some(Notice::ClientNotFound {
            client,
            pages: a.walked + 1,
        });
    } else if matches!(model.notice, Some(Notice::LookingForClient { .. })) {
        model.notice = None;
    }
    let a = &mut model.accumulations;
    a.walked = 0;
    let result = result.map(|page| {
        a.clients_on_page = page.clients;
        page.rows
    });
    a.rows.accept_reporting(id, result, &mut model.error);
    Vec::new()
}

pub fn promotions_loaded(
    model: &mut Model,
    id: RequestId,
    result: Reply<Vec<Promotion>>,
) -> Vec<Cmd> {
    model
        .accumulations
        .promotions
        .accept_reporting(id, result, &mut model.error);
    Vec::new()
}

/// Esc while looking for a client through Poster's pages stops the walk.
fn stop_walk(model: &mut Model) -> Vec<Cmd> {
    let a = &mut model.accumulations;
    if let (Some(client), true) = (a.client, a.walked > 0) {
        model.notice = Some(Notice::ClientNotFound {
            client,
            pages: a.walked,
        });
        a.walked = 0;
        a.rows.pending = None;
        a.rows.data = Some(Vec::new());
    }
    Vec::new()
}

pub fn registrations_loaded(
    model: &mut Model,
    id: RequestId,
    result: Reply<Vec<Registration>>,
) -> Vec<Cmd> {
    model
        .registrations
        .rows
        .accept_reporting(id, result, &mut model.error);
    Vec::new()
}

/// How many times in a row a page is asked for again after REGOS says to wait; then the
/// rate limit is shown as the error it is.
const MAX_WAITS: u8 = 3;

pub fn card_operations_loaded(
    model: &mut Model,
    id: RequestId,
    result: Reply<CardOperationPage>,
) -> Vec<Cmd> {
    let o = &mut model.card_operations;
    if o.rows.pending != Some(id) {
        return Vec::new();
    }
    if let Err(e) = &result
        && e.kind == ErrorKind::RateLimited
        && o.waits < MAX_WAITS
    {
        // Still pending: the page waits as REGOS asked, and the status bar says so.
        o.waits += 1;
        let delay = e.retry_after.unwrap_or(Duration::from_secs(1));
        model.notice = Some(Notice::RateLimited {
            seconds: delay.as_secs_f64().ceil() as u64,
        });
        return vec![Cmd::RetryLater { id, delay }];
    }
    o.waits = 0;
    o.rows.accept_reporting(id, result, &mut model.error);
    Vec::new()
}

/// The wait is over: the same page is asked for again, unless another request took its
/// place meanwhile.
pub fn retry_card_operations(model: &mut Model, id: RequestId) -> Vec<Cmd> {
    let o = &model.card_operations;
    match o.query {
        Some(query) if o.rows.pending == Some(id) => {
            if matches!(model.notice, Some(Notice::RateLimited { .. })) {
                model.notice = None;
            }
            load_card_operations(model, query)
        }
        _ => Vec::new(),
    }
}

/// Card ids are short numbers; a phone or a barcode is ten digits or more, and a name has
/// letters: those find the card first.
fn looks_like_a_search(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    !text.is_empty() && (text.chars().any(|c| !c.is_ascii_digit()) || digits >= 10)
}

/// Shortest text worth a card search (REGOS matches on parts of names and numbers).
const MIN_CARD_SEARCH: usize = 3;

fn find_cards(model: &mut Model, text: String) -> Vec<Cmd> {
    if text.chars().count() < MIN_CARD_SEARCH {
        model.card_operations.filter.invalid = Some(OPS_CARD);
        return Vec::new();
    }
    let id = model.next_id();
    let mut cards = super::super::model::Remote::default();
    cards.start(id);
    model.dialog = Some(Dialog::CardPicker(CardPicker {
        text: text.clone(),
        cards,
        selected: 0,
    }));
    vec![Cmd::FindCards { id, text }]
}

pub fn cards_found(model: &mut Model, id: RequestId, result: Reply<Vec<RetailCard>>) -> Vec<Cmd> {
    if let Some(Dialog::CardPicker(p)) = model.dialog.as_mut() {
        p.cards.accept_reporting(id, result, &mut model.error);
        p.selected = 0;
    }
    Vec::new()
}

/// The picker: arrows choose, Enter puts the card and its promotion into the filter and
/// shows its operations, Esc goes back to the filter.
pub fn on_picker_key(model: &mut Model, action: Option<Action>) -> Vec<Cmd> {
    let Some(Dialog::CardPicker(p)) = model.dialog.as_mut() else {
        return Vec::new();
    };
    let cards = p.cards.data.as_deref().unwrap_or_default();
    match action {
        Some(Action::Up | Action::Down) => {
            super::step_selection(&mut p.selected, cards.len(), action == Some(Action::Up));
            Vec::new()
        }
        Some(Action::Cancel) => {
            model.dialog = None;
            Vec::new()
        }
        Some(Action::Submit) => {
            let Some(card) = cards.get(p.selected).cloned() else {
                return Vec::new();
            };
            model.dialog = None;
            let f = &mut model.card_operations.filter;
            f.inputs[OPS_CARD] = card.id.to_string().into();
            if let Some(promo) = card.promo_id {
                f.inputs[OPS_PROMO] = promo.to_string().into();
            }
            apply_card_operations(model)
        }
        _ => Vec::new(),
    }
}

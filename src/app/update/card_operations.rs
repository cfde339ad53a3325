//! F6: REGOS card operations — a card by id or found by phone, barcode or name; type, sort,
//! order, pages; waits when REGOS says so.

use super::super::keys::Action;
use super::super::model::{ADMIN_PAGE, CardOperationField, CardPicker, Dialog, Model, Notice};
use super::super::msg::{Cmd, Export, Reply, RequestId};
use crate::domain::admin::{
    CardOperation, CardOperationPage, CardOperationQuery, Expiry, OperationKind, RetailCard,
    SortColumn, SortDirection,
};
use crate::domain::days::parse_date;
use crate::domain::{ErrorKind, days};
use jiff::Timestamp;
use jiff::civil::Date;
use std::time::Duration;

/// F6's keys beyond the shared ones (filter, arrows).
pub fn on_key(model: &mut Model, action: Action) -> Vec<Cmd> {
    match action {
        Action::CycleType => {
            let o = &mut model.card_operations;
            o.kind = match o.kind {
                None => Some(OperationKind::Income),
                Some(OperationKind::Income) => Some(OperationKind::Outcome),
                Some(OperationKind::Outcome) => None,
            };
            requery(model)
        }
        Action::CycleSort => {
            let o = &mut model.card_operations;
            let at = SortColumn::ALL
                .iter()
                .position(|c| *c == o.sort)
                .unwrap_or(0);
            o.sort = SortColumn::ALL[(at + 1) % SortColumn::ALL.len()];
            requery(model)
        }
        Action::ToggleOrder => {
            let o = &mut model.card_operations;
            o.direction = match o.direction {
                SortDirection::Asc => SortDirection::Desc,
                SortDirection::Desc => SortDirection::Asc,
            };
            requery(model)
        }
        Action::PagePrev | Action::PageNext => {
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
        Action::Refresh => match model.card_operations.query {
            Some(q) => load_card_operations(model, q),
            None => Vec::new(),
        },
        Action::Export => match model.card_operations.query {
            Some(q) => super::tables::export(
                model,
                Export::CardOperations(CardOperationQuery { offset: 0, ..q }),
            ),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Nothing to show before a card is named: F6 starts in its field.
pub fn first_load(model: &mut Model) -> Vec<Cmd> {
    model.card_operations.filter.editing = true;
    model.card_operations.filter.field = CardOperationField::Card;
    Vec::new()
}

/// A day's bounds in the shop's zone: its first instant, or its last.
fn day_bound(date: Date, tz: &jiff::tz::TimeZone, end: bool) -> Option<Timestamp> {
    if end {
        days::last_instant(date, tz)
    } else {
        days::first_instant(date, tz)
    }
}

pub fn apply_card_operations(model: &mut Model) -> Vec<Cmd> {
    let tz = model.tz.clone();
    let o = &mut model.card_operations;
    let f = &mut o.filter;
    let id_field = |text: &str| text.parse::<i64>().ok().filter(|v| *v > 0);
    let card = match card_text(f.value(CardOperationField::Card)) {
        CardText::Id(card) => card,
        CardText::Search(text) => return find_cards(model, text),
        CardText::Invalid => {
            f.invalid = Some(CardOperationField::Card);
            return Vec::new();
        }
    };
    let Some(promo) = id_field(f.value(CardOperationField::Promotion)) else {
        f.invalid = Some(CardOperationField::Promotion);
        return Vec::new();
    };
    let mut bounds = [None, None];
    for (slot, field) in [(0, CardOperationField::From), (1, CardOperationField::To)] {
        let text = f.value(field);
        if text.is_empty() {
            continue;
        }
        match parse_date(text).and_then(|d| day_bound(d, &tz, field == CardOperationField::To)) {
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
    let unsorted = match (&result, o.query) {
        (Ok(page), Some(q)) => !sorted_as_asked(&page.operations, q.sort, q.direction),
        _ => o.unsorted,
    };
    if o.rows.accept_reporting(id, result, &mut model.error) {
        o.unsorted = unsorted;
        // `now` is the model's, set by the last tick: no clock is read here.
        o.outlook = o.rows.data.as_ref().map_or_else(Default::default, |page| {
            crate::domain::lots::from_card_operations(&page.operations, model.now)
        });
    }
    Vec::new()
}

/// Whether a page's rows follow the column and direction asked for; rows without a value in
/// that column, and cards that never expire, are left out of the judgement, since where a
/// vendor puts them is its own choice. A page out of order is said to be, not sorted here:
/// sorting one page would make it look like the list's first rows in that order while the
/// rows that belong before them may be on the next pages, so the label would still lie.
fn sorted_as_asked(ops: &[CardOperation], sort: SortColumn, direction: SortDirection) -> bool {
    fn ordered<T: PartialOrd>(keys: impl Iterator<Item = T>, direction: SortDirection) -> bool {
        let keys: Vec<T> = keys.collect();
        match direction {
            SortDirection::Asc => keys.is_sorted_by(|a, b| a <= b),
            SortDirection::Desc => keys.is_sorted_by(|a, b| a >= b),
        }
    }
    let rows = ops.iter();
    match sort {
        SortColumn::Date => ordered(rows.filter_map(|o| o.date), direction),
        SortColumn::LastUpdate => ordered(rows.filter_map(|o| o.last_update), direction),
        SortColumn::Amount => ordered(rows.filter_map(|o| o.amount), direction),
        SortColumn::Value => ordered(rows.filter_map(|o| o.value), direction),
        SortColumn::ExpiryDate => ordered(
            rows.filter_map(|o| match o.expires {
                Some(Expiry::At(at)) => Some(at),
                _ => None,
            }),
            direction,
        ),
        // REGOS sorts the type by its code: income 1, outcome 2.
        SortColumn::Type => ordered(
            rows.filter_map(|o| o.kind)
                .map(|k| k == OperationKind::Outcome),
            direction,
        ),
    }
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

/// What the card field holds: a card's id, or text to find the card by.
#[derive(Debug, PartialEq, Eq)]
enum CardText {
    Id(i64),
    Search(String),
    Invalid,
}

/// Digits shorter than this are a card id: too few to tell one phone from another.
const PHONE_TAIL: usize = 4;

/// `#12` is card 12, and so is a number of one to three digits; four digits or more are a
/// phone's last digits, a whole phone or a barcode, and text with letters a name: those are
/// searched for, as F2 searches for clients.
fn card_text(text: &str) -> CardText {
    let text = text.trim();
    let id = |digits: &str| match digits.parse::<i64>() {
        Ok(id) if id > 0 && digits.chars().all(|c| c.is_ascii_digit()) => CardText::Id(id),
        _ => CardText::Invalid,
    };
    if let Some(digits) = text.strip_prefix('#') {
        return id(digits.trim());
    }
    if text.is_empty() {
        return CardText::Invalid;
    }
    if text.chars().all(|c| c.is_ascii_digit()) && text.len() < PHONE_TAIL {
        return id(text);
    }
    CardText::Search(text.to_string())
}

/// Shortest text worth a card search (REGOS matches on parts of names and numbers).
const MIN_CARD_SEARCH: usize = 3;

fn find_cards(model: &mut Model, text: String) -> Vec<Cmd> {
    if text.chars().count() < MIN_CARD_SEARCH {
        model.card_operations.filter.invalid = Some(CardOperationField::Card);
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
        Some(Action::Move(step)) => {
            super::step_selection(&mut p.selected, cards.len(), step);
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
            f.set(CardOperationField::Card, format!("#{}", card.id));
            if let Some(promo) = card.promo_id {
                f.set(CardOperationField::Promotion, promo.to_string());
            }
            apply_card_operations(model)
        }
        _ => Vec::new(),
    }
}

//! F4: Poster's accumulation promotions — pages by clients, a client looked for page by page,
//! promotion names and dates.

use super::super::keys::Action;
use super::super::model::{ADMIN_PAGE, AccumulationField, Model, Notice, Said};
use super::super::msg::{Cmd, Reply, RequestId};
use crate::domain::admin::{AccumulationPage, AccumulationQuery, Promotion};

/// F4's keys beyond the shared ones (filter, arrows).
pub fn on_key(model: &mut Model, action: Action) -> Vec<Cmd> {
    match action {
        Action::Back => stop_walk(model),
        Action::PagePrev | Action::PageNext => {
            let a = &mut model.accumulations;
            // Poster pages by clients: a page that held a full page of them may have more.
            let full = a.rows.data.is_some() && a.clients_on_page >= ADMIN_PAGE;
            a.offset = match action {
                Action::PageNext if full => a.offset + ADMIN_PAGE,
                Action::PagePrev if a.offset > 0 => a.offset.saturating_sub(ADMIN_PAGE),
                _ => return Vec::new(),
            };
            load(model)
        }
        Action::Refresh => {
            let mut cmds = load(model);
            let p = &model.accumulations.promotions;
            if p.error.is_some() && !p.is_loading() {
                cmds.extend(load_promotions(model));
            }
            cmds
        }
        _ => Vec::new(),
    }
}

/// The client filter applied: its first page.
pub fn apply(model: &mut Model) -> Vec<Cmd> {
    let f = &mut model.accumulations.filter;
    let text = f.value(AccumulationField::Client);
    let client = if text.is_empty() {
        None
    } else {
        match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                f.invalid = Some(AccumulationField::Client);
                return Vec::new();
            }
        }
    };
    f.editing = false;
    model.accumulations.client = client;
    model.accumulations.offset = 0;
    model.accumulations.walked = 0;
    load(model)
}

/// What F4 loads when first shown: the first page and the promotions.
pub fn first_load(model: &mut Model) -> Vec<Cmd> {
    let mut cmds = load(model);
    cmds.extend(load_promotions(model));
    cmds
}

fn load_promotions(model: &mut Model) -> Vec<Cmd> {
    let id = model.next_id();
    model.accumulations.promotions.start(id);
    vec![Cmd::LoadPromotions { id }]
}

fn load(model: &mut Model) -> Vec<Cmd> {
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
            return load(model);
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

/// Promotion names only label the rows: a refusal (Poster's error 42 where the account may
/// not read promotions) leaves the table as it is, its promotions by number, and is said on
/// F4 and in the messages, never on the status line that every screen shares.
pub fn promotions_loaded(
    model: &mut Model,
    id: RequestId,
    result: Reply<Vec<Promotion>>,
) -> Vec<Cmd> {
    let refused = result.as_ref().err().cloned();
    if model.accumulations.promotions.accept(id, result)
        && let Some(e) = refused
    {
        model.remember(Said::Error(e));
    }
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

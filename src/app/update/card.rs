//! The client card: opening a client, its three loads, refresh and history paging.

use super::super::model::{CardState, Dialog, HISTORY_PAGE, Model, Pane, Remote, Said};
use super::super::msg::{Cmd, Reply, RequestId};
use crate::domain::lots::Outlook;
use crate::domain::{Balances, Coupon, HistoryEntry};

pub fn open_selected(model: &mut Model) -> Vec<Cmd> {
    let Some(client) = model.selected_client().cloned() else {
        return Vec::new();
    };
    model.card = Some(CardState::new(client));
    model.notice = None;
    reload(model)
}

/// Closes the card; the focus leaves its history for the list.
pub fn close(model: &mut Model) {
    model.card = None;
    if model.focus == Pane::History {
        model.focus = Pane::Results;
    }
}

/// The card belongs to the highlighted row of the list on screen. Once the list shows
/// something else there (a search that found others or nobody, one that failed, the
/// highlight on another row), the card closes, so neither it nor `w` can act for a client
/// the list does not show. Not under an open write-off: its check reads the card again.
pub fn follow_list(model: &mut Model) {
    let Some(card) = &model.card else {
        return;
    };
    if matches!(model.dialog, Some(Dialog::WriteOff(_))) {
        return;
    }
    let shown = model.search.results.error.is_none()
        && model
            .selected_client()
            .is_some_and(|c| c.id == card.client.id);
    if !shown {
        close(model);
    }
}

/// Asks for balance, coupons and the current history page of the open client.
pub fn reload(model: &mut Model) -> Vec<Cmd> {
    let ids = [model.next_id(), model.next_id(), model.next_id()];
    let Some(card) = model.card.as_mut() else {
        return Vec::new();
    };
    let client = card.client.id;
    card.balance.start(ids[0]);
    card.coupons.start(ids[1]);
    card.history.rows.start(ids[2]);
    model.error = None;
    let mut cmds = vec![
        Cmd::LoadBalance { id: ids[0], client },
        Cmd::LoadCoupons { id: ids[1], client },
        Cmd::LoadHistory {
            id: ids[2],
            client,
            query: card.history.query(),
        },
    ];
    // Asked only of a provider that keeps points in lots; others say nothing of them.
    if model.capabilities.data.is_some_and(|c| c.outlook) {
        let id = model.next_id();
        if let Some(card) = model.card.as_mut() {
            card.outlook.start(id);
            cmds.push(Cmd::LoadOutlook { id, client });
        }
    }
    cmds
}

/// `r`: the open client again, or the last search when no client is open.
pub fn refresh(model: &mut Model) -> Vec<Cmd> {
    if model.card.is_some() {
        return reload(model);
    }
    model.search.searched_text = None;
    super::search::submit(model)
}

pub fn load_history(model: &mut Model) -> Vec<Cmd> {
    let id = model.next_id();
    let Some(card) = model.card.as_mut() else {
        return Vec::new();
    };
    card.history.rows.start(id);
    vec![Cmd::LoadHistory {
        id,
        client: card.client.id,
        query: card.history.query(),
    }]
}

pub fn history_page(model: &mut Model, step: i32) -> Vec<Cmd> {
    let Some(card) = model.card.as_mut() else {
        return Vec::new();
    };
    let h = &mut card.history;
    let offset = match step {
        s if s > 0 && h.has_next() => h.offset + HISTORY_PAGE,
        s if s < 0 && h.offset > 0 => h.offset.saturating_sub(HISTORY_PAGE),
        _ => return Vec::new(),
    };
    h.offset = offset;
    h.selected = 0;
    model.focus = Pane::History;
    load_history(model)
}

/// Hands a reply to the part of the open card that waits for it; a failure it accepts also
/// goes to the status bar.
fn accept<T>(
    model: &mut Model,
    id: RequestId,
    result: Reply<T>,
    part: impl FnOnce(&mut CardState) -> &mut Remote<T>,
) -> bool {
    let status = &mut model.error;
    model
        .card
        .as_mut()
        .is_some_and(|c| part(c).accept_reporting(id, result, status))
}

pub fn balance_loaded(model: &mut Model, id: RequestId, result: Reply<Balances>) -> Vec<Cmd> {
    if accept(model, id, result, |c| &mut c.balance) {
        return super::write_off::check(model);
    }
    Vec::new()
}

pub fn coupons_loaded(model: &mut Model, id: RequestId, result: Reply<Vec<Coupon>>) -> Vec<Cmd> {
    if accept(model, id, result, |c| &mut c.coupons) {
        return super::write_off::check(model);
    }
    Vec::new()
}

pub fn history_loaded(
    model: &mut Model,
    id: RequestId,
    result: Reply<Vec<HistoryEntry>>,
) -> Vec<Cmd> {
    if accept(model, id, result, |c| &mut c.history.rows)
        && let Some(card) = model.card.as_mut()
    {
        let len = card.history.rows.data.as_ref().map_or(0, Vec::len);
        card.history.selected = card.history.selected.min(len.saturating_sub(1));
    }
    Vec::new()
}

/// The outlook's answer. A failure shows nothing on the card (no figure is better than a
/// stale or invented one) and is kept quietly in the messages.
pub fn outlook_loaded(model: &mut Model, id: RequestId, result: Reply<Outlook>) -> Vec<Cmd> {
    let failure = result.as_ref().err().cloned();
    let Some(card) = model.card.as_mut() else {
        return Vec::new();
    };
    if !card.outlook.accept(id, result) {
        return Vec::new();
    }
    if let Some(e) = failure {
        card.outlook.data = None;
        model.remember(Said::Error(e));
    }
    Vec::new()
}

/// `x` on the history: every entry of the current period to a CSV file.
pub fn export_history(model: &mut Model) -> Vec<Cmd> {
    let Some(card) = model.card.as_ref() else {
        return Vec::new();
    };
    let export = super::super::msg::Export::History {
        client: card.client.id,
        from: card.history.from,
        to: card.history.to,
    };
    super::tables::export(model, export)
}

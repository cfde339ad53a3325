//! F3: Poster marketing groups — the list, details and removal behind a confirmation that
//! spells out what is lost. The create/edit form and its save are in `form`.

mod form;

use form::{compare_bonus, form};
pub use form::{on_form_key, on_mismatch_key, saved};

use super::super::keys::Action;
use super::super::model::{Button, Dialog, GroupRemoval, Model, Notice};
use super::super::msg::{Cmd, Reply, RequestId};
use crate::domain::admin::Group;

pub fn load(model: &mut Model) -> Vec<Cmd> {
    let id = model.next_id();
    model.groups.list.start(id);
    vec![Cmd::LoadGroups { id }]
}

fn selected(model: &Model) -> Option<Group> {
    model
        .groups
        .list
        .data
        .as_ref()?
        .get(model.groups.selected)
        .cloned()
}

pub fn on_key(model: &mut Model, action: Action) -> Vec<Cmd> {
    match action {
        Action::Move(step) => {
            let len = model.groups.list.data.as_ref().map_or(0, Vec::len);
            super::step_selection(&mut model.groups.selected, len, step);
            Vec::new()
        }
        Action::Submit => match selected(model) {
            Some(group) => {
                let id = model.next_id();
                model.groups.detail.start(id);
                vec![Cmd::LoadGroup {
                    id,
                    group: group.id,
                }]
            }
            None => Vec::new(),
        },
        Action::NewGroup => {
            model.dialog = Some(Dialog::GroupForm(Box::new(form(None))));
            Vec::new()
        }
        Action::EditGroup => {
            if let Some(group) = selected(model) {
                model.dialog = Some(Dialog::GroupForm(Box::new(form(Some(&group)))));
            }
            Vec::new()
        }
        Action::RemoveGroup => {
            if let Some(group) = selected(model) {
                model.dialog = Some(Dialog::GroupRemove(GroupRemoval {
                    group,
                    focus: Button::Cancel,
                    sending: None,
                    problem: None,
                }));
            }
            Vec::new()
        }
        Action::Refresh => load(model),
        _ => Vec::new(),
    }
}

pub fn on_remove_key(model: &mut Model, action: Option<Action>) -> Vec<Cmd> {
    let id = model.next_id();
    let Some(Dialog::GroupRemove(r)) = model.dialog.as_mut() else {
        return Vec::new();
    };
    if r.sending.is_some() {
        return Vec::new();
    }
    let confirm = match action {
        Some(Action::NextField) => {
            r.focus = r.focus.other();
            false
        }
        Some(Action::Confirm) => true,
        Some(Action::Submit) => r.focus == Button::Confirm,
        _ => false,
    };
    if confirm {
        r.sending = Some(id);
        r.problem = None;
        return vec![Cmd::RemoveGroup {
            id,
            group: r.group.id,
        }];
    }
    if matches!(action, Some(Action::Cancel) | Some(Action::Submit)) {
        model.dialog = None;
    }
    Vec::new()
}

pub fn loaded(model: &mut Model, id: RequestId, result: Reply<Vec<Group>>) -> Vec<Cmd> {
    if model
        .groups
        .list
        .accept_reporting(id, result, &mut model.error)
    {
        let len = model.groups.list.data.as_ref().map_or(0, Vec::len);
        model.groups.selected = model.groups.selected.min(len.saturating_sub(1));
        select_the_detail(model);
    }
    Vec::new()
}

/// The row of the group whose details are shown is the one highlighted, so that `e` and `d`
/// act on the group the admin reads (a new group's details come after a save, its row where
/// the list puts it).
fn select_the_detail(model: &mut Model) {
    let groups = &mut model.groups;
    let shown = groups.detail.data.as_ref().map(|g| g.id);
    if let Some(row) = shown.and_then(|id| {
        groups
            .list
            .data
            .as_ref()
            .and_then(|list| list.iter().position(|g| g.id == id))
    }) {
        groups.selected = row;
    }
}

pub fn detail_loaded(model: &mut Model, id: RequestId, result: Reply<Group>) -> Vec<Cmd> {
    let stored = result.as_ref().ok().cloned();
    if model
        .groups
        .detail
        .accept_reporting(id, result, &mut model.error)
    {
        select_the_detail(model);
    }
    match (model.groups.bonus_check.take(), stored) {
        (Some(check), Some(group)) if check.request == id => compare_bonus(model, check, group),
        (check, _) => model.groups.bonus_check = check.filter(|c| c.request != id),
    }
    Vec::new()
}

pub fn removed(model: &mut Model, id: RequestId, result: Reply<()>) -> Vec<Cmd> {
    let Some(Dialog::GroupRemove(r)) = model.dialog.as_mut() else {
        return Vec::new();
    };
    if r.sending != Some(id) {
        return Vec::new();
    }
    r.sending = None;
    match result {
        Ok(()) => {
            let name = r.group.name.clone();
            model.dialog = None;
            model.groups.detail = Default::default();
            model.notice = Some(Notice::GroupRemoved { name });
            load(model)
        }
        Err(e) => {
            r.problem = Some(e.clone());
            r.focus = Button::Cancel;
            model.error = Some(e);
            Vec::new()
        }
    }
}

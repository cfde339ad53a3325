//! F3's create/edit form: fields, validation into a `GroupDraft`, the save, and the read-back
//! that catches a birthday bonus Poster stored differently.

use super::super::super::keys::Action;
use super::super::super::model::{
    BonusCheck, BonusMismatch, Button, Dialog, GroupField, GroupForm, GroupFormProblem, Model,
    Notice, next_in,
};
use super::super::super::msg::{Cmd, Reply, RequestId};
use crate::app::keys::key::{Key, KeyCode};
use crate::domain::Amount;
use crate::domain::admin::{Group, GroupDraft, GroupKind};
use rust_decimal::Decimal;
use std::str::FromStr;
use tui_input::Input;

pub(super) fn form(group: Option<&Group>) -> GroupForm {
    let text = |d: Decimal| d.normalize().to_string();
    let bonus = |a: Amount| {
        if a.minor() == 0 {
            String::new()
        } else {
            a.to_string()
        }
    };
    GroupForm {
        editing: group.map(|g| g.id),
        name: Input::new(group.map(|g| g.name.clone()).unwrap_or_default()),
        kind: group.map_or(GroupKind::Bonus, |g| g.kind),
        percent: Input::new(group.map(|g| text(g.percent)).unwrap_or_default()),
        birthday_bonus: Input::new(group.map(|g| bonus(g.birthday_bonus)).unwrap_or_default()),
        use_ewallet: group.and_then(|g| g.use_ewallet),
        field: GroupField::Name,
        problem: None,
        sending: None,
        touched: false,
    }
}

/// The draft a form describes, or why it cannot be saved.
pub fn draft(f: &GroupForm) -> Result<GroupDraft, GroupFormProblem> {
    let percent_text = f.percent.value().trim().replace(',', ".");
    let percent = if percent_text.is_empty() {
        Decimal::ZERO
    } else {
        Decimal::from_str(&percent_text).map_err(|_| GroupFormProblem::Percent)?
    };
    let birthday_bonus = match (f.kind, f.birthday_bonus.value().trim()) {
        (GroupKind::Discount, _) | (_, "") => Amount::ZERO,
        (GroupKind::Bonus, text) => {
            Amount::parse_user(text).map_err(GroupFormProblem::BirthdayBonus)?
        }
    };
    let draft = GroupDraft {
        name: f.name.value().trim().to_string(),
        kind: f.kind,
        percent,
        birthday_bonus,
        use_ewallet: f.use_ewallet,
    };
    draft.validate().map_err(GroupFormProblem::Draft)?;
    Ok(draft)
}

fn next_field(field: GroupField, kind: GroupKind, backwards: bool) -> GroupField {
    use GroupField::*;
    // The birthday bonus exists only for bonus groups.
    let order: &[GroupField] = match kind {
        GroupKind::Bonus => &[Name, Kind, Percent, BirthdayBonus],
        GroupKind::Discount => &[Name, Kind, Percent],
    };
    next_in(order, field, backwards)
}

pub fn on_form_key(model: &mut Model, action: Option<Action>, key: Key) -> Vec<Cmd> {
    let id = model.next_id();
    let keymap = model.keymap.clone();
    let Some(Dialog::GroupForm(f)) = model.dialog.as_mut() else {
        return Vec::new();
    };
    if f.sending.is_some() {
        return Vec::new();
    }
    match action {
        Some(Action::Cancel) => model.dialog = None,
        Some(Action::NextField) => {
            f.field = next_field(f.field, f.kind, key.code == KeyCode::BackTab)
        }
        Some(Action::ToggleKind) if f.field == GroupField::Kind => {
            f.kind = match f.kind {
                GroupKind::Bonus => GroupKind::Discount,
                GroupKind::Discount => GroupKind::Bonus,
            };
            f.problem = None;
            f.touched = true;
        }
        Some(Action::Submit) => match draft(f) {
            Ok(draft) => {
                f.problem = None;
                f.sending = Some(id);
                return vec![Cmd::SaveGroup {
                    id,
                    group: f.editing,
                    draft,
                }];
            }
            Err(p) => f.problem = Some(p),
        },
        _ => {
            let input = match f.field {
                GroupField::Name => &mut f.name,
                GroupField::Percent => &mut f.percent,
                GroupField::BirthdayBonus => &mut f.birthday_bonus,
                GroupField::Kind => return Vec::new(),
            };
            if super::super::typed(&keymap, input, key) {
                f.problem = None;
                f.touched = true;
            }
        }
    }
    Vec::new()
}

/// What Poster stored against what was meant; a difference opens the mismatch dialog.
pub(super) fn compare_bonus(model: &mut Model, check: BonusCheck, group: Group) {
    let (meant, stored) = (check.meant, group.birthday_bonus);
    if stored == meant {
        return;
    }
    // Exactly a hundredfold off: Poster read the amount in the other unit, so sending it
    // scaled the other way stores what was meant.
    let scaled = if stored.minor() * 100 == meant.minor() {
        meant.minor().checked_mul(100)
    } else if meant.minor() * 100 == stored.minor() && meant.minor() % 100 == 0 {
        Some(meant.minor() / 100)
    } else {
        None
    };
    let fix = scaled.map(|minor| GroupDraft {
        birthday_bonus: Amount::from_minor(minor),
        ..check.sent
    });
    tracing::warn!(
        group = group.id,
        ?meant,
        ?stored,
        "Poster stored another birthday bonus"
    );
    model.dialog = Some(Dialog::BonusMismatch(Box::new(BonusMismatch {
        group: group.id,
        name: group.name,
        meant,
        stored,
        fix,
        focus: Button::Cancel,
        sending: None,
        problem: None,
    })));
}

/// Reads a saved group back to check its birthday bonus (bonus groups with one only).
fn check_bonus(model: &mut Model, group: i64, meant: Amount, sent: GroupDraft) -> Vec<Cmd> {
    if sent.kind != GroupKind::Bonus || meant == Amount::ZERO {
        return Vec::new();
    }
    let request = model.next_id();
    model.groups.detail.start(request);
    model.groups.bonus_check = Some(BonusCheck {
        request,
        group,
        meant,
        sent,
    });
    vec![Cmd::LoadGroup { id: request, group }]
}

pub fn saved(model: &mut Model, id: RequestId, result: Reply<i64>) -> Vec<Cmd> {
    match model.dialog.as_mut() {
        Some(Dialog::GroupForm(f)) if f.sending == Some(id) => {
            f.sending = None;
            match result {
                Ok(group) => {
                    let name = f.name.value().trim().to_string();
                    let sent = draft(f).ok();
                    model.dialog = None;
                    model.notice = Some(Notice::GroupSaved { name });
                    let mut cmds = super::load(model);
                    if let Some(sent) = sent {
                        cmds.extend(check_bonus(model, group, sent.birthday_bonus, sent));
                    }
                    cmds
                }
                Err(e) => {
                    f.problem = Some(GroupFormProblem::Refused(e.clone()));
                    model.error = Some(e);
                    Vec::new()
                }
            }
        }
        Some(Dialog::BonusMismatch(b)) if b.sending == Some(id) => {
            b.sending = None;
            match result {
                Ok(group) => {
                    let (meant, name, fix) = (b.meant, b.name.clone(), b.fix.clone());
                    model.dialog = None;
                    model.notice = Some(Notice::BonusCorrected { name });
                    let mut cmds = super::load(model);
                    if let Some(fix) = fix {
                        cmds.extend(check_bonus(model, group, meant, fix));
                    }
                    cmds
                }
                Err(e) => {
                    b.problem = Some(e.clone());
                    model.error = Some(e);
                    Vec::new()
                }
            }
        }
        _ => Vec::new(),
    }
}

/// The mismatch dialog: Cancel (focused) leaves the group as Poster stored it; Correct sends
/// the scaled bonus.
pub fn on_mismatch_key(model: &mut Model, action: Option<Action>) -> Vec<Cmd> {
    let id = model.next_id();
    let Some(Dialog::BonusMismatch(b)) = model.dialog.as_mut() else {
        return Vec::new();
    };
    if b.sending.is_some() {
        return Vec::new();
    }
    let correct = match action {
        Some(Action::NextField) if b.fix.is_some() => {
            b.focus = b.focus.other();
            false
        }
        Some(Action::Confirm) => true,
        Some(Action::Submit) => b.focus == Button::Confirm,
        _ => false,
    };
    match (&b.fix, correct) {
        (Some(fix), true) => {
            b.sending = Some(id);
            b.problem = None;
            vec![Cmd::SaveGroup {
                id,
                group: Some(b.group),
                draft: fix.clone(),
            }]
        }
        _ => {
            if matches!(
                action,
                Some(Action::Cancel | Action::Submit | Action::Confirm)
            ) {
                model.dialog = None;
            }
            Vec::new()
        }
    }
}

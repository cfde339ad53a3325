//! Turning model values into catalogue text: errors, notices, form problems, key names.

use crate::app::keys::key::Key;
use crate::app::keys::key::KeyCode;
use crate::app::keys::{Action, FieldEdit, Move, Scope};
use crate::app::model::{BackendLabel, FormProblem, GroupFormProblem, Notice, WriteOffField};
use crate::domain::AmountError;
use crate::domain::admin::{GroupKind, GroupProblem};
pub use crate::i18n::describe::{currency, doubt, error, refusal, write_off};
use crate::i18n::{Locale, Text, fill, fill2, format_amount};

pub fn field(t: &Text, f: WriteOffField) -> &'static str {
    match f {
        WriteOffField::Points => t.points,
        WriteOffField::Rubles => t.rubles,
        WriteOffField::Coupons => t.coupons_title,
    }
}

pub fn problem(locale: Locale, p: &FormProblem) -> String {
    let t = locale.text();
    match p {
        FormProblem::Amount { field: f, error: e } => fill(
            match e {
                AmountError::NotANumber => t.problem_not_number,
                AmountError::TooManyDecimals => t.problem_decimals,
                AmountError::TooLarge => t.problem_too_large,
            },
            field(t, *f),
        ),
        FormProblem::NotPositive(f) => fill(t.problem_not_positive, field(t, *f)),
        FormProblem::AboveBalance {
            field: f,
            available,
        } => format!(
            "{}: {}",
            field(t, *f),
            fill(t.problem_above_balance, format_amount(locale, *available))
        ),
        FormProblem::CouponExpired(id) => fill(t.problem_coupon_expired, id.0),
        FormProblem::Nothing => t.problem_nothing.to_string(),
        FormProblem::Refused(e) => fill(t.problem_refused, refusal(t, e)),
    }
}

pub fn notice(locale: Locale, n: &Notice) -> String {
    let t = locale.text();
    match n {
        Notice::DemoSeeding { clients } => {
            fill(t.notice_seeding, locale.count(*clients, &t.clients))
        }
        Notice::DemoCreated { clients } => fill(t.notice_demo, locale.count(*clients, &t.clients)),
        Notice::WrittenOff { client, request } => {
            let name = client.name.as_deref().unwrap_or(t.no_name);
            format!(
                "{} — {name}",
                fill(t.notice_written_off, write_off(locale, request))
            )
        }
        Notice::OutcomeUnknown { .. } => t.notice_outcome_unknown.to_string(),
        Notice::NoSearchFor(text) => fill(t.notice_no_search, text),
        Notice::NoBalanceToWriteOff => t.notice_no_balance.to_string(),
        Notice::NoClientToWriteOff => t.notice_no_client.to_string(),
        Notice::CheckingEarlier => t.notice_checking_earlier.to_string(),
        Notice::RateLimited { seconds } => fill(t.notice_rate_limited, seconds),
        Notice::LookingForClient { client, page } => {
            fill2(t.notice_looking_for_client, client, page)
        }
        Notice::ClientNotFound { client, pages } => fill2(t.notice_client_not_found, client, pages),
        Notice::WrittenOffAfterCheck { client, request } => {
            let name = client.name.as_deref().unwrap_or(t.no_name);
            format!(
                "{} — {name}",
                fill(t.notice_written_off_after_check, write_off(locale, request))
            )
        }
        Notice::ConfigReadable { path } => fill(t.notice_config_readable, path.display()),
        Notice::GroupSaved { name } => fill(t.notice_group_saved, name),
        Notice::GroupRemoved { name } => fill(t.notice_group_removed, name),
        Notice::BonusCorrected { name } => fill(t.notice_bonus_corrected, name),
        Notice::Exported { path, rows } => {
            format!(
                "{} → {}",
                fill(t.notice_exported, locale.count(*rows as u64, &t.rows)),
                path.display()
            )
        }
    }
}

pub fn backend(t: &Text, b: &BackendLabel) -> String {
    match b {
        BackendLabel::Embedded => t.backend_embedded.to_string(),
        BackendLabel::Profile(name) => fill(t.backend_profile, name),
    }
}

pub fn scope(t: &Text, s: Scope) -> &'static str {
    match s {
        Scope::Global => t.scope_global,
        Scope::List => t.scope_list,
        Scope::Field => t.scope_field,
        Scope::Help => t.help_title,
        Scope::Messages => t.messages_title,
        Scope::Search => t.scope_search,
        Scope::Results => t.scope_results,
        Scope::History => t.scope_history,
        Scope::WriteOffForm => t.scope_write_off,
        Scope::WriteOffConfirm | Scope::WriteOffWaiting => t.scope_confirm,
        Scope::WriteOffUnclear => t.scope_unclear,
        Scope::Filter => t.scope_filter,
        Scope::Groups => t.scope_groups,
        Scope::Accumulations => t.scope_accumulations,
        Scope::Registrations => t.scope_registrations,
        Scope::CardOperations => t.scope_card_operations,
        Scope::AdminFilter => t.scope_admin_filter,
        Scope::Journal => t.scope_journal,
        Scope::GroupForm => t.scope_group_form,
        Scope::GroupRemove => t.scope_group_remove,
        Scope::BonusMismatch => t.bonus_mismatch_title,
        Scope::CardPicker => t.scope_card_picker,
        Scope::QuitConfirm => t.quit_title,
    }
}

/// What an action does, as said in the scope it is bound in (Enter searches in the search
/// field but opens a client in the list).
pub fn action(t: &Text, a: Action, s: Scope) -> &'static str {
    match (a, s) {
        (Action::Submit, Scope::Search) => t.action_search,
        (Action::Submit, Scope::Results) => t.action_open,
        (Action::Submit, Scope::WriteOffForm) => t.action_to_confirm,
        (Action::Submit, Scope::WriteOffConfirm | Scope::GroupRemove | Scope::BonusMismatch) => {
            t.action_activate
        }
        (Action::Submit, Scope::Groups) => t.action_details,
        (Action::Submit, Scope::GroupForm) => t.action_save,
        (Action::FocusSearch, Scope::Search) => t.action_select_query,
        (Action::EditFilter, Scope::AdminFilter) => t.action_already_here,
        (Action::EditFilter, _) => t.action_filter,
        (Action::Cancel, Scope::AdminFilter) => t.action_leave_filter,
        (Action::Cancel, Scope::WriteOffUnclear) => t.action_close,
        (Action::Submit, Scope::CardPicker) => t.action_pick,
        (Action::ToggleKind, _) => t.action_toggle_kind,
        (Action::Submit, _) => t.action_apply,
        (Action::Edit(edit), _) => field_edit(t, edit),
        (Action::Cancel, Scope::Help) => t.action_close,
        (Action::Quit, Scope::QuitConfirm) => t.action_quit_anyway,
        (Action::Cancel, Scope::QuitConfirm) => t.action_stay,
        (Action::Quit, _) => t.action_quit,
        (Action::Suspend, _) => t.action_suspend,
        (Action::Messages, _) => t.action_messages,
        (Action::Help, _) => t.action_help,
        (Action::Show(screen), _) => (super::screens::view(screen).title)(t),
        (Action::FocusSearch, _) => t.action_focus_search,
        (Action::Move(Move::Up), _) => t.action_up,
        (Action::Move(Move::Down), _) => t.action_down,
        (Action::Move(Move::PageUp), _) => t.action_page_up,
        (Action::Move(Move::PageDown), _) => t.action_page_down,
        (Action::Move(Move::Top), _) => t.action_top,
        (Action::Move(Move::Bottom), _) => t.action_bottom,
        (Action::NextPane, _) => t.action_next_pane,
        (Action::PrevPane, _) => t.action_prev_pane,
        (Action::WriteOff, _) => t.action_write_off,
        (Action::Refresh, _) => t.action_refresh,
        (Action::PagePrev, _) => t.action_history_prev,
        (Action::PageNext, _) => t.action_history_next,
        (Action::NewGroup, _) => t.action_new_group,
        (Action::EditGroup, _) => t.action_edit_group,
        (Action::RemoveGroup, _) => t.action_remove_group,
        (Action::NextPreset, _) => t.action_preset,
        (Action::CycleType, _) => t.action_type,
        (Action::CycleSort, _) => t.action_sort,
        (Action::ToggleOrder, _) => t.action_order,
        (Action::Export, _) => t.action_export,
        (Action::HistoryFilter, _) => t.action_history_filter,
        (Action::Back, _) => t.action_back,
        (Action::NextField, _) => t.action_next_field,
        (Action::ToggleCoupon, _) => t.action_toggle_coupon,
        (Action::PickCoupon, _) => t.action_pick_coupon,
        (Action::WriteOffAnew, _) => t.action_write_off_anew,
        (Action::Confirm, _) => t.action_confirm,
        (Action::Cancel, _) => t.action_cancel,
    }
}

pub fn group_kind(t: &Text, k: GroupKind) -> &'static str {
    match k {
        GroupKind::Bonus => t.kind_bonus,
        GroupKind::Discount => t.kind_discount,
    }
}

pub fn group_problem(locale: Locale, p: &GroupFormProblem) -> String {
    let t = locale.text();
    match p {
        GroupFormProblem::Draft(GroupProblem::NameRequired) => t.group_name_required.into(),
        GroupFormProblem::Draft(GroupProblem::NameTooLong) => t.group_name_too_long.into(),
        GroupFormProblem::Draft(GroupProblem::NameHasControls) => t.group_name_has_controls.into(),
        GroupFormProblem::Draft(GroupProblem::PercentOutOfRange) => t.group_percent_range.into(),
        GroupFormProblem::Draft(GroupProblem::BirthdayBonusNegative) => {
            t.group_bonus_negative.into()
        }
        GroupFormProblem::Draft(GroupProblem::BirthdayBonusOnDiscountGroup) => {
            t.group_bonus_discount.into()
        }
        GroupFormProblem::Percent => t.group_percent_not_number.into(),
        GroupFormProblem::BirthdayBonus(e) => fill(
            t.group_bonus_invalid,
            match e {
                AmountError::NotANumber => t.problem_not_number.replace("{}: ", ""),
                AmountError::TooManyDecimals => t.problem_decimals.replace("{}: ", ""),
                AmountError::TooLarge => t.problem_too_large.replace("{}: ", ""),
            },
        ),
        GroupFormProblem::Refused(e) => fill(t.problem_save_refused, refusal(t, e)),
    }
}

fn field_edit(t: &Text, edit: FieldEdit) -> &'static str {
    match edit {
        FieldEdit::DeleteBack => t.edit_delete_back,
        FieldEdit::DeleteForward => t.edit_delete_forward,
        FieldEdit::Clear => t.edit_clear,
        FieldEdit::DeleteWordBack => t.edit_delete_word_back,
        FieldEdit::DeleteWordForward => t.edit_delete_word_forward,
        FieldEdit::DeleteToEnd => t.edit_delete_to_end,
        FieldEdit::Left => t.edit_left,
        FieldEdit::Right => t.edit_right,
        FieldEdit::WordLeft => t.edit_word_left,
        FieldEdit::WordRight => t.edit_word_right,
        FieldEdit::Start => t.edit_start,
        FieldEdit::End => t.edit_end,
        FieldEdit::Yank => t.edit_yank,
    }
}

/// A key's name as the hint bar, the help and the dialogs print it: as on the key, but the
/// space bar, which has no print, is named in the UI's language.
pub fn key(t: &Text, k: &Key) -> String {
    let base = match k.code {
        KeyCode::Enter => "Enter".to_string(),
        KeyCode::Esc => "Esc".to_string(),
        KeyCode::Tab => "Tab".to_string(),
        KeyCode::BackTab => "⇧Tab".to_string(),
        KeyCode::Up => "↑".to_string(),
        KeyCode::Down => "↓".to_string(),
        KeyCode::Left => "←".to_string(),
        KeyCode::Right => "→".to_string(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::Char(' ') => t.key_space.to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Backspace => "Backspace".to_string(),
        KeyCode::Delete => "Del".to_string(),
        KeyCode::Home => "Home".to_string(),
        KeyCode::End => "End".to_string(),
        KeyCode::PageUp => "PgUp".to_string(),
        KeyCode::PageDown => "PgDn".to_string(),
    };
    if k.modifiers.ctrl {
        // Letters are named as printed on the keys (Ctrl-U); named keys keep their case.
        let base = match k.code {
            KeyCode::Char(_) => base.to_uppercase(),
            _ => base,
        };
        format!("Ctrl-{base}")
    } else if k.modifiers.alt {
        format!("Alt-{base}")
    } else {
        base
    }
}

pub fn keys(t: &Text, keys: &[Key]) -> String {
    keys.iter().map(|k| key(t, k)).collect::<Vec<_>>().join("/")
}

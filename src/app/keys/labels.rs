//! Keys, scopes and actions as the hint bar, the help, the tabs and the dialogs name them,
//! in the UI's language. In `app` so that the help's filter (`update`) and its view match the
//! same words.

use super::key::{Key, KeyCode};
use super::{Action, FieldEdit, Move, Scope};
use crate::app::update::screens;
use crate::i18n::Text;

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
        Scope::WriteOffCode => t.codes.scope_code,
        Scope::WriteOffCodePin => t.codes.scope_code_pin,
        Scope::WriteOffPinOnly => t.codes.scope_pin_only,
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
        Scope::ReversalForm => t.scope_reversal,
        Scope::ReversalConfirm => t.scope_confirm,
        Scope::ReversalUnclear => t.scope_reversal_closing,
        Scope::ShiftReport => t.money.shift_title,
        Scope::JournalFilter => t.scope_journal_filter,
    }
}

/// What an action does, as said in the scope it is bound in (Enter searches in the search
/// field but opens a client in the list).
pub fn action(t: &Text, a: Action, s: Scope) -> &'static str {
    match (a, s) {
        (Action::Submit, Scope::Search) => t.action_search,
        (Action::Submit, Scope::WriteOffCode) => t.codes.action_check,
        (Action::NextField, Scope::WriteOffCode | Scope::WriteOffCodePin) => {
            t.codes.action_code_or_pin
        }
        (Action::Cancel, Scope::WriteOffCode | Scope::WriteOffCodePin | Scope::WriteOffPinOnly) => {
            t.action_back
        }
        (Action::Submit, Scope::WriteOffCodePin | Scope::WriteOffPinOnly) => t.codes.action_by_pin,
        (Action::ResendCode, _) => t.codes.action_resend,
        (Action::Submit, Scope::Results) => t.action_open,
        (Action::Submit, Scope::WriteOffForm | Scope::ReversalForm) => t.action_to_confirm,
        (
            Action::Submit,
            Scope::WriteOffConfirm
            | Scope::GroupRemove
            | Scope::BonusMismatch
            | Scope::ReversalConfirm,
        ) => t.action_activate,
        (Action::Submit, Scope::Groups) => t.action_details,
        (Action::Submit, Scope::GroupForm) => t.action_save,
        (Action::FocusSearch, Scope::Search) => t.action_select_query,
        (Action::EditFilter, Scope::AdminFilter) => t.action_already_here,
        (Action::EditFilter, _) => t.action_filter,
        (Action::Cancel, Scope::AdminFilter) => t.action_leave_filter,
        (Action::Cancel, Scope::JournalFilter) => t.action_clear_filter,
        (Action::Cancel, Scope::WriteOffUnclear | Scope::ReversalUnclear | Scope::ShiftReport) => {
            t.action_close
        }
        (Action::ToggleCoupon, Scope::ReversalForm) => t.action_coupons_back,
        (Action::Move(Move::Up | Move::Down), Scope::ReversalForm) => t.action_reason,
        (Action::Submit, Scope::CardPicker) => t.action_pick,
        (Action::ToggleKind, _) => t.action_toggle_kind,
        (Action::Reverse, _) => t.action_reverse,
        (Action::ShiftReport, _) => t.money.shift_title,
        (Action::Submit, _) => t.action_apply,
        (Action::Edit(edit), _) => field_edit(t, edit),
        (Action::Cancel, Scope::Help) => t.action_close,
        (Action::Quit, Scope::QuitConfirm) => t.action_quit_anyway,
        (Action::Cancel, Scope::QuitConfirm) => t.action_stay,
        (Action::Quit, _) => t.action_quit,
        (Action::Suspend, _) => t.action_suspend,
        (Action::Messages, _) => t.action_messages,
        (Action::Help, _) => t.action_help,
        (Action::Show(screen), _) => screens::title(t, screen),
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

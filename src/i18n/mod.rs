//! Every user-facing string, in Russian and English, and locale-aware formatting of money
//! and dates. The catalogue is a struct, so a string missing in one language does not build.

mod en;
mod format;
mod ru;

pub use format::{
    format_amount, format_date, format_datetime, format_day, format_decimal, zone_name,
};

use crate::domain::journal::Outcome;
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    Ru,
    En,
}

impl Locale {
    /// From `LC_ALL`, `LC_MESSAGES` or `LANG`, as POSIX orders them; English otherwise.
    pub fn from_env(env: impl Fn(&str) -> Option<String>) -> Locale {
        let value = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| env(k))
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        if value.to_lowercase().starts_with("ru") {
            Locale::Ru
        } else {
            Locale::En
        }
    }

    pub fn text(self) -> &'static Text {
        match self {
            Locale::Ru => &ru::TEXT,
            Locale::En => &en::TEXT,
        }
    }
}

/// A noun's forms after a number: Russian has three (1 клиент, 2 клиента, 5 клиентов),
/// English two (`few` = `many`).
pub struct Plural {
    pub one: &'static str,
    pub few: &'static str,
    pub many: &'static str,
}

impl Locale {
    /// `n` and its noun in the right form, `n` grouped as amounts are: `21 клиент`,
    /// `1 234 клиента`, `5 clients`. Every count shown with a noun goes through here.
    pub fn count(self, n: u64, noun: &Plural) -> String {
        let form = match self {
            Locale::Ru => match (n % 10, n % 100) {
                (_, 11..=14) => noun.many,
                (1, _) => noun.one,
                (2..=4, _) => noun.few,
                _ => noun.many,
            },
            Locale::En if n == 1 => noun.one,
            Locale::En => noun.many,
        };
        let number = format::format_decimal(self, rust_decimal::Decimal::from(n), None);
        format!("{number} {form}")
    }
}

/// The catalogue. Strings with `{}` take one argument, filled by [`fill`].
pub struct Text {
    pub app_title: &'static str,
    pub too_small: &'static str,
    pub search_title: &'static str,
    pub search_placeholder: &'static str,
    pub results_title: &'static str,
    pub results_empty: &'static str,
    pub results_none_found: &'static str,
    pub no_name: &'static str,
    pub welcome_title: &'static str,
    pub welcome_lines: &'static [&'static str],
    pub card_phone: &'static str,
    pub card_email: &'static str,
    pub card_id: &'static str,
    pub points: &'static str,
    pub rubles: &'static str,
    pub balances_title: &'static str,
    pub coupons_title: &'static str,
    pub coupons_empty: &'static str,
    pub coupon_until: &'static str,
    pub coupon_no_expiry: &'static str,
    pub coupon_expired: &'static str,
    pub history_title: &'static str,
    pub history_page: &'static str,
    pub history_period: &'static str,
    pub history_all_time: &'static str,
    pub history_empty: &'static str,
    pub col_date: &'static str,
    pub col_amount: &'static str,
    pub col_currency: &'static str,
    pub col_transaction: &'static str,
    pub loading: &'static str,
    pub failed: &'static str,
    pub write_off_title: &'static str,
    pub available: &'static str,
    pub coupons_label: &'static str,
    pub confirm_title: &'static str,
    pub confirm_question: &'static str,
    pub client_label: &'static str,
    pub none: &'static str,
    pub button_cancel: &'static str,
    pub button_confirm: &'static str,
    pub sending: &'static str,
    pub problem_not_number: &'static str,
    pub problem_decimals: &'static str,
    pub problem_too_large: &'static str,
    pub problem_not_positive: &'static str,
    pub problem_above_balance: &'static str,
    pub problem_coupon_expired: &'static str,
    pub problem_nothing: &'static str,
    pub problem_refused: &'static str,
    pub filter_title: &'static str,
    pub filter_from: &'static str,
    pub filter_to: &'static str,
    pub filter_hint: &'static str,
    pub filter_invalid: &'static str,
    pub help_title: &'static str,
    pub help_close: &'static str,
    pub backend_embedded: &'static str,
    pub backend_profile: &'static str,
    pub notice_seeding: &'static str,
    pub notice_demo: &'static str,
    pub clients: Plural,
    pub rows: Plural,
    pub notice_written_off: &'static str,
    pub notice_outcome_unknown: &'static str,
    pub notice_no_search: &'static str,
    pub notice_no_balance: &'static str,
    pub field_ewallet: &'static str,
    pub group_name_has_controls: &'static str,
    pub card_picker_title: &'static str,
    pub card_picker_none: &'static str,
    pub col_holder: &'static str,
    pub col_barcode: &'static str,
    pub col_bonus_balance: &'static str,
    pub scope_card_picker: &'static str,
    pub bonus_mismatch_title: &'static str,
    pub bonus_mismatch_what: &'static str,
    pub bonus_mismatch_amounts: &'static str,
    pub bonus_mismatch_fix: &'static str,
    pub bonus_mismatch_no_fix: &'static str,
    pub button_correct: &'static str,
    pub correcting: &'static str,
    pub notice_bonus_corrected: &'static str,
    pub notice_rate_limited: &'static str,
    pub notice_looking_for_client: &'static str,
    pub price_in_kopecks: &'static str,
    pub col_price: &'static str,
    pub no_end: &'static str,
    pub notice_client_not_found: &'static str,
    pub error_timeout: &'static str,
    pub error_unreachable: &'static str,
    pub error_interrupted: &'static str,
    pub error_unauthorized: &'static str,
    pub error_rejected: &'static str,
    pub error_server: &'static str,
    pub error_bad_response: &'static str,
    pub error_rate_limited: &'static str,
    pub error_not_configured: &'static str,
    pub scope_global: &'static str,
    pub scope_list: &'static str,
    pub action_already_here: &'static str,
    pub times_in_zone: &'static str,
    pub messages_title: &'static str,
    pub messages_none: &'static str,
    pub action_messages: &'static str,
    pub error_cancelled: &'static str,
    pub waiting: &'static str,
    pub waiting_attempt: &'static str,
    pub waiting_cancel: &'static str,
    pub action_suspend: &'static str,
    pub hint_modal: &'static str,
    pub scope_field: &'static str,
    pub edit_delete_back: &'static str,
    pub edit_delete_forward: &'static str,
    pub edit_clear: &'static str,
    pub edit_delete_word_back: &'static str,
    pub edit_delete_word_forward: &'static str,
    pub edit_delete_to_end: &'static str,
    pub edit_left: &'static str,
    pub edit_right: &'static str,
    pub edit_word_left: &'static str,
    pub edit_word_right: &'static str,
    pub edit_start: &'static str,
    pub edit_end: &'static str,
    pub edit_yank: &'static str,
    pub edit_paste: &'static str,
    pub edit_paste_keys: &'static str,
    pub help_filter: &'static str,
    pub help_nothing: &'static str,
    pub quit_title: &'static str,
    pub quit_write_off_in_flight: &'static str,
    pub quit_unsaved_form: &'static str,
    pub quit_keys: &'static str,
    pub action_quit_anyway: &'static str,
    pub action_stay: &'static str,
    pub scope_search: &'static str,
    pub scope_results: &'static str,
    pub scope_history: &'static str,
    pub scope_write_off: &'static str,
    pub scope_confirm: &'static str,
    pub scope_unclear: &'static str,
    pub scope_filter: &'static str,
    pub action_quit: &'static str,
    pub action_help: &'static str,
    pub action_focus_search: &'static str,
    pub action_search: &'static str,
    pub action_open: &'static str,
    pub action_up: &'static str,
    pub action_down: &'static str,
    pub action_page_up: &'static str,
    pub action_page_down: &'static str,
    pub action_top: &'static str,
    pub action_bottom: &'static str,
    pub action_next_pane: &'static str,
    pub action_prev_pane: &'static str,
    pub action_write_off: &'static str,
    pub action_refresh: &'static str,
    pub action_history_prev: &'static str,
    pub action_history_next: &'static str,
    pub action_history_filter: &'static str,
    pub action_back: &'static str,
    pub action_next_field: &'static str,
    pub action_toggle_coupon: &'static str,
    pub action_to_confirm: &'static str,
    pub action_confirm: &'static str,
    pub action_activate: &'static str,
    pub action_cancel: &'static str,
    pub action_close: &'static str,
    pub action_pick: &'static str,
    pub action_apply: &'static str,
    pub screen_journal: &'static str,
    pub tab_card_operations: &'static str,
    pub journal_title: &'static str,
    pub journal_empty: &'static str,
    pub col_key: &'static str,
    pub col_state: &'static str,
    pub col_who: &'static str,
    pub outcome_applied: &'static str,
    pub outcome_refused: &'static str,
    pub outcome_unknown: &'static str,
    pub outcome_applied_after_check: &'static str,
    pub outcome_not_applied_after_check: &'static str,
    pub outcome_unclear_after_check: &'static str,
    pub outcome_not_sent: &'static str,
    pub outcome_none: &'static str,
    pub checking: &'static str,
    pub checked_not_applied: &'static str,
    pub checked_retry: &'static str,
    pub checked_unreadable: &'static str,
    pub checked_changed_otherwise: &'static str,
    pub checked_same_amount: &'static str,
    pub checked_coupon_expired: &'static str,
    pub checked_close: &'static str,
    pub notice_written_off_after_check: &'static str,
    pub notice_config_readable: &'static str,
    pub scope_journal: &'static str,
    pub screen_clients: &'static str,
    pub screen_groups: &'static str,
    pub screen_accumulations: &'static str,
    pub screen_registrations: &'static str,
    pub screen_card_operations: &'static str,
    pub not_configured: &'static str,
    pub not_configured_hint: &'static str,
    pub col_id: &'static str,
    pub col_name: &'static str,
    pub col_type: &'static str,
    pub col_percent: &'static str,
    pub col_birthday_bonus: &'static str,
    pub col_clients: &'static str,
    pub kind_bonus: &'static str,
    pub kind_discount: &'static str,
    pub groups_title: &'static str,
    pub groups_empty: &'static str,
    pub group_detail_title: &'static str,
    pub group_new_title: &'static str,
    pub group_edit_title: &'static str,
    pub field_name: &'static str,
    pub field_kind: &'static str,
    pub field_percent: &'static str,
    pub field_birthday_bonus: &'static str,
    pub kind_toggle_hint: &'static str,
    pub bonus_only_bonus: &'static str,
    pub group_name_required: &'static str,
    pub group_name_too_long: &'static str,
    pub group_percent_range: &'static str,
    pub group_percent_not_number: &'static str,
    pub group_bonus_negative: &'static str,
    pub group_bonus_discount: &'static str,
    pub group_bonus_invalid: &'static str,
    pub saving: &'static str,
    pub group_remove_title: &'static str,
    pub group_remove_what: &'static str,
    pub group_remove_clients: &'static str,
    pub group_remove_warning: &'static str,
    pub button_remove: &'static str,
    pub removing: &'static str,
    pub notice_group_saved: &'static str,
    pub notice_group_removed: &'static str,
    pub notice_exported: &'static str,
    pub exporting: &'static str,
    pub acc_title: &'static str,
    pub acc_empty: &'static str,
    pub col_promotion: &'static str,
    pub col_client: &'static str,
    pub col_product: &'static str,
    pub col_count: &'static str,
    pub col_status: &'static str,
    pub col_started: &'static str,
    pub col_closed: &'static str,
    pub col_weight: &'static str,
    pub status_active: &'static str,
    pub status_closed: &'static str,
    pub status_deleted: &'static str,
    pub status_other: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub filter_client: &'static str,
    pub all_clients: &'static str,
    pub reg_title: &'static str,
    pub reg_empty: &'static str,
    pub preset_today: &'static str,
    pub preset_yesterday: &'static str,
    pub preset_month: &'static str,
    pub preset_year: &'static str,
    pub preset_custom: &'static str,
    pub filter_pos: &'static str,
    pub col_card: &'static str,
    pub col_virtual: &'static str,
    pub col_card_type: &'static str,
    pub col_pos: &'static str,
    pub col_registered: &'static str,
    pub per_pos_title: &'static str,
    pub total: &'static str,
    pub ops_title: &'static str,
    pub ops_start: &'static str,
    pub ops_empty: &'static str,
    pub filter_card: &'static str,
    pub filter_promo: &'static str,
    pub type_all: &'static str,
    pub type_income: &'static str,
    pub type_outcome: &'static str,
    pub col_value: &'static str,
    pub col_used: &'static str,
    pub col_payment: &'static str,
    pub col_expires: &'static str,
    pub col_description: &'static str,
    pub no_expiry: &'static str,
    pub sort_label: &'static str,
    pub sort_date: &'static str,
    pub sort_type: &'static str,
    pub sort_amount: &'static str,
    pub sort_value: &'static str,
    pub sort_expiry: &'static str,
    pub sort_updated: &'static str,
    pub total_of: &'static str,
    pub filter_invalid_field: &'static str,
    pub scope_groups: &'static str,
    pub scope_accumulations: &'static str,
    pub scope_registrations: &'static str,
    pub scope_card_operations: &'static str,
    pub scope_admin_filter: &'static str,
    pub scope_group_form: &'static str,
    pub scope_group_remove: &'static str,
    pub action_details: &'static str,
    pub action_new_group: &'static str,
    pub action_edit_group: &'static str,
    pub action_remove_group: &'static str,
    pub action_filter: &'static str,
    pub action_preset: &'static str,
    pub action_type: &'static str,
    pub action_sort: &'static str,
    pub action_order: &'static str,
    pub action_export: &'static str,
    pub action_save: &'static str,
    pub action_toggle_kind: &'static str,
    pub action_leave_filter: &'static str,
}

/// Puts `arg` where the template has `{}`.
impl Text {
    /// The journal's columns, on the screen and on the command line alike.
    pub fn journal_columns(&self) -> Vec<&'static str> {
        vec![
            self.col_date,
            self.col_client,
            self.points,
            self.rubles,
            self.coupons_title,
            self.col_state,
            self.col_key,
        ]
    }

    /// A write-off's outcome as the journal shows it; `None`: sent, and no outcome recorded.
    pub fn outcome(&self, o: Option<Outcome>) -> &'static str {
        match o {
            None => self.outcome_none,
            Some(Outcome::Applied) => self.outcome_applied,
            Some(Outcome::Refused) => self.outcome_refused,
            Some(Outcome::Unknown) => self.outcome_unknown,
            Some(Outcome::AppliedAfterCheck) => self.outcome_applied_after_check,
            Some(Outcome::NotAppliedAfterCheck) => self.outcome_not_applied_after_check,
            Some(Outcome::UnclearAfterCheck) => self.outcome_unclear_after_check,
            Some(Outcome::NotSent) => self.outcome_not_sent,
        }
    }
}

pub fn fill(template: &str, arg: impl std::fmt::Display) -> String {
    template.replacen("{}", &arg.to_string(), 1)
}

/// [`fill`] for a template with two places, filled in order.
pub fn fill2(template: &str, a: impl std::fmt::Display, b: impl std::fmt::Display) -> String {
    fill(&fill(template, a), b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_counts_follow_the_plural_rule() {
        let t = Locale::Ru.text();
        let said = |n| Locale::Ru.count(n, &t.clients);
        assert_eq!(said(1), "1 клиент");
        assert_eq!(said(2), "2 клиента");
        assert_eq!(said(5), "5 клиентов");
        assert_eq!(said(11), "11 клиентов");
        assert_eq!(said(14), "14 клиентов");
        assert_eq!(said(21), "21 клиент");
        assert_eq!(said(22), "22 клиента");
        assert_eq!(said(111), "111 клиентов");
        assert_eq!(said(5000), "5 000 клиентов");
        assert_eq!(said(0), "0 клиентов");
        let en = Locale::En.text();
        assert_eq!(Locale::En.count(1, &en.rows), "1 row");
        assert_eq!(Locale::En.count(1234, &en.rows), "1,234 rows");
    }

    #[test]
    fn locale_follows_lang() {
        let env = |k: &str| (k == "LANG").then(|| "ru_RU.UTF-8".to_string());
        assert_eq!(Locale::from_env(env), Locale::Ru);
        assert_eq!(Locale::from_env(|_| None), Locale::En);
        let both = |k: &str| match k {
            "LC_ALL" => Some("en_US.UTF-8".to_string()),
            "LANG" => Some("ru_RU.UTF-8".to_string()),
            _ => None,
        };
        assert_eq!(Locale::from_env(both), Locale::En);
    }

    #[test]
    fn fill_replaces_one_placeholder() {
        assert_eq!(fill("a {} b {}", 1), "a 1 b {}");
    }
}

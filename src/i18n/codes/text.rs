//! The sentences of confirmation codes and of expiring and pending points.

/// The codes' sentences; `{}` as in [`Text`](super::super::Text).
pub struct CodesText {
    pub reason_code_required: &'static str,
    pub reason_code_wrong: &'static str,
    pub reason_code_expired: &'static str,
    pub reason_code_used: &'static str,
    pub reason_code_attempts: &'static str,
    pub reason_code_sends: &'static str,
    pub reason_code_resend_wait: &'static str,
    pub reason_code_undelivered: &'static str,
    pub reason_no_phone: &'static str,
    pub scope_code: &'static str,
    pub action_check: &'static str,
    pub action_code_or_pin: &'static str,
    pub action_resend: &'static str,
    pub code_title: &'static str,
    pub code_amounts: &'static str,
    pub code_sending: &'static str,
    pub code_sent_to: &'static str,
    pub code_sent: &'static str,
    pub code_valid_until: &'static str,
    pub code_field: &'static str,
    pub code_pin_field: &'static str,
    pub code_pin_instead: &'static str,
    pub code_checking: &'static str,
    pub code_uncheckable_manager: &'static str,
    pub code_uncheckable_refused: &'static str,
    pub code_malformed: &'static str,
    pub code_wait: &'static str,
    pub code_not_sent: &'static str,
    pub code_refused: &'static str,
    pub outlook_expiring: &'static str,
    pub outlook_pending: &'static str,
    pub outlook_failed: &'static str,
    pub journal_bypass: &'static str,
    pub confirmed_code: &'static str,
    pub confirmed_manager: &'static str,
    pub shift_bypasses: &'static str,
    pub shift_bypass_row: &'static str,
    pub code_resend_hint: &'static str,
    pub scope_pin_only: &'static str,
    pub action_by_pin: &'static str,
    pub scope_code_pin: &'static str,
    pub journal_by_code: &'static str,
}

#[cfg(test)]
mod tests {
    use super::CodesText;
    use crate::i18n::Locale;

    /// Every sentence with its name. The pattern lists every field, so a new one does not
    /// build until it is here too.
    fn sentences(t: &CodesText) -> Vec<(&'static str, &'static str)> {
        let CodesText {
            reason_code_required,
            reason_code_wrong,
            reason_code_expired,
            reason_code_used,
            reason_code_attempts,
            reason_code_sends,
            reason_code_resend_wait,
            reason_code_undelivered,
            reason_no_phone,
            scope_code,
            action_check,
            action_code_or_pin,
            action_resend,
            code_title,
            code_amounts,
            code_sending,
            code_sent_to,
            code_sent,
            code_valid_until,
            code_field,
            code_pin_field,
            code_pin_instead,
            code_checking,
            code_uncheckable_manager,
            code_uncheckable_refused,
            code_malformed,
            code_wait,
            code_not_sent,
            code_refused,
            outlook_expiring,
            outlook_pending,
            outlook_failed,
            journal_bypass,
            confirmed_code,
            confirmed_manager,
            shift_bypasses,
            shift_bypass_row,
            code_resend_hint,
            scope_pin_only,
            action_by_pin,
            scope_code_pin,
            journal_by_code,
        } = t;
        vec![
            ("reason_code_required", reason_code_required),
            ("reason_code_wrong", reason_code_wrong),
            ("reason_code_expired", reason_code_expired),
            ("reason_code_used", reason_code_used),
            ("reason_code_attempts", reason_code_attempts),
            ("reason_code_sends", reason_code_sends),
            ("reason_code_resend_wait", reason_code_resend_wait),
            ("reason_code_undelivered", reason_code_undelivered),
            ("reason_no_phone", reason_no_phone),
            ("scope_code", scope_code),
            ("action_check", action_check),
            ("action_code_or_pin", action_code_or_pin),
            ("action_resend", action_resend),
            ("code_title", code_title),
            ("code_amounts", code_amounts),
            ("code_sending", code_sending),
            ("code_sent_to", code_sent_to),
            ("code_sent", code_sent),
            ("code_valid_until", code_valid_until),
            ("code_field", code_field),
            ("code_pin_field", code_pin_field),
            ("code_pin_instead", code_pin_instead),
            ("code_checking", code_checking),
            ("code_uncheckable_manager", code_uncheckable_manager),
            ("code_uncheckable_refused", code_uncheckable_refused),
            ("code_malformed", code_malformed),
            ("code_wait", code_wait),
            ("code_not_sent", code_not_sent),
            ("code_refused", code_refused),
            ("outlook_expiring", outlook_expiring),
            ("outlook_pending", outlook_pending),
            ("outlook_failed", outlook_failed),
            ("journal_bypass", journal_bypass),
            ("confirmed_code", confirmed_code),
            ("confirmed_manager", confirmed_manager),
            ("shift_bypasses", shift_bypasses),
            ("shift_bypass_row", shift_bypass_row),
            ("code_resend_hint", code_resend_hint),
            ("scope_pin_only", scope_pin_only),
            ("action_by_pin", action_by_pin),
            ("scope_code_pin", scope_code_pin),
            ("journal_by_code", journal_by_code),
        ]
    }

    /// Each sentence is said in both languages, with as many places to fill in each.
    #[test]
    fn every_sentence_is_in_both_languages_with_the_same_places() {
        let ru = sentences(&Locale::Ru.text().codes);
        let en = sentences(&Locale::En.text().codes);
        for ((name, ru), (_, en)) in ru.iter().zip(&en) {
            assert!(!ru.trim().is_empty() && !en.trim().is_empty(), "{name}");
            assert_eq!(ru.matches("{}").count(), en.matches("{}").count(), "{name}");
        }
    }
}

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

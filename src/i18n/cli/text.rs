//! The command line's sentences: the questions, answers and mistakes of `loyalty write-off`,
//! `loyalty reverse` and `loyalty shift report`.

/// The command line's sentences; `{}` as in [`Text`](super::super::Text).
pub struct CliText {
    pub confirm: &'static str,
    pub needs_yes: &'static str,
    pub declined: &'static str,
    pub not_applied: &'static str,
    pub unreadable: &'static str,
    pub key: &'static str,
    /// How the write-off question names a client given by id: `{}` the id.
    pub client_id: &'static str,
    /// The write-off's CLIENT is neither an id nor a phone or email.
    pub client_arg: &'static str,
    /// The write-off's phone or email finds several clients: `{}` how many.
    pub client_many: &'static str,
    /// After a limit's refusal on the command line: how to give the PIN.
    pub pin_env_hint: &'static str,
    /// `{}`: the variable --pin-env names.
    pub pin_env_unset: &'static str,
    pub pin_needed: &'static str,
    /// Asked on the terminal; what is typed is not shown.
    pub pin_prompt: &'static str,
    pub note_missing: &'static str,
    /// `{}`: the longest note.
    pub note_too_long: &'static str,
    /// `{}`: what was given as OPERATION.
    pub operation_unknown: &'static str,
    /// `{}`: the operation.
    pub not_a_write_off: &'static str,
    /// `{}`: the journal key of a write-off with no number and no holds.
    pub cannot_reverse: &'static str,
    /// `{}`: the journal key.
    pub holds_without_ids: &'static str,
    /// The operation a reversal gives back: `{}` its number, `{}` when.
    pub original: &'static str,
    /// `{}`: who made it.
    pub original_by: &'static str,
    /// `{}`: the receipt's number, `{}` its total.
    pub original_receipt: &'static str,
    /// `{}`: what is left to give back.
    pub left: &'static str,
    /// `{}`: the operation.
    pub nothing_left: &'static str,
    /// `{}`: what is left.
    pub amount_above: &'static str,
    /// `{}`: the operation.
    pub amount_two_currencies: &'static str,
    pub refund_whole: &'static str,
    /// `{}`: what is given back.
    pub reverse_confirm: &'static str,
    pub reverse_needs_yes: &'static str,
    pub reverse_declined: &'static str,
    /// `{}`: what was given back.
    pub reversed: &'static str,
    /// `{}`: the reversal's own operation number.
    pub reversed_number: &'static str,
    /// `{}`: what was given back.
    pub reversed_after_check: &'static str,
    pub reverse_not_applied: &'static str,
    /// `{}`: the operation to look at.
    pub reverse_unclear: &'static str,
    /// `{}`: the reversal's journal key.
    pub reverse_key: &'static str,
    /// `{}`: what the holds' refund gave back.
    pub refunded: &'static str,
    /// `{}`: since when.
    pub shift_source_server: &'static str,
    /// `{}`: since when.
    pub shift_source_journal: &'static str,
    /// `{}`: how many movements of this till are still in doubt.
    pub shift_in_doubt: &'static str,
    pub shift_empty: &'static str,
    /// `{}`s: write-offs, reversals, coupons, coupons back, overrides.
    pub shift_counts: &'static str,
    pub col_written_off: &'static str,
    pub col_reversed: &'static str,
    pub kind_write_off: &'static str,
    pub kind_reversal: &'static str,
    /// `{}`: the longest receipt number.
    pub receipt_number: &'static str,
    /// After a write-off with a receipt, what goes on it (54-ФЗ): `{}` the receipt's number, its total, what points and bonus roubles paid, what is left to pay.
    pub receipt_text: &'static str,
    pub code_sent: &'static str,
    pub code_again: &'static str,
    pub code_prompt: &'static str,
    pub code_shape: &'static str,
    pub code_phone: &'static str,
    pub code_cannot_check: &'static str,
    pub code_needs_pin: &'static str,
    /// A code typed at the prompt that is not 4 to 8 digits: asked again.
    pub code_shape_typed: &'static str,
    /// Another code too soon: the seconds to wait.
    pub code_wait: &'static str,
    pub outlook_expiring: &'static str,
    pub outlook_pending: &'static str,
}

#[cfg(test)]
mod tests {
    use super::CliText;
    use crate::i18n::Locale;

    /// Every sentence with its name. The pattern lists every field, so a new one does not
    /// build until it is here too.
    fn sentences(t: &CliText) -> Vec<(&'static str, &'static str)> {
        let CliText {
            confirm,
            needs_yes,
            declined,
            not_applied,
            unreadable,
            key,
            client_id,
            client_arg,
            client_many,
            pin_env_hint,
            pin_env_unset,
            pin_needed,
            pin_prompt,
            note_missing,
            note_too_long,
            operation_unknown,
            not_a_write_off,
            cannot_reverse,
            holds_without_ids,
            original,
            original_by,
            original_receipt,
            left,
            nothing_left,
            amount_above,
            amount_two_currencies,
            refund_whole,
            reverse_confirm,
            reverse_needs_yes,
            reverse_declined,
            reversed,
            reversed_number,
            reversed_after_check,
            reverse_not_applied,
            reverse_unclear,
            reverse_key,
            refunded,
            shift_source_server,
            shift_source_journal,
            shift_in_doubt,
            shift_empty,
            shift_counts,
            col_written_off,
            col_reversed,
            kind_write_off,
            kind_reversal,
            receipt_number,
            receipt_text,
            code_sent,
            code_again,
            code_prompt,
            code_shape,
            code_phone,
            code_cannot_check,
            code_needs_pin,
            code_shape_typed,
            code_wait,
            outlook_expiring,
            outlook_pending,
        } = *t;
        vec![
            ("confirm", confirm),
            ("needs_yes", needs_yes),
            ("declined", declined),
            ("not_applied", not_applied),
            ("unreadable", unreadable),
            ("key", key),
            ("client_id", client_id),
            ("client_arg", client_arg),
            ("client_many", client_many),
            ("pin_env_hint", pin_env_hint),
            ("pin_env_unset", pin_env_unset),
            ("pin_needed", pin_needed),
            ("pin_prompt", pin_prompt),
            ("note_missing", note_missing),
            ("note_too_long", note_too_long),
            ("operation_unknown", operation_unknown),
            ("not_a_write_off", not_a_write_off),
            ("cannot_reverse", cannot_reverse),
            ("holds_without_ids", holds_without_ids),
            ("original", original),
            ("original_by", original_by),
            ("original_receipt", original_receipt),
            ("left", left),
            ("nothing_left", nothing_left),
            ("amount_above", amount_above),
            ("amount_two_currencies", amount_two_currencies),
            ("refund_whole", refund_whole),
            ("reverse_confirm", reverse_confirm),
            ("reverse_needs_yes", reverse_needs_yes),
            ("reverse_declined", reverse_declined),
            ("reversed", reversed),
            ("reversed_number", reversed_number),
            ("reversed_after_check", reversed_after_check),
            ("reverse_not_applied", reverse_not_applied),
            ("reverse_unclear", reverse_unclear),
            ("reverse_key", reverse_key),
            ("refunded", refunded),
            ("shift_source_server", shift_source_server),
            ("shift_source_journal", shift_source_journal),
            ("shift_in_doubt", shift_in_doubt),
            ("shift_empty", shift_empty),
            ("shift_counts", shift_counts),
            ("col_written_off", col_written_off),
            ("col_reversed", col_reversed),
            ("kind_write_off", kind_write_off),
            ("kind_reversal", kind_reversal),
            ("receipt_number", receipt_number),
            ("receipt_text", receipt_text),
            ("code_sent", code_sent),
            ("code_again", code_again),
            ("code_prompt", code_prompt),
            ("code_shape", code_shape),
            ("code_phone", code_phone),
            ("code_cannot_check", code_cannot_check),
            ("code_needs_pin", code_needs_pin),
            ("code_shape_typed", code_shape_typed),
            ("code_wait", code_wait),
            ("outlook_expiring", outlook_expiring),
            ("outlook_pending", outlook_pending),
        ]
    }

    /// Each sentence is said in both languages, with as many places to fill in each.
    #[test]
    fn every_sentence_is_in_both_languages_with_the_same_places() {
        let ru = sentences(&Locale::Ru.text().cli);
        let en = sentences(&Locale::En.text().cli);
        for ((name, ru), (_, en)) in ru.iter().zip(&en) {
            assert!(!ru.trim().is_empty() && !en.trim().is_empty(), "{name}");
            assert_eq!(ru.matches("{}").count(), en.matches("{}").count(), "{name}");
        }
    }
}

//! Turning model values into catalogue text: errors, notices, form problems, key names.

pub use crate::app::keys::labels::{action, key, keys, scope};
use crate::app::model::{
    BackendLabel, FormProblem, GroupFormProblem, Notice, ReversalField, ReversalProblem,
    WriteOffField,
};
use crate::domain::AmountError;
use crate::domain::Reversal;
use crate::domain::admin::{GroupKind, GroupProblem};
use crate::domain::reversal::OperationKind;
pub use crate::i18n::describe::{currency, doubt, error, limit, refusal, write_off};
use crate::i18n::{Locale, Text, fill, fill2, format_amount};

pub fn field(t: &Text, f: WriteOffField) -> &'static str {
    match f {
        WriteOffField::Points => t.points,
        WriteOffField::Rubles => t.rubles,
        WriteOffField::Coupons => t.coupons_title,
        WriteOffField::ReceiptNumber => t.money.receipt_number,
        WriteOffField::ReceiptTotal => t.money.receipt_total,
        WriteOffField::Pin => t.money.pin_label,
        WriteOffField::OverrideReason => t.money.rev_reason,
        WriteOffField::OverrideNote => t.money.rev_note,
    }
}

pub fn reversal_field(t: &Text, f: ReversalField) -> &'static str {
    match f {
        ReversalField::Points => t.points,
        ReversalField::Rubles => t.rubles,
        ReversalField::Coupons => t.coupons_title,
        ReversalField::Reason => t.money.rev_reason,
        ReversalField::Note => t.money.rev_note,
        ReversalField::Pin => t.money.pin_label,
    }
}

pub fn operation_kind(t: &Text, k: OperationKind) -> &'static str {
    match k {
        OperationKind::WriteOff => t.money.kind_write_off,
        OperationKind::Reversal => t.money.kind_reversal,
    }
}

fn amount_error(t: &Text, e: &AmountError) -> &'static str {
    match e {
        AmountError::NotANumber => t.money.problem_not_number,
        AmountError::TooManyDecimals => t.money.problem_decimals,
        AmountError::TooLarge => t.money.problem_too_large,
    }
}

pub fn reversal_problem(locale: Locale, p: &ReversalProblem) -> String {
    let t = locale.text();
    match p {
        ReversalProblem::Amount { field: f, error: e } => {
            fill(amount_error(t, e), reversal_field(t, *f))
        }
        ReversalProblem::NotPositive(f) => {
            fill(t.money.problem_not_positive, reversal_field(t, *f))
        }
        ReversalProblem::AboveLeft { field: f, left } => format!(
            "{}: {}",
            reversal_field(t, *f),
            fill(t.money.problem_above_left, format_amount(locale, *left))
        ),
        ReversalProblem::Nothing => t.money.problem_reverse_nothing.to_string(),
        ReversalProblem::ReasonMissing => t.money.problem_reason_missing.to_string(),
        ReversalProblem::NoteMissing => t.money.problem_note_missing.to_string(),
        ReversalProblem::NoteTooLong => t.money.problem_note_long.to_string(),
        ReversalProblem::PinMissing => t.money.problem_pin.to_string(),
        ReversalProblem::Refused(e) => refusal(t, e),
    }
}

/// What a reversal gives back, as a notice says it: the amounts and the coupons.
pub fn reversal(locale: Locale, r: &Reversal) -> String {
    write_off(
        locale,
        &crate::domain::WriteOff {
            points: r.points,
            rubles: r.rubles,
            coupons: r.coupons.clone(),
            receipt: None,
            why: None,
            code: None,
        },
    )
}

pub fn problem(locale: Locale, p: &FormProblem) -> String {
    let t = locale.text();
    match p {
        FormProblem::Amount { field: f, error: e } => fill(amount_error(t, e), field(t, *f)),
        FormProblem::NotPositive(f) => fill(t.money.problem_not_positive, field(t, *f)),
        FormProblem::AboveBalance {
            field: f,
            available,
        } => format!(
            "{}: {}",
            field(t, *f),
            fill(
                t.money.problem_above_balance,
                format_amount(locale, *available)
            )
        ),
        FormProblem::CouponExpired(id) => fill(t.money.problem_coupon_expired, id.0),
        FormProblem::Nothing => t.money.problem_nothing.to_string(),
        FormProblem::Refused(e) => fill(t.money.problem_refused, refusal(t, e)),
        FormProblem::ReceiptHalf => t.money.problem_receipt_half.to_string(),
        FormProblem::ReceiptMissing => t.money.problem_receipt_missing.to_string(),
        FormProblem::ReceiptNumberTooLong => t.money.problem_receipt_number_long.to_string(),
        FormProblem::PinMissing => t.money.problem_pin.to_string(),
        FormProblem::OverrideReasonMissing => t.money.problem_reason_missing.to_string(),
        FormProblem::OverrideNoteMissing => t.money.problem_note_missing.to_string(),
        FormProblem::OverrideNoteTooLong => t.money.problem_note_long.to_string(),
        FormProblem::CodeUncheckable => t.codes.code_uncheckable_refused.to_string(),
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
                fill(t.money.notice_written_off, write_off(locale, request))
            )
        }
        Notice::OutcomeUnknown { .. } => t.money.notice_outcome_unknown.to_string(),
        Notice::NoSearchFor(text) => fill(t.notice_no_search, text),
        Notice::NoBalanceToWriteOff => t.money.notice_no_balance.to_string(),
        Notice::NoClientToWriteOff => t.notice_no_client.to_string(),
        Notice::CheckingEarlier => t.money.notice_checking_earlier.to_string(),
        Notice::RateLimited { seconds } => fill(t.notice_rate_limited, seconds),
        Notice::LookingForClient { client, page } => {
            fill2(t.notice_looking_for_client, client, page)
        }
        Notice::ClientNotFound { client, pages } => fill2(t.notice_client_not_found, client, pages),
        Notice::WrittenOffAfterCheck { client, request } => {
            let name = client.name.as_deref().unwrap_or(t.no_name);
            format!(
                "{} — {name}",
                fill(
                    t.money.notice_written_off_after_check,
                    write_off(locale, request)
                )
            )
        }
        Notice::ConfigReadable { path } => fill(t.notice_config_readable, path.display()),
        Notice::GroupSaved { name } => fill(t.notice_group_saved, name),
        Notice::GroupRemoved { name } => fill(t.notice_group_removed, name),
        Notice::BonusCorrected { name } => fill(t.notice_bonus_corrected, name),
        Notice::Reversed {
            operation,
            request,
            after_check,
        } => fill2(
            if *after_check {
                t.money.notice_reversed_after_check
            } else {
                t.money.notice_reversed
            },
            operation,
            reversal(locale, request),
        ),
        Notice::ReversalNotOffered => t.money.notice_reversal_not_offered.to_string(),
        Notice::NotReversible => t.money.notice_not_reversible.to_string(),
        Notice::Exporting { rows } => fill(t.notice_exporting, locale.count(*rows as u64, &t.rows)),
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
                AmountError::NotANumber => t.money.problem_not_number.replace("{}: ", ""),
                AmountError::TooManyDecimals => t.money.problem_decimals.replace("{}: ", ""),
                AmountError::TooLarge => t.money.problem_too_large.replace("{}: ", ""),
            },
        ),
        GroupFormProblem::Refused(e) => fill(t.problem_save_refused, refusal(t, e)),
    }
}

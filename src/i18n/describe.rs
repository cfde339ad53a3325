//! Domain values in the catalogue's words, for the screens and the command line alike: a
//! service error, a currency, a write-off in one line, a check's doubt.

use super::{Locale, Text, fill, format_amount};
use crate::domain::journal::{Movement, Outcome};
use crate::domain::limits::LimitKind;
use crate::domain::reconcile::Doubt;
use crate::domain::reversal::{ReasonCode, Why};
use crate::domain::setting::{Problem, SettingFault};
use crate::domain::{Currency, ErrorKind, Reason, ServiceError, WriteOff};

/// A failure in the catalogue's words: what happened and what to do. The vendor's or the
/// library's own words ([`ServiceError::detail`]) are never part of it: they are shown in
/// the messages overlay and logged.
pub fn error(t: &Text, e: &ServiceError) -> String {
    match e.kind {
        ErrorKind::Timeout => t.error_timeout,
        ErrorKind::Unreachable => t.error_unreachable,
        ErrorKind::Interrupted => t.error_interrupted,
        ErrorKind::Unauthorized => t.error_unauthorized,
        ErrorKind::Rejected => t.error_rejected,
        ErrorKind::Server => t.error_server,
        ErrorKind::BadResponse => t.error_bad_response,
        ErrorKind::RateLimited => t.error_rate_limited,
        ErrorKind::NotConfigured => t.error_not_configured,
        ErrorKind::Cancelled => t.error_cancelled,
        ErrorKind::InProgress => t.error_in_progress,
    }
    .to_string()
}

/// Why a request was refused: the reason the vendor named, in the catalogue's words, or
/// the failure itself when it named none the console knows.
pub fn refusal(t: &Text, e: &ServiceError) -> String {
    match e.reason {
        Some(Reason::Insufficient) => t.money.reason_insufficient.to_string(),
        Some(Reason::CouponUnavailable) => t.money.reason_coupon.to_string(),
        Some(Reason::HoldGone) => t.money.reason_hold_gone.to_string(),
        Some(Reason::Limit(kind)) => fill(t.money.reason_limit, limit(t, kind)),
        Some(Reason::ReceiptRequired) => t.money.reason_receipt_required.to_string(),
        Some(Reason::ManagerRequired) => t.money.reason_manager_required.to_string(),
        Some(Reason::PinWrong) => t.money.reason_pin_wrong.to_string(),
        Some(Reason::OverReversal) => t.money.reason_over_reversal.to_string(),
        Some(Reason::NotReversible) => t.money.reason_not_reversible.to_string(),
        Some(Reason::CodeRequired) => t.codes.reason_code_required.to_string(),
        Some(Reason::CodeWrong) => t.codes.reason_code_wrong.to_string(),
        Some(Reason::CodeExpired) => t.codes.reason_code_expired.to_string(),
        Some(Reason::CodeUsed) => t.codes.reason_code_used.to_string(),
        Some(Reason::CodeAttempts) => t.codes.reason_code_attempts.to_string(),
        Some(Reason::CodeSends) => t.codes.reason_code_sends.to_string(),
        Some(Reason::CodeResendWait) => t.codes.reason_code_resend_wait.to_string(),
        Some(Reason::CodeUndelivered) => t.codes.reason_code_undelivered.to_string(),
        Some(Reason::NoPhone) => t.codes.reason_no_phone.to_string(),
        None => error(t, e),
    }
}

/// A shop limit's name, as a refusal or the write-off dialog says it.
pub fn limit(t: &Text, kind: LimitKind) -> &'static str {
    match kind {
        LimitKind::ReceiptShare => t.money.limit_receipt_share,
        LimitKind::Operation => t.money.limit_operation,
        LimitKind::ClientDay => t.money.limit_client_day,
        LimitKind::CashierShift => t.money.limit_cashier_shift,
    }
}

/// A reason's name on the short list.
pub fn reason_code(t: &Text, r: ReasonCode) -> &'static str {
    match r {
        ReasonCode::Mistake => t.money.reason_code_mistake,
        ReasonCode::Returned => t.money.reason_code_returned,
        ReasonCode::Complaint => t.money.reason_code_complaint,
        ReasonCode::Other => t.money.reason_code_other,
    }
}

/// A reason as the journal and history show it: its name, and its note after a colon.
pub fn why(t: &Text, why: &Why) -> String {
    let code = reason_code(t, why.code);
    match &why.note {
        Some(note) => format!("{code}: {note}"),
        None => code.to_string(),
    }
}

pub fn currency(t: &Text, c: Currency) -> &'static str {
    match c {
        Currency::Points => t.points,
        Currency::Rubles => t.rubles,
    }
}

/// A write-off in one line: `Баллы 100,00 · купоны 1235`.
pub fn write_off(locale: Locale, w: &WriteOff) -> String {
    let t = locale.text();
    let mut parts: Vec<String> = w
        .balance_parts()
        .into_iter()
        .map(|(c, a)| format!("{} {}", currency(t, c), format_amount(locale, a)))
        .collect();
    if !w.coupons.is_empty() {
        let ids: Vec<String> = w.coupons.iter().map(|c| c.0.to_string()).collect();
        parts.push(format!("{} {}", t.coupons_title, ids.join(", ")));
    }
    parts.join(" · ")
}

/// What the cashier is told when a check cannot tell whether a write-off went through.
pub fn doubt(t: &Text, doubt: Doubt) -> String {
    match doubt {
        Doubt::Unreadable => t.money.checked_unreadable.to_string(),
        Doubt::ChangedOtherwise => t.money.checked_changed_otherwise.to_string(),
        Doubt::SameAmountElsewhere => t.money.checked_same_amount.to_string(),
        Doubt::CouponExpired(id) => fill(t.money.checked_coupon_expired, id.0),
    }
}

/// A mistake in a vendor's section of the config, naming where it is.
pub fn setting(t: &Text, f: &SettingFault) -> String {
    let at = f.at.as_str();
    // Each `{}` of the template in turn, never one inside a value put in before it (a URL or
    // a library's words may hold one).
    let fill_all = |template: &str, args: &[&str]| {
        let mut text = String::new();
        let mut args = args.iter();
        let mut parts = template.split("{}").peekable();
        while let Some(part) = parts.next() {
            text.push_str(part);
            if parts.peek().is_some() {
                text.push_str(args.next().copied().unwrap_or(""));
            }
        }
        text
    };
    match &f.problem {
        Problem::Shape(detail) => fill_all(t.setting_shape, &[at, detail]),
        Problem::NotAUrl { value, why } => {
            fill_all(t.setting_not_a_url, &[at, &format!("{value:?}"), why])
        }
        Problem::NotHttp { value } => fill_all(t.setting_not_http, &[at, &format!("{value:?}")]),
        Problem::QueryInUrl => fill_all(t.setting_query_in_url, &[at]),
        Problem::SecretTwice { name } => fill_all(t.setting_secret_twice, &[at, name, name]),
        Problem::EnvNotSet { name, var } => fill_all(t.setting_env_not_set, &[at, name, var]),
        Problem::NotPrintable { name } => fill_all(t.setting_not_printable, &[at, name]),
        Problem::SecretMissing { name } => fill_all(t.setting_secret_missing, &[at, name, name]),
        Problem::LoginShape { max } => fill_all(t.setting_login_shape, &[at, &max.to_string()]),
        Problem::LoginWithoutKey => fill_all(t.setting_login_without_key, &[at]),
        Problem::KeyWithoutLogin => fill_all(t.setting_key_without_login, &[at]),
        Problem::KeyAndToken => fill_all(t.setting_key_and_token, &[at]),
        Problem::NoCredential => fill_all(t.setting_no_credential, &[at]),
        Problem::ManagerNotPhone => fill_all(t.setting_manager_not_phone, &[at]),
        Problem::UnknownZone { value } => {
            fill_all(t.setting_unknown_zone, &[at, &format!("{value:?}")])
        }
        Problem::Client(detail) => fill_all(t.setting_client, &[at, detail]),
    }
}

/// Labels made of several of the catalogue's fields.
impl Text {
    /// The journal's columns, on the screen and on the command line alike.
    pub fn journal_columns(&self) -> Vec<&'static str> {
        vec![
            self.col_date,
            self.col_client,
            self.money.col_kind,
            self.points,
            self.rubles,
            self.coupons_title,
            self.money.col_receipt,
            self.money.col_reason,
            self.col_state,
            self.col_key,
        ]
    }

    /// A movement's outcome as the journal shows it; `None`: sent, and no outcome recorded.
    /// What went through is said in the movement's own words: written off, or given back.
    pub fn outcome(&self, movement: &Movement, o: Option<Outcome>) -> &'static str {
        let back = movement.gives_back();
        match o {
            Some(Outcome::Applied) if back => self.outcome_reversed,
            Some(Outcome::AppliedAfterCheck) if back => self.outcome_reversed_after_check,
            Some(Outcome::NotAppliedAfterCheck) if back => self.outcome_not_reversed_after_check,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    /// What a person is told is the catalogue's sentence alone: never the vendor's words,
    /// an HTML page or the console's own type names.
    #[test]
    fn errors_are_catalogue_sentences_without_the_vendors_words() {
        let kinds = [
            ErrorKind::Timeout,
            ErrorKind::Unreachable,
            ErrorKind::Interrupted,
            ErrorKind::Unauthorized,
            ErrorKind::Rejected,
            ErrorKind::Server,
            ErrorKind::BadResponse,
            ErrorKind::InProgress,
            ErrorKind::RateLimited,
            ErrorKind::NotConfigured,
            ErrorKind::Cancelled,
        ];
        for locale in [Locale::Ru, Locale::En] {
            let t = locale.text();
            for kind in kinds {
                let e = ServiceError::new(kind, "<html>os error 111</html>");
                for said in [error(t, &e), refusal(t, &e)] {
                    assert!(
                        !said.contains("html") && !said.contains("os error"),
                        "{said}"
                    );
                    // English sentences may share a word with a type name ("Cancelled").
                    if locale == Locale::Ru {
                        assert!(!said.contains(&format!("{kind:?}")), "{said}");
                    }
                }
            }
        }
    }

    fn at(problem: Problem) -> SettingFault {
        SettingFault {
            at: "profiles.shop.poster".into(),
            problem,
        }
    }

    #[test]
    fn a_setting_mistake_is_said_in_either_language_naming_where() {
        let f = at(Problem::SecretMissing { name: "token" });
        assert_eq!(
            setting(Locale::En.text(), &f),
            "profiles.shop.poster: give token or token_env"
        );
        assert_eq!(
            setting(Locale::Ru.text(), &f),
            "profiles.shop.poster: укажите token или token_env"
        );
        let url = SettingFault {
            at: "profiles.shop.poster.base_url".into(),
            problem: Problem::NotAUrl {
                value: "{}x".into(),
                why: "relative URL without a base".into(),
            },
        };
        // A `{}` typed into the value is the value's, not a place for the next word.
        assert_eq!(
            setting(Locale::En.text(), &url),
            "profiles.shop.poster.base_url = \"{}x\" is not a URL: relative URL without a base"
        );
    }
}

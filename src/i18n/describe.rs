//! Domain values in the catalogue's words, for the screens and the command line alike: a
//! service error, a currency, a write-off in one line, a check's doubt.

use super::{Locale, Text, fill, format_amount};
use crate::domain::reconcile::Doubt;
use crate::domain::{Currency, ErrorKind, ServiceError, WriteOff};

pub fn error(t: &Text, e: &ServiceError) -> String {
    let head = match e.kind {
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
    };
    // For these the detail is the HTTP library's English (kept in the log); the catalogue's
    // sentence says all a cashier can act on.
    let library_words = matches!(
        e.kind,
        ErrorKind::Timeout | ErrorKind::Unreachable | ErrorKind::Interrupted | ErrorKind::Cancelled
    );
    if e.detail.is_empty() || library_words {
        head.to_string()
    } else {
        format!("{head}: {}", e.detail)
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
        Doubt::Unreadable => t.checked_unreadable.to_string(),
        Doubt::ChangedOtherwise => t.checked_changed_otherwise.to_string(),
        Doubt::SameAmountElsewhere => t.checked_same_amount.to_string(),
        Doubt::CouponExpired(id) => fill(t.checked_coupon_expired, id.0),
    }
}

//! Sending a reversal: journalled before it goes, under its own key, its outcome journalled
//! when it ends. The console's dialog and the command line's `reverse` both send through
//! here; an unanswered reversal is judged by reading its original back, never resent blind.

use super::journal::Journal;
use super::movement::journalled;
use super::need;
use crate::backend::Services;
use crate::domain::journal::Attempt;
use crate::domain::limits::ManagerPin;
use crate::domain::{OperationId, Reversal, ServiceError};

pub async fn send(
    s: &Services,
    journal: &Journal,
    request: Reversal,
    key: String,
    manager: Option<ManagerPin>,
) -> Result<Option<OperationId>, ServiceError> {
    let service = need(&s.clients, "ext")?;
    let attempt = Attempt::reversal(key.clone(), request.clone());
    journalled(journal, &attempt, "reversal", || {
        service.reverse(request, Some(key.clone()), manager)
    })
    .await
}

/// Gives back, whole, a write-off the live seed-001 vendor took through holds: its only
/// way back is `refund/` by the holds' ids. Journalled as a reversal under its own key;
/// the write-off has no server number (its `original` is 0), so the journal's reason names
/// the write-off's key. Sent once; an unanswered refund is judged by reading back.
pub async fn refund_holds(
    s: &Services,
    journal: &Journal,
    request: Reversal,
    of_key: &str,
    holds: Vec<String>,
    key: String,
) -> Result<Option<OperationId>, ServiceError> {
    let service = need(&s.clients, "ext")?;
    let client = request.client;
    let plain = Attempt::reversal(key, request);
    let reason = plain.reason.clone().unwrap_or_default();
    let attempt = Attempt {
        reason: Some(format!("{reason} (refund of the holds of {of_key})")),
        // The live vendor takes no PIN: none was sent.
        manager: false,
        ..plain
    };
    let steps = |_: crate::domain::journal::HoldStep, _: &str| {};
    journalled(journal, &attempt, "refund", || async {
        service
            .refund_holds(client, holds, &steps)
            .await
            .map(|()| None)
    })
    .await
}

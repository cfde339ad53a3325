//! Sending a reversal: journalled before it goes, under its own key, its outcome journalled
//! when it ends. The console's dialog and the command line's `reverse` both send through
//! here; an unanswered reversal is judged by reading its original back, never resent blind.

use super::journal::Journal;
use super::movement::journalled;
use super::need;
use crate::backend::Services;
use crate::domain::journal::Attempt;
use crate::domain::limits::ManagerPin;
use crate::domain::reversal::Refund;
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
/// way back is `refund/` by the holds' ids. Journalled as a refund under its own key, naming
/// the write-off's key; the live vendor takes no PIN. Sent once; an unanswered refund is
/// judged by reading back.
pub async fn refund_holds(
    s: &Services,
    journal: &Journal,
    request: Refund,
    holds: Vec<String>,
    key: String,
) -> Result<Option<OperationId>, ServiceError> {
    let service = need(&s.clients, "ext")?;
    let client = request.client;
    let attempt = Attempt::refund(key, request);
    let steps = |_: crate::domain::journal::HoldStep, _: &str| {};
    journalled(journal, &attempt, "refund", || async {
        service
            .refund_holds(client, holds, &steps)
            .await
            .map(|()| None)
    })
    .await
}

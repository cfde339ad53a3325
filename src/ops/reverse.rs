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

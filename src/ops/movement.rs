//! What every money movement does around its request: on disk in the journal before it
//! leaves, its outcome journalled when it ends. A journal that cannot be written stops the
//! movement: money never moves unrecorded.

use super::journal::Journal;
use crate::domain::journal::{Attempt, Outcome};
use crate::domain::{ErrorKind, OperationId, ServiceError};
use std::future::Future;

/// Journals `attempt`, runs `send`, journals how it ended (with the operation's number
/// when the answer gave one). `what` names the movement in the log.
pub async fn journalled<Fut>(
    journal: &Journal,
    attempt: &Attempt,
    what: &str,
    send: impl FnOnce() -> Fut,
) -> Result<Option<OperationId>, ServiceError>
where
    Fut: Future<Output = Result<Option<OperationId>, ServiceError>>,
{
    let (key, client) = (&attempt.key, attempt.client);
    if let Err(e) = journal.attempt(attempt) {
        tracing::error!("journal {}: {e}; {what} not sent", journal.path().display());
        return Err(ServiceError::new(
            ErrorKind::Rejected,
            format!("the journal cannot be written ({e}); nothing was sent"),
        ));
    }
    tracing::info!(client = client.0, key, movement = ?attempt.movement, "{what} sent");
    let result = send().await;
    let (outcome, detail) = match &result {
        Ok(_) => (Outcome::Applied, None),
        Err(e) if e.outcome_unknown() => (Outcome::Unknown, Some(e.detail.clone())),
        Err(e) => (Outcome::Refused, Some(e.detail.clone())),
    };
    let operation = result.as_ref().ok().copied().flatten();
    tracing::info!(
        client = client.0,
        key,
        outcome = outcome.as_str(),
        operation = operation.map(|o| o.0),
        "{what} answered"
    );
    if let Err(e) = journal.outcome(key, client, outcome, detail, operation) {
        tracing::error!("journal {}: {e}", journal.path().display());
    }
    result
}

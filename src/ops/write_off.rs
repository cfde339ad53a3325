//! Sending a write-off: journalled before it goes, its vendor transactions and its outcome
//! journalled as they come.

use super::journal::Journal;
use super::need;
use crate::backend::Services;
use crate::domain::journal::{Attempt, HoldStep, Outcome};
use crate::domain::{ClientId, ErrorKind, ServiceError, WriteOff};

/// Journals the attempt (on disk before anything is sent), sends it, journals the outcome.
/// A journal that cannot be written stops the write-off: money never moves unrecorded.
/// The console's dialog and the command line's `write-off` both send through here.
pub async fn send(
    s: &Services,
    journal: &Journal,
    client: ClientId,
    request: WriteOff,
    key: String,
) -> Result<(), ServiceError> {
    let service = need(&s.clients, "ext")?;
    if let Err(e) = journal.attempt(&Attempt::write_off(key.clone(), client, request.clone())) {
        tracing::error!(
            "journal {}: {e}; write-off not sent",
            journal.path().display()
        );
        return Err(ServiceError::new(
            ErrorKind::Rejected,
            format!("the journal cannot be written ({e}); nothing was sent"),
        ));
    }
    tracing::info!(client = client.0, key, ?request, "write-off sent");
    let record = |step: HoldStep, transaction: &str| {
        tracing::info!(
            client = client.0,
            key,
            transaction,
            step = step.as_str(),
            "write-off transaction"
        );
        if let Err(e) = journal.transaction(&key, client, step, transaction) {
            tracing::error!("journal {}: {e}", journal.path().display());
        }
    };
    let result = service
        .write_off(client, request, Some(key.clone()), &record)
        .await;
    let (outcome, detail) = match &result {
        Ok(()) => (Outcome::Applied, None),
        Err(e) if e.outcome_unknown() => (Outcome::Unknown, Some(e.detail.clone())),
        Err(e) => (Outcome::Refused, Some(e.detail.clone())),
    };
    tracing::info!(
        client = client.0,
        key,
        outcome = outcome.as_str(),
        "write-off answered"
    );
    if let Err(e) = journal.outcome(&key, client, outcome, detail) {
        tracing::error!("journal {}: {e}", journal.path().display());
    }
    result
}

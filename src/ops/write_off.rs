//! Sending a write-off: journalled before it goes, its vendor transactions and its outcome
//! journalled as they come.

use super::journal::Journal;
use super::movement::journalled;
use super::need;
use crate::backend::Services;
use crate::domain::journal::{Attempt, HoldStep};
use crate::domain::limits::ManagerPin;
use crate::domain::{ClientId, OperationId, ServiceError, WriteOff};

/// Journals the attempt (on disk before anything is sent), sends it, journals the outcome.
/// The console's dialog and the command line's `write-off` both send through here.
/// `manager`: a manager's PIN, to go past a limit; only that one was given is journalled.
pub async fn send(
    s: &Services,
    journal: &Journal,
    client: ClientId,
    request: WriteOff,
    key: String,
    manager: Option<ManagerPin>,
) -> Result<Option<OperationId>, ServiceError> {
    let service = need(&s.clients, "ext")?;
    let attempt = Attempt {
        manager: manager.is_some(),
        ..Attempt::write_off(key.clone(), client, request.clone())
    };
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
    journalled(journal, &attempt, "write-off", || {
        service.write_off(client, request, Some(key.clone()), manager, &record)
    })
    .await
}

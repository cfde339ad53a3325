//! Sending a write-off: journalled before it goes, its vendor transactions and its outcome
//! journalled as they come.

use super::journal::Journal;
use super::movement::journalled;
use super::need;
use crate::backend::{Recorder, Services};
use crate::domain::codes::Confirmed;
use crate::domain::journal::{Attempt, HoldStep};
use crate::domain::limits::ManagerPin;
use crate::domain::{ClientId, OperationId, ServiceError, WriteOff};

/// Journals the attempt (on disk before anything is sent), sends it, journals the outcome.
/// The console's dialog and the command line's `write-off` both send through here.
/// `manager`: a manager's PIN, to go past a limit; only that one was given is journalled.
/// A write-off carrying the client's code is journalled as confirmed by it (the code
/// itself never is).
pub async fn send(
    s: &Services,
    journal: &Journal,
    client: ClientId,
    request: WriteOff,
    key: String,
    manager: Option<ManagerPin>,
) -> Result<Option<OperationId>, ServiceError> {
    let confirmed = request.code.is_some().then_some(Confirmed::Code);
    send_confirmed(s, journal, (client, request, key), manager, confirmed).await
}

/// As [`send`], journalling how a write-off that needed a code was allowed: by a code the
/// vendor checked before it (so the write-off carries none), or by the manager's PIN in
/// its place.
pub async fn send_confirmed(
    s: &Services,
    journal: &Journal,
    (client, request, key): (ClientId, WriteOff, String),
    manager: Option<ManagerPin>,
    confirmed: Option<Confirmed>,
) -> Result<Option<OperationId>, ServiceError> {
    let service = need(&s.clients, "ext")?;
    let attempt = Attempt {
        manager: manager.is_some(),
        confirmed,
        ..Attempt::write_off(key.clone(), client, request.clone())
    };
    let record = Steps {
        journal,
        key: &key,
        client,
    };
    journalled(journal, &attempt, "write-off", || {
        service.write_off(client, request, Some(key.clone()), manager, &record)
    })
    .await
}

/// Journals each vendor transaction of a write-off under its key as it is made.
struct Steps<'a> {
    journal: &'a Journal,
    key: &'a str,
    client: ClientId,
}

impl Steps<'_> {
    fn journal(&self, step: HoldStep, transaction: &str, hold: Option<i64>) {
        tracing::info!(
            client = self.client.0,
            key = self.key,
            transaction,
            step = step.as_str(),
            "write-off transaction"
        );
        if let Err(e) = self
            .journal
            .transaction(self.key, self.client, step, transaction, hold)
        {
            tracing::error!("journal {}: {e}", self.journal.path().display());
        }
    }
}

impl Recorder for Steps<'_> {
    fn step(&self, step: HoldStep, transaction: &str) {
        self.journal(step, transaction, None);
    }

    fn held(&self, transaction: &str, hold: Option<i64>) {
        self.journal(HoldStep::Held, transaction, hold);
    }
}

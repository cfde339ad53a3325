//! Money back and what bounds it, on either store: an operation read back, a reversal (once
//! per key), what a client may write off now, the shift report, and the managers whose PIN
//! allows a reversal or an override.

use super::Store;
use crate::domain::limits::{Available, ManagerPin};
use crate::domain::reversal::Operation;
use crate::domain::shift::ShiftReport;
use crate::domain::{Amount, ClientId, OperationId, Reversal};
use crate::server::store::rules::managers::{self, ListedManager};
use crate::server::store::{Answer, Idempotency, Keyed, Made, StoreError, Written};
use jiff::Timestamp;

impl Store {
    /// One operation with what its reversals gave back so far; `None` if there is none.
    pub async fn operation(&self, id: OperationId) -> Result<Option<Operation>, StoreError> {
        match self {
            Store::Sqlite(s) => s.operation(id).await,
            Store::Postgres(p) => p.operation(id).await,
        }
    }

    /// Gives back all or part of a write-off (`rules::operations`), all or nothing.
    pub async fn reverse(&self, reversal: Reversal, made: Made) -> Result<Written, StoreError> {
        match self {
            Store::Sqlite(s) => s.reverse(reversal, made).await,
            Store::Postgres(p) => p.reverse(&reversal, &made).await,
        }
    }

    /// A reversal under an idempotency key shared by every instance over this database.
    pub async fn reverse_once(
        &self,
        reversal: Reversal,
        made: Made,
        idem: Idempotency,
        answer: Answer,
    ) -> Result<Keyed, StoreError> {
        match self {
            Store::Sqlite(s) => s.reverse_once(reversal, made, idem, answer).await,
            Store::Postgres(p) => p.reverse_once(&reversal, &made, &idem, answer).await,
        }
    }

    /// What `client` may write off now under `made`'s limits, for a receipt of
    /// `receipt_total` if one is given.
    pub async fn available(
        &self,
        client: ClientId,
        receipt_total: Option<Amount>,
        made: Made,
    ) -> Result<Available, StoreError> {
        match self {
            Store::Sqlite(s) => s.available(client, receipt_total, made).await,
            Store::Postgres(p) => p.available(client, receipt_total, &made).await,
        }
    }

    /// Per cashier (principal and login), what was written off and given back since `since`.
    pub async fn shift_report(&self, since: Timestamp) -> Result<ShiftReport, StoreError> {
        match self {
            Store::Sqlite(s) => s.shift_report(since).await,
            Store::Postgres(p) => p.shift_report(since).await,
        }
    }

    /// Adds a manager with `pin` (kept only as a salted hash); a name a user or a manager
    /// has already is refused.
    pub async fn add_manager(
        &self,
        name: String,
        pin: &ManagerPin,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let manager = managers::new_manager(&name, pin)?;
        match self {
            Store::Sqlite(s) => s.add_manager(manager, now_ms).await,
            Store::Postgres(p) => p.add_manager(&manager, now_ms).await,
        }
    }

    pub async fn managers(&self) -> Result<Vec<ListedManager>, StoreError> {
        match self {
            Store::Sqlite(s) => s.managers().await,
            Store::Postgres(p) => p.managers().await,
        }
    }

    /// Returns whether a live manager was revoked.
    pub async fn revoke_manager(&self, name: String, now_ms: i64) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => s.revoke_manager(name, now_ms).await,
            Store::Postgres(p) => p.revoke_manager(&name, now_ms).await,
        }
    }

    /// The live manager whose PIN this is, if any.
    pub async fn manager_of(&self, pin: ManagerPin) -> Result<Option<String>, StoreError> {
        let stored = match self {
            Store::Sqlite(s) => s.manager_pins().await?,
            Store::Postgres(p) => p.manager_pins().await?,
        };
        // Each stored PIN costs a hash: off the async workers.
        tokio::task::spawn_blocking(move || managers::whose(&pin, &stored))
            .await
            .map_err(|e| StoreError::Worker(e.to_string()))
    }
}

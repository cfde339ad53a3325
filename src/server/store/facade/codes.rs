//! Confirmation codes, on either store (`rules::codes`).

use super::Store;
use crate::domain::ClientId;
use crate::server::store::StoreError;
use crate::server::store::rules::codes::{NewCode, Verdict};

impl Store {
    /// Records a code to be sent (voiding the till's earlier one for the client): its id and
    /// the phone's digits, or the refusal of the send.
    pub async fn record_code(&self, new: NewCode) -> Result<(i64, String), StoreError> {
        match self {
            Store::Sqlite(s) => s.record_code(new).await,
            Store::Postgres(p) => p.record_code(&new).await,
        }
    }

    /// Voids a code whose sending failed.
    pub async fn void_code(&self, id: i64) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.void_code(id).await,
            Store::Postgres(p) => p.void_code(id).await,
        }
    }

    /// Spends a code checked apart from any write-off; whether it was still good.
    pub async fn spend_code(&self, id: i64, now_ms: i64) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => s.spend_code(id, now_ms).await,
            Store::Postgres(p) => p.spend_code(id, now_ms).await,
        }
    }

    /// Checks a typed code against the client's for `principal` and the amounts (points,
    /// roubles in kopecks); a wrong try is counted and committed.
    pub async fn check_code(
        &self,
        client: ClientId,
        code: String,
        principal: String,
        amounts: (i64, i64),
        now_ms: i64,
    ) -> Result<Verdict, StoreError> {
        match self {
            Store::Sqlite(s) => s.check_code(client, code, principal, amounts, now_ms).await,
            Store::Postgres(p) => {
                p.check_code(client, &code, &principal, amounts, now_ms)
                    .await
            }
        }
    }
}

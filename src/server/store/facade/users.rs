//! Tills' and admins' keys and the secrets every instance shares, on either store.

use super::Store;
use crate::server::store::StoreError;
use crate::server::store::rules::principals::{self, Listed, Principal, Role};

impl Store {
    /// Adds a user; returns its new API key (only its digest is stored).
    pub async fn add_user(
        &self,
        name: String,
        role: Role,
        now_ms: i64,
    ) -> Result<String, StoreError> {
        match self {
            Store::Sqlite(s) => s.add_user(name, role, now_ms).await,
            Store::Postgres(p) => p.add_user(&name, role, now_ms).await,
        }
    }

    pub async fn users(&self) -> Result<Vec<Listed>, StoreError> {
        match self {
            Store::Sqlite(s) => s.users().await,
            Store::Postgres(p) => p.users().await,
        }
    }

    /// Returns whether a live key was revoked.
    pub async fn revoke_user(&self, name: String, now_ms: i64) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => s.revoke_user(name, now_ms).await,
            Store::Postgres(p) => p.revoke_user(&name, now_ms).await,
        }
    }

    /// The live user whose key this is; with `open` and no user ever added, anyone, as an
    /// admin (a credential that is not set is not checked).
    pub async fn user_or_open(
        &self,
        key: String,
        open: bool,
    ) -> Result<Option<Principal>, StoreError> {
        let (found, any) = match self {
            Store::Sqlite(s) => s.find_user(key).await?,
            Store::Postgres(p) => p.find_user(&key).await?,
        };
        Ok(principals::or_open(found, any, open))
    }

    /// A secret every instance over this database shares, made on first use.
    pub async fn shared_secret(&self, name: &'static str) -> Result<Vec<u8>, StoreError> {
        match self {
            Store::Sqlite(s) => s.shared_secret(name).await,
            Store::Postgres(p) => p.shared_secret(name).await,
        }
    }

    /// The secret `name` as stored, if it was ever made (a read only).
    pub async fn secret(&self, name: &'static str) -> Result<Option<Vec<u8>>, StoreError> {
        match self {
            Store::Sqlite(s) => s.secret(name).await,
            Store::Postgres(p) => p.secret(name).await,
        }
    }

    /// Replaces the secret `name`: what was signed with the old one is refused everywhere.
    pub async fn rotate_secret(&self, name: &'static str) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.rotate_secret(name).await,
            Store::Postgres(p) => p.rotate_secret(name).await,
        }
    }
}

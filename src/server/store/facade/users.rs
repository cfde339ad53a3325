//! Tills' and admins' keys and the secrets every instance shares, on either store.

use super::Store;
use crate::server::principals::{self, Listed, Principal, Role};
use crate::server::store::StoreError;

impl Store {
    /// Adds a user; returns its new API key (only its digest is stored).
    pub async fn add_user(
        &self,
        name: String,
        role: Role,
        now_ms: i64,
    ) -> Result<String, StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run_write(move |c| principals::add(c, &name, role, now_ms))
                    .await
            }
            Store::Postgres(p) => p.add_user(&name, role, now_ms).await,
        }
    }

    pub async fn users(&self) -> Result<Vec<Listed>, StoreError> {
        match self {
            Store::Sqlite(s) => s.run(|c| principals::list(c)).await,
            Store::Postgres(p) => p.users().await,
        }
    }

    /// Returns whether a live key was revoked.
    pub async fn revoke_user(&self, name: String, now_ms: i64) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run_write(move |c| principals::revoke(c, &name, now_ms))
                    .await
            }
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
        let found = match self {
            Store::Sqlite(s) => {
                s.run(move |c| {
                    let found = if key.is_empty() {
                        None
                    } else {
                        principals::find(c, &key)?
                    };
                    Ok((found, principals::any(c)?))
                })
                .await?
            }
            Store::Postgres(p) => p.find_user(&key).await?,
        };
        Ok(match found {
            (Some(p), _) => Some(p),
            (None, any) => (open && !any).then(|| Principal {
                name: "anyone".into(),
                role: Role::Admin,
            }),
        })
    }

    /// A secret every instance over this database shares, made on first use.
    pub async fn shared_secret(&self, name: &'static str) -> Result<Vec<u8>, StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run_write(move |c| principals::shared_secret(c, name))
                    .await
            }
            Store::Postgres(p) => p.shared_secret(name).await,
        }
    }

    /// The secret `name` as stored, if it was ever made (a read only).
    pub async fn secret(&self, name: &'static str) -> Result<Option<Vec<u8>>, StoreError> {
        match self {
            Store::Sqlite(s) => s.run(move |c| principals::secret(c, name)).await,
            Store::Postgres(p) => p.secret(name).await,
        }
    }

    /// Replaces the secret `name`: what was signed with the old one is refused everywhere.
    pub async fn rotate_secret(&self, name: &'static str) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run_write(move |c| principals::rotate_secret(c, name))
                    .await
            }
            Store::Postgres(p) => p.rotate_secret(name).await,
        }
    }
}

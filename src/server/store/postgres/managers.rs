//! Managers and their PINs on PostgreSQL (their rules are `rules::managers`). A manager's
//! name is unique among users and managers alike: a movement names either, and must not be
//! read as the other.

use super::super::StoreError;
use super::Postgres;
use crate::server::store::rules::managers::{ListedManager, StoredPin};
use crate::server::store::rules::principals::taken;

impl Postgres {
    pub async fn add_manager(&self, manager: &StoredPin, now_ms: i64) -> Result<(), StoreError> {
        let (name, salt, hash) = manager;
        let added = self
            .client()
            .await?
            .execute(
                "INSERT INTO managers (name, pin_salt, pin_hash, created_ms)
                 SELECT $1, $2, $3, $4
                 WHERE NOT EXISTS (SELECT 1 FROM principals WHERE name = $1)
                 ON CONFLICT DO NOTHING",
                &[name, salt, hash, &now_ms],
            )
            .await?;
        if added == 0 {
            return Err(taken(name));
        }
        Ok(())
    }

    pub async fn managers(&self) -> Result<Vec<ListedManager>, StoreError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT name, created_ms, revoked_ms FROM managers ORDER BY name",
                &[],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| ListedManager {
                name: r.get(0),
                created_ms: r.get(1),
                revoked_ms: r.get(2),
            })
            .collect())
    }

    pub async fn revoke_manager(&self, name: &str, now_ms: i64) -> Result<bool, StoreError> {
        let n = self
            .client()
            .await?
            .execute(
                "UPDATE managers SET revoked_ms = $2 WHERE name = $1 AND revoked_ms IS NULL",
                &[&name, &now_ms],
            )
            .await?;
        Ok(n > 0)
    }

    pub async fn manager_pins(&self) -> Result<Vec<StoredPin>, StoreError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT name, pin_salt, pin_hash FROM managers WHERE revoked_ms IS NULL",
                &[],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect())
    }
}

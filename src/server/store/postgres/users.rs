//! The API keys of tills and admins, and the secrets every instance shares.

use super::super::StoreError;
use super::Postgres;
use crate::server::store::rules::principals::{
    Listed, Principal, Role, checked_name, digest, fresh_secret, new_key, taken,
};

impl Postgres {
    pub async fn add_user(
        &self,
        name: &str,
        role: Role,
        now_ms: i64,
    ) -> Result<String, StoreError> {
        let name = checked_name(name)?;
        let key = new_key()?;
        let added = self
            .client()
            .await?
            .execute(
                // A manager's name is taken too: a movement names either, never both.
                "INSERT INTO principals (name, role, key_sha256, created_ms)
                 SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM managers WHERE name = $1)
                 ON CONFLICT DO NOTHING",
                &[&name, &role.as_str(), &digest(&key), &now_ms],
            )
            .await?;
        if added == 0 {
            return Err(taken(name));
        }
        Ok(key)
    }

    pub async fn users(&self) -> Result<Vec<Listed>, StoreError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT name, role, created_ms, revoked_ms FROM principals ORDER BY name",
                &[],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| Listed {
                name: r.get(0),
                role: Role::stored(r.get(1)),
                created_ms: r.get(2),
                revoked_ms: r.get(3),
            })
            .collect())
    }

    pub async fn revoke_user(&self, name: &str, now_ms: i64) -> Result<bool, StoreError> {
        let n = self
            .client()
            .await?
            .execute(
                "UPDATE principals SET revoked_ms = $2 WHERE name = $1 AND revoked_ms IS NULL",
                &[&name, &now_ms],
            )
            .await?;
        Ok(n > 0)
    }

    /// The live user whose key this is (none for an empty key), and whether any user was
    /// ever added. Every request of a till with its own key asks this first, so it is a
    /// lookup on the shared connections, prepared once: as a text query on a pooled
    /// connection it cost a checkout, a round trip to prepare and a plan per request, and a
    /// till's search with a user's key ran at about half the rate of one with the `--token`.
    pub async fn find_user(&self, key: &str) -> Result<(Option<Principal>, bool), StoreError> {
        let sql = "SELECT (SELECT name FROM principals WHERE key_sha256 = $1 AND revoked_ms IS NULL),
                          (SELECT role FROM principals WHERE key_sha256 = $1 AND revoked_ms IS NULL),
                          EXISTS (SELECT 1 FROM principals)";
        let hashed = &digest(key);
        let row = self
            .lookups
            .run(|c| async move { c.query_one(&c.prepare_cached(sql).await?, &[hashed]).await })
            .await?;
        let found = match (key.is_empty(), row.get::<_, Option<String>>(0)) {
            (false, Some(name)) => Some(Principal {
                name,
                role: Role::stored(row.get::<_, Option<&str>>(1).unwrap_or_default()),
            }),
            _ => None,
        };
        Ok((found, row.get(2)))
    }

    pub async fn secret(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .client()
            .await?
            .query_opt("SELECT value FROM server_secrets WHERE name = $1", &[&name])
            .await?
            .map(|r| r.get(0)))
    }

    pub async fn rotate_secret(&self, name: &str) -> Result<(), StoreError> {
        self.client()
            .await?
            .execute(
                "INSERT INTO server_secrets (name, value) VALUES ($1, $2)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                &[&name, &fresh_secret()?.to_vec()],
            )
            .await?;
        Ok(())
    }

    pub async fn shared_secret(&self, name: &str) -> Result<Vec<u8>, StoreError> {
        let c = self.client().await?;
        // The first instance's secret wins; every later one reads it.
        c.execute(
            "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&name, &fresh_secret()?.to_vec()],
        )
        .await?;
        Ok(
            c.query_one("SELECT value FROM server_secrets WHERE name = $1", &[&name])
                .await?
                .get(0),
        )
    }
}

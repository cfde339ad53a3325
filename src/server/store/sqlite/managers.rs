//! Managers and their PINs on SQLite (their rules are `rules::managers`). A manager's name
//! is unique among users and managers alike: a movement names either, and must not be read
//! as the other.

use super::Sqlite;
use crate::server::store::StoreError;
use crate::server::store::rules::managers::{ListedManager, StoredPin};
use crate::server::store::rules::principals::taken;
use rusqlite::params;

impl Sqlite {
    pub async fn add_manager(&self, manager: StoredPin, now_ms: i64) -> Result<(), StoreError> {
        self.run_write(move |c| {
            let (name, salt, hash) = manager;
            let used: bool = c.query_row(
                "SELECT EXISTS (SELECT 1 FROM principals WHERE name = ?1)
                     OR EXISTS (SELECT 1 FROM managers WHERE name = ?1)",
                [&name],
                |r| r.get(0),
            )?;
            if used {
                return Err(taken(&name));
            }
            c.execute(
                "INSERT INTO managers (name, pin_salt, pin_hash, created_ms) VALUES (?1, ?2, ?3, ?4)",
                params![name, salt, hash, now_ms],
            )?;
            Ok(())
        })
        .await
    }

    pub async fn managers(&self) -> Result<Vec<ListedManager>, StoreError> {
        self.run(|c| {
            let mut stmt =
                c.prepare("SELECT name, created_ms, revoked_ms FROM managers ORDER BY name")?;
            let rows = stmt.query_map([], |r| {
                Ok(ListedManager {
                    name: r.get(0)?,
                    created_ms: r.get(1)?,
                    revoked_ms: r.get(2)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Returns whether a live manager was revoked.
    pub async fn revoke_manager(&self, name: String, now_ms: i64) -> Result<bool, StoreError> {
        self.run_write(move |c| {
            let n = c.execute(
                "UPDATE managers SET revoked_ms = ?2 WHERE name = ?1 AND revoked_ms IS NULL",
                params![name, now_ms],
            )?;
            Ok(n > 0)
        })
        .await
    }

    /// The live managers' stored PINs.
    pub async fn manager_pins(&self) -> Result<Vec<StoredPin>, StoreError> {
        self.run(|c| {
            let mut stmt = c.prepare(
                "SELECT name, pin_salt, pin_hash FROM managers WHERE revoked_ms IS NULL",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }
}

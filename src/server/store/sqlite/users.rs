//! The users of `serve user` and the secrets every instance shares, on SQLite (their rules
//! are `rules::principals`).

use super::Sqlite;
use crate::server::store::StoreError;
use crate::server::store::rules::principals::{
    Listed, Principal, Role, checked_name, digest, fresh_secret, new_key, taken,
};
use rusqlite::{Connection, OptionalExtension, params};

impl Sqlite {
    pub async fn add_user(
        &self,
        name: String,
        role: Role,
        now_ms: i64,
    ) -> Result<String, StoreError> {
        self.run_write(move |c| add(c, &name, role, now_ms)).await
    }

    pub async fn users(&self) -> Result<Vec<Listed>, StoreError> {
        self.run(|c| list(c)).await
    }

    pub async fn revoke_user(&self, name: String, now_ms: i64) -> Result<bool, StoreError> {
        self.run_write(move |c| revoke(c, &name, now_ms)).await
    }

    pub async fn find_user(&self, key: String) -> Result<(Option<Principal>, bool), StoreError> {
        self.run(move |c| find_user(c, &key)).await
    }

    pub async fn shared_secret(&self, name: &'static str) -> Result<Vec<u8>, StoreError> {
        self.run_write(move |c| shared_secret(c, name)).await
    }

    pub async fn secret(&self, name: &'static str) -> Result<Option<Vec<u8>>, StoreError> {
        self.run(move |c| secret(c, name)).await
    }

    pub async fn rotate_secret(&self, name: &'static str) -> Result<(), StoreError> {
        self.run_write(move |c| rotate_secret(c, name)).await
    }
}

/// Adds `name` with `role`; its key, returned here, is never stored or shown again.
fn add(c: &Connection, name: &str, role: Role, now_ms: i64) -> Result<String, StoreError> {
    let name = checked_name(name)?;
    let key = new_key()?;
    let added = c.execute(
        // A manager's name is taken too: a movement names either, never both.
        "INSERT OR IGNORE INTO principals (name, role, key_sha256, created_ms)
         SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS (SELECT 1 FROM managers WHERE name = ?1)",
        params![name, role.as_str(), digest(&key), now_ms],
    )?;
    if added == 0 {
        return Err(taken(name));
    }
    Ok(key)
}

fn list(c: &Connection) -> Result<Vec<Listed>, StoreError> {
    let mut stmt =
        c.prepare("SELECT name, role, created_ms, revoked_ms FROM principals ORDER BY name")?;
    let rows = stmt.query_map([], |r| {
        Ok(Listed {
            name: r.get(0)?,
            role: Role::stored(&r.get::<_, String>(1)?),
            created_ms: r.get(2)?,
            revoked_ms: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Revokes `name`'s key at once for every instance; false when there is no such user.
fn revoke(c: &Connection, name: &str, now_ms: i64) -> Result<bool, StoreError> {
    let n = c.execute(
        "UPDATE principals SET revoked_ms = ?2 WHERE name = ?1 AND revoked_ms IS NULL",
        params![name, now_ms],
    )?;
    Ok(n > 0)
}

/// The live principal whose key this is. Looked up by the key's digest, so the lookup's
/// timing tells nothing of the stored keys.
fn find(c: &Connection, key: &str) -> Result<Option<Principal>, StoreError> {
    Ok(c.query_row(
        "SELECT name, role FROM principals WHERE key_sha256 = ?1 AND revoked_ms IS NULL",
        [digest(key)],
        |r| {
            Ok(Principal {
                name: r.get(0)?,
                role: Role::stored(&r.get::<_, String>(1)?),
            })
        },
    )
    .optional()?)
}

/// The live user whose key this is (none for an empty key), and whether any user was ever
/// added: what `rules::principals::or_open` decides by.
fn find_user(c: &Connection, key: &str) -> Result<(Option<Principal>, bool), StoreError> {
    let found = if key.is_empty() { None } else { find(c, key)? };
    Ok((found, any(c)?))
}

/// Whether any user was ever added: from then on every request needs a key, even when all
/// of them have been revoked.
fn any(c: &Connection) -> Result<bool, StoreError> {
    Ok(c.query_row("SELECT EXISTS (SELECT 1 FROM principals)", [], |r| r.get(0))?)
}

/// The secret `name`, made (32 random bytes) and stored the first time it is asked for, so
/// every instance over this database signs and checks with the same one.
fn shared_secret(c: &Connection, name: &str) -> Result<Vec<u8>, StoreError> {
    let fresh = fresh_secret()?;
    c.execute(
        "INSERT OR IGNORE INTO server_secrets (name, value) VALUES (?1, ?2)",
        params![name, fresh.to_vec()],
    )?;
    Ok(c.query_row(
        "SELECT value FROM server_secrets WHERE name = ?1",
        [name],
        |r| r.get(0),
    )?)
}

/// The secret `name` as stored, without making it: a read, for every request that checks
/// with it (the JWT signing key), so that a rotation takes effect at once everywhere.
fn secret(c: &Connection, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(c.query_row(
        "SELECT value FROM server_secrets WHERE name = ?1",
        [name],
        |r| r.get(0),
    )
    .optional()?)
}

/// Replaces the secret `name` with fresh random bytes: whatever was signed with the old one
/// is refused from now on, by every instance.
fn rotate_secret(c: &Connection, name: &str) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO server_secrets (name, value) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        params![name, fresh_secret()?.to_vec()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> (tempfile::TempDir, super::super::Sqlite) {
        let dir = tempfile::tempdir().unwrap();
        let store = super::super::Sqlite::open(&dir.path().join("p.db")).unwrap();
        (dir, store)
    }

    #[test]
    fn a_key_is_shown_once_stored_as_a_digest_and_revocable() {
        let (_dir, store) = db();
        store
            .with_conn(|c| {
                assert!(!any(c)?);
                let key = add(c, "till-3", Role::Cashier, 1)?;
                assert!(key.starts_with("lk_") && key.len() == 67, "{key}");
                let stored: Vec<u8> =
                    c.query_row("SELECT key_sha256 FROM principals", [], |r| r.get(0))?;
                assert_ne!(stored, key.as_bytes(), "the key itself is not stored");
                assert_eq!(
                    find(c, &key)?,
                    Some(Principal {
                        name: "till-3".into(),
                        role: Role::Cashier
                    })
                );
                assert_eq!(find(c, "lk_wrong")?, None);
                assert!(
                    add(c, "till-3", Role::Admin, 2).is_err(),
                    "names are unique"
                );
                assert!(add(c, "bad\u{1b}name", Role::Admin, 2).is_err());
                for reserved in ["token", " anyone "] {
                    let e = add(c, reserved, Role::Cashier, 2).unwrap_err();
                    assert!(e.to_string().contains("choose another"), "{e}");
                }
                assert!(revoke(c, "till-3", 3)?);
                assert_eq!(find(c, &key)?, None);
                assert!(any(c)?, "revoked users still close the open door");
                assert!(!revoke(c, "nobody", 3)?);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn the_shared_secret_is_made_once() {
        let (_dir, store) = db();
        store
            .with_conn(|c| {
                let first = shared_secret(c, "jwt")?;
                assert_eq!(first.len(), 32);
                assert_eq!(shared_secret(c, "jwt")?, first);
                Ok(())
            })
            .unwrap();
    }
}

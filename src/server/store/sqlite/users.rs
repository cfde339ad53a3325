//! Who may call the server: each till and each admin has its own API key. The key is shown
//! once when made; only its SHA-256 is stored. (A slow password hash such as argon2 guards
//! secrets people choose; these keys are 256 random bits, which a fast hash already leaves
//! unguessable, and every request is checked against one.)

use super::store::StoreError;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

pub const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS principals (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('cashier', 'admin')),
    key_sha256 BLOB NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL,
    revoked_ms INTEGER
);
-- Secrets every instance over this database shares, such as the JWT signing key.
CREATE TABLE IF NOT EXISTS server_secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
"#;

/// What a key may do: a cashier searches, reads and writes off; an admin also manages
/// groups and reads reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Cashier,
    Admin,
}

impl Role {
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "cashier" => Some(Role::Cashier),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Cashier => "cashier",
            Role::Admin => "admin",
        }
    }
}

/// The caller a key belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub name: String,
    pub role: Role,
}

/// One row of `user list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    pub role: Role,
    pub created_ms: i64,
    pub revoked_ms: Option<i64>,
}

/// Names are printed in lists and recorded in the ledger: short and plain.
pub const NAME_MAX: usize = 64;

pub(crate) fn digest(key: &str) -> Vec<u8> {
    Sha256::digest(key.as_bytes()).to_vec()
}

/// 32 random bytes, hex: the key a till is given.
pub(crate) fn new_key() -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Worker(format!("randomness: {e}")))?;
    Ok(format!("lk_{}", hex::encode(bytes)))
}

/// The principals the server names itself: the holder of the shared `--token`, and anyone
/// on a server with no credential. A user by one of these names would share that caller's
/// idempotency keys and holds.
const RESERVED: [&str; 2] = ["token", "anyone"];

/// A user name as stored: trimmed, 1 to [`NAME_MAX`] printable characters, none of the
/// reserved names.
pub(crate) fn checked_name(name: &str) -> Result<&str, StoreError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
        return Err(StoreError::Invalid(format!(
            "a user name is 1 to {NAME_MAX} printable characters"
        )));
    }
    if RESERVED.contains(&name) {
        return Err(StoreError::Invalid(format!(
            "{name:?} is the server's own name for a caller without a user: choose another"
        )));
    }
    Ok(name)
}

/// Random bytes for a shared secret.
pub(crate) fn fresh_secret() -> Result<[u8; 32], StoreError> {
    let mut fresh = [0u8; 32];
    getrandom::fill(&mut fresh).map_err(|e| StoreError::Worker(format!("randomness: {e}")))?;
    Ok(fresh)
}

/// Adds `name` with `role`; its key, returned here, is never stored or shown again.
pub fn add(c: &Connection, name: &str, role: Role, now_ms: i64) -> Result<String, StoreError> {
    let name = checked_name(name)?;
    let key = new_key()?;
    let added = c.execute(
        "INSERT OR IGNORE INTO principals (name, role, key_sha256, created_ms) VALUES (?1, ?2, ?3, ?4)",
        params![name, role.as_str(), digest(&key), now_ms],
    )?;
    if added == 0 {
        return Err(StoreError::Invalid(format!("user {name:?} already exists")));
    }
    Ok(key)
}

pub fn list(c: &Connection) -> Result<Vec<Listed>, StoreError> {
    let mut stmt =
        c.prepare("SELECT name, role, created_ms, revoked_ms FROM principals ORDER BY name")?;
    let rows = stmt.query_map([], |r| {
        Ok(Listed {
            name: r.get(0)?,
            role: Role::parse(&r.get::<_, String>(1)?).unwrap_or(Role::Cashier),
            created_ms: r.get(2)?,
            revoked_ms: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Revokes `name`'s key at once for every instance; false when there is no such user.
pub fn revoke(c: &Connection, name: &str, now_ms: i64) -> Result<bool, StoreError> {
    let n = c.execute(
        "UPDATE principals SET revoked_ms = ?2 WHERE name = ?1 AND revoked_ms IS NULL",
        params![name, now_ms],
    )?;
    Ok(n > 0)
}

/// The live principal whose key this is. Looked up by the key's digest, so the lookup's
/// timing tells nothing of the stored keys.
pub fn find(c: &Connection, key: &str) -> Result<Option<Principal>, StoreError> {
    Ok(c.query_row(
        "SELECT name, role FROM principals WHERE key_sha256 = ?1 AND revoked_ms IS NULL",
        [digest(key)],
        |r| {
            Ok(Principal {
                name: r.get(0)?,
                role: Role::parse(&r.get::<_, String>(1)?).unwrap_or(Role::Cashier),
            })
        },
    )
    .optional()?)
}

/// Whether any user was ever added: from then on every request needs a key, even when all
/// of them have been revoked.
pub fn any(c: &Connection) -> Result<bool, StoreError> {
    Ok(c.query_row("SELECT EXISTS (SELECT 1 FROM principals)", [], |r| r.get(0))?)
}

/// The secret `name`, made (32 random bytes) and stored the first time it is asked for, so
/// every instance over this database signs and checks with the same one.
pub fn shared_secret(c: &Connection, name: &str) -> Result<Vec<u8>, StoreError> {
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
pub fn secret(c: &Connection, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(c.query_row(
        "SELECT value FROM server_secrets WHERE name = ?1",
        [name],
        |r| r.get(0),
    )
    .optional()?)
}

/// Replaces the secret `name` with fresh random bytes: whatever was signed with the old one
/// is refused from now on, by every instance.
pub fn rotate_secret(c: &Connection, name: &str) -> Result<(), StoreError> {
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

    fn db() -> (tempfile::TempDir, super::super::store::Sqlite) {
        let dir = tempfile::tempdir().unwrap();
        let store = super::super::store::Sqlite::open(&dir.path().join("p.db")).unwrap();
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

//! Who may call the server: each till and each admin has its own API key. The key is shown
//! once when made; only its SHA-256 is stored. (A slow password hash such as argon2 guards
//! secrets people choose; these keys are 256 random bits, which a fast hash already leaves
//! unguessable, and every request is checked against one.)

use crate::server::store::StoreError;
use sha2::{Digest, Sha256};

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

    /// A role as a store keeps it; one this version does not know grants the least.
    pub(crate) fn stored(text: &str) -> Role {
        Role::parse(text).unwrap_or(Role::Cashier)
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

/// The refusal of a second user by a name already taken.
pub(crate) fn taken(name: &str) -> StoreError {
    StoreError::Invalid(format!("user {name:?} already exists"))
}

/// Random bytes for a shared secret.
pub(crate) fn fresh_secret() -> Result<[u8; 32], StoreError> {
    let mut fresh = [0u8; 32];
    getrandom::fill(&mut fresh).map_err(|e| StoreError::Worker(format!("randomness: {e}")))?;
    Ok(fresh)
}

/// Who a presented key is: the live user it belongs to (`found`); otherwise, where `open`
/// and no user was ever added (`any` is false), anyone, as an admin: a credential that is
/// not set is not checked.
pub(crate) fn or_open(found: Option<Principal>, any: bool, open: bool) -> Option<Principal> {
    found.or_else(|| {
        (open && !any).then(|| Principal {
            name: "anyone".into(),
            role: Role::Admin,
        })
    })
}

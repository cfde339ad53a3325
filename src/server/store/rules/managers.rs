//! Managers, on either store: a name and a PIN whose digits are never kept, only a salted
//! PBKDF2-HMAC-SHA256 of them. A PIN is a few digits, so no hash keeps it from a thief of
//! the database for long; the iterations make each guess cost, and the server slows wrong
//! PINs per caller (`server::pins`). A manager has no API key: it cannot call the server,
//! it only allows a till's movement.

use super::principals::checked_name;
use crate::domain::limits::ManagerPin;
use crate::server::store::StoreError;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// PBKDF2 rounds: a few milliseconds per manager on a till's server.
const ROUNDS: u32 = 20_000;

/// One row of `user list` for a manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedManager {
    pub name: String,
    pub created_ms: i64,
    pub revoked_ms: Option<i64>,
}

/// A manager's stored PIN: `(name, salt, hash)`.
pub type StoredPin = (String, Vec<u8>, Vec<u8>);

/// PBKDF2-HMAC-SHA256 of `pin` with `salt`, one 32-byte block.
fn derive(pin: &str, salt: &[u8]) -> Vec<u8> {
    pbkdf2(pin, salt, ROUNDS)
}

fn pbkdf2(pin: &str, salt: &[u8], rounds: u32) -> Vec<u8> {
    let mac = || Hmac::<Sha256>::new_from_slice(pin.as_bytes()).expect("HMAC takes any key");
    let mut first = mac();
    first.update(salt);
    first.update(&1u32.to_be_bytes());
    let mut u = first.finalize().into_bytes();
    let mut out = u;
    for _ in 1..rounds {
        let mut next = mac();
        next.update(&u);
        u = next.finalize().into_bytes();
        for (o, b) in out.iter_mut().zip(u.iter()) {
            *o ^= b;
        }
    }
    out.to_vec()
}

/// A new manager's name, checked as a user's, and its PIN's salt and hash.
pub fn new_manager(name: &str, pin: &ManagerPin) -> Result<StoredPin, StoreError> {
    let name = checked_name(name)?.to_string();
    let mut salt = vec![0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| StoreError::Worker(format!("randomness: {e}")))?;
    let hash = derive(pin.expose(), &salt);
    Ok((name, salt, hash))
}

/// The live manager whose PIN this is, if any. Every stored PIN is tried, so the time taken
/// does not say which one matched.
pub fn whose(pin: &ManagerPin, stored: &[StoredPin]) -> Option<String> {
    let mut found = None;
    for (name, salt, hash) in stored {
        let same = derive(pin.expose(), salt)
            .iter()
            .zip(hash.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
            && hash.len() == 32;
        if same && found.is_none() {
            found = Some(name.clone());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pbkdf2_matches_the_rfc_7914_vector_and_a_pin_finds_its_manager() {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256, P = "passwd", S = "salt", c = 1, its first block.
        assert_eq!(
            hex::encode(&pbkdf2("passwd", b"salt", 1)[..16]),
            "55ac046e56e3089fec1691c22544b605"
        );
        let pin = ManagerPin::new("4821").unwrap();
        let stored = vec![
            new_manager("anna", &ManagerPin::new("1111").unwrap()).unwrap(),
            new_manager("boris", &pin).unwrap(),
        ];
        assert_eq!(whose(&pin, &stored).as_deref(), Some("boris"));
        assert_eq!(whose(&ManagerPin::new("4822").unwrap(), &stored), None);
        assert!(!stored[1].2.windows(4).any(|w| w == b"4821"));
    }
}

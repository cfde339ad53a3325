//! Idempotency keys, for every route that takes one: the `Idempotency-Key` header read
//! strictly, keys scoped to the principal that sent them, one request per key at a time (a
//! duplicate while the first runs gets 409 at once), and a stored answer given again as it
//! was first given. What is stored under a key, and for how long, is the store's
//! (`store::Idempotency`, `store::Keyed`): it must be in the same transaction as the money.

use super::error::ApiError;
use super::principals::Principal;
use super::store;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// The header a caller names its key in (any case, as HTTP headers are).
pub const HEADER: &str = "idempotency-key";

/// The caller's `Idempotency-Key`, if any: 1 to 255 printable ASCII characters.
pub fn key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(HEADER) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .filter(|k| (1..=255).contains(&k.len()) && k.chars().all(|c| c.is_ascii_graphic()))
        .ok_or_else(|| {
            ApiError::bad_request("Idempotency-Key must be 1 to 255 printable ASCII characters")
        })?;
    Ok(Some(key.to_string()))
}

/// SHA-256 of `parts`, each prefixed by its length so that no two lists of parts run
/// together into the same bytes, as hex. Scopes and fingerprints are stored with the keys
/// for 48 hours: this form must not change, or a retry across an upgrade would not match.
pub fn digest(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hex::encode(hasher.finalize())
}

/// Whose keys these are. Keys belong to the principal that used them: two tills never
/// collide, and a till that retries under another seed-001 `login` (the caller chooses it)
/// still gets its first answer rather than a second movement.
pub fn scope(principal: &Principal) -> String {
    digest(&[b"principal", principal.name.as_bytes()])
}

/// The keys whose request is running now on this instance, by scope. Another instance's
/// duplicate waits in the store for the first's commit instead.
#[derive(Clone, Default)]
pub struct Running(Arc<Mutex<HashSet<(String, String)>>>);

impl Running {
    /// Holds `key` of `principal` until the returned claim is dropped, however the request
    /// ends. A key already held is refused with 409 at once: `what` names the request in
    /// the message (`a write-off`).
    pub fn claim(&self, principal: &Principal, key: &str, what: &str) -> Result<Claim, ApiError> {
        let entry = (scope(principal), key.to_string());
        let mut set = self.0.lock().map_err(|_| ApiError::conflict("try again"))?;
        if !set.insert(entry.clone()) {
            return Err(ApiError::conflict(format!(
                "{what} with Idempotency-Key {key} is still running"
            )));
        }
        Ok(Claim {
            running: self.clone(),
            entry,
        })
    }

    /// How many keyed requests are running now.
    pub fn count(&self) -> usize {
        self.0.lock().map_or(0, |set| set.len())
    }
}

/// A key held while its request runs; dropping it lets the key be used again (the store
/// then answers a retry with the stored answer).
pub struct Claim {
    running: Running,
    entry: (String, String),
}

impl Claim {
    /// What the store keeps under this key. `request`: the parts that must be the same on
    /// a retry (the path's ids and the body); another request under the key is refused.
    pub fn stored(&self, request: &[&[u8]]) -> store::Idempotency {
        let (scope, key) = self.entry.clone();
        store::Idempotency {
            fingerprint: digest(request),
            scope,
            key,
        }
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        if let Ok(mut set) = self.running.0.lock() {
            set.remove(&self.entry);
        }
    }
}

/// A known key sent with another request: 422, and nothing is done.
pub fn reused(key: &str) -> ApiError {
    ApiError::key_reused(format!(
        "Idempotency-Key {key} was used for a different request"
    ))
}

/// The answer stored under a key, given again with `Idempotent-Replayed: true`; a body is
/// JSON (an error's), an empty one is a bare success.
pub fn replay(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let json = !body.is_empty();
    let mut response = (status, body).into_response();
    if json {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    response
        .headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::principals::Role;

    fn principal(name: &str) -> Principal {
        Principal {
            name: name.into(),
            role: Role::Cashier,
        }
    }

    fn headers(value: &[u8]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            "Idempotency-Key",
            HeaderValue::from_bytes(value).expect("a header value"),
        );
        headers
    }

    /// The status and error code an error answers with.
    fn refusal(e: ApiError) -> (u16, String) {
        let (status, body) = e.parts();
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        (status, body["error"]["code"].as_str().unwrap().to_string())
    }

    #[test]
    fn a_key_is_one_to_255_printable_ascii_characters_or_none() {
        assert_eq!(key(&HeaderMap::new()).unwrap(), None);
        assert_eq!(key(&headers(b"abc-1")).unwrap().as_deref(), Some("abc-1"));
        let longest = "k".repeat(255);
        assert_eq!(
            key(&headers(longest.as_bytes())).unwrap(),
            Some(longest.clone())
        );
        for bad in [
            &b""[..],
            format!("{longest}k").as_bytes(),
            b"two words",
            b"tab\there",
            "ключ".as_bytes(),
        ] {
            let refused = key(&headers(bad)).expect_err(&String::from_utf8_lossy(bad));
            assert_eq!(refusal(refused), (400, "bad_request".into()));
        }
    }

    #[test]
    fn keys_are_scoped_by_principal_in_the_stored_form() {
        use sha2::{Digest, Sha256};
        // The form stored with every key since keys were scoped: length-prefixed parts.
        let mut by_hand = Sha256::new();
        by_hand.update(9u64.to_le_bytes());
        by_hand.update(b"principal");
        by_hand.update(4u64.to_le_bytes());
        by_hand.update(b"till");
        assert_eq!(scope(&principal("till")), hex::encode(by_hand.finalize()));
        assert_ne!(scope(&principal("till")), scope(&principal("till-2")));
        // Length prefixes keep parts apart: moving a byte across the boundary differs.
        assert_ne!(digest(&[b"ab", b"c"]), digest(&[b"a", b"bc"]));
    }

    #[test]
    fn a_key_runs_once_per_principal_at_a_time_and_is_freed_when_done() {
        let running = Running::default();
        let first = running
            .claim(&principal("till"), "k", "a write-off")
            .unwrap();
        let duplicate = running
            .claim(&principal("till"), "k", "a write-off")
            .err()
            .expect("a duplicate in flight is refused");
        let (status, body) = duplicate.parts();
        assert_eq!(status, 409);
        assert!(
            body.contains("idempotency_in_flight")
                && body.contains("a write-off with Idempotency-Key k is still running"),
            "{body}"
        );
        // Another till's key of the same spelling is its own.
        let other = running
            .claim(&principal("till-2"), "k", "a write-off")
            .unwrap();
        assert_eq!(running.count(), 2);
        drop(first);
        drop(other);
        assert_eq!(running.count(), 0);
        running
            .claim(&principal("till"), "k", "a write-off")
            .expect("free again once the first has ended");
    }

    #[test]
    fn the_stored_record_carries_the_scope_key_and_a_fingerprint_of_the_request() {
        let running = Running::default();
        let claim = running
            .claim(&principal("till"), "k", "a write-off")
            .unwrap();
        let stored = claim.stored(&[b"42", b"{}"]);
        assert_eq!(
            (stored.scope.as_str(), stored.key.as_str()),
            (scope(&principal("till")).as_str(), "k")
        );
        assert_eq!(stored.fingerprint, digest(&[b"42", b"{}"]));
        assert_ne!(
            stored.fingerprint,
            claim.stored(&[b"43", b"{}"]).fingerprint
        );
    }

    #[tokio::test]
    async fn a_replay_repeats_the_stored_answer_and_says_so() {
        let stored = r#"{"error":{"code":"insufficient_funds","message":"no"}}"#;
        let refused = replay(422, stored.into());
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.headers()["idempotent-replayed"], "true");
        assert_eq!(refused.headers()[CONTENT_TYPE], "application/json");
        let body = axum::body::to_bytes(refused.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(body, stored.as_bytes());
        // A bare success stays bare: not claimed to be JSON.
        let applied = replay(200, String::new());
        assert_eq!(applied.status(), StatusCode::OK);
        assert_eq!(applied.headers()["idempotent-replayed"], "true");
        assert_ne!(applied.headers()[CONTENT_TYPE], "application/json");
    }
}

//! A manager's PIN in a request (`X-Manager-Pin`): whose it is, and wrong PINs slowed per
//! caller principal. Three wrong in a row go at once; from then on each wrong answer waits
//! one second, doubling up to thirty, the waits of one principal queued one after another
//! so that asking in parallel gains nothing; a right PIN starts the count over. The PIN
//! itself is never logged, stored or put in an answer.

use super::error::ApiError;
use super::{Caller, ServerState};
use crate::domain::limits::ManagerPin;
use crate::wire::ext_operations::MANAGER_PIN_HEADER;
use axum::http::{HeaderMap, StatusCode};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// Wrong PINs in a row answered at once.
pub const FREE_TRIES: u32 = 3;
/// The first wait, doubled at each wrong PIN after it, and the longest.
pub const FIRST_WAIT: Duration = Duration::from_secs(1);
pub const LONGEST_WAIT: Duration = Duration::from_secs(30);
/// Principals whose wrong PINs are counted, at most; past it the count starts over.
const PRINCIPALS_MAX: usize = 10_000;

/// Per principal: wrong PINs in a row, and when its next wrong answer may go.
#[derive(Clone, Default)]
pub struct WrongPins(Arc<Mutex<HashMap<String, (u32, Instant)>>>);

impl WrongPins {
    /// Counts a wrong PIN of `principal`; returns when its answer may go.
    fn wrong(&self, principal: &str, now: Instant) -> Instant {
        let Ok(mut map) = self.0.lock() else {
            return now + LONGEST_WAIT;
        };
        if map.len() >= PRINCIPALS_MAX && !map.contains_key(principal) {
            map.clear();
        }
        let (count, next) = map.entry(principal.to_string()).or_insert((0, now));
        *count += 1;
        if *count <= FREE_TRIES {
            return now;
        }
        let doublings = (*count - FREE_TRIES - 1).min(5);
        let wait = (FIRST_WAIT * 2u32.pow(doublings)).min(LONGEST_WAIT);
        *next = (*next).max(now) + wait;
        *next
    }

    fn right(&self, principal: &str) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(principal);
        }
    }
}

/// The manager whose PIN the request carries: `None` without the header (or 403
/// `manager_required` when `required`), 403 `pin_wrong`, slowed, when it is no live
/// manager's.
pub async fn manager(
    state: &ServerState,
    caller: &Caller,
    headers: &HeaderMap,
    required: bool,
) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(MANAGER_PIN_HEADER) else {
        if required {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "manager_required",
                format!("a manager's PIN is needed, in the {MANAGER_PIN_HEADER} header"),
            ));
        }
        return Ok(None);
    };
    let pin = value.to_str().ok().and_then(ManagerPin::new);
    let found = match pin {
        Some(pin) => state.store.manager_of(pin).await?,
        None => None,
    };
    let principal = &caller.principal.name;
    match found {
        Some(name) => {
            state.wrong_pins.right(principal);
            Ok(Some(name))
        }
        None => {
            let until = state.wrong_pins.wrong(principal, Instant::now());
            tokio::time::sleep_until(until).await;
            tracing::warn!(principal, "a wrong manager's PIN");
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "pin_wrong",
                "the PIN is no manager's; nothing was done",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_wrong_go_at_once_then_each_waits_doubling_to_thirty_seconds() {
        let pins = WrongPins::default();
        let t0 = Instant::now();
        for _ in 0..FREE_TRIES {
            assert_eq!(pins.wrong("till", t0), t0);
        }
        let waits: Vec<u64> = (0..7)
            .map(|_| (pins.wrong("till", t0) - t0).as_secs())
            .collect();
        // Queued one after another: 1, then 2 more, 4 more, ... up to 30 each.
        assert_eq!(waits, [1, 3, 7, 15, 31, 61, 91]);
        // Another till's count is its own; a right PIN starts over.
        assert_eq!(pins.wrong("till-2", t0), t0);
        pins.right("till");
        assert_eq!(pins.wrong("till", t0), t0);
    }
}

//! Guessing credentials costs time. Every format checks its credential first, so a right
//! one always passes at once, whoever else shares the caller's address (behind the reverse
//! proxy every till does); each refused one spends one of its peer's tries, and once those
//! are spent the refusal is held back until the peer's next try is due, the refusals of one
//! peer queueing one after another.

use super::ServerState;
use super::callers::{Callers, Peer};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header::RETRY_AFTER};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// Refused credentials a peer may send at once before it is slowed.
pub const TRIES: u32 = 10;
/// Then one a second.
pub const TRIES_PER_SECOND: f64 = 1.0;
/// The longest a refusal is held: well within the request deadline, and a flood is
/// forgotten this long after it ends.
pub const MAX_HOLD: Duration = Duration::from_secs(10);
/// Peers whose refusals are counted, at most.
pub const PEERS_MAX: usize = 10_000;

pub fn peers(now: Instant) -> Callers<Peer> {
    Callers::new(PEERS_MAX, TRIES_PER_SECOND, TRIES, now)
}

/// Put on an answer that refused a credential in a format whose refusals are not a 401
/// (Poster's, REGOS's and `managerlogin`'s are HTTP 200 or 400).
#[derive(Debug, Clone, Copy)]
pub struct CredentialRefused;

/// `response`, marked as the refusal of a credential.
pub fn refused(mut response: Response) -> Response {
    response.extensions_mut().insert(CredentialRefused);
    response
}

/// Holds each refusal as its peer's tries require, and says so with `Retry-After`. It runs
/// outside the in-flight bound, so held refusals do not take the tills' places.
pub async fn slow_refusals(
    State(state): State<ServerState>,
    request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| Peer::from(addr.ip()));
    let mut response = next.run(request).await;
    let refusal = response.status() == StatusCode::UNAUTHORIZED
        || response.extensions().get::<CredentialRefused>().is_some();
    let Some(peer) = peer.filter(|_| refusal) else {
        return response;
    };
    let hold = match state.refusals.lock() {
        Ok(mut peers) => peers
            .bucket(peer, Instant::now())
            .reserve(Instant::now(), MAX_HOLD),
        Err(_) => MAX_HOLD,
    };
    if !hold.is_zero() {
        tokio::time::sleep(hold).await;
        let seconds = hold.as_secs_f64().ceil().max(1.0) as u64;
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

//! `loyalty serve`: the product's own loyalty server. It speaks each vendor's wire format
//! over one SQLite database, so a small shop can run it for several tills, and the console
//! and its tests can use it exactly as they use a vendor.

pub mod access;
mod callers;
pub mod codes;
pub mod demo;
mod envelope;
mod error;
pub(crate) mod ext_routes;
#[cfg(test)]
mod fuzz;
mod idempotency;
mod jwt;
pub mod listener;
mod mloyalty_codes;
mod mloyalty_login;
mod mloyalty_routes;
mod pins;
pub mod pos_limits;
pub(crate) mod poster_routes;
mod refusals;
pub(crate) mod regos_routes;
pub mod store;
// A hold's rules and the callers' are the store's shared rules; the routes name them by
// these short paths.
pub use store::rules::{holds, principals};

pub use listener::{serve, spawn};

use crate::clock::Clock;
use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use error::ApiError;
use principals::{Principal, Role};
use std::sync::{Arc, Mutex};
use store::{Store, StoreError};

pub use jwt::SECRET_NAME as JWT_SECRET_NAME;
pub use regos_routes::INTEGRATIONS_MAX as REGOS_INTEGRATIONS_MAX;

/// Request bodies larger than this are refused before they are read: a write-off is a few
/// hundred bytes.
const BODY_LIMIT: usize = 64 * 1024;

/// The Mloyalty manager account `managerlogin` accepts.
pub struct Manager {
    pub username: String,
    pub password: String,
}

/// What every route shares, behind one `Arc`: axum clones the state for each layer and
/// extractor a request passes, and a clone of the fields themselves was a dozen atomic
/// counts on lines both workers touch, several times per request.
#[derive(Clone)]
pub struct ServerState(Arc<Shared>);

impl std::ops::Deref for ServerState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What every route shares. Each vendor format has its own credential, as the vendors do:
/// a bearer token (seed 001), a `token` query parameter (Poster), a manager login that
/// yields a JWT (Mloyalty), and an integration key in the path (REGOS). A format whose
/// credential is not set admits anyone only on loopback and before any user is added
/// (see `access`).
#[derive(Clone)]
pub struct Shared {
    pub store: Store,
    /// What "now" is for coupon expiry, JWT lifetimes, ledger times and key retention.
    clock: Clock,
    token: Option<Arc<str>>,
    manager: Option<Arc<Manager>>,
    integration_key: Option<Arc<str>>,
    /// Whether a format whose credential is not set admits anyone (while no user was ever
    /// added): only while listening on loopback, set by [`serve`].
    unset_is_open: bool,
    jwt_ttl_seconds: i64,
    /// Whether `managerlogin`'s JWTs carry a `token` claim (newer vendor servers) or only
    /// `oper` (the vendor's `AuthManagerProvider`).
    jwt_carries_token: bool,
    /// Whether a whole-number `birthday_bonus` on Poster's group writes is read in roubles, as
    /// seed 003 has it, rather than in kopecks, as Poster's current docs and its PHP library
    /// have it: a vendor of the seed's kind, for the console's read-back check to meet.
    poster_bonus_in_roubles: bool,
    /// REGOS's rate per integration, by the digest of its key (see `callers` for the bound).
    regos_buckets: Arc<Mutex<callers::Callers<[u8; 32]>>>,
    /// Refused credentials per peer, in every format (see `refusals`).
    refusals: Arc<Mutex<callers::Callers<callers::Peer>>>,
    /// Requests being served now, bounded (see `envelope::shed_load`).
    in_flight_requests: Arc<tokio::sync::Semaphore>,
    /// Idempotency keys whose request is running now: a duplicate gets 409 at once.
    in_flight: idempotency::Running,
    /// Each point of sale's limits on a write-off.
    limits: Arc<pos_limits::PosLimits>,
    /// Wrong manager's PINs per principal, to slow them (see `pins`).
    wrong_pins: pins::WrongPins,
    /// Confirmation codes: how long one is good and where it is sent.
    codes: Arc<codes::Codes>,
}

impl ServerState {
    /// `token`: the bearer token of seed 001 and Poster's `token` parameter.
    pub async fn new(store: Store, token: Option<String>) -> Self {
        // Kept in the database, so a JWT one instance issued is honoured by the others and
        // after a restart; made now, so the first login does not have to.
        if let Err(e) = store.shared_secret(jwt::SECRET_NAME).await {
            tracing::error!("JWT signing key not made ({e}): managerlogin will try again");
        }
        ServerState(Arc::new(Shared {
            store,
            clock: Clock::system(),
            token: token.filter(|t| !t.is_empty()).map(Arc::from),
            manager: None,
            integration_key: None,
            unset_is_open: true,
            jwt_ttl_seconds: 3600,
            jwt_carries_token: true,
            poster_bonus_in_roubles: false,
            regos_buckets: Arc::new(Mutex::new(regos_routes::integrations(
                crate::wire::regos::RATE_PER_SECOND,
                crate::wire::regos::BURST,
            ))),
            refusals: Arc::new(Mutex::new(refusals::peers(std::time::Instant::now()))),
            in_flight_requests: Arc::new(tokio::sync::Semaphore::new(envelope::MAX_IN_FLIGHT)),
            in_flight: idempotency::Running::default(),
            limits: Arc::default(),
            wrong_pins: pins::WrongPins::default(),
            codes: Arc::default(),
        }))
    }

    /// The shared fields for a builder to set; a state already handed out keeps its own.
    fn shared_mut(&mut self) -> &mut Shared {
        Arc::make_mut(&mut self.0)
    }

    /// Each point of sale's limits on a write-off.
    pub fn with_limits(mut self, limits: pos_limits::PosLimits) -> Self {
        self.shared_mut().limits = Arc::new(limits);
        self
    }

    /// How confirmation codes are sent and how long they are good.
    pub fn with_codes(mut self, codes: codes::Codes) -> Self {
        self.shared_mut().codes = Arc::new(codes);
        self
    }

    /// Tells time by `clock` instead of the system clock.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.shared_mut().clock = clock;
        self
    }

    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// The Mloyalty manager's login; an empty password is no password (it would let
    /// anyone in as the manager), and leaves the manager unset.
    pub fn with_manager(mut self, username: String, password: String) -> Self {
        self.shared_mut().manager =
            (!password.is_empty()).then(|| Arc::new(Manager { username, password }));
        self
    }

    pub fn with_integration_key(mut self, key: Option<String>) -> Self {
        self.shared_mut().integration_key = key.filter(|k| !k.is_empty()).map(Arc::from);
        self
    }

    /// JWTs with only the vendor's `oper` claim, as its older servers issue them.
    pub fn with_jwt_without_token(mut self) -> Self {
        self.shared_mut().jwt_carries_token = false;
        self
    }

    /// Reads every `birthday_bonus` of Poster's group writes in roubles, as seed 003 says.
    pub fn with_poster_bonus_in_roubles(mut self) -> Self {
        self.shared_mut().poster_bonus_in_roubles = true;
        self
    }

    /// How long the JWTs of `managerlogin` live.
    pub fn with_jwt_ttl(mut self, seconds: i64) -> Self {
        self.shared_mut().jwt_ttl_seconds = seconds.max(1);
        self
    }

    /// Serves at most `n` requests at once (tests of overload use a small number).
    pub fn with_max_in_flight(mut self, n: usize) -> Self {
        self.shared_mut().in_flight_requests = Arc::new(tokio::sync::Semaphore::new(n));
        self
    }

    /// How many keyed write-offs are running now (for monitoring, and for tests that need a
    /// request to be in flight before they go on).
    pub fn write_offs_in_flight(&self) -> usize {
        self.in_flight.count()
    }

    pub fn with_regos_rate(mut self, per_second: f64, burst: u32) -> Self {
        self.shared_mut().regos_buckets =
            Arc::new(Mutex::new(regos_routes::integrations(per_second, burst)));
        self
    }

    /// How many REGOS integrations have a rate bucket of their own (at most
    /// `regos_routes::INTEGRATIONS_MAX`).
    pub fn regos_integrations_tracked(&self) -> usize {
        self.regos_buckets.lock().map_or(0, |b| b.len())
    }
}

pub fn router(state: ServerState) -> Router {
    let ext =
        ext_routes::routes().layer(middleware::from_fn_with_state(state.clone(), require_token));
    Router::new()
        .route("/healthz", axum::routing::get(healthz))
        .merge(ext)
        .merge(poster_routes::routes())
        .merge(mloyalty_routes::routes())
        .merge(regos_routes::routes())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // Mloyalty's routes in another case are found there; every other path is a 404.
        .fallback(mloyalty_routes::fallback)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            envelope::shed_load,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            refusals::slow_refusals,
        ))
        .layer(middleware::from_fn(listener::request_deadline))
        .layer(middleware::from_fn(envelope::vendor_errors))
        .with_state(state)
}

/// For a load balancer: 200 while the database answers, 503 when it does not; no data
/// and no credential either way.
async fn healthz(State(state): State<ServerState>) -> Response {
    let alive = state.store.ping().await;
    match alive {
        Ok(_) => Json(serde_json::json!({ "status": "ok" })).into_response(),
        Err(e) => {
            tracing::warn!("health check: {e}");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "database unavailable" })),
            )
                .into_response()
        }
    }
}

/// Who called a seed-001 route, as its handlers need it.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    /// The `login` parameter, recorded with every ledger movement the call makes.
    pub login: Option<String>,
    /// Whose key it is, recorded beside the login.
    pub principal: Principal,
}

impl Caller {
    /// A ledger movement made now by this caller, under no limits (a hold, a refund).
    pub fn made(&self, state: &ServerState) -> store::Made {
        store::Made {
            at: state.now(),
            by: self.login.clone(),
            principal: Some(self.principal.name.clone()),
            ..store::Made::default()
        }
    }

    /// A write-off or a reversal made now by this caller: under its point of sale's limits,
    /// or past them by `manager`'s PIN, which the operation records.
    pub fn made_under_limits(&self, state: &ServerState, manager: Option<String>) -> store::Made {
        let limits = match manager {
            Some(_) => Default::default(),
            None => state.limits.of(&self.principal.name),
        };
        store::Made {
            manager,
            limits,
            ..self.made(state)
        }
    }
}

/// Seed 001's two credentials: `login` and `api_key` URL parameters (the vendor's fiscal
/// document), or a bearer token. The API key is the server's token.
async fn require_token(
    State(state): State<ServerState>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(request.uri().query().unwrap_or("")).unwrap_or_default();
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let caller = match param("api_key") {
        Some(key) => {
            let login = param("login").map(str::trim).unwrap_or("");
            if login.is_empty()
                || login.chars().count() > crate::domain::LOGIN_MAX
                || login.chars().any(char::is_control)
            {
                return Err(ApiError::unauthorized());
            }
            let Some(principal) = state.principal(key).await? else {
                return Err(ApiError::unauthorized());
            };
            Caller {
                login: Some(login.to_string()),
                principal,
            }
        }
        None => {
            let token = bearer(request.headers());
            let Some(principal) = state.principal(token).await? else {
                return Err(ApiError::unauthorized());
            };
            Caller {
                login: None,
                principal,
            }
        }
    };
    request.extensions_mut().insert(caller);
    Ok(next.run(request).await)
}

fn bearer(headers: &axum::http::HeaderMap) -> &str {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("")
}

impl ServerState {
    /// Who presents `key`: the shared `--token` (an admin, for a single shop), a live user's
    /// key, or anyone while, on loopback, neither a token is set nor a user was ever added.
    /// `None`: refused.
    pub(crate) async fn principal(&self, key: &str) -> Result<Option<Principal>, StoreError> {
        if let Some(token) = self.token.as_deref()
            && constant_time_eq(key.as_bytes(), token.as_bytes())
        {
            return Ok(Some(Principal {
                name: "token".into(),
                role: Role::Admin,
            }));
        }
        self.user_or_open(key, self.token.is_none() && self.unset_is_open)
            .await
    }

    /// Whether `key` is a live admin's, for the reports' own credentials (REGOS's path key,
    /// Mloyalty's manager password); with `unset` (the route's own credential is not set),
    /// on loopback and no user ever added, any key is.
    pub(crate) async fn admin_key(&self, key: &str, unset: bool, what: &'static str) -> bool {
        match self.user_or_open(key, unset && self.unset_is_open).await {
            Ok(principal) => principal.is_some_and(|p| p.role == Role::Admin),
            Err(e) => {
                tracing::error!("looking up a {what}: {e}");
                false
            }
        }
    }

    /// The live user whose key this is; with `open` and no user ever added, anyone, as an
    /// admin.
    async fn user_or_open(&self, key: &str, open: bool) -> Result<Option<Principal>, StoreError> {
        self.store.user_or_open(key.to_string(), open).await
    }
}

/// Whether a presented credential matches the configured one (none configured: any does).
fn credential_ok(expected: Option<&str>, given: &str) -> bool {
    expected.is_none_or(|e| constant_time_eq(given.as_bytes(), e.as_bytes()))
}

/// Compares SHA-256 digests (always 32 bytes) without stopping at the first difference, so
/// timing tells nothing of the secret, not even its length.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    let (a, b) = (Sha256::digest(a), Sha256::digest(b));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_by_digest_whatever_their_lengths() {
        assert!(constant_time_eq(b"token", b"token"));
        assert!(!constant_time_eq(b"token", b"tokeN"));
        assert!(!constant_time_eq(b"token", b"token-longer"));
        assert!(!constant_time_eq(b"", b"x"));
        assert!(constant_time_eq(b"", b""));
    }
}

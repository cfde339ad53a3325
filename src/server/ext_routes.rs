//! Seed 001, `/ext/api/v1/`: client search, balance, coupons, history and write-off, in the
//! vendor's exact JSON.

use super::error::ApiError;
use super::store::StoreError;
use super::store::{self, HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT};
use super::{Caller, ServerState};
use crate::domain::{Amount, ClientId, CouponId, Currency, HistoryQuery, WriteOff};
use crate::wire::ext::{self, AmountDto, ClientDto, CouponDto, HistoryDto, PREFIX, WriteOffDto};
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Extension, Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

/// Longest `phone` or `email` search pattern.
pub const PATTERN_MAX: usize = 256;

pub fn routes() -> Router<ServerState> {
    // The vendor's paths end in `/`; the bare form is accepted too since clients differ.
    let mut router = Router::new();
    for (path, route) in [
        ("/clients", get(search)),
        ("/clients/{id}/balance", get(balance)),
        ("/clients/{id}/coupons", get(coupons)),
        ("/clients/{id}/balance/history", get(history)),
        ("/clients/{id}/balance/write_off", post(write_off)),
        ("/fiscal_hub/cash_back/hold", post(hold)),
        ("/fiscal_hub/cash_back/hold/write_off", post(hold_write_off)),
        ("/fiscal_hub/cash_back/hold/cancel", post(hold_cancel)),
        ("/fiscal_hub/cash_back/refund", post(refund)),
    ] {
        router = router
            .route(&format!("{PREFIX}{path}/"), route.clone())
            .route(&format!("{PREFIX}{path}"), route);
    }
    router
}

fn params(p: Params) -> Result<HashMap<String, String>, ApiError> {
    p.map(|Query(q)| q)
        .map_err(|e| ApiError::bad_request(format!("bad query string: {e}")))
}

fn client_id(raw: &str) -> Result<ClientId, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(ClientId)
        .ok_or_else(|| {
            ApiError::bad_request(format!("client id must be a positive integer, got {raw:?}"))
        })
}

async fn search(
    State(state): State<ServerState>,
    q: Params,
) -> Result<Json<Vec<ClientDto>>, ApiError> {
    let q = params(q)?;
    let phone = q.get("phone").filter(|s| !s.trim().is_empty()).cloned();
    let email = q.get("email").filter(|s| !s.trim().is_empty()).cloned();
    if phone.is_none() && email.is_none() {
        return Err(ApiError::bad_request("give phone or email to search by"));
    }
    // SQLite's LIKE refuses patterns over 50,000 bytes; no phone or email is near this.
    if [&phone, &email]
        .iter()
        .any(|p| p.as_ref().is_some_and(|p| p.len() > PATTERN_MAX))
    {
        return Err(ApiError::bad_request(format!(
            "a search pattern is at most {PATTERN_MAX} bytes"
        )));
    }
    let clients = state
        .store
        .run(move |c| store::search_clients(c, phone.as_deref(), email.as_deref()))
        .await?;
    Ok(Json(clients.iter().map(ClientDto::from).collect()))
}

async fn balance(
    State(state): State<ServerState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<AmountDto>>, ApiError> {
    let id = client_id(&id)?;
    let balances = state.store.run(move |c| store::balances(c, id)).await?;
    Ok(Json(ext::balances_to_wire(&balances)))
}

async fn coupons(
    State(state): State<ServerState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<CouponDto>>, ApiError> {
    let id = client_id(&id)?;
    let coupons = state.store.run(move |c| store::coupons(c, id)).await?;
    Ok(Json(coupons.iter().map(CouponDto::from).collect()))
}

fn number<T: std::str::FromStr>(
    q: &HashMap<String, String>,
    key: &str,
) -> Result<Option<T>, ApiError> {
    q.get(key)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<T>().map_err(|_| {
                ApiError::bad_request(format!("{key} must be a non-negative integer, got {s:?}"))
            })
        })
        .transpose()
}

fn timestamp(q: &HashMap<String, String>, key: &str) -> Result<Option<Timestamp>, ApiError> {
    number::<i64>(q, key)?
        .map(|ms| {
            Timestamp::from_millisecond(ms).map_err(|_| {
                ApiError::bad_request(format!("{key} is not a valid timestamp in milliseconds"))
            })
        })
        .transpose()
}

async fn history(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    q: Params,
) -> Result<Json<Vec<HistoryDto>>, ApiError> {
    let id = client_id(&id)?;
    let q = params(q)?;
    let limit = number::<u32>(&q, "limit")?.unwrap_or(HISTORY_DEFAULT_LIMIT);
    if limit > HISTORY_MAX_LIMIT {
        return Err(ApiError::bad_request(format!(
            "limit must be at most {HISTORY_MAX_LIMIT}"
        )));
    }
    let query = HistoryQuery {
        from: timestamp(&q, "from")?,
        to: timestamp(&q, "to")?,
        offset: number::<u32>(&q, "offset")?.unwrap_or(0),
        limit,
    };
    let entries = state
        .store
        .run(move |c| store::history(c, id, &query))
        .await?;
    Ok(Json(entries.iter().map(HistoryDto::from).collect()))
}

/// Reads and checks a write-off body: each currency at most once, amounts above zero with at
/// most two decimals, coupons listed once, and something to write off at all.
pub fn parse_write_off(body: &[u8]) -> Result<WriteOff, ApiError> {
    let dto: WriteOffDto = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("invalid write-off body: {e}")))?;
    let mut request = WriteOff::default();
    for item in dto.balance.unwrap_or_default() {
        let currency = ext::currency_from_wire(&item.currency)
            .map_err(|_| ApiError::bad_request(format!("unknown currency {:?}", item.currency)))?;
        let amount = Amount::parse_decimal(&item.amount.to_string())
            .map_err(|e| ApiError::bad_request(format!("amount {}: {e}", item.amount)))?;
        if !amount.is_positive() {
            return Err(ApiError::bad_request(format!(
                "amount must be above zero, got {}",
                item.amount
            )));
        }
        let slot = match currency {
            Currency::Points => &mut request.points,
            Currency::Rubles => &mut request.rubles,
        };
        if slot.replace(amount).is_some() {
            return Err(ApiError::bad_request(format!(
                "currency {:?} is listed twice",
                item.currency
            )));
        }
    }
    let mut seen = HashSet::new();
    for id in dto.coupons.unwrap_or_default() {
        if !seen.insert(id) {
            return Err(ApiError::bad_request(format!(
                "coupon {id} is listed twice"
            )));
        }
        request.coupons.push(CouponId(id));
    }
    if request.is_empty() {
        return Err(ApiError::bad_request(
            "nothing to write off: give balance or coupons",
        ));
    }
    Ok(request)
}

pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// The caller's `Idempotency-Key`, if any: 1 to 255 printable ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
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

pub(super) fn sha256_hex(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Removes a key from the in-flight set however the request ends.
struct InFlight {
    set: Arc<Mutex<HashSet<(String, String)>>>,
    entry: (String, String),
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Ok(mut set) = self.set.lock() {
            set.remove(&self.entry);
        }
    }
}

fn answer(result: &Result<Vec<i64>, StoreError>) -> (u16, String) {
    match result {
        Ok(_) => (200, String::new()),
        Err(StoreError::Refused(r)) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, r.code(), r.to_string()).parts()
        }
        Err(e) => ApiError::not_found(e.to_string()).parts(),
    }
}

async fn write_off(
    State(state): State<ServerState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = client_id(&id)?;
    let request = parse_write_off(&body)?;
    let summary = format!("{request:?}");
    let made = caller.made(&state);
    let Some(key) = idempotency_key(&headers)? else {
        let ledger = state
            .store
            .run_write(move |c| store::write_off(c, id, &request, &made))
            .await?;
        tracing::info!(client = id.0, ?ledger, "write-off {summary}");
        return Ok(StatusCode::OK.into_response());
    };
    // Keys belong to the credential that used them: two callers never collide.
    let scope = caller.scope;
    let entry = (scope.clone(), key.clone());
    let _guard = {
        let mut set = state
            .in_flight
            .lock()
            .map_err(|_| ApiError::conflict("try again"))?;
        if !set.insert(entry.clone()) {
            return Err(ApiError::conflict(format!(
                "a write-off with Idempotency-Key {key} is still running"
            )));
        }
        InFlight {
            set: state.in_flight.clone(),
            entry,
        }
    };
    let idem = store::Idempotency {
        fingerprint: sha256_hex(&[id.0.to_string().as_bytes(), &body]),
        scope,
        key: key.clone(),
    };
    let outcome = state
        .store
        .run_write(move |c| store::write_off_once(c, id, &request, &made, &idem, answer))
        .await?;
    match outcome {
        store::Keyed::Fresh(Ok(ledger)) => {
            tracing::info!(client = id.0, ?ledger, key, "write-off {summary}");
            Ok(StatusCode::OK.into_response())
        }
        store::Keyed::Fresh(Err(e)) => Err(e.into()),
        store::Keyed::Replay { status, body } => {
            tracing::info!(client = id.0, key, status, "write-off replayed");
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
            Ok(response)
        }
        store::Keyed::Mismatch => Err(ApiError::key_reused(format!(
            "Idempotency-Key {key} was used for a different request"
        ))),
    }
}

fn json_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("invalid body: {e}")))
}

/// A transaction id as callers may send it: 1 to 64 printable ASCII characters.
fn transaction_id(text: &str) -> Result<String, ApiError> {
    let ok = (1..=64).contains(&text.len()) && text.chars().all(|c| c.is_ascii_graphic());
    ok.then(|| text.to_string())
        .ok_or_else(|| ApiError::bad_request("transactionId must be 1 to 64 printable characters"))
}

/// `POST fiscal_hub/cash_back/hold/`: reserves an amount of one currency and coupons.
async fn hold(
    State(state): State<ServerState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<Json<ext::HoldDto>, ApiError> {
    let dto: ext::HoldRequestDto = json_body(&body)?;
    let client = client_id(&dto.client_id.to_string())?;
    let currency = ext::currency_from_wire(&dto.currency)
        .map_err(|_| ApiError::bad_request(format!("unknown currency {:?}", dto.currency)))?;
    let amount = Amount::parse_decimal(&dto.amount.to_string())
        .map_err(|e| ApiError::bad_request(format!("amount {}: {e}", dto.amount)))?;
    let mut seen = HashSet::new();
    if dto.coupon_ids.iter().any(|c| !seen.insert(*c)) {
        return Err(ApiError::bad_request("a coupon is listed twice"));
    }
    if amount.minor() < 0 || (amount.minor() == 0 && dto.coupon_ids.is_empty()) {
        return Err(ApiError::bad_request(
            "nothing to hold: give an amount above zero or coupons",
        ));
    }
    let coupons: Vec<CouponId> = dto.coupon_ids.iter().map(|c| CouponId(*c)).collect();
    let made = caller.made(&state);
    let transaction = uuid::Uuid::new_v4().to_string();
    let held = state
        .store
        .run_write(move |c| {
            super::holds::hold(c, client, currency, amount, &coupons, &made, transaction)
        })
        .await?;
    tracing::info!(client = client.0, transaction = held.transaction_id, "hold");
    Ok(Json(ext::HoldDto {
        amount: Some(ext::amount_to_wire(held.amount)),
        balance_id: None,
        client_id: Some(held.client.0),
        currency: Some(ext::currency_to_wire(held.currency).to_string()),
        expiration_date: Some(held.expires_ms),
        fiscal_order_id: None,
        id: None,
        order_id: None,
        transaction_date: Some(held.created_ms),
        transaction_id: held.transaction_id,
    }))
}

/// `hold/write_off/`: spends a hold; a repeat of one already written off succeeds.
async fn hold_write_off(
    State(state): State<ServerState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let dto: ext::HoldWriteOffDto = json_body(&body)?;
    let id = transaction_id(&dto.transaction_id)?;
    let made = caller.made(&state);
    let fiscal = dto.fiscal_order_id;
    state
        .store
        .run_write(move |c| super::holds::write_off(c, &id, fiscal.as_deref(), &made))
        .await?;
    Ok(StatusCode::OK)
}

/// `hold/cancel/`: releases a hold.
async fn hold_cancel(
    State(state): State<ServerState>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let dto: ext::TransactionDto = json_body(&body)?;
    let id = transaction_id(&dto.transaction_id)?;
    state
        .store
        .run_write(move |c| super::holds::cancel(c, &id))
        .await?;
    Ok(StatusCode::OK)
}

/// `refund/`: gives back what a written-off hold took. The vendor's form names order items;
/// this server refunds a whole transaction by its id.
async fn refund(
    State(state): State<ServerState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let dto: ext::TransactionDto = json_body(&body)?;
    let id = transaction_id(&dto.transaction_id)?;
    let made = caller.made(&state);
    state
        .store
        .run_write(move |c| super::holds::refund(c, &id, &made))
        .await?;
    Ok(StatusCode::OK)
}

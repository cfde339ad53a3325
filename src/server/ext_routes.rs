//! Seed 001, `/ext/api/v1/`: client search, balance, coupons, history and write-off, in the
//! vendor's exact JSON.

use super::ServerState;
use super::error::ApiError;
use super::store::{self, HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT};
use crate::domain::{Amount, ClientId, CouponId, Currency, HistoryQuery, WriteOff};
use crate::wire::ext::{self, AmountDto, ClientDto, CouponDto, HistoryDto, PREFIX, WriteOffDto};
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use std::collections::{HashMap, HashSet};

type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

pub fn routes() -> Router<ServerState> {
    // The vendor's paths end in `/`; the bare form is accepted too since clients differ.
    let mut router = Router::new();
    for (path, route) in [
        ("/clients", get(search)),
        ("/clients/{id}/balance", get(balance)),
        ("/clients/{id}/coupons", get(coupons)),
        ("/clients/{id}/balance/history", get(history)),
        ("/clients/{id}/balance/write_off", post(write_off)),
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

async fn write_off(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(), ApiError> {
    let id = client_id(&id)?;
    let request = parse_write_off(&body)?;
    let summary = format!("{request:?}");
    let ledger = state
        .store
        .run(move |c| store::write_off(c, id, &request, Timestamp::now()))
        .await?;
    tracing::info!(client = id.0, ?ledger, "write-off {summary}");
    Ok(())
}

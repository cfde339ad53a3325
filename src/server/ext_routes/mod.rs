//! Seed 001, `/ext/api/v1/`: client search, balance, coupons, history and write-off, in the
//! vendor's exact JSON; and our own extension of the family (`wire::ext_operations`,
//! documented as such in `docs/vendors.md`): capabilities, what may be written off,
//! operations, their reversal and the shift report.

mod codes;
mod fiscal_hub;
mod history;
mod operations;
mod outlook;
mod reversal;
mod write_off;

#[cfg(test)]
pub(in crate::server) use write_off::parse_write_off;

use super::error::ApiError;
use super::store::{self, ClientPage, SEARCH_LIMIT};
use super::store::{Refusal, StoreError};
use super::{Caller, ServerState};
use crate::domain::reversal::RECEIPT_NUMBER_MAX;
use crate::domain::{Amount, ClientId, CouponId, Currency, OperationId, Receipt, WriteOff};
use crate::wire::ext::{self, AmountDto, ClientDto, CouponDto, PREFIX, WriteOffDto};
use crate::wire::ext_operations::{MadeDto, ReceiptDto};
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Extension, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use std::collections::{HashMap, HashSet};

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
        ("/clients/{id}/balance/history", get(history::history)),
        ("/clients/{id}/balance/outlook", get(outlook::outlook)),
        (
            "/clients/{id}/balance/write_off",
            post(write_off::write_off),
        ),
        ("/fiscal_hub/cash_back/hold", post(fiscal_hub::hold)),
        (
            "/fiscal_hub/cash_back/hold/write_off",
            post(fiscal_hub::hold_write_off),
        ),
        (
            "/fiscal_hub/cash_back/hold/cancel",
            post(fiscal_hub::hold_cancel),
        ),
        ("/fiscal_hub/cash_back/refund", post(fiscal_hub::refund)),
        ("/capabilities", get(operations::capabilities)),
        (
            "/clients/{id}/balance/available",
            get(operations::available),
        ),
        ("/operations/{id}", get(operations::operation)),
        ("/operations/{id}/reversal", post(reversal::reversal)),
        ("/reports/shift", get(operations::shift_report)),
        ("/clients/{id}/confirmation_code", post(codes::send)),
    ] {
        router = router
            .route(&format!("{PREFIX}{path}/"), route.clone())
            .route(&format!("{PREFIX}{path}"), route);
    }
    router
}

/// The status and body a keyed write-off's or reversal's replay repeats.
fn answer(result: Result<OperationId, &StoreError>) -> (u16, String) {
    match result {
        Ok(operation) => (200, made_body(operation)),
        Err(StoreError::Refused(r @ Refusal::OperationNotFound(_))) => {
            ApiError::new(StatusCode::NOT_FOUND, r.code(), r.to_string()).parts()
        }
        Err(StoreError::Refused(Refusal::Code(r))) => super::error::code_refusal(*r).parts(),
        Err(StoreError::Refused(r)) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, r.code(), r.to_string()).parts()
        }
        Err(e) => ApiError::not_found(e.to_string()).parts(),
    }
}

fn made_body(operation: OperationId) -> String {
    serde_json::to_string(&MadeDto {
        operation_id: operation.0,
    })
    .unwrap_or_default()
}

/// A write-off's or a reversal's answer: the operation it made.
fn made_answer(operation: OperationId) -> Response {
    Json(MadeDto {
        operation_id: operation.0,
    })
    .into_response()
}

/// The answer to a movement made under an idempotency key: the operation made now, the
/// stored answer replayed, or the key's reuse for another request refused. `what` and
/// `summary` name it in the log.
fn keyed_answer(
    outcome: store::Keyed,
    key: &str,
    what: &str,
    summary: &str,
) -> Result<Response, ApiError> {
    match outcome {
        store::Keyed::Fresh(Ok(written)) => {
            tracing::info!(?written, key, "{what} {summary}");
            Ok(made_answer(written.operation))
        }
        store::Keyed::Fresh(Err(e)) => Err(e.into()),
        store::Keyed::Replay { status, body } => {
            tracing::info!(key, status, "{what} replayed: {summary}");
            Ok(super::idempotency::replay(status, body))
        }
        store::Keyed::Mismatch => Err(super::idempotency::reused(key)),
    }
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

/// `GET clients/`: clients found by `phone` and/or `email`, or, with neither (both are
/// optional in the seed), all clients; either way a page in id order, paged as the seed
/// pages history (`offset` from 0, `limit` at most [`SEARCH_LIMIT`], which is also the
/// default), and answered as the seed's plain array.
async fn search(
    State(state): State<ServerState>,
    q: Params,
) -> Result<Json<Vec<ClientDto>>, ApiError> {
    let q = params(q)?;
    let phone = q.get("phone").filter(|s| !s.trim().is_empty()).cloned();
    let email = q.get("email").filter(|s| !s.trim().is_empty()).cloned();
    // SQLite's LIKE refuses patterns over 50,000 bytes; no phone or email is near this.
    if [&phone, &email]
        .iter()
        .any(|p| p.as_ref().is_some_and(|p| p.len() > PATTERN_MAX))
    {
        return Err(ApiError::bad_request(format!(
            "a search pattern is at most {PATTERN_MAX} bytes"
        )));
    }
    let max = SEARCH_LIMIT as u32;
    let limit = number::<u32>(&q, "limit")?.unwrap_or(max);
    if limit > max {
        return Err(ApiError::bad_request(format!(
            "limit must be at most {max}"
        )));
    }
    let page = ClientPage {
        offset: number::<u32>(&q, "offset")?.unwrap_or(0),
        limit,
    };
    let clients = state.store.search_clients_page(phone, email, page).await?;
    Ok(Json(clients.iter().map(ClientDto::from).collect()))
}

async fn balance(
    State(state): State<ServerState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<AmountDto>>, ApiError> {
    let id = client_id(&id)?;
    // What may be spent now: pending and expired points are not.
    let balances = state.store.balances_at(id, state.now()).await?;
    Ok(Json(ext::balances_to_wire(&balances)))
}

async fn coupons(
    State(state): State<ServerState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<CouponDto>>, ApiError> {
    let id = client_id(&id)?;
    let coupons = state.store.coupons(id).await?;
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

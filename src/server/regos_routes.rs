//! REGOS `RetailCard/GetOperations` (seed 004) and `RetailCard/Get` under
//! `/gateway/out/{key}/v1/`: the
//! integration key in the path is the credential; every answer is HTTP 200 with
//! `{"ok": true, "result", "next_offset", "total"}` or `{"ok": false, "result": {error,
//! description}}`; a token bucket per integration answers 8213 when it runs dry.

use super::admin_store::OperationFilter;
use super::callers::Callers;
use super::refusals::refused;
use super::store::StoreError;
use super::{ServerState, credential_ok};
use crate::domain::admin::CARD_SEARCH_LIMIT;
use crate::domain::admin::{CardOperationQuery, OperationKind, SortColumn, SortDirection};
use crate::wire::regos::{
    self, ACCESS_DENIED, CardDto, EnvelopeDto, OperationDto, RATE_LIMITED, VALIDATION_ERROR,
};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use jiff::Timestamp;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::time::Instant;

/// Most operations one page may hold.
const MAX_LIMIT: u32 = 1000;
const DEFAULT_LIMIT: u32 = 100;
/// Integrations with a rate bucket of their own, at most (see `Callers`).
pub const INTEGRATIONS_MAX: usize = 1024;

/// The rate buckets of REGOS's integrations: `per_second` after a burst of `burst`.
pub fn integrations(per_second: f64, burst: u32) -> Callers<[u8; 32]> {
    Callers::new(INTEGRATIONS_MAX, per_second, burst, Instant::now())
}

pub fn routes() -> Router<ServerState> {
    Router::new().route("/gateway/out/{key}/v1/{*method}", post(call))
}

fn failure(code: i64, description: impl Into<String>) -> Response {
    let description = description.into();
    tracing::info!(code, "regos error: {description}");
    Json(json!({ "ok": false, "result": { "error": code, "description": description } }))
        .into_response()
}

/// A store's failure in REGOS's envelope: a request the store cannot take is the caller's
/// fault (a validation error), anything else the server's.
fn store_failure(what: &str, e: StoreError) -> Response {
    if let StoreError::Invalid(reason) = e {
        return failure(VALIDATION_ERROR, reason);
    }
    tracing::error!("{what}: {e}");
    failure(1, "internal error")
}

/// The key in REGOS's path: the configured `--integration-key`, or an admin's key (card
/// operations are reports). With neither configured nor any user added, any key is taken,
/// on loopback only.
async fn integration_ok(state: &ServerState, key: &str) -> bool {
    if let Some(expected) = state.integration_key.as_deref()
        && credential_ok(Some(expected), key)
    {
        return true;
    }
    state
        .admin_key(key, state.integration_key.is_none(), "REGOS key")
        .await
}

async fn call(
    State(state): State<ServerState>,
    Path((key, method)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    // The key is checked before any limit, so a right key is never refused for what a
    // guesser at the same address did; the guesser's refusals are held (`refusals`).
    if !integration_ok(&state, &key).await {
        return refused(failure(ACCESS_DENIED, "access denied: unknown integration"));
    }
    if !allow(&state, &key) {
        return failure(
            RATE_LIMITED,
            "too many requests: limit is 2 per second, bursts of 50",
        );
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return failure(VALIDATION_ERROR, format!("the body is not JSON: {e}")),
    };
    if method.eq_ignore_ascii_case(regos::GET_CARDS) {
        return get_cards(&state, &value).await;
    }
    if !method.eq_ignore_ascii_case(regos::GET_OPERATIONS) {
        return failure(VALIDATION_ERROR, format!("unknown method {method:?}"));
    }
    let filter = match parse(&value) {
        Ok(f) => f,
        Err(e) => return failure(VALIDATION_ERROR, e),
    };
    let (offset, limit) = (filter.query.offset, filter.query.limit);
    match state.store.card_operations(filter).await {
        Ok((ops, total)) => {
            let next = u64::from(offset) + ops.len() as u64;
            Json(EnvelopeDto {
                ok: true,
                result: serde_json::to_value(
                    ops.iter().map(OperationDto::from).collect::<Vec<_>>(),
                )
                .unwrap_or(Value::Array(Vec::new())),
                next_offset: (next < total && limit > 0).then_some(next as u32),
                total: Some(total),
            })
            .into_response()
        }
        Err(e) => store_failure("GetOperations", e),
    }
}

/// Shortest search text `RetailCard/Get` takes: fewer characters match too many cards.
const MIN_SEARCH: usize = 3;

/// `RetailCard/Get` by `search` (a phone, barcode or name) or `barcode_value`.
async fn get_cards(state: &ServerState, value: &Value) -> Response {
    let text = ["search", "barcode_value"]
        .iter()
        .find_map(|f| value.get(*f).and_then(Value::as_str))
        .unwrap_or("")
        .trim()
        .to_string();
    if text.chars().count() < MIN_SEARCH || text.chars().count() > 100 {
        return failure(
            VALIDATION_ERROR,
            format!("search must be {MIN_SEARCH} to 100 characters"),
        );
    }
    // No card holds them, and PostgreSQL's text cannot even hold a NUL: refused alike on
    // both stores, as the request's fault.
    if text.chars().any(char::is_control) {
        return failure(
            VALIDATION_ERROR,
            "search must not hold control characters such as NUL",
        );
    }
    let limit = match count(value, "limit", CARD_SEARCH_LIMIT) {
        Ok(l) if l <= MAX_LIMIT => l,
        Ok(_) => {
            return failure(
                VALIDATION_ERROR,
                format!("limit must be at most {MAX_LIMIT}"),
            );
        }
        Err(e) => return failure(VALIDATION_ERROR, e),
    };
    match state.store.find_cards(text, limit).await {
        Ok(cards) => Json(EnvelopeDto {
            ok: true,
            result: serde_json::to_value(cards.iter().map(CardDto::from).collect::<Vec<_>>())
                .unwrap_or(Value::Array(Vec::new())),
            next_offset: None,
            total: Some(cards.len() as u64),
        })
        .into_response(),
        Err(e) => store_failure("RetailCard/Get", e),
    }
}

/// Whether the integration has a request left. Kept by the key's digest: the map never
/// holds a key itself, and its entries are the same size however long the path.
fn allow(state: &ServerState, key: &str) -> bool {
    let now = Instant::now();
    let Ok(mut buckets) = state.regos_buckets.lock() else {
        return true;
    };
    buckets
        .bucket(Sha256::digest(key.as_bytes()).into(), now)
        .take(now)
        .is_ok()
}

/// A field that may be one value or a list of them (the seed's sample sends lists).
fn list<'v>(value: &'v Value, field: &str) -> Vec<&'v Value> {
    match value.get(field) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    }
}

/// A required list of ids: its first (the one the query is about) and all of them.
fn ids(value: &Value, field: &str) -> Result<(i64, Vec<i64>), String> {
    let ids: Vec<i64> = list(value, field)
        .into_iter()
        .map(|v| {
            v.as_i64()
                .ok_or_else(|| format!("{field} must hold integers, got {v}"))
        })
        .collect::<Result<_, _>>()?;
    match ids.first() {
        Some(&first) => Ok((first, ids)),
        None => Err(format!("{field} is required")),
    }
}

fn seconds(value: &Value, field: &str) -> Result<Option<Timestamp>, String> {
    match value.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .and_then(|s| Timestamp::from_second(s).ok())
            .map(Some)
            .ok_or_else(|| format!("{field} must be Unix seconds, got {v}")),
    }
}

fn count(value: &Value, field: &str, default: u32) -> Result<u32, String> {
    match value.get(field) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| format!("{field} must be a non-negative integer, got {v}")),
    }
}

/// `sort_orders` as one `{column, direction}` object or a list whose first entry counts.
fn sort(value: &Value) -> Result<(SortColumn, SortDirection), String> {
    let Some(order) = list(value, "sort_orders").into_iter().next() else {
        return Ok((SortColumn::Date, SortDirection::Desc));
    };
    let text = |f: &str| {
        order
            .get(f)
            .and_then(Value::as_str)
            .unwrap_or("Default")
            .to_string()
    };
    let column = match text("column") {
        c if c.eq_ignore_ascii_case("default") => SortColumn::Date,
        c => {
            regos::sort_column_from_wire(&c).ok_or_else(|| format!("unknown sort column {c:?}"))?
        }
    };
    let direction = match text("direction").to_ascii_lowercase().as_str() {
        "asc" => SortDirection::Asc,
        "desc" | "default" => SortDirection::Desc,
        other => return Err(format!("unknown sort direction {other:?}")),
    };
    Ok((column, direction))
}

pub(crate) fn parse(value: &Value) -> Result<OperationFilter, String> {
    if !value.is_object() {
        return Err("the body must be a JSON object".into());
    }
    let (card_id, card_ids) = ids(value, "card_id")?;
    let (promo_id, promo_ids) = ids(value, "promo_id")?;
    let kinds: Vec<OperationKind> = list(value, "type")
        .into_iter()
        .map(regos::kind_from_wire)
        .collect::<Result<_, _>>()?;
    let limit = count(value, "limit", DEFAULT_LIMIT)?;
    if limit > MAX_LIMIT {
        return Err(format!("limit must be at most {MAX_LIMIT}"));
    }
    let (sort, direction) = sort(value)?;
    Ok(OperationFilter {
        query: CardOperationQuery {
            card_id,
            promo_id,
            kind: kinds.first().copied(),
            from: seconds(value, "start_date")?,
            to: seconds(value, "end_date")?,
            sort,
            direction,
            offset: count(value, "offset", 0)?,
            limit,
        },
        card_ids,
        promo_ids,
        kinds,
    })
}

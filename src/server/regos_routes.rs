//! REGOS `RetailCard/GetOperations` (seed 004) and `RetailCard/Get` under
//! `/gateway/out/{key}/v1/`: the
//! integration key in the path is the credential; every answer is HTTP 200 with
//! `{"ok": true, "result", "next_offset", "total"}` or `{"ok": false, "result": {error,
//! description}}`; a token bucket per integration answers 8213 when it runs dry.
//!
//! The shapes are those of REGOS's Python SDK (regos-software/py-integrations,
//! `schemas/api/references/retail_card.py`): `total` counts every match, `next_offset` is
//! where the next page starts (the offset plus the page's length, the SDK's own callers
//! stopping when it reaches `total` or stands still), and list filters are arrays.

use super::callers::Callers;
use super::refusals::refused;
use super::store::StoreError;
use super::store::{CardFilter, OperationFilter, StoredCard};
use super::{ServerState, credential_ok};
use crate::domain::admin::CARD_SEARCH_LIMIT;
use crate::domain::admin::{CardOperationQuery, OperationKind, SortColumn, SortDirection};
use crate::wire::regos::{
    self, ACCESS_DENIED, CardDto, EnvelopeDto, OperationDto, RATE_LIMITED, RefDto, VALIDATION_ERROR,
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
/// Most members one list filter (`ids`, `uuids`, …) may hold: each becomes a term of the
/// query, so a request cannot make the server parse and plan a query of any size.
const MAX_FILTER_IDS: usize = 500;
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
    let offset = filter.query.offset;
    match state.store.card_operations(filter).await {
        Ok((ops, total)) => page(
            ops.iter().map(OperationDto::from).collect::<Vec<_>>(),
            offset,
            total,
        ),
        Err(e) => store_failure("GetOperations", e),
    }
}

/// A page of `rows` found at `offset` out of `total` matches, in REGOS's offsetted envelope.
fn page<T: serde::Serialize>(rows: Vec<T>, offset: u32, total: u64) -> Response {
    let next = offset.saturating_add(u32::try_from(rows.len()).unwrap_or(u32::MAX));
    Json(EnvelopeDto {
        ok: true,
        result: serde_json::to_value(rows).unwrap_or(Value::Array(Vec::new())),
        next_offset: Some(next),
        total: Some(total),
    })
    .into_response()
}

/// Shortest search text `RetailCard/Get` takes: fewer characters match too many cards.
const MIN_SEARCH: usize = 3;
const MAX_SEARCH: usize = 100;

/// `RetailCard/Get`: by `ids`, `customer_ids`, `promo_ids`, `group_ids`, `barcode_value`
/// and `search` (a phone, card number or name), all holding together; none lists every
/// card, a page at a time.
async fn get_cards(state: &ServerState, value: &Value) -> Response {
    let filter = match card_filter(value) {
        Ok(f) => f,
        Err(e) => return failure(VALIDATION_ERROR, e),
    };
    let offset = filter.offset;
    match state.store.cards(filter).await {
        Ok(found) => page(
            found.cards.iter().map(card_dto).collect::<Vec<_>>(),
            offset,
            found.total,
        ),
        Err(e) => store_failure("RetailCard/Get", e),
    }
}

/// A served card: the console's fields, and the holder's id, the group and the date the
/// console does not read.
fn card_dto(stored: &StoredCard) -> CardDto {
    let mut dto = CardDto::from(&stored.card);
    if let Some(customer) = dto.customer.as_mut() {
        customer.id = Some(stored.customer_id);
    }
    dto.group = stored.group.map(|(id, name)| RefDto {
        id: Some(id),
        name: Some(name.to_string()),
        full_name: None,
    });
    dto.date = Some(stored.created_s);
    dto
}

/// A text filter of `RetailCard/Get`: trimmed, at most [`MAX_SEARCH`] characters and no
/// control characters (no card holds them, and PostgreSQL's text cannot even hold a NUL:
/// refused alike on both stores, as the request's fault).
fn text_filter(value: &Value, field: &str, min: usize) -> Result<Option<String>, String> {
    let text = match value.get(field) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => s.trim().to_string(),
        Some(other) => return Err(format!("{field} must be a string, got {other}")),
    };
    let length = text.chars().count();
    if length < min || length > MAX_SEARCH {
        return Err(format!("{field} must be {min} to {MAX_SEARCH} characters"));
    }
    if text.chars().any(char::is_control) {
        return Err(format!(
            "{field} must not hold control characters such as NUL"
        ));
    }
    Ok(Some(text))
}

/// A `RetailCard/Get` body as the SDK's `RetailCardGet` has it.
fn card_filter(value: &Value) -> Result<CardFilter, String> {
    if !value.is_object() {
        return Err("the body must be a JSON object".into());
    }
    let limit = count(value, "limit", CARD_SEARCH_LIMIT)?;
    if limit > MAX_LIMIT {
        return Err(format!("limit must be at most {MAX_LIMIT}"));
    }
    Ok(CardFilter {
        ids: id_list(value, "ids")?,
        customer_ids: id_list(value, "customer_ids")?,
        promo_ids: id_list(value, "promo_ids")?,
        group_ids: id_list(value, "group_ids")?,
        barcode: text_filter(value, "barcode_value", 1)?,
        search: text_filter(value, "search", MIN_SEARCH)?,
        offset: count(value, "offset", 0)?,
        limit,
    })
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

/// A list filter's members, at most [`MAX_FILTER_IDS`] of them.
fn bounded<'v>(value: &'v Value, field: &str) -> Result<Vec<&'v Value>, String> {
    let members = list(value, field);
    if members.len() > MAX_FILTER_IDS {
        return Err(format!(
            "{field} may hold at most {MAX_FILTER_IDS} values, got {}",
            members.len()
        ));
    }
    Ok(members)
}

/// A list of ids (one id alone is taken as a list of one); empty when absent.
fn id_list(value: &Value, field: &str) -> Result<Vec<i64>, String> {
    bounded(value, field)?
        .into_iter()
        .map(|v| {
            v.as_i64()
                .ok_or_else(|| format!("{field} must hold integers, got {v}"))
        })
        .collect()
}

/// Operation uuids, lower case; anything but hex digits and dashes is refused, so the
/// text the store matches is a UUID's.
fn uuid_list(value: &Value) -> Result<Vec<String>, String> {
    bounded(value, "uuids")?
        .into_iter()
        .map(|v| match v.as_str() {
            Some(u)
                if (1..=36).contains(&u.len())
                    && u.chars().all(|c| c.is_ascii_hexdigit() || c == '-') =>
            {
                Ok(u.to_ascii_lowercase())
            }
            _ => Err(format!("uuids must hold UUID texts, got {v}")),
        })
        .collect()
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

/// A `GetOperations` body. `card_id` and `promo_id` are required unless `uuids` names the
/// operations (REGOS's API reference, RetailCard/GetOperations).
pub(crate) fn parse(value: &Value) -> Result<OperationFilter, String> {
    if !value.is_object() {
        return Err("the body must be a JSON object".into());
    }
    let uuids = uuid_list(value)?;
    let card_ids = id_list(value, "card_id")?;
    let promo_ids = id_list(value, "promo_id")?;
    if uuids.is_empty() {
        for (field, ids) in [("card_id", &card_ids), ("promo_id", &promo_ids)] {
            if ids.is_empty() {
                return Err(format!("{field} is required unless uuids are given"));
            }
        }
    }
    // `Default` is REGOS's "no particular type": no narrowing.
    let kinds: Vec<OperationKind> = list(value, "type")
        .into_iter()
        .filter(|k| !regos::kind_is_unset(k))
        .map(regos::kind_from_wire)
        .collect::<Result<_, _>>()?;
    let limit = count(value, "limit", DEFAULT_LIMIT)?;
    if limit > MAX_LIMIT {
        return Err(format!("limit must be at most {MAX_LIMIT}"));
    }
    let (sort, direction) = sort(value)?;
    Ok(OperationFilter {
        query: CardOperationQuery {
            // The store reads the lists; these name the first of each, 0 when none is given.
            card_id: card_ids.first().copied().unwrap_or(0),
            promo_id: promo_ids.first().copied().unwrap_or(0),
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
        uuids,
    })
}

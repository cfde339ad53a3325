//! `fiscal_hub/cash_back/`: the two-phase write-off (hold, write off the hold, cancel it) and
//! refunds, over the store (`server/store/rules/holds.rs` and each dialect's `holds.rs`).

use super::*;
use crate::server::holds::{Reach, balance_id};
use crate::server::principals::Role;

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
pub(super) async fn hold(
    State(state): State<ServerState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
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
    let balance_id = balance_id(client, currency).ok_or_else(|| {
        ApiError::bad_request(format!("client id {} is too large to hold for", client.0))
    })?;
    let coupons: Vec<CouponId> = dto.coupon_ids.iter().map(|c| CouponId(*c)).collect();
    let mut asked = WriteOff::default();
    match currency {
        Currency::Points => asked.points = Some(amount),
        Currency::Rubles => asked.rubles = Some(amount),
    }
    let manager = crate::server::pins::manager(&state, &caller, &headers, false).await?;
    super::codes::hold_allowed(&state, &caller, &asked, manager.is_some())?;
    let made = caller.made(&state);
    let transaction = uuid::Uuid::new_v4().to_string();
    // The receipt's number, kept and answered as given (bounded as a receipt's).
    let order_id = dto
        .order_id
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty());
    if order_id.is_some_and(|o| o.chars().count() > RECEIPT_NUMBER_MAX) {
        return Err(ApiError::bad_request(format!(
            "orderId is at most {RECEIPT_NUMBER_MAX} characters"
        )));
    }
    let order_id = order_id.map(str::to_string);
    let held = state
        .store
        .hold(
            client,
            currency,
            amount,
            coupons,
            made,
            transaction,
            order_id,
        )
        .await?;
    tracing::info!(client = client.0, transaction = held.transaction_id, "hold");
    Ok(Json(ext::HoldDto {
        amount: Some(ext::amount_to_wire(held.amount)),
        balance_id: Some(balance_id),
        client_id: Some(held.client.0),
        currency: Some(ext::currency_to_wire(held.currency).to_string()),
        expiration_date: Some(held.expires_ms),
        fiscal_order_id: None,
        id: Some(held.id),
        order_id: held.order_id,
        transaction_date: Some(held.created_ms),
        transaction_id: held.transaction_id,
    }))
}

/// Whose holds `caller` may step: an admin's key reaches every till's, a till's its own.
fn reach(caller: &Caller) -> Reach {
    match caller.principal.role {
        Role::Admin => Reach::Any,
        Role::Cashier => Reach::Own,
    }
}

/// `hold/write_off/`: spends a hold; a repeat of one already written off succeeds.
pub(super) async fn hold_write_off(
    State(state): State<ServerState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let dto: ext::HoldWriteOffDto = json_body(&body)?;
    let id = transaction_id(&dto.transaction_id)?;
    let made = caller.made(&state);
    // Kept with the hold as its receipt's reference; bounded like the transaction id.
    let fiscal = dto
        .fiscal_order_id
        .map(|f| {
            let ok = (1..=64).contains(&f.len()) && f.chars().all(|c| c.is_ascii_graphic());
            ok.then_some(f).ok_or_else(|| {
                ApiError::bad_request("fiscalOrderId must be 1 to 64 printable characters")
            })
        })
        .transpose()?;
    let reach = reach(&caller);
    state.store.hold_write_off(id, fiscal, made, reach).await?;
    Ok(StatusCode::OK)
}

/// `hold/cancel/`: releases a hold.
pub(super) async fn hold_cancel(
    State(state): State<ServerState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let dto: ext::TransactionDto = json_body(&body)?;
    let id = transaction_id(&dto.transaction_id)?;
    let made = caller.made(&state);
    state.store.hold_cancel(id, made, reach(&caller)).await?;
    Ok(StatusCode::OK)
}

/// Most order items one refund may name: a receipt's worth, and a bound on one request's
/// work inside a single transaction.
pub const ORDER_ITEMS_MAX: usize = 100;

/// Reads the `orderItems` of a refund: hold ids as integers or numeric strings, each once.
fn order_items(items: &[serde_json::Value]) -> Result<Vec<i64>, ApiError> {
    if items.is_empty() || items.len() > ORDER_ITEMS_MAX {
        return Err(ApiError::bad_request(format!(
            "orderItems must list 1 to {ORDER_ITEMS_MAX} ids"
        )));
    }
    let mut seen = HashSet::new();
    let mut ids = Vec::with_capacity(items.len());
    for item in items {
        let id = match item {
            serde_json::Value::Number(n) => n.as_i64(),
            serde_json::Value::String(s) => s.parse::<i64>().ok(),
            _ => None,
        }
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "an order item is a positive integer id, got {item}"
            ))
        })?;
        if !seen.insert(id) {
            return Err(ApiError::bad_request(format!(
                "order item {id} is listed twice"
            )));
        }
        ids.push(id);
    }
    Ok(ids)
}

/// `refund/`: gives back what written-off holds took. The document's form lists order
/// items, which on this server are the holds' `id`s (the hold answer's `id`): each is
/// refunded in full, all or none. This server's own form names one `transactionId`.
pub(super) async fn refund(
    State(state): State<ServerState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let dto: ext::RefundDto = json_body(&body)?;
    let made = caller.made(&state);
    match (dto.transaction_id, dto.order_items) {
        (Some(id), None) => {
            let id = transaction_id(&id)?;
            state.store.hold_refund(id, made, reach(&caller)).await?;
        }
        (None, Some(items)) => {
            let items = order_items(&items)?;
            tracing::info!(?items, "refund of order items");
            state
                .store
                .hold_refund_items(items, made, reach(&caller))
                .await?;
        }
        _ => {
            return Err(ApiError::bad_request(
                "give orderItems or transactionId, not both",
            ));
        }
    }
    Ok(StatusCode::OK)
}

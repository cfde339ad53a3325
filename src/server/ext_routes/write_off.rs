//! `POST clients/{id}/balance/write_off/`: the body read strictly, the `Idempotency-Key`
//! honoured through `server::idempotency` (replay, conflict, one request per key at a time),
//! the point of sale's limits (or a manager's PIN past them, `server::pins`), and the
//! answer in the vendor's form, with our operation's number (`{"operationId": N}`).

use super::*;
use crate::domain::reversal::{ReasonCode, Why};
use crate::server::{idempotency, pins};

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
    if let Some(receipt) = &dto.receipt {
        request.receipt = Some(receipt_from_wire(receipt)?);
    }
    request.why = match (&dto.reason, &dto.note) {
        (None, None) => None,
        (None, Some(_)) => return Err(ApiError::bad_request("a note needs its reason")),
        (Some(reason), note) => {
            let code = ReasonCode::from_code(reason)
                .ok_or_else(|| ApiError::bad_request(format!("unknown reason {reason:?}")))?;
            let why = Why::new(code, note.as_deref())
                .map_err(|e| ApiError::bad_request(format!("reason: {e:?}")))?;
            Some(why)
        }
    };
    Ok(request)
}

/// A write-off's receipt: a number of 1 to 64 characters and a total above zero.
fn receipt_from_wire(dto: &ReceiptDto) -> Result<Receipt, ApiError> {
    let receipt =
        Receipt::try_from(dto).map_err(|e| ApiError::bad_request(format!("receipt: {e}")))?;
    let length = receipt.number.trim().chars().count();
    if length == 0 || length > RECEIPT_NUMBER_MAX {
        return Err(ApiError::bad_request(format!(
            "receipt number is 1 to {RECEIPT_NUMBER_MAX} characters"
        )));
    }
    if !receipt.total.is_positive() {
        return Err(ApiError::bad_request("receipt total must be above zero"));
    }
    Ok(Receipt {
        number: receipt.number.trim().to_string(),
        ..receipt
    })
}

pub(super) async fn write_off(
    State(state): State<ServerState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = client_id(&id)?;
    let request = parse_write_off(&body)?;
    let summary = format!("{request:?}");
    let key = idempotency::key(&headers)?;
    let manager = pins::manager(&state, &caller, &headers, false).await?;
    let confirm = super::codes::confirm(
        &state,
        &caller,
        id,
        &request,
        manager.is_some(),
        &headers,
        key.is_some(),
    )
    .await?;
    let made = store::Made {
        confirm,
        ..caller.made_under_limits(&state, manager)
    };
    let Some(key) = key else {
        let written = state.store.write_off(id, request, made).await?;
        tracing::info!(client = id.0, ?written, "write-off {summary}");
        return Ok(made_answer(written.operation));
    };
    let claim = state
        .in_flight
        .claim(&caller.principal, &key, "a write-off")?;
    let idem = claim.stored(&[id.0.to_string().as_bytes(), &body]);
    let outcome = state
        .store
        .write_off_once(id, request, made, idem, answer)
        .await?;
    keyed_answer(
        outcome,
        &key,
        "write-off",
        &format!("client {}: {summary}", id.0),
    )
}

//! `POST operations/{id}/reversal/` (our extension): gives back all or part of a write-off.
//! The body is `ReversalDto`, read strictly (`reversal_from_wire`); a manager's PIN is
//! needed (`server::pins`); the `Idempotency-Key` is honoured as a write-off's, its
//! fingerprint over the path's id and the body. The refusals are the store's
//! (`rules::operations`): 404 `operation_not_found`, 422 `not_reversible`, `over_reversal`,
//! `coupon_expired`.

use super::*;
use crate::server::{idempotency, pins};
use crate::wire::ext_operations::{ReversalDto, reversal_from_wire};

pub(super) fn parse_operation_id(raw: &str) -> Result<OperationId, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(OperationId)
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "operation id must be a positive integer, got {raw:?}"
            ))
        })
}

pub(super) async fn reversal(
    State(state): State<ServerState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let original = parse_operation_id(&id)?;
    let dto: ReversalDto = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("invalid reversal body: {e}")))?;
    let reversal = reversal_from_wire(original, &dto).map_err(ApiError::bad_request)?;
    let key = idempotency::key(&headers)?;
    let manager = pins::manager(&state, &caller, &headers, true).await?;
    // A reversal is no write-off: the limits do not bound it, the manager is recorded.
    let made = store::Made {
        manager,
        ..caller.made(&state)
    };
    let summary = format!(
        "{:?} {:?} coupons {:?}",
        reversal.points, reversal.rubles, reversal.coupons
    );
    let Some(key) = key else {
        let written = state.store.reverse(reversal, made).await?;
        tracing::info!(original = original.0, ?written, "reversal {summary}");
        return Ok(made_answer(written.operation));
    };
    let claim = state
        .in_flight
        .claim(&caller.principal, &key, "a reversal")?;
    let idem = claim.stored(&[original.0.to_string().as_bytes(), &body]);
    let outcome = state
        .store
        .reverse_once(reversal, made, idem, answer)
        .await?;
    let summary = format!("of operation {}: {summary}", original.0);
    keyed_answer(outcome, &key, "reversal", &summary)
}

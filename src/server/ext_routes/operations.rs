//! Our extension's reads (`wire::ext_operations`): what the server can do, what a client
//! may write off now under the caller's limits, one operation with what was given back of
//! it, and the shift report.

use super::reversal::parse_operation_id;
use super::*;
use crate::domain::limits::Capabilities;
use crate::server::store::rules::limits::day_start;
use crate::wire::ext_operations::{AvailableDto, CapabilitiesDto, OperationDto, ShiftReportDto};

/// `GET capabilities/`: all of it, with the caller's point of sale's code policy (the
/// console asks for a code where it says so).
pub(super) async fn capabilities(
    State(state): State<ServerState>,
    Extension(caller): Extension<Caller>,
) -> Json<CapabilitiesDto> {
    Json(CapabilitiesDto::from(Capabilities {
        reversal: true,
        receipt: true,
        limits: true,
        shift_report: true,
        codes: Some(super::codes::policy(&state, &caller)),
        outlook: true,
    }))
}

/// `GET clients/{id}/balance/available/?receiptTotal=N` (roubles, as amounts travel).
pub(super) async fn available(
    State(state): State<ServerState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    q: Params,
) -> Result<Json<AvailableDto>, ApiError> {
    let id = client_id(&id)?;
    let q = params(q)?;
    let total = q
        .get("receiptTotal")
        .filter(|t| !t.is_empty())
        .map(|t| {
            Amount::parse_decimal(t)
                .ok()
                .filter(|a| a.is_positive())
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "receiptTotal must be an amount above zero, got {t:?}"
                    ))
                })
        })
        .transpose()?;
    let made = caller.made_under_limits(&state, None);
    let available = state.store.available(id, total, made).await?;
    Ok(Json(AvailableDto::from(&available)))
}

/// `GET operations/{id}/`.
pub(super) async fn operation(
    State(state): State<ServerState>,
    Path(id): Path<String>,
) -> Result<Json<OperationDto>, ApiError> {
    let id = parse_operation_id(&id)?;
    let operation = state.store.operation(id).await?.ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "operation_not_found",
            format!("no operation {id}"),
        )
    })?;
    Ok(Json(OperationDto::from(&operation)))
}

/// `GET reports/shift/?since=MS`: from the start of the server's day by default.
pub(super) async fn shift_report(
    State(state): State<ServerState>,
    q: Params,
) -> Result<Json<ShiftReportDto>, ApiError> {
    let q = params(q)?;
    let since = match timestamp(&q, "since")? {
        Some(since) => since,
        None => day_start(state.now()),
    };
    let report = state.store.shift_report(since).await?;
    Ok(Json(ShiftReportDto::from(&report)))
}

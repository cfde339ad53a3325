//! `GET clients/{id}/balance/history/`: the seed's page of history by `offset` and `limit`
//! (and the period `from`..`to`, epoch milliseconds, both inclusive), plus our cursor: the
//! console sends the last row it has, `afterDate` (its `transactionDate`) and `afterId` (its
//! `transactionId`), beside the offset. The vendor ignores the two and pages by the offset;
//! this server reads on from that row when it holds it for this client (a deep page then
//! costs what the first does), and by the offset otherwise.

use super::{ApiError, Params, client_id, number, params, timestamp};
use crate::domain::{HistoryCursor, HistoryQuery};
use crate::server::ServerState;
use crate::server::store::{HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT};
use crate::wire::ext::HistoryDto;
use axum::Json;
use axum::extract::{Path, State};
use std::collections::HashMap;

pub(super) async fn history(
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
        after: cursor(&q)?,
    };
    let entries = state.store.history(id, query).await?;
    Ok(Json(entries.iter().map(HistoryDto::from).collect()))
}

/// The cursor when both halves came; one without the other names no row, and the page is
/// read by its offset as the seed says.
fn cursor(q: &HashMap<String, String>) -> Result<Option<HistoryCursor>, ApiError> {
    let at = timestamp(q, "afterDate")?;
    let id = number::<i64>(q, "afterId")?;
    Ok(at.zip(id).map(|(at, id)| HistoryCursor { at, id }))
}

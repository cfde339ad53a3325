//! `GET clients/{id}/balance/outlook/` (our extension, `wire::ext_operations::OutlookDto`):
//! per currency the nearest expiry with what expires that day, and what is not yet
//! spendable with its nearest activation, as of the server's clock.

use super::*;
use crate::wire::ext_operations::OutlookDto;

pub(super) async fn outlook(
    State(state): State<ServerState>,
    Path(id): Path<String>,
) -> Result<Json<OutlookDto>, ApiError> {
    let id = client_id(&id)?;
    let outlook = state.store.outlook(id, state.now()).await?;
    Ok(Json(OutlookDto::from(&outlook)))
}

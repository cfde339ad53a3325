//! Poster's `clients.*` methods (seeds 000 and 003) under `/api/`: the `token` query
//! parameter, `{"response": …}` on success and `{"error": {code, message}}` in an HTTP 200
//! otherwise; POST bodies form-encoded or JSON (Poster's PHP library, joinposter/api-php,
//! sends JSON). Money is kopecks, `birthday_bonus` on write included (see
//! [`poster::birthday_bonus_from_form`] for the seed's roubles).

use super::ServerState;
use super::principals::Role;
use super::store::AccumulationRow;
use crate::domain::admin::GroupDraft;
use crate::wire::poster::{
    self, AccumulationDto, EMPTY_FIELD, GroupDto, GroupFormDto, NOT_FOUND, PromotionDto,
    RemoveGroupDto, WRONG_VALUE, WholeBonus,
};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use std::collections::HashMap;

type Params = Query<HashMap<String, String>>;

pub fn routes() -> Router<ServerState> {
    Router::new()
        .route("/api/clients.getGroups", get(get_groups))
        .route("/api/clients.getGroup", get(get_group))
        .route("/api/clients.createGroup", post(create_group))
        .route("/api/clients.updateGroup", post(update_group))
        .route("/api/clients.removeGroup", post(remove_group))
        .route("/api/clients.getClientsAccumulations", get(accumulations))
        .route("/api/clients.getPromotions", get(promotions))
}

/// A Poster error: always HTTP 200, as Poster answers.
struct Fail {
    code: i64,
    message: String,
    /// A wrong token, which costs the caller's peer one of its tries (`refusals`).
    wrong_token: bool,
}

fn error(code: i64, message: impl Into<String>) -> Fail {
    Fail {
        code,
        message: message.into(),
        wrong_token: false,
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        tracing::info!(code = self.code, "poster error: {}", self.message);
        let answer = Json(json!({ "error": { "code": self.code, "message": self.message } }))
            .into_response();
        if self.wrong_token {
            super::refusals::refused(answer)
        } else {
            answer
        }
    }
}

impl From<super::store::StoreError> for Fail {
    fn from(e: super::store::StoreError) -> Self {
        tracing::error!("poster route: {e}");
        error(44, "save failed")
    }
}

type Answer = Result<Response, Fail>;

fn ok(payload: impl Serialize) -> Answer {
    Ok(Json(json!({ "response": payload })).into_response())
}

/// Checks the token and the format; the error answer if either is wrong. Groups and
/// accumulation reports are an admin's: a cashier's key is refused as Poster refuses a
/// token without the right.
async fn guard(state: &ServerState, q: &HashMap<String, String>) -> Result<String, Fail> {
    let token = q.get("token").map(String::as_str).unwrap_or("");
    let principal = state.principal(token).await.map_err(|e| {
        tracing::error!("looking up a key: {e}");
        error(poster::BAD_TOKEN, "the key could not be checked")
    })?;
    match principal {
        None if token.is_empty() => Err(error(poster::TOKEN_MISSING, "access_token is missing")),
        None => Err(Fail {
            wrong_token: true,
            ..error(poster::BAD_TOKEN, "Bad access token")
        }),
        Some(p) if p.role != Role::Admin => Err(error(
            poster::NO_RIGHTS,
            format!(
                "{} is a cashier: groups and reports need an admin key",
                p.name
            ),
        )),
        Some(p) => match q.get("format").map(String::as_str) {
            None | Some("json") => Ok(p.name),
            Some(other) => Err(error(
                WRONG_VALUE,
                format!("format {other:?} is not supported; use json"),
            )),
        },
    }
}

/// A group edit made now by the admin `principal` (Poster has no login of its own).
fn edit_by(state: &ServerState, principal: String) -> super::store::Made {
    super::store::Made {
        at: state.now(),
        principal: Some(principal),
        ..Default::default()
    }
}

/// A POST body as form fields or JSON: JSON when the content type says so, or when the body
/// is a JSON object sent as a form (`curl -d '{…}'` does that), since no Poster field name
/// starts with `{`.
fn body<T: DeserializeOwned>(headers: &HeaderMap, bytes: &[u8]) -> Result<T, Fail> {
    let json = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
        || bytes.trim_ascii_start().starts_with(b"{");
    let parsed = if json {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    } else {
        serde_urlencoded::from_bytes(bytes).map_err(|e| e.to_string())
    };
    parsed.map_err(|e| error(400, format!("bad request: {e}")))
}

fn int_param(q: &HashMap<String, String>, key: &str) -> Result<Option<i64>, Fail> {
    q.get(key)
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.parse()
                .map_err(|_| error(701, format!("{key} must be an integer")))
        })
        .transpose()
}

async fn get_groups(State(state): State<ServerState>, Query(q): Params) -> Answer {
    guard(&state, &q).await?;
    let groups = state.store.groups().await?;
    ok(groups.iter().map(GroupDto::from).collect::<Vec<_>>())
}

async fn get_group(State(state): State<ServerState>, Query(q): Params) -> Answer {
    guard(&state, &q).await?;
    let id = int_param(&q, "group_id")?.ok_or_else(|| error(EMPTY_FIELD, "group_id is empty"))?;
    match state.store.group(id).await? {
        Some(g) => ok(GroupDto::from(&g)),
        None => if_exists(false, id, ()),
    }
}

/// Reads and checks a create/update form.
fn draft(state: &ServerState, form: &GroupFormDto) -> Result<GroupDraft, Fail> {
    if form.client_groups_name.trim().is_empty() {
        return Err(error(EMPTY_FIELD, "client_groups_name is empty"));
    }
    let whole = if state.poster_bonus_in_roubles {
        WholeBonus::Roubles
    } else {
        WholeBonus::Kopecks
    };
    let draft = poster::group_draft_from_form(form, whole)
        .map_err(|e| error(WRONG_VALUE, e.to_string()))?;
    draft
        .validate()
        .map_err(|p| error(WRONG_VALUE, format!("invalid group: {p:?}")))?;
    Ok(draft)
}

async fn create_group(
    State(state): State<ServerState>,
    Query(q): Params,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let by = guard(&state, &q).await?;
    let draft = draft(&state, &body::<GroupFormDto>(&headers, &bytes)?)?;
    ok(state.store.create_group(draft, edit_by(&state, by)).await?)
}

async fn update_group(
    State(state): State<ServerState>,
    Query(q): Params,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let by = guard(&state, &q).await?;
    let form = body::<GroupFormDto>(&headers, &bytes)?;
    let Some(id) = form
        .client_groups_id
        .as_deref()
        .and_then(|i| i.parse::<i64>().ok())
    else {
        return Err(error(
            EMPTY_FIELD,
            "client_groups_id is empty or not an integer",
        ));
    };
    let draft = draft(&state, &form)?;
    let existed = state
        .store
        .update_group(id, draft, edit_by(&state, by))
        .await?;
    if_exists(existed, id, id)
}

async fn remove_group(
    State(state): State<ServerState>,
    Query(q): Params,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let by = guard(&state, &q).await?;
    let form = body::<RemoveGroupDto>(&headers, &bytes)?;
    let Ok(id) = form.group_id.trim().parse::<i64>() else {
        return Err(error(701, "group_id must be an integer"));
    };
    let existed = state.store.remove_group(id, edit_by(&state, by)).await?;
    if_exists(existed, id, true)
}

/// `payload` when the group existed, Poster's "id does not exist" otherwise.
fn if_exists(existed: bool, id: i64, payload: impl Serialize) -> Answer {
    if existed {
        ok(payload)
    } else {
        Err(error(NOT_FOUND, format!("group {id} does not exist")))
    }
}

/// Most rows one page may hold; `num` beyond it is cut to it.
const MAX_PAGE: u32 = 1000;

async fn promotions(State(state): State<ServerState>, Query(q): Params) -> Answer {
    guard(&state, &q).await?;
    let rows = state.store.promotions().await?;
    let never = "0000-00-00 00:00:00".to_string();
    ok(rows
        .into_iter()
        .map(|(id, name, start, end)| PromotionDto {
            promotion_id: id.to_string(),
            name,
            date_start: Some(start.unwrap_or_else(|| never.clone())),
            date_end: Some(end.unwrap_or_else(|| never.clone())),
        })
        .collect::<Vec<_>>())
}

async fn accumulations(State(state): State<ServerState>, Query(q): Params) -> Answer {
    guard(&state, &q).await?;
    let (num, offset) = (int_param(&q, "num")?, int_param(&q, "offset")?);
    let client = int_param(&q, "client_id")?;
    if num.is_some_and(|n| n < 0) || offset.is_some_and(|o| o < 0) {
        return Err(error(WRONG_VALUE, "num and offset must not be negative"));
    }
    // Without `num` Poster returns everything; a page is safer for a shop's database.
    let num = num.map_or(MAX_PAGE, |n| (n as u64).min(u64::from(MAX_PAGE)) as u32);
    let offset = offset.unwrap_or(0).min(i64::from(u32::MAX)) as u32;
    let rows = state.store.accumulations(client, offset, num).await?;
    ok(rows.into_iter().map(dto).collect::<Vec<_>>())
}

fn dto(r: AccumulationRow) -> AccumulationDto {
    AccumulationDto {
        accumulation_product_id: r.id.to_string(),
        tr_product_id: r.tr_product_id.to_string(),
        promotion_id: r.promotion_id.to_string(),
        client_id: r.client_id.to_string(),
        product_id: r.product_id.to_string(),
        modification_id: r.modification_id.to_string(),
        status: r.status.to_string(),
        num: r.num,
        product_sum: r.product_sum,
        prize_product_id: Some(
            r.prize_product_id
                .map(|p| p.to_string())
                .unwrap_or_default(),
        ),
        date_add: r.date_add,
        date_close: r.date_close,
        weight_flag: r.weight_flag.to_string(),
    }
}

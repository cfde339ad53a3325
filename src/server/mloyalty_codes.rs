//! Mloyalty's confirmation codes on `loyalty serve`: `POST api/client/GetSendVerificationCode`
//! (`operator`, `poscode`, `phone`) sends a code to the client with that phone, and `POST
//! api/client/GetConfirmCode` (`phone`, `code`) checks and spends it, as the PyPI `mloyalty`
//! 0.2.4 client posts them (`client.py` `send_verification_code`, `confirm_code`: a form,
//! with the manager's JWT as a bearer). Refusals are the vendor's: HTTP 200 with a non-zero
//! `ErrorCode` and a `Message`. These codes bind to the phone's client only (no amounts)
//! and to the manager's login; they go through the same sender and limits as the till's.

use super::ServerState;
use super::codes::{Issued, NotIssued, issue};
use super::store::rules::codes::{CodeRefusal, Verdict, phone_digits};
use crate::domain::ClientId;
use crate::wire::mloyalty::binding;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

pub const SEND: &str = "/api/client/GetSendVerificationCode";
pub const CONFIRM: &str = "/api/client/GetConfirmCode";

/// `ErrorCode`s of these routes (0 is success); 2 is the family's "invalid request".
const INVALID: i64 = 2;
const NO_CLIENT: i64 = 5;
const REFUSED: i64 = 6;
const UNDELIVERED: i64 = 7;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SendDto {
    #[serde(default, deserialize_with = "text")]
    phone: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ConfirmDto {
    #[serde(default, deserialize_with = "text")]
    phone: String,
    #[serde(default, deserialize_with = "text")]
    code: String,
}

/// A phone or a code as clients send them: a string, or a number (Json.NET binds both).
fn text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    })
}

fn answer(code: i64, message: impl Into<String>) -> Response {
    let message = message.into();
    if code != 0 {
        tracing::info!(code, "mloyalty code error: {message}");
    }
    Json(json!({ "ErrorCode": code, "Message": message })).into_response()
}

/// The manager the JWT is for, as codes are bound to it; `Err`: the vendor's 401.
async fn manager(state: &ServerState, headers: &HeaderMap) -> Result<String, Response> {
    let claims = match super::mloyalty_routes::verified(state, headers).await {
        Ok(claims) => claims,
        Err(refused) => return Err(refused),
    };
    let who = state
        .manager
        .as_ref()
        .map(|m| m.username.clone())
        .or_else(|| claims.oper.map(|o| o.to_string()))
        .unwrap_or_default();
    Ok(format!("mloyalty:{who}"))
}

/// The client whose phone this is, by its digits.
async fn client_of(state: &ServerState, phone: &str) -> Result<Option<ClientId>, Response> {
    let Some(digits) = phone_digits(Some(phone)) else {
        return Ok(None);
    };
    let found = state
        .store
        .search_clients(Some(phone.to_string()), None)
        .await
        .map_err(|e| {
            tracing::error!("GetSendVerificationCode: {e}");
            answer(1, "internal error")
        })?;
    Ok(found
        .iter()
        .find(|c| phone_digits(c.phone.as_deref()).as_deref() == Some(digits.as_str()))
        .map(|c| c.id))
}

pub async fn send(State(state): State<ServerState>, headers: HeaderMap, body: Bytes) -> Response {
    let principal = match manager(&state, &headers).await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let req: SendDto = match binding::bind(content_type, &body) {
        Ok(r) => r,
        Err(e) => return answer(INVALID, format!("invalid request: {e}")),
    };
    let client = match client_of(&state, &req.phone).await {
        Ok(Some(client)) => client,
        Ok(None) => return answer(NO_CLIENT, "no client has this phone"),
        Err(failed) => return failed,
    };
    match issue(&state, client, principal, (0, 0)).await {
        Ok(Issued { masked, .. }) => answer(0, format!("the code was sent to {masked}")),
        Err(NotIssued::NoSender) => answer(UNDELIVERED, "this server has no way to send codes"),
        Err(NotIssued::Refused(r)) => answer(REFUSED, r.message()),
        Err(NotIssued::Undelivered(why)) => answer(
            UNDELIVERED,
            format!("the code could not be delivered ({why}); send another"),
        ),
        Err(NotIssued::Store(e)) => {
            tracing::error!("GetSendVerificationCode: {e}");
            answer(1, "internal error")
        }
    }
}

pub async fn confirm(
    State(state): State<ServerState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let principal = match manager(&state, &headers).await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let req: ConfirmDto = match binding::bind(content_type, &body) {
        Ok(r) => r,
        Err(e) => return answer(INVALID, format!("invalid request: {e}")),
    };
    let client = match client_of(&state, &req.phone).await {
        Ok(Some(client)) => client,
        Ok(None) => return answer(NO_CLIENT, "no client has this phone"),
        Err(failed) => return failed,
    };
    let now = state.now().as_millisecond();
    let checked = state
        .store
        .check_code(client, req.code.trim().to_string(), principal, (0, 0), now)
        .await;
    let refusal = match checked {
        Ok(Verdict::Spend(id)) => match state.store.spend_code(id, now).await {
            Ok(true) => return answer(0, ""),
            Ok(false) => CodeRefusal::Used,
            Err(e) => {
                tracing::error!("GetConfirmCode: {e}");
                return answer(1, "internal error");
            }
        },
        Ok(Verdict::Spent(_)) => CodeRefusal::Used,
        Ok(Verdict::Refuse(r, _)) => r,
        Err(e) => {
            tracing::error!("GetConfirmCode: {e}");
            return answer(1, "internal error");
        }
    };
    answer(REFUSED, refusal.message())
}

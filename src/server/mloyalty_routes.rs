//! Mloyalty's LCManagerPartner (seed 002): `POST /managerlogin` (OAuth2 password grant,
//! answering a JWT) and `POST /api/client/ClientInfoPeriod` with that JWT as a bearer and its
//! `token`/`operator` claims repeated in the body. Business errors are `ErrorCode`/`Message`
//! in an HTTP 200, as the vendor does; a missing or expired JWT is a 401.
//!
//! The vendor is ASP.NET Web API: its routes match in any case (`/ManagerLogin`,
//! `/api/Client/ClientInfoPeriod`) and bodies bind as Json.NET binds them (see
//! `wire::mloyalty::binding`). Only these routes are case-insensitive; the other vendors'
//! are not.

use super::error::ApiError;
use super::mloyalty_codes as codes;
use super::mloyalty_login as login;
use super::{BODY_LIMIT, ServerState, bearer, envelope};
use crate::domain::days;
use crate::wire::mloyalty::{
    self, ClientInfoPeriodRequestDto, ClientInfoPeriodResponseDto, RegisteredClientDto, binding,
};
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::header::{ALLOW, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde_json::json;

/// Most clients one `ClientInfoPeriod` answer holds.
pub const MAX_ROWS: u32 = 10_000;

/// The integer ids `managerlogin` puts into the JWT for its one manager account.
pub const MANAGER_TOKEN: i64 = 1001;
pub const OPERATOR: i64 = 1;
/// The partner id in the JWT: the one shop this server serves.
pub const PARTNER: &str = "1";

/// The zone the vendor's naive dates and the `Reg` presets are read in: a Russian
/// loyalty operator works in Moscow time.
fn vendor_zone() -> TimeZone {
    TimeZone::fixed(jiff::tz::offset(3))
}

const LOGIN: &str = "/managerlogin";
const CLIENT_INFO_PERIOD: &str = "/api/client/ClientInfoPeriod";

/// The routes as the vendor spells them; other spellings reach them through [`fallback`].
pub fn routes() -> Router<ServerState> {
    Router::new()
        .route(LOGIN, post(login::login))
        .route(CLIENT_INFO_PERIOD, post(client_info_period))
        .route(codes::SEND, post(codes::send))
        .route(codes::CONFIRM, post(codes::confirm))
}

/// Whether `path` is in the vendor's part of the URL space: its login and its API
/// controllers (`Client`, `Values`, `Site`, the ones its clients call), in any case. Poster's
/// `/api/clients.getGroups` is not.
pub fn is_mloyalty_path(path: &str) -> bool {
    let path = path.to_ascii_lowercase();
    path.trim_end_matches('/') == LOGIN
        || ["/api/client/", "/api/values/", "/api/site/"]
            .iter()
            .any(|area| path.starts_with(area))
}

/// What no route matched: a Mloyalty route in another case (or with a trailing slash) is
/// served, as ASP.NET routes ignore case; any other path of the vendor's gets the vendor's
/// answer to an unknown route; the rest the server's own 404.
pub async fn fallback(State(state): State<ServerState>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    if !is_mloyalty_path(&path) {
        return ApiError::not_found("no such endpoint").into_response();
    }
    let route = path.trim_end_matches('/');
    let login = route.eq_ignore_ascii_case(LOGIN);
    let served = [CLIENT_INFO_PERIOD, codes::SEND, codes::CONFIRM];
    if !login && !served.iter().any(|r| route.eq_ignore_ascii_case(r)) {
        return envelope::answer(
            &path,
            StatusCode::NOT_FOUND,
            &format!("No HTTP resource was found that matches the request URI '{path}'."),
        );
    }
    if request.method() != Method::POST {
        let mut refused = envelope::answer(
            &path,
            StatusCode::METHOD_NOT_ALLOWED,
            &format!(
                "The requested resource does not support http method '{}'.",
                request.method()
            ),
        );
        refused
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("POST"));
        return refused;
    }
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return envelope::answer(
            &path,
            StatusCode::PAYLOAD_TOO_LARGE,
            "the request body is larger than 64 KiB",
        );
    };
    if login {
        login::login(State(state), body).await
    } else if route.eq_ignore_ascii_case(codes::SEND) {
        codes::send(State(state), parts.headers, body).await
    } else if route.eq_ignore_ascii_case(codes::CONFIRM) {
        codes::confirm(State(state), parts.headers, body).await
    } else {
        client_info_period(State(state), parts.headers, body).await
    }
}

fn business_error(code: i64, message: impl Into<String>) -> Response {
    let message = message.into();
    tracing::info!(code, "mloyalty error: {message}");
    Json(ClientInfoPeriodResponseDto {
        clients: None,
        error_code: code,
        message: Some(message),
    })
    .into_response()
}

/// The period a request asks for: `BegDate`..`EndDate` (whole days in the vendor's zone),
/// unless a `Reg` preset names one (today, yesterday, a month of this year, a year).
fn period(
    req: &ClientInfoPeriodRequestDto,
    now: Timestamp,
) -> Result<(Timestamp, Timestamp), String> {
    let tz = vendor_zone();
    let today = now.to_zoned(tz.clone()).date();
    let day = |text: &str, name: &str| -> Result<Date, String> {
        mloyalty::parse_date(text, &tz)
            .map(|t| t.to_zoned(tz.clone()).date())
            .map_err(|e| format!("{name}: {e}"))
    };
    let (first, last) = match &req.reg {
        Some(r) if r.today => (today, today),
        Some(r) if r.yesterday => {
            let y = today.yesterday().map_err(|e| e.to_string())?;
            (y, y)
        }
        Some(r) if (1..=12).contains(&r.month) => {
            let start = Date::new(today.year(), r.month as i8, 1).map_err(|e| e.to_string())?;
            (start, start.last_of_month())
        }
        Some(r) if r.year > 0 => {
            let year =
                i16::try_from(r.year).map_err(|_| format!("Year {} is out of range", r.year))?;
            let start = Date::new(year, 1, 1).map_err(|e| e.to_string())?;
            (start, start.last_of_year())
        }
        _ => (
            day(&req.beg_date, "BegDate")?,
            day(&req.end_date, "EndDate")?,
        ),
    };
    if last < first {
        return Err("EndDate is before BegDate".into());
    }
    match (
        days::first_instant(first, &tz),
        days::last_instant(last, &tz),
    ) {
        (Some(start), Some(end)) => Ok((start, end)),
        _ => Err("the period is outside the calendar".into()),
    }
}

/// The claims of the request's access JWT (not a refresh token), or the vendor's refusal.
pub(super) async fn verified(
    state: &ServerState,
    headers: &HeaderMap,
) -> Result<mloyalty::ClaimsDto, Response> {
    let key = match state.jwt_key().await {
        Ok(key) => key,
        Err(e) => {
            tracing::error!("the signing key could not be read: {e}");
            return Err((
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "Message": "The server cannot check tokens now: try again." })),
            )
                .into_response());
        }
    };
    key.verify(bearer(headers), state.now().as_second())
        .filter(|c| c.refresh != Some(true))
        .ok_or_else(|| {
            (
                StatusCode::UNAUTHORIZED,
                Json(json!({ "Message": "Authorization has been denied for this request." })),
            )
                .into_response()
        })
}

async fn client_info_period(
    State(state): State<ServerState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let claims = match verified(&state, &headers).await {
        Ok(claims) => claims,
        Err(refused) => return refused,
    };
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let req: ClientInfoPeriodRequestDto = match binding::bind(content_type, &body) {
        Ok(r) => r,
        Err(e) => return business_error(2, format!("invalid request: {e}")),
    };
    // Without a `token` claim (the vendor's older servers) the body carries the manager's
    // token as the partner configured it.
    if req.token != claims.token.unwrap_or(MANAGER_TOKEN)
        || Some(req.operator) != claims.operator_id()
    {
        return business_error(3, "Token and Operator must match the access token");
    }
    let (from, to) = match period(&req, state.now()) {
        Ok(p) => p,
        Err(e) => return business_error(2, e),
    };
    let pos = req.reg_pos_list.filter(|p| *p > 0);
    match state.store.registrations(from, to, pos, MAX_ROWS + 1).await {
        // Mloyalty has no paging: a period with more clients than one answer may hold is
        // refused with a reason instead of sending the whole table.
        Ok(rows) if rows.len() > MAX_ROWS as usize => business_error(
            4,
            format!("more than {MAX_ROWS} clients in the period: choose a shorter one"),
        ),
        Ok(rows) => {
            let tz = vendor_zone();
            Json(ClientInfoPeriodResponseDto {
                clients: Some(
                    rows.iter()
                        .map(|r| RegisteredClientDto::from_domain(r, &tz))
                        .collect(),
                ),
                error_code: 0,
                message: Some(String::new()),
            })
            .into_response()
        }
        Err(e) => {
            tracing::error!("ClientInfoPeriod: {e}");
            business_error(1, "internal error")
        }
    }
}

//! Mloyalty's LCManagerPartner (seed 002): `POST /managerlogin` (OAuth2 password grant,
//! answering a JWT) and `POST /api/client/ClientInfoPeriod` with that JWT as a bearer and its
//! `token`/`operator` claims repeated in the body. Business errors are `ErrorCode`/`Message`
//! in an HTTP 200, as the vendor does; a missing or expired JWT is a 401.

use super::{ServerState, bearer, constant_time_eq};
use crate::domain::days;
use crate::wire::mloyalty::{
    self, ClaimsDto, ClientInfoPeriodRequestDto, ClientInfoPeriodResponseDto, LoginDto,
    LoginFormDto, RegisteredClientDto,
};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
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

/// The zone the vendor's naive dates and the `Reg` presets are read in: a Russian
/// loyalty operator works in Moscow time.
fn vendor_zone() -> TimeZone {
    TimeZone::fixed(jiff::tz::offset(3))
}

pub fn routes() -> Router<ServerState> {
    Router::new()
        .route("/managerlogin", post(login))
        .route("/managerLogin", post(login))
        .route("/api/client/ClientInfoPeriod", post(client_info_period))
}

fn oauth_error(code: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": code, "error_description": description })),
    )
        .into_response()
}

/// How long a refresh token lets the manager renew without the password.
const REFRESH_TTL_SECONDS: i64 = 14 * 24 * 3600;

/// The configured manager's phone and password, or any phone with an admin's key as the
/// password (registrations are reports). With neither a manager configured nor any user
/// added, any login is taken, on loopback only.
async fn manager_ok(state: &ServerState, phone: i64, password: &str) -> bool {
    if let Some(manager) = &state.manager
        && mloyalty::phone_login(&manager.username) == Some(phone)
        && constant_time_eq(password.as_bytes(), manager.password.as_bytes())
    {
        return true;
    }
    state
        .admin_key(password, state.manager.is_none(), "manager key")
        .await
}

async fn login(State(state): State<ServerState>, body: Bytes) -> Response {
    let Ok(form) = serde_urlencoded::from_bytes::<LoginFormDto>(&body) else {
        return oauth_error(
            "invalid_request",
            "expected a form with username, password and grant_type",
        );
    };
    let now = state.now().as_second();
    let user = match form.grant_type.as_str() {
        "password" => {
            // The vendor converts the login to a 64-bit integer: it is a phone number.
            let Some(phone) = mloyalty::phone_login(&form.username) else {
                return oauth_error(
                    "invalid_grant",
                    "The login must be the manager's phone number (digits).",
                );
            };
            if !manager_ok(&state, phone, &form.password).await {
                return oauth_error("invalid_grant", "The user name or password is incorrect.");
            }
            phone.to_string()
        }
        "refresh_token" => match state.jwt.verify(&form.refresh_token, now) {
            Some(c) if c.refresh == Some(true) => c.user.unwrap_or_default(),
            _ => return oauth_error("invalid_grant", "The refresh token is invalid or expired."),
        },
        _ => {
            return oauth_error(
                "unsupported_grant_type",
                "grant_type must be password or refresh_token",
            );
        }
    };
    // The vendor's claim names; `token` only where the server is of the newer kind.
    let access = ClaimsDto {
        token: state.jwt_carries_token.then_some(MANAGER_TOKEN),
        oper: Some(OPERATOR),
        role: Some("manager".into()),
        user: Some(user.clone()),
        partner: Some("SHOP".into()),
        pos: Some("0".into()),
        poscode: Some(String::new()),
        permissioncode: Some(String::new()),
        exp: Some(now + state.jwt_ttl_seconds),
        ..ClaimsDto::default()
    };
    let refresh = ClaimsDto {
        user: Some(user),
        refresh: Some(true),
        exp: Some(now + REFRESH_TTL_SECONDS),
        ..ClaimsDto::default()
    };
    Json(LoginDto {
        access_token: state.jwt.sign(&access),
        token_type: Some("bearer".into()),
        expires_in: Some(state.jwt_ttl_seconds),
        refresh_token: Some(state.jwt.sign(&refresh)),
    })
    .into_response()
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

async fn client_info_period(
    State(state): State<ServerState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let claims = state
        .jwt
        .verify(bearer(&headers), state.now().as_second())
        .filter(|c| c.refresh != Some(true));
    let Some(claims) = claims else {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "Message": "Authorization has been denied for this request." })),
        )
            .into_response();
    };
    let req: ClientInfoPeriodRequestDto = match serde_json::from_slice(&body) {
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

//! Mloyalty's `POST /managerlogin` (OAuth2's password and refresh grants, answering JWTs).
//! A session ends: its refresh token names whose it is and is honoured only while they may
//! still log in (the configured manager, or a live admin), and a refresh never moves the
//! session's end, which the first login set.

use super::mloyalty_routes::{MANAGER_TOKEN, OPERATOR, PARTNER};
use super::principals::Role;
use super::refusals::refused;
use super::{ServerState, constant_time_eq};
use crate::wire::mloyalty::{self, ClaimsDto, LoginDto, LoginFormDto, binding};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// OAuth2's token endpoint takes only forms, whatever the request says it sends.
const FORM: &str = "application/x-www-form-urlencoded";

/// How long a session lasts from its password login, refreshes included.
pub const REFRESH_TTL_SECONDS: i64 = 14 * 24 * 3600;

fn oauth_error(code: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": code, "error_description": description })),
    )
        .into_response()
}

/// Whose session a refresh token renews, as its `sub` claim names it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Holder {
    /// The manager of `--manager-user`/`--manager-password`.
    Manager,
    /// A user of `serve user add`, by name, who logged in with an admin's key.
    User(String),
    /// Anyone, while no manager is configured and no user was ever added.
    Anyone,
}

impl Holder {
    fn claim(&self) -> String {
        match self {
            Holder::Manager => "manager".into(),
            Holder::User(name) => format!("user:{name}"),
            Holder::Anyone => "anyone".into(),
        }
    }

    fn parse(claim: &str) -> Option<Holder> {
        match claim {
            "manager" => Some(Holder::Manager),
            "anyone" => Some(Holder::Anyone),
            other => other
                .strip_prefix("user:")
                .map(|name| Holder::User(name.into())),
        }
    }
}

/// Who logs in with `phone` and `password`: the configured manager, or (any phone) a live
/// admin whose key is the password (registrations are reports); anyone while neither a
/// manager is configured nor any user added. `None`: refused.
async fn holder(state: &ServerState, phone: i64, password: &str) -> Option<Holder> {
    if let Some(manager) = &state.manager
        && mloyalty::phone_login(&manager.username) == Some(phone)
        && constant_time_eq(password.as_bytes(), manager.password.as_bytes())
    {
        return Some(Holder::Manager);
    }
    if !state
        .admin_key(password, state.manager.is_none(), "manager key")
        .await
    {
        return None;
    }
    // Which admin it was: the refresh token names them, to be looked up again.
    match state.store.user_or_open(password.to_string(), false).await {
        Ok(Some(user)) => Some(Holder::User(user.name)),
        Ok(None) => Some(Holder::Anyone),
        Err(e) => {
            tracing::error!("looking up a manager key: {e}");
            None
        }
    }
}

/// Whether `holder` may still log in as `phone`: the manager still configured with that
/// phone, the user still live and an admin, the door still open.
async fn still_may(state: &ServerState, holder: &Holder, phone: &str) -> bool {
    match holder {
        Holder::Manager => state.manager.as_ref().is_some_and(|m| {
            mloyalty::phone_login(&m.username).is_some_and(|p| p.to_string() == phone)
        }),
        Holder::User(name) => match state.store.users().await {
            Ok(users) => users
                .iter()
                .any(|u| &u.name == name && u.role == Role::Admin && u.revoked_ms.is_none()),
            Err(e) => {
                tracing::error!("looking up a manager's user: {e}");
                false
            }
        },
        Holder::Anyone => {
            state
                .admin_key("", state.manager.is_none(), "manager key")
                .await
        }
    }
}

pub async fn login(State(state): State<ServerState>, body: Bytes) -> Response {
    // OWIN reads the form's keys in any case, as Web API binds bodies.
    let Ok(form) = binding::bind::<LoginFormDto>(Some(FORM), &body) else {
        return oauth_error(
            "invalid_request",
            "expected a form with username, password and grant_type",
        );
    };
    let key = match state.jwt_key().await {
        Ok(key) => key,
        Err(e) => {
            tracing::error!("managerlogin: the signing key could not be read: {e}");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({
                    "error": "temporarily_unavailable",
                    "error_description": "The server cannot sign tokens now: try again."
                })),
            )
                .into_response();
        }
    };
    let now = state.now().as_second();
    // Whose session, as whom, and when it ends.
    let (holder, user, ends) = match form.grant_type.as_str() {
        "password" => {
            // The vendor converts the login to a 64-bit integer: it is a phone number.
            let Some(phone) = mloyalty::phone_login(&form.username) else {
                return oauth_error(
                    "invalid_grant",
                    "The login must be the manager's phone number (digits).",
                );
            };
            let Some(holder) = holder(&state, phone, &form.password).await else {
                return refused(oauth_error(
                    "invalid_grant",
                    "The user name or password is incorrect.",
                ));
            };
            (holder, phone.to_string(), now + REFRESH_TTL_SECONDS)
        }
        "refresh_token" => {
            let session = key
                .verify(&form.refresh_token, now)
                .filter(|c| c.refresh == Some(true))
                .and_then(|c| Some((Holder::parse(c.sub.as_deref()?)?, c.user?, c.exp?)));
            let renewed = match session {
                Some((holder, user, ends)) if still_may(&state, &holder, &user).await => {
                    Some((holder, user, ends))
                }
                _ => None,
            };
            let Some(renewed) = renewed else {
                return refused(oauth_error(
                    "invalid_grant",
                    "The refresh token is invalid or expired, or its user may no longer log in.",
                ));
            };
            renewed
        }
        _ => {
            return oauth_error(
                "unsupported_grant_type",
                "grant_type must be password or refresh_token",
            );
        }
    };
    // No access outlives its session.
    let expires = (now + state.jwt_ttl_seconds).min(ends);
    // The vendor's claim names; `token` only where the server is of the newer kind. The
    // PyPI client reads `oper`, `partner`, `pos` and `poscode` into every call it makes (a
    // missing one is a KeyError there) and its own tests expect the operator, the partner
    // and the point's code to be set: the partner is the one shop this server serves, by
    // id as the vendor's `PartnerID`; point of sale 0, code "0": the manager's reports
    // cover every point.
    let access = ClaimsDto {
        token: state.jwt_carries_token.then_some(MANAGER_TOKEN),
        oper: Some(OPERATOR),
        role: Some("manager".into()),
        user: Some(user.clone()),
        partner: Some(PARTNER.into()),
        pos: Some("0".into()),
        poscode: Some("0".into()),
        permissioncode: Some(String::new()),
        exp: Some(expires),
        ..ClaimsDto::default()
    };
    let refresh = ClaimsDto {
        user: Some(user),
        sub: Some(holder.claim()),
        refresh: Some(true),
        exp: Some(ends),
        ..ClaimsDto::default()
    };
    Json(LoginDto {
        access_token: key.sign(&access),
        token_type: Some("bearer".into()),
        expires_in: Some(expires - now),
        refresh_token: Some(key.sign(&refresh)),
    })
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_holder_reads_back_from_its_claim() {
        for holder in [
            Holder::Manager,
            Holder::Anyone,
            Holder::User("back office: user:1".into()),
        ] {
            assert_eq!(Holder::parse(&holder.claim()), Some(holder));
        }
        assert_eq!(Holder::parse("admin"), None);
    }
}

//! Adapter for Mloyalty's LCManagerPartner (seed 002). Logs in with the manager's password
//! to get a JWT, copies its `token` and `operator` claims into each body, logs in again a
//! minute before the JWT expires, and once more if the server answers 401 anyway.

use super::http::{self, excerpt, status_kind};
use super::{BoxFuture, RegistrationService, ServiceResult};
use crate::clock::Clock;
use crate::config::Secret;
use crate::domain::admin::{Registration, RegistrationQuery};
use crate::domain::{ErrorKind, ServiceError};
use crate::wire::mloyalty::{
    self as wire, ClaimsDto, ClientInfoPeriodRequestDto, ClientInfoPeriodResponseDto, LoginDto,
    RegDto,
};
use jiff::tz::TimeZone;
use reqwest::{StatusCode, Url};
use tokio::sync::Mutex;

/// Log in again this long before the JWT's `exp`, so no request goes out with a token that
/// expires on the way.
const RENEW_BEFORE_SECONDS: i64 = 60;

struct Session {
    jwt: Secret,
    claims: ClaimsDto,
}

pub struct MloyaltyAdapter {
    http: reqwest::Client,
    base: Url,
    username: String,
    password: Secret,
    tz: TimeZone,
    /// Tells when the JWT is about to expire.
    clock: Clock,
    session: Mutex<Option<Session>>,
}

impl MloyaltyAdapter {
    /// The same adapter with requests that give up after `timeout`.
    pub fn with_timeout(mut self, timeout: std::time::Duration) -> Result<Self, ServiceError> {
        self.http = super::http::client_with(timeout)?;
        Ok(self)
    }

    /// The same adapter telling time by `clock`.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// `tz`: the zone the period's days are counted in (the shop's).
    pub fn new(
        base_url: &str,
        username: String,
        password: Secret,
        tz: TimeZone,
    ) -> Result<Self, ServiceError> {
        Ok(MloyaltyAdapter {
            http: http::client()?,
            base: http::base_url(base_url)?,
            username,
            password,
            tz,
            clock: Clock::system(),
            session: Mutex::new(None),
        })
    }

    fn url(&self, path: &str) -> Url {
        self.base.join(path).unwrap_or_else(|_| self.base.clone())
    }

    async fn login(&self) -> ServiceResult<Session> {
        let form = [
            ("username", self.username.as_str()),
            ("password", self.password.expose()),
            ("grant_type", "password"),
        ];
        let (status, body) =
            http::exchange(self.http.post(self.url(wire::LOGIN_PATH)).form(&form)).await?;
        if !status.is_success() {
            let detail = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| {
                    v.get("error_description")
                        .or_else(|| v.get("error"))
                        .and_then(|d| d.as_str().map(str::to_string))
                })
                .unwrap_or_else(|| format!("{status}: {}", excerpt(&body)));
            let kind = if status == StatusCode::BAD_REQUEST || status == StatusCode::UNAUTHORIZED {
                ErrorKind::Unauthorized
            } else {
                status_kind(status)
            };
            tracing::warn!("mloyalty login refused: {detail}");
            return Err(ServiceError::new(kind, format!("login: {detail}")));
        }
        let login: LoginDto = serde_json::from_slice(&body)
            .map_err(|e| ServiceError::new(ErrorKind::BadResponse, format!("login answer: {e}")))?;
        let claims = wire::claims(&login.access_token)
            .map_err(|e| ServiceError::new(ErrorKind::BadResponse, e))?;
        tracing::info!(operator = claims.operator, "mloyalty login");
        Ok(Session {
            jwt: Secret::new(login.access_token),
            claims,
        })
    }

    /// The current session, logging in when there is none or it is about to expire.
    async fn session(&self, guard: &mut Option<Session>) -> ServiceResult<()> {
        let now = self.clock.now().as_second();
        let fresh = guard.as_ref().is_some_and(|s| {
            s.claims
                .exp
                .is_none_or(|exp| exp - RENEW_BEFORE_SECONDS > now)
        });
        if !fresh {
            *guard = Some(self.login().await?);
        }
        Ok(())
    }

    fn body(
        &self,
        query: &RegistrationQuery,
        claims: &ClaimsDto,
    ) -> ServiceResult<ClientInfoPeriodRequestDto> {
        let bad = |e: jiff::Error| ServiceError::new(ErrorKind::Rejected, e.to_string());
        let start = query
            .from
            .to_zoned(self.tz.clone())
            .map_err(bad)?
            .timestamp();
        let end = query
            .to
            .tomorrow()
            .and_then(|d| d.to_zoned(self.tz.clone()))
            .map_err(bad)?
            .timestamp()
            - jiff::SignedDuration::from_millis(1);
        Ok(ClientInfoPeriodRequestDto {
            beg_date: wire::format_date(start, &self.tz),
            end_date: wire::format_date(end, &self.tz),
            registration: true,
            reg_pos_list: Some(query.pos.unwrap_or(0)),
            reg: Some(RegDto::default()),
            operator: claims.operator,
            token: claims.token,
            site_code: None,
        })
    }
}

impl RegistrationService for MloyaltyAdapter {
    fn registrations(
        &self,
        query: RegistrationQuery,
    ) -> BoxFuture<'_, ServiceResult<Vec<Registration>>> {
        Box::pin(async move {
            let mut guard = self.session.lock().await;
            // A read changes nothing, so after a 401 it is safe to log in and ask once more.
            for attempt in 0..2 {
                self.session(&mut guard).await?;
                let session = guard.as_ref().expect("a session was just made");
                let body = self.body(&query, &session.claims)?;
                let builder = self
                    .http
                    .post(self.url(wire::CLIENT_INFO_PERIOD_PATH))
                    .bearer_auth(session.jwt.expose())
                    .json(&body);
                let (status, bytes) = http::exchange(builder).await?;
                if status == StatusCode::UNAUTHORIZED && attempt == 0 {
                    tracing::info!("mloyalty access token refused; logging in again");
                    *guard = None;
                    continue;
                }
                if !status.is_success() {
                    return Err(ServiceError::new(
                        status_kind(status),
                        format!("{status}: {}", excerpt(&bytes)),
                    ));
                }
                let answer: ClientInfoPeriodResponseDto =
                    serde_json::from_slice(&bytes).map_err(|e| {
                        ServiceError::new(
                            ErrorKind::BadResponse,
                            format!("unexpected answer: {e} ({})", excerpt(&bytes)),
                        )
                    })?;
                if answer.error_code != 0 {
                    let message = answer.message.unwrap_or_default();
                    tracing::warn!(code = answer.error_code, "ClientInfoPeriod: {message}");
                    return Err(ServiceError::new(
                        ErrorKind::Rejected,
                        format!("Mloyalty {}: {message}", answer.error_code),
                    ));
                }
                return answer
                    .clients
                    .unwrap_or_default()
                    .iter()
                    .map(|c| c.to_domain(&self.tz))
                    .collect::<Result<_, _>>()
                    .map_err(|e| ServiceError::new(ErrorKind::BadResponse, e));
            }
            Err(ServiceError::new(
                ErrorKind::Unauthorized,
                "the access token was refused twice",
            ))
        })
    }
}

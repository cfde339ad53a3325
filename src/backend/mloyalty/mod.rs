//! Adapter for Mloyalty's LCManagerPartner (seed 002). Logs in with the manager's password
//! to get a JWT, copies its `token` and `operator` claims into each body, logs in again a
//! minute before the JWT expires, and once more if the server answers 401 anyway.

mod codes;

use super::http::{self, excerpt, status_kind};
use super::{BoxFuture, RegistrationService, ServiceResult};
use crate::clock::Clock;
use crate::config::Secret;
use crate::domain::admin::{Registration, RegistrationQuery};
use crate::domain::days;
use crate::domain::{ErrorKind, ServiceError};
use crate::wire::mloyalty::{
    self as wire, ClientInfoPeriodRequestDto, ClientInfoPeriodResponseDto, LoginDto, RegDto,
};
use jiff::tz::TimeZone;
use reqwest::{StatusCode, Url};
use tokio::sync::Mutex;

/// Log in again this long before the JWT's `exp`, so no request goes out with a token that
/// expires on the way.
const RENEW_BEFORE_SECONDS: i64 = 60;

/// A logged-in session: the JWT, the refresh token that renews it without the password,
/// when it expires, and the ids every request body repeats.
struct Session {
    jwt: Secret,
    refresh: Option<Secret>,
    exp: Option<i64>,
    token: i64,
    operator: i64,
    /// The point of sale's code (`poscode`), which a code's send names; `None` where the
    /// JWT carries none.
    poscode: Option<String>,
}

/// How a login proves who it is.
enum Grant<'a> {
    Password,
    Refresh(&'a Secret),
}

pub struct MloyaltyAdapter {
    http: reqwest::Client,
    base: Url,
    /// The manager's phone number, as the vendor reads the login.
    username: String,
    password: Secret,
    /// The token and operator the profile gives for a JWT that carries none.
    token: Option<i64>,
    operator: Option<i64>,
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

    /// The token and operator to send when the JWT does not carry them.
    pub fn with_ids(mut self, token: Option<i64>, operator: Option<i64>) -> Self {
        self.token = token;
        self.operator = operator;
        self
    }

    /// `username`: the manager's phone number; `tz`: the zone the period's days are counted
    /// in (the shop's).
    pub fn new(
        base_url: &str,
        username: &str,
        password: Secret,
        tz: TimeZone,
    ) -> Result<Self, ServiceError> {
        let phone = wire::phone_login(username).ok_or_else(|| {
            ServiceError::new(
                ErrorKind::NotConfigured,
                "the Mloyalty login must be the manager's phone number (digits)",
            )
        })?;
        Ok(MloyaltyAdapter {
            http: http::client()?,
            base: http::base_url(base_url)?,
            username: phone.to_string(),
            password,
            token: None,
            operator: None,
            tz,
            clock: Clock::system(),
            session: Mutex::new(None),
        })
    }

    fn url(&self, path: &str) -> Url {
        self.base.join(path).unwrap_or_else(|_| self.base.clone())
    }

    async fn login(&self, grant: Grant<'_>) -> ServiceResult<Session> {
        let form: Vec<(&str, &str)> = match grant {
            Grant::Password => vec![
                ("username", self.username.as_str()),
                ("password", self.password.expose()),
                ("grant_type", "password"),
            ],
            Grant::Refresh(refresh) => vec![
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh.expose()),
            ],
        };
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
            // Logged once cleaned: the vendor's words may carry controls or forged lines.
            let e = ServiceError::new(kind, format!("login: {detail}"));
            tracing::warn!("mloyalty {}", e.detail);
            return Err(e);
        }
        let login: LoginDto = serde_json::from_slice(&body)
            .map_err(|e| ServiceError::new(ErrorKind::BadResponse, format!("login answer: {e}")))?;
        let claims = wire::claims(&login.access_token)
            .map_err(|e| ServiceError::new(ErrorKind::BadResponse, e))?;
        // Older vendor servers put no `token` claim in, and `oper` only for an operator
        // above 0: the profile fills in what the JWT lacks.
        let missing = |what: &str, key: &str| {
            ServiceError::new(
                ErrorKind::NotConfigured,
                format!(
                    "the Mloyalty access token carries no {what}: set {key} = N in the profile's [mloyalty] section"
                ),
            )
        };
        let token = claims
            .token
            .or(self.token)
            .ok_or_else(|| missing("manager token (token)", "token"))?;
        let operator = claims
            .operator_id()
            .or(self.operator)
            .ok_or_else(|| missing("operator id (oper)", "operator"))?;
        tracing::info!(operator, "mloyalty login");
        Ok(Session {
            jwt: Secret::new(login.access_token),
            refresh: login.refresh_token.map(Secret::new),
            exp: claims.exp,
            token,
            operator,
            poscode: claims.poscode,
        })
    }

    /// The current session, renewed when there is none or it is about to expire: with the
    /// refresh token first, with the password when that is refused or there is none.
    async fn session(&self, guard: &mut Option<Session>) -> ServiceResult<()> {
        let now = self.clock.now().as_second();
        let fresh = guard.as_ref().is_some_and(|s| {
            s.exp
                .is_none_or(|exp| exp.saturating_sub(RENEW_BEFORE_SECONDS) > now)
        });
        if fresh {
            return Ok(());
        }
        if let Some(refresh) = guard.as_ref().and_then(|s| s.refresh.clone()) {
            match self.login(Grant::Refresh(&refresh)).await {
                Ok(session) => {
                    *guard = Some(session);
                    return Ok(());
                }
                Err(e) => tracing::info!("mloyalty refresh refused ({e}); logging in again"),
            }
        }
        *guard = Some(self.login(Grant::Password).await?);
        Ok(())
    }

    fn body(
        &self,
        query: &RegistrationQuery,
        session: &Session,
    ) -> ServiceResult<ClientInfoPeriodRequestDto> {
        let bad = |e: &str| ServiceError::new(ErrorKind::Rejected, e);
        let (start, end) = match (
            days::first_instant(query.from, &self.tz),
            days::last_instant(query.to, &self.tz),
        ) {
            (Some(start), Some(end)) => (start, end),
            _ => return Err(bad("the period is outside the calendar")),
        };
        Ok(ClientInfoPeriodRequestDto {
            beg_date: wire::format_date(start, &self.tz),
            end_date: wire::format_date(end, &self.tz),
            registration: true,
            reg_pos_list: Some(query.pos.unwrap_or(0)),
            reg: Some(RegDto::default()),
            operator: session.operator,
            token: session.token,
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
                let Some(session) = guard.as_ref() else {
                    return Err(ServiceError::new(ErrorKind::Unauthorized, "no session"));
                };
                let body = self.body(&query, session)?;
                let builder = self
                    .http
                    .post(self.url(wire::CLIENT_INFO_PERIOD_PATH))
                    .bearer_auth(session.jwt.expose())
                    .json(&body);
                let (status, bytes) = http::exchange(builder).await?;
                if status == StatusCode::UNAUTHORIZED && attempt == 0 {
                    tracing::info!("mloyalty access token refused; renewing it");
                    // Expired as far as this adapter is concerned: renewed before the retry.
                    if let Some(s) = guard.as_mut() {
                        s.exp = Some(0);
                    }
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
                    let e = ServiceError::new(
                        ErrorKind::Rejected,
                        format!("Mloyalty {}: {message}", answer.error_code),
                    );
                    tracing::warn!("ClientInfoPeriod: {}", e.detail);
                    return Err(e);
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

//! Confirmation codes and the points outlook on our extension (`loyalty serve`): a code is
//! sent through `clients/{id}/confirmation_code/` and checked by the server with the
//! write-off itself, which carries it in its header; the outlook is read where the
//! server's capabilities say it keeps lots.

use super::{ExtAdapter, bad};
use crate::backend::http::{self, excerpt};
use crate::backend::{BoxFuture, CodeService, ServiceResult, not_offered};
use crate::domain::codes::{CodeCheck, CodeSent, ConfirmationCode};
use crate::domain::lots::Outlook;
use crate::domain::{Client, ClientId, ErrorKind, Reason, ServiceError, WriteOff};
use crate::wire::ext::{self as wire, ErrorDto, WriteOffDto};
use crate::wire::ext_operations::{self as ops_wire, CodeSentDto, OutlookDto};
use reqwest::{Method, StatusCode};

impl ExtAdapter {
    /// Has a code sent for `request`'s amounts, once: sending again sends another SMS.
    async fn send_code_for(&self, id: ClientId, request: &WriteOff) -> ServiceResult<CodeSent> {
        // The code binds to what moves: the balance and the coupons, nothing else.
        let full = WriteOffDto::from(request);
        let body = WriteOffDto {
            balance: full.balance,
            coupons: full.coupons,
            ..WriteOffDto::default()
        };
        let builder = self
            .request(Method::POST, &ops_wire::code_path(id))
            .json(&body);
        tracing::debug!("send code");
        let (status, wait, answer) = http::exchange_keeping_429(builder).await?;
        if status.is_success() {
            let dto: CodeSentDto = serde_json::from_slice(&answer).map_err(|e| {
                ServiceError::new(
                    ErrorKind::BadResponse,
                    format!("unexpected answer: {e} ({})", excerpt(&answer)),
                )
            })?;
            return Ok(dto.into());
        }
        Err(self.code_refusal(status, wait, &answer))
    }

    /// A send refused: too many sends or too soon (429, with the wait), the client has no
    /// phone, the gateway failed (nothing was written: a send moves no money, so it is a
    /// plain refusal), or a provider with no codes at all (404: the profile's fallback).
    fn code_refusal(
        &self,
        status: StatusCode,
        wait: Option<std::time::Duration>,
        body: &[u8],
    ) -> ServiceError {
        if status == StatusCode::NOT_FOUND {
            tracing::info!("send code: the provider has no confirmation codes");
            return not_offered("confirmation codes");
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            let (detail, reason) = match serde_json::from_slice::<ErrorDto>(body) {
                Ok(e) => (e.error.message, wire::refusal_reason(&e.error.code)),
                Err(_) => (format!("{status}: {}", excerpt(body)), None),
            };
            let e = ServiceError::new(ErrorKind::RateLimited, detail)
                .with_reason(reason)
                .with_retry_after(wait.unwrap_or(http::RATE_LIMIT_WAIT));
            tracing::warn!(%status, "send code refused: {}", e.detail);
            return e;
        }
        let e = self.refusal("send code", status, body);
        if e.reason == Some(Reason::CodeUndelivered) {
            return ServiceError {
                kind: ErrorKind::Rejected,
                ..e
            };
        }
        e
    }

    /// The outlook where the server keeps lots; an empty one where it does not say it does
    /// (the live vendor), never a figure made up.
    pub(super) async fn read_outlook(&self, id: ClientId) -> ServiceResult<Outlook> {
        if !self.known_capabilities().await?.outlook {
            return Ok(Outlook::default());
        }
        let builder = self.request(Method::GET, &ops_wire::outlook_path(id));
        let dto: OutlookDto = self.call("outlook", builder).await?;
        Outlook::try_from(dto).map_err(bad)
    }
}

impl CodeService for ExtAdapter {
    fn send_code<'a>(
        &'a self,
        client: &'a Client,
        request: &'a WriteOff,
    ) -> BoxFuture<'a, ServiceResult<CodeSent>> {
        Box::pin(self.send_code_for(client.id, request))
    }

    /// The server checks the code with the write-off: nothing to ask before it.
    fn check_code<'a>(
        &'a self,
        _client: &'a Client,
        _code: &'a ConfirmationCode,
    ) -> BoxFuture<'a, ServiceResult<CodeCheck>> {
        Box::pin(async { Ok(CodeCheck::Carried) })
    }
}

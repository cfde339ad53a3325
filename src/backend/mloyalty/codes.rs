//! Confirmation codes through Mloyalty's own API, called exactly as the PyPI client
//! `mloyalty` 0.2.4 calls them: `GetSendVerificationCode` has the code sent to the client's
//! phone, `GetConfirmCode` checks the code the client read out; the write-off then goes
//! without it.

use super::{MloyaltyAdapter, Session};
use crate::backend::http::{self, excerpt, status_kind};
use crate::backend::{BoxFuture, CodeService, ServiceResult};
use crate::domain::codes::{CodeCheck, CodeSent, ConfirmationCode};
use crate::domain::{Client, ErrorKind, Reason, ServiceError, WriteOff, mask};
use crate::wire::mloyalty::codes::{
    self as wire, CONFIRM_CODE_PATH, CodeResultDto, ConfirmCodeFormDto, SEND_CODE_PATH,
    SendCodeFormDto,
};
use reqwest::StatusCode;
use serde::Serialize;

impl MloyaltyAdapter {
    /// Posts the form `form` makes of the session to `path`, once (a send repeated is
    /// another SMS), logging in again only when the JWT is refused. `Ok(Err(message))`:
    /// the vendor answered with an `ErrorCode` other than 0 and these words.
    async fn code_call<F: Serialize>(
        &self,
        what: &str,
        path: &str,
        form: impl Fn(&Session) -> F,
    ) -> ServiceResult<Result<(), String>> {
        let mut guard = self.session.lock().await;
        for attempt in 0..2 {
            self.session(&mut guard).await?;
            let Some(session) = guard.as_ref() else {
                return Err(ServiceError::new(ErrorKind::Unauthorized, "no session"));
            };
            let builder = self
                .http
                .post(self.url(path))
                .bearer_auth(session.jwt.expose())
                .form(&form(session));
            let (status, bytes) = http::exchange(builder).await?;
            if status == StatusCode::UNAUTHORIZED && attempt == 0 {
                // Refused before it was carried out: safe to log in again and ask once more.
                tracing::info!("mloyalty access token refused; renewing it");
                if let Some(s) = guard.as_mut() {
                    s.exp = Some(0);
                }
                continue;
            }
            // The client takes only a 200 for an answer.
            if status != StatusCode::OK {
                let e = ServiceError::new(
                    status_kind(status),
                    format!("{what}: {status}: {}", excerpt(&bytes)),
                );
                tracing::warn!("mloyalty {}", e.detail);
                return Err(e);
            }
            let answer: CodeResultDto = serde_json::from_slice(&bytes).map_err(|e| {
                ServiceError::new(
                    ErrorKind::BadResponse,
                    format!("{what}: unexpected answer: {e} ({})", excerpt(&bytes)),
                )
            })?;
            return match answer.error_code {
                Some(0) => Ok(Ok(())),
                Some(code) => {
                    let message = answer.message.unwrap_or_default();
                    tracing::warn!("mloyalty {what}: ErrorCode {code}");
                    Ok(Err(format!("Mloyalty {code}: {message}")))
                }
                None => Err(ServiceError::new(
                    ErrorKind::BadResponse,
                    format!("{what}: no ErrorCode in the answer ({})", excerpt(&bytes)),
                )),
            };
        }
        Err(ServiceError::new(
            ErrorKind::Unauthorized,
            "the access token was refused twice",
        ))
    }
}

/// The client's phone as the code calls read it, or the refusal of a client without one.
fn phone_of(client: &Client) -> ServiceResult<String> {
    client
        .phone
        .as_deref()
        .and_then(wire::code_phone)
        .ok_or_else(|| {
            ServiceError::new(
                ErrorKind::Rejected,
                "the client has no Russian mobile phone to send a code to",
            )
            .with_reason(Some(Reason::NoPhone))
        })
}

impl CodeService for MloyaltyAdapter {
    fn send_code<'a>(
        &'a self,
        client: &'a Client,
        _request: &'a WriteOff,
    ) -> BoxFuture<'a, ServiceResult<CodeSent>> {
        Box::pin(async move {
            let phone = phone_of(client)?;
            let form = |s: &Session| SendCodeFormDto {
                operator: s.operator,
                poscode: s.poscode.clone(),
                phone: phone.clone(),
            };
            match self
                .code_call("GetSendVerificationCode", SEND_CODE_PATH, form)
                .await?
            {
                Ok(()) => Ok(CodeSent {
                    to: client.phone.as_deref().map(mask::phone),
                    expires_at: None,
                    resend_after_seconds: None,
                }),
                Err(message) => Err(ServiceError::new(ErrorKind::Rejected, message)),
            }
        })
    }

    fn check_code<'a>(
        &'a self,
        client: &'a Client,
        code: &'a ConfirmationCode,
    ) -> BoxFuture<'a, ServiceResult<CodeCheck>> {
        Box::pin(async move {
            let phone = phone_of(client)?;
            let form = |_: &Session| ConfirmCodeFormDto {
                phone: phone.clone(),
                code: code.expose().to_string(),
            };
            match self
                .code_call("GetConfirmCode", CONFIRM_CODE_PATH, form)
                .await?
            {
                Ok(()) => Ok(CodeCheck::Confirmed),
                Err(message) => Err(ServiceError::new(ErrorKind::Rejected, message)
                    .with_reason(Some(Reason::CodeWrong))),
            }
        })
    }
}

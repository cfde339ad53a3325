//! Error answers: always JSON `{"error":{"code","message"}}` with a fitting status, and a
//! log line, whatever went wrong.

use super::store::{Refusal, StoreError};
use crate::wire::ext::{ErrorDetailDto, ErrorDto};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "missing or invalid bearer token",
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::ClientNotFound(_) => ApiError::not_found(e.to_string()),
            // Not the hold's state but who asks: the credential may not do this.
            StoreError::Refused(r @ Refusal::HoldOfAnother(_)) => {
                ApiError::new(StatusCode::FORBIDDEN, r.code(), r.to_string())
            }
            StoreError::Refused(Refusal::Code(r)) => code_refusal(r),
            StoreError::Refused(r @ Refusal::OperationNotFound(_)) => {
                ApiError::new(StatusCode::NOT_FOUND, r.code(), r.to_string())
            }
            StoreError::Refused(r) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, r.code(), r.to_string())
            }
            StoreError::Invalid(reason) => {
                ApiError::new(StatusCode::BAD_REQUEST, "bad_request", reason)
            }
            // No connection could be had: nothing was done, and the till may try again.
            StoreError::Unavailable(_) => {
                tracing::error!("store failure: {e}");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the database is unavailable; nothing was done, try again",
                )
            }
            StoreError::Db(_)
            | StoreError::Postgres(_)
            | StoreError::Worker(_)
            | StoreError::NewerSchema { .. } => {
                tracing::error!("store failure: {e}");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal server error",
                )
            }
        }
    }
}

/// A code's refusal: 429 for a send too soon or too many (its `Retry-After` is the route's
/// to add), 403 for the rest, each with its sentence.
pub fn code_refusal(r: crate::server::store::rules::codes::CodeRefusal) -> ApiError {
    let status = match r.retry_after() {
        Some(_) => StatusCode::TOO_MANY_REQUESTS,
        None => StatusCode::FORBIDDEN,
    };
    ApiError::new(status, r.code(), r.message())
}

impl ApiError {
    /// The status and JSON body this error answers with, to be stored for replays.
    pub fn parts(&self) -> (u16, String) {
        let body = ErrorDto {
            error: ErrorDetailDto {
                code: self.code.to_string(),
                message: self.message.clone(),
            },
        };
        (
            self.status.as_u16(),
            serde_json::to_string(&body).unwrap_or_default(),
        )
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "idempotency_in_flight", message)
    }

    pub fn key_reused(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            message,
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_client_error() {
            tracing::info!(status = %self.status, code = self.code, "{}", self.message);
        }
        let body = ErrorDto {
            error: ErrorDetailDto {
                code: self.code.to_string(),
                message: self.message,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_out_of_reach_is_a_503_that_says_nothing_was_done() {
        let e = ApiError::from(StoreError::Unavailable("connection refused".into()));
        assert_eq!(e.status, StatusCode::SERVICE_UNAVAILABLE);
        let (status, body) = e.parts();
        assert_eq!(status, 503);
        assert!(body.contains("nothing was done"), "{body}");
        assert!(!body.contains("refused"), "no internals: {body}");
    }
}

//! Every error answer is JSON in the vendor format of its route, whoever produced it: a
//! handler, axum's extractors (a body over the limit, a wrong method), or the size checks
//! here. A client of one vendor's API never gets plain text or an empty body.

use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Longest request target accepted (path and query).
pub const URI_MAX: usize = 8 * 1024;
/// Most header bytes accepted, names and values together.
pub const HEADERS_MAX: usize = 16 * 1024;

/// Which vendor's error shape a path answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vendor {
    Ext,
    Poster,
    Mloyalty,
    Regos,
}

fn vendor(path: &str) -> Vendor {
    if path.starts_with("/gateway/") {
        Vendor::Regos
    } else if super::mloyalty_routes::is_mloyalty_path(path) {
        Vendor::Mloyalty
    } else if path.starts_with("/api/") {
        Vendor::Poster
    } else {
        Vendor::Ext
    }
}

/// `message` with `status` in the shape `path`'s vendor uses for errors.
pub(super) fn answer(path: &str, status: StatusCode, message: &str) -> Response {
    let code = status.as_u16();
    let body = match vendor(path) {
        Vendor::Ext => json!({ "error": { "code": code.to_string(), "message": message } }),
        Vendor::Poster => json!({ "error": { "code": code, "message": message } }),
        Vendor::Mloyalty => json!({ "Message": message }),
        Vendor::Regos => {
            json!({ "ok": false, "result": { "error": code, "description": message } })
        }
    };
    (status, axum::Json(body)).into_response()
}

fn reason(status: StatusCode) -> String {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => "the request body is larger than 64 KiB".into(),
        StatusCode::METHOD_NOT_ALLOWED => "this method is not allowed here".into(),
        StatusCode::URI_TOO_LONG => format!("the request target is longer than {URI_MAX} bytes"),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => {
            format!("the request headers are larger than {HEADERS_MAX} bytes")
        }
        other => other
            .canonical_reason()
            .unwrap_or("request refused")
            .to_lowercase(),
    }
}

/// Refuses oversized targets and headers, and wraps any error answer that is not JSON.
pub async fn vendor_errors(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if request.uri().to_string().len() > URI_MAX {
        return answer(
            &path,
            StatusCode::URI_TOO_LONG,
            &reason(StatusCode::URI_TOO_LONG),
        );
    }
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if header_bytes > HEADERS_MAX {
        let status = StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE;
        return answer(&path, status, &reason(status));
    }
    let response = next.run(request).await;
    let status = response.status();
    let json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || json {
        return response;
    }
    let mut wrapped = answer(&path, status, &reason(status));
    // Headers such as Retry-After or Allow still go out.
    for (name, value) in response.headers() {
        if name != CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            wrapped.headers_mut().insert(name.clone(), value.clone());
        }
    }
    wrapped
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    wrapped
}

/// Requests being served at once, at most: beyond, an answer of 503 with `Retry-After`
/// comes at once (a till retries a read; a write refused here was never applied), instead
/// of a queue that ends in timeouts.
pub const MAX_IN_FLIGHT: usize = 256;

pub async fn shed_load(
    axum::extract::State(state): axum::extract::State<super::ServerState>,
    request: Request,
    next: Next,
) -> Response {
    let Ok(_permit) = state.in_flight_requests.clone().try_acquire_owned() else {
        let path = request.uri().path().to_string();
        tracing::warn!(path, "overloaded: request refused with 503");
        let mut busy = answer(
            &path,
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is busy: try again in a second",
        );
        busy.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            HeaderValue::from_static("1"),
        );
        return busy;
    };
    next.run(request).await
}

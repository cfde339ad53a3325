//! What every adapter needs from HTTP: one shared client with timeouts, and turning
//! transport failures into [`ServiceError`]s that carry no URL (Poster and REGOS put
//! credentials in URLs) and no secret.

use crate::domain::{ErrorKind, ServiceError};
use std::time::Duration;

pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// How long a cashier's read may take in all, its retries included: a counter bears a few
/// seconds, not three timeouts in a row (`read_budget_seconds` in the config).
pub const READ_BUDGET: Duration = Duration::from_secs(8);
/// How much of an unexpected body an error message quotes.
const BODY_EXCERPT: usize = 200;

pub fn client() -> Result<reqwest::Client, ServiceError> {
    client_with(REQUEST_TIMEOUT)
}

/// A client whose requests give up after `timeout` (connecting included).
pub fn client_with(timeout: Duration) -> Result<reqwest::Client, ServiceError> {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT.min(timeout))
        .timeout(timeout)
        .user_agent(concat!("loyalty-console/", env!("CARGO_PKG_VERSION")))
        // A redirect is never followed: following one resends a write (307/308 resend the
        // body), and a URL that carries a vendor's token (Poster, REGOS) would go to another
        // host. It is an unexpected answer instead.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| ServiceError::new(ErrorKind::Unreachable, transport_detail(&e)))
}

/// A transport failure, classified by whether the request may have been carried out.
pub fn transport_error(error: reqwest::Error) -> ServiceError {
    let kind = if error.is_timeout() {
        ErrorKind::Timeout
    } else if error.is_connect() || error.is_builder() {
        ErrorKind::Unreachable
    } else if error.is_decode() {
        ErrorKind::BadResponse
    } else {
        ErrorKind::Interrupted
    };
    let e = ServiceError::new(kind, transport_detail(&error));
    tracing::warn!(?kind, "request failed: {}", e.detail);
    e
}

/// The error chain as text, with the URL removed first.
fn transport_detail(error: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut parts = Vec::new();
    let mut source = error.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    let head = if error.is_timeout() {
        "timed out".to_string()
    } else if error.is_connect() {
        "could not connect".to_string()
    } else {
        "request failed".to_string()
    };
    let mut text = head;
    for part in parts {
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
    }
    strip_urls(&text)
}

/// Removes anything that looks like a URL's query string; a last net behind `without_url`.
pub fn strip_urls(text: &str) -> String {
    text.split(' ')
        .map(|word| match word.split_once('?') {
            Some((head, _)) if head.contains("://") || head.starts_with('/') => {
                format!("{head}?…")
            }
            _ => word.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The base URL of a provider with a trailing `/`, so that joining keeps its path.
pub fn base_url(text: &str) -> Result<reqwest::Url, ServiceError> {
    let mut base = reqwest::Url::parse(text).map_err(|e| {
        ServiceError::new(ErrorKind::NotConfigured, format!("base_url {text:?}: {e}"))
    })?;
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    Ok(base)
}

/// Sends a request and reads the whole body; transport failures become [`ServiceError`]s,
/// and so does HTTP 429 (rate limited, with the wait the vendor asked for).
pub async fn exchange(
    builder: reqwest::RequestBuilder,
) -> Result<(reqwest::StatusCode, Vec<u8>), ServiceError> {
    let (status, wait, body) = exchange_keeping_429(builder).await?;
    if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        let wait = wait.unwrap_or(RATE_LIMIT_WAIT);
        return Err(ServiceError::new(
            ErrorKind::RateLimited,
            format!("{status}: {}", excerpt(&body)),
        )
        .with_retry_after(wait));
    }
    Ok((status, body))
}

/// As [`exchange`], but a 429 is answered like any status, with the `Retry-After` it gave:
/// for a caller that reads the refusal's reason from its body (a code's sends limit).
pub async fn exchange_keeping_429(
    builder: reqwest::RequestBuilder,
) -> Result<(reqwest::StatusCode, Option<Duration>, Vec<u8>), ServiceError> {
    let mut response = builder.send().await.map_err(transport_error)?;
    let status = response.status();
    let wait = retry_after(response.headers());
    // Read in chunks up to the limit: a vendor cannot make a till hold an endless body.
    let limit = response_limit();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
        if body.len() + chunk.len() > limit {
            return Err(too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((status, wait, body))
}

/// The largest answer the console reads (and the most a compressed one may inflate to),
/// unless `max_response_mb` in the config says otherwise.
pub const RESPONSE_LIMIT: usize = 16 * 1024 * 1024;

static LIMIT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();

/// Sets the answer size limit for this process (the config's `max_response_mb`); only the
/// first call counts.
pub fn set_response_limit(bytes: usize) {
    let _ = LIMIT.set(bytes);
}

pub fn response_limit() -> usize {
    LIMIT.get().copied().unwrap_or(RESPONSE_LIMIT)
}

/// The error for an answer over the limit: the request was answered, the answer dropped.
pub fn too_large(limit: usize) -> ServiceError {
    ServiceError::new(
        ErrorKind::BadResponse,
        format!(
            "the answer is larger than {} MB and was not read (max_response_mb in the config)",
            limit / (1024 * 1024)
        ),
    )
}

/// How long to wait after a rate limit that did not say.
pub const RATE_LIMIT_WAIT: Duration = Duration::from_secs(1);
/// The longest wait a vendor's `Retry-After` can impose on a till.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// `Retry-After` in seconds, bounded to a minute (an HTTP date is not honoured: the default
/// wait applies).
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let seconds: u64 = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds).clamp(RATE_LIMIT_WAIT, MAX_RETRY_AFTER))
}

/// A short, single-line excerpt of a body for an error message.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = one_line.chars().take(BODY_EXCERPT).collect();
    if one_line.chars().count() > BODY_EXCERPT {
        out.push('…');
    }
    out
}

/// Classifies a non-success HTTP status. Only a 4xx that is not a timeout or a conflict
/// with a request in flight proves a refusal; every other status leaves a write's outcome
/// unknown ([`ServiceError::outcome_unknown`]).
pub fn status_kind(status: reqwest::StatusCode) -> ErrorKind {
    match status.as_u16() {
        401 | 403 => ErrorKind::Unauthorized,
        408 | 504 => ErrorKind::Timeout,
        409 => ErrorKind::InProgress,
        429 => ErrorKind::RateLimited,
        400..=499 => ErrorKind::Rejected,
        500.. => ErrorKind::Server,
        // 1xx as a final answer, 3xx (redirects are not followed): not an answer to act on.
        _ => ErrorKind::BadResponse,
    }
}

/// A write's success: a 2xx whose body is empty or JSON. Anything else (a proxy's HTML
/// page, a cut body) is unreadable, and the write's outcome is unknown.
pub fn write_accepted(what: &str, body: &[u8]) -> Result<(), ServiceError> {
    if body.iter().all(u8::is_ascii_whitespace)
        || serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok()
    {
        return Ok(());
    }
    let e = ServiceError::new(
        ErrorKind::BadResponse,
        format!("{what}: unreadable answer ({})", excerpt(body)),
    );
    tracing::warn!("{}", e.detail);
    Err(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_never_survive() {
        assert_eq!(
            strip_urls("error sending request for url (https://x.ru/api/a?token=SECRET)"),
            "error sending request for url (https://x.ru/api/a?…"
        );
        assert_eq!(strip_urls("plain words? yes"), "plain words? yes");
    }

    /// Every status a server can answer with: only a plain 4xx is a refusal; a 5xx, a
    /// timeout, a conflict with a request in flight and anything not 4xx leave a write's
    /// outcome unknown.
    #[test]
    fn only_a_plain_4xx_proves_a_refusal() {
        for code in 100..=599u16 {
            let status = reqwest::StatusCode::from_u16(code).unwrap();
            if status.is_success() {
                continue;
            }
            let unknown = ServiceError::new(status_kind(status), "").outcome_unknown();
            let refusal = (400..500).contains(&code) && ![408, 409].contains(&code);
            assert_eq!(unknown, !refusal, "{code}");
        }
    }

    #[test]
    fn a_write_succeeds_on_an_empty_or_json_body_only() {
        assert!(write_accepted("w", b"").is_ok());
        assert!(write_accepted("w", b" \r\n").is_ok());
        assert!(write_accepted("w", b"{\"ok\":true}").is_ok());
        let e = write_accepted("w", b"<html>502 Bad Gateway</html>").unwrap_err();
        assert!(e.outcome_unknown(), "{e:?}");
        assert!(write_accepted("w", b"{\"cut\": ").is_err());
    }

    #[test]
    fn excerpts_are_short_and_flat() {
        let long = "x".repeat(500);
        assert_eq!(excerpt(long.as_bytes()).chars().count(), BODY_EXCERPT + 1);
        assert_eq!(excerpt(b"a\n  b"), "a b");
    }
}

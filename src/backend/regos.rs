//! Adapter for REGOS `RetailCard/GetOperations` (seed 004). The integration key sits in the
//! URL path and is the credential, so no URL of this adapter reaches a message or a log.
//! A client-side token bucket keeps within REGOS's budget (2 requests a second, bursts of
//! 50); if REGOS still says 8213, that is "rate limited, try again shortly".

use super::http::{self, excerpt, status_kind};
use super::{BoxFuture, CardOperationService, ServiceResult};
use crate::config::Secret;
use crate::domain::admin::{CardOperation, CardOperationPage, CardOperationQuery, RetailCard};
use crate::domain::{ErrorKind, ServiceError};
use crate::limit::Bucket;
use crate::wire::regos::{self as wire, EnvelopeDto, ErrorResultDto, OperationDto};
use reqwest::Url;
use tokio::sync::Mutex;

pub struct RegosAdapter {
    http: reqwest::Client,
    base: Url,
    key: Secret,
    bucket: Mutex<Bucket>,
}

impl RegosAdapter {
    /// The same adapter with requests that give up after `timeout`.
    pub fn with_timeout(mut self, timeout: std::time::Duration) -> Result<Self, ServiceError> {
        self.http = super::http::client_with(timeout)?;
        Ok(self)
    }

    /// `base_url`: e.g. `https://integration.regos.uz`; the key goes into the path.
    pub fn new(base_url: &str, key: Secret) -> Result<Self, ServiceError> {
        Self::with_rate(base_url, key, wire::RATE_PER_SECOND, wire::BURST)
    }

    pub fn with_rate(
        base_url: &str,
        key: Secret,
        per_second: f64,
        burst: u32,
    ) -> Result<Self, ServiceError> {
        Ok(RegosAdapter {
            http: http::client()?,
            base: http::base_url(base_url)?,
            key,
            bucket: Mutex::new(Bucket::new(
                per_second,
                burst,
                tokio::time::Instant::now().into_std(),
            )),
        })
    }

    /// Waits until the bucket has a token.
    async fn pace(&self) {
        loop {
            let wait = {
                let mut bucket = self.bucket.lock().await;
                match bucket.take(tokio::time::Instant::now().into_std()) {
                    Ok(()) => return,
                    Err(wait) => wait,
                }
            };
            tracing::debug!(?wait, "regos: pacing requests");
            tokio::time::sleep(wait).await;
        }
    }
}

/// REGOS may send a gzip body without saying so (its own SDK sniffs the magic bytes).
fn gunzip_if_needed(body: Vec<u8>) -> ServiceResult<Vec<u8>> {
    use std::io::Read;
    if !body.starts_with(&[0x1f, 0x8b]) {
        return Ok(body);
    }
    // Inflated up to the answer limit and no further: a small bomb cannot fill the till.
    let limit = http::response_limit();
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(body.as_slice())
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| ServiceError::new(ErrorKind::BadResponse, format!("gzip body: {e}")))?;
    if out.len() > limit {
        return Err(http::too_large(limit));
    }
    Ok(out)
}

fn failure(e: ErrorResultDto) -> ServiceError {
    let description = e.description.unwrap_or_default();
    let error = |kind| ServiceError::new(kind, format!("REGOS {}: {description}", e.error));
    match e.error {
        // REGOS says no more than that the budget is spent; a token comes back in half a
        // second at its documented rate.
        wire::RATE_LIMITED => error(ErrorKind::RateLimited).with_retry_after(http::RATE_LIMIT_WAIT),
        wire::ACCESS_DENIED | wire::ACCESS_DENIED_OPERATION => error(ErrorKind::Unauthorized),
        _ => error(ErrorKind::Rejected),
    }
}

impl RegosAdapter {
    /// One REGOS method: paced, the key in the path, the envelope opened; the result value
    /// and the envelope's paging.
    async fn call<B: serde::Serialize>(
        &self,
        method: &str,
        body: &B,
    ) -> ServiceResult<EnvelopeDto> {
        self.pace().await;
        let path = format!("gateway/out/{}/v1/{method}", self.key.expose());
        let url = self.base.join(&path).unwrap_or_else(|_| self.base.clone());
        let (status, bytes) = http::exchange(self.http.post(url).json(body)).await?;
        let bytes = gunzip_if_needed(bytes)?;
        let bad = |detail: String| ServiceError::new(ErrorKind::BadResponse, detail);
        let envelope: EnvelopeDto = match serde_json::from_slice(&bytes) {
            Ok(e) => e,
            Err(_) if !status.is_success() => {
                return Err(ServiceError::new(
                    status_kind(status),
                    format!("{status}: {}", excerpt(&bytes)),
                ));
            }
            Err(e) => return Err(bad(format!("unexpected answer: {e} ({})", excerpt(&bytes)))),
        };
        if !envelope.ok {
            let error: ErrorResultDto = serde_json::from_value(envelope.result)
                .map_err(|e| bad(format!("unreadable error: {e}")))?;
            let error = failure(error);
            tracing::warn!("{method} refused: {error}");
            return Err(error);
        }
        Ok(envelope)
    }
}

fn bad(detail: String) -> ServiceError {
    ServiceError::new(ErrorKind::BadResponse, detail)
}

/// Where the next page starts, if there is one. REGOS's `next_offset` is the offset past
/// the page whether or not anything follows (0 from some servers at the end), so only an
/// offset ahead of this page and short of the total is a next page.
fn next_page(next_offset: Option<u32>, offset: u32, total: Option<u64>) -> Option<u32> {
    next_offset.filter(|&next| next > offset && total.is_none_or(|t| u64::from(next) < t))
}

impl CardOperationService for RegosAdapter {
    fn card_operations(
        &self,
        query: CardOperationQuery,
    ) -> BoxFuture<'_, ServiceResult<CardOperationPage>> {
        Box::pin(async move {
            let envelope = self
                .call(wire::GET_OPERATIONS, &wire::request(&query))
                .await?;
            let rows: Vec<OperationDto> = serde_json::from_value(envelope.result)
                .map_err(|e| bad(format!("operations: {e}")))?;
            let operations = rows
                .into_iter()
                .map(CardOperation::try_from)
                .collect::<Result<_, _>>()
                .map_err(bad)?;
            Ok(CardOperationPage {
                operations,
                next_offset: next_page(envelope.next_offset, query.offset, envelope.total),
                total: envelope.total,
            })
        })
    }

    fn find_cards(&self, text: String) -> BoxFuture<'_, ServiceResult<Vec<RetailCard>>> {
        Box::pin(async move {
            let envelope = self
                .call(wire::GET_CARDS, &wire::cards_request(&text))
                .await?;
            let rows: Vec<wire::CardDto> =
                serde_json::from_value(envelope.result).map_err(|e| bad(format!("cards: {e}")))?;
            rows.into_iter()
                .map(RetailCard::try_from)
                .collect::<Result<_, _>>()
                .map_err(bad)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On tokio's paused clock a sleep takes exactly its time, so the pacing is measured
    /// exactly: a burst of 3 at once, then one every 50 ms at 20 a second.
    #[test]
    fn only_an_offset_ahead_and_short_of_the_total_is_a_next_page() {
        assert_eq!(next_page(Some(20), 10, Some(30)), Some(20));
        assert_eq!(next_page(Some(20), 10, None), Some(20));
        // The last page: the offset past it is the total.
        assert_eq!(next_page(Some(30), 20, Some(30)), None);
        // "No more" said as 0, or as the same offset for an empty page.
        assert_eq!(next_page(Some(0), 20, Some(30)), None);
        assert_eq!(next_page(Some(40), 40, Some(30)), None);
        assert_eq!(next_page(None, 0, Some(30)), None);
    }

    #[tokio::test(start_paused = true)]
    async fn the_bucket_paces_requests_after_the_burst() {
        let regos =
            RegosAdapter::with_rate("http://127.0.0.1:9", Secret::new("k"), 20.0, 3).unwrap();
        let start = tokio::time::Instant::now();
        let mut at = Vec::new();
        for _ in 0..6 {
            regos.pace().await;
            at.push(start.elapsed().as_millis());
        }
        assert_eq!(at, [0, 0, 0, 50, 100, 150]);
    }
}

//! Adapter for the `/ext/api/v1/` loyalty API (seed 001).

mod codes;
mod holds;
mod money;

use super::http::{self, excerpt, status_kind};
use super::progress;
use super::{BoxFuture, ClientService, Record, ServiceResult};
use crate::config::{ExtCredential, WriteOffMode};
use crate::domain::limits::{Available, Capabilities, ManagerPin};
use crate::domain::reversal::Operation;
use crate::domain::shift::ShiftReport;
use crate::domain::{
    Amount, Balances, Client, ClientId, ClientQuery, Coupon, ErrorKind, HistoryEntry, HistoryQuery,
    OperationId, Reversal, ServiceError, WriteOff,
};
use crate::wire::ext::{self as wire, AmountDto, ClientDto, CouponDto, ErrorDto, HistoryDto};
use reqwest::{Method, RequestBuilder, Url};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::sync::Mutex;

pub struct ExtAdapter {
    http: reqwest::Client,
    base: Url,
    credential: ExtCredential,
    mode: WriteOffMode,
    /// How long one request may take, and a read in all, retries included.
    timeout: std::time::Duration,
    read_budget: std::time::Duration,
    /// Holds made for a write-off (by idempotency key) that are not written off yet: the
    /// retry writes these off by their transaction ids instead of holding anew.
    unsettled: Mutex<HashMap<String, Vec<holds::Unsettled>>>,
    /// What the provider can do, asked once: it does not change while the till runs.
    capabilities: tokio::sync::OnceCell<Capabilities>,
}

impl ExtAdapter {
    /// The same adapter with requests that give up after `timeout`.
    pub fn with_timeout(mut self, timeout: std::time::Duration) -> Result<Self, ServiceError> {
        self.http = super::http::client_with(timeout)?;
        self.timeout = timeout;
        Ok(self)
    }

    /// `base_url` is the installation's root; the adapter appends `/ext/api/v1/...`.
    pub fn new(base_url: &str, credential: ExtCredential) -> Result<Self, ServiceError> {
        Ok(ExtAdapter {
            http: http::client()?,
            base: http::base_url(base_url)?,
            credential,
            mode: WriteOffMode::Direct,
            timeout: http::REQUEST_TIMEOUT,
            read_budget: http::READ_BUDGET,
            unsettled: Mutex::default(),
            capabilities: tokio::sync::OnceCell::new(),
        })
    }

    /// The same adapter with reads that give up, retries included, after `budget`.
    pub fn with_read_budget(mut self, budget: std::time::Duration) -> Self {
        self.read_budget = budget;
        self
    }

    /// The same adapter writing off as `mode` says.
    pub fn with_write_off(mut self, mode: WriteOffMode) -> Self {
        self.mode = mode;
        self
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        // Paths are ours, never user text, so joining cannot fail in practice; an invalid
        // join still goes out as the base and is answered with a clear 404.
        let url = self
            .base
            .join(&format!("{}{path}", &wire::PREFIX[1..]))
            .unwrap_or_else(|_| self.base.clone());
        let builder = self.http.request(method, url);
        // The API key rides in the query string: reqwest errors carry URLs, so none is ever
        // shown or logged (backend/http builds messages without them).
        match &self.credential {
            ExtCredential::ApiKey { login, api_key } => {
                builder.query(&[("login", login.as_str()), ("api_key", api_key.expose())])
            }
            ExtCredential::Bearer(token) => builder.bearer_auth(token.expose()),
        }
    }

    /// A read: retried with backoff when the server could not be reached or failed, since
    /// reading twice changes nothing, but all of it within the read budget: each attempt
    /// gets what is left of it, and no retry starts that could not get a fair share.
    /// Writes go through [`Self::send`] once.
    async fn call<T: DeserializeOwned>(
        &self,
        what: &str,
        builder: RequestBuilder,
    ) -> ServiceResult<T> {
        let deadline = tokio::time::Instant::now() + self.read_budget;
        let left = || deadline.saturating_duration_since(tokio::time::Instant::now());
        let this_try = || left().min(self.timeout);
        let mut attempt = 0;
        let body = loop {
            let Some(this) = builder.try_clone() else {
                break self.send(what, builder.timeout(this_try())).await?;
            };
            match self.send(what, this.timeout(this_try())).await {
                Err(e)
                    if attempt < READ_RETRIES.len()
                        && retryable(&e)
                        && left() >= READ_RETRIES[attempt] + MIN_ATTEMPT =>
                {
                    tracing::info!(attempt, "{what}: retrying after {e}");
                    tokio::time::sleep(READ_RETRIES[attempt]).await;
                    attempt += 1;
                    // Attempts count from one: the first retry is the second attempt.
                    progress::attempt(attempt as u32 + 1, READ_RETRIES.len() as u32 + 1);
                }
                other => break other?,
            }
        };
        serde_json::from_slice(&body).map_err(|e| {
            let e = ServiceError::new(
                ErrorKind::BadResponse,
                format!("unexpected answer: {e} ({})", excerpt(&body)),
            );
            tracing::warn!("{what}: {}", e.detail);
            e
        })
    }

    async fn send(&self, what: &str, builder: RequestBuilder) -> ServiceResult<Vec<u8>> {
        tracing::debug!("{what}");
        let (status, body) = http::exchange(builder).await?;
        if status.is_success() {
            return Ok(body);
        }
        Err(self.refusal(what, status, &body))
    }

    /// The error a non-success answer makes, in the vendor's words where it gave some.
    fn refusal(&self, what: &str, status: reqwest::StatusCode, body: &[u8]) -> ServiceError {
        let (detail, reason) = match serde_json::from_slice::<ErrorDto>(body) {
            Ok(e) => (e.error.message, wire::refusal_reason(&e.error.code)),
            Err(_) if body.is_empty() => (status.to_string(), None),
            Err(_) => (format!("{status}: {}", excerpt(body)), None),
        };
        // A 403 naming a reason the console knows (a manager's PIN wrong or missing) is a
        // refusal of the request, not of the till's credential.
        if reason.is_some() && matches!(status.as_u16(), 401 | 403) {
            let e = ServiceError::new(ErrorKind::Rejected, detail).with_reason(reason);
            tracing::warn!(%status, "{what} refused: {}", e.detail);
            return e;
        }
        // Say which credential was refused, so the profile can be put right.
        let detail = if matches!(status.as_u16(), 401 | 403) {
            let which = match self.credential {
                ExtCredential::ApiKey { .. } => "login and api_key",
                ExtCredential::Bearer(_) => "token",
            };
            format!("{detail} (check the profile's {which})")
        } else {
            detail
        };
        let e = ServiceError::new(status_kind(status), detail).with_reason(reason);
        // Logged once cleaned: a vendor's text may carry terminal controls or forged lines.
        tracing::warn!(%status, "{what} refused: {}", e.detail);
        e
    }
}

/// The least time a retried read is given; with less of the budget left, the read ends.
const MIN_ATTEMPT: std::time::Duration = std::time::Duration::from_secs(1);

/// Pauses before the retries of a failed read.
const READ_RETRIES: [std::time::Duration; 2] = [
    std::time::Duration::from_millis(200),
    std::time::Duration::from_millis(800),
];

fn retryable(e: &ServiceError) -> bool {
    matches!(
        e.kind,
        ErrorKind::Unreachable | ErrorKind::Interrupted | ErrorKind::Timeout | ErrorKind::Server
    )
}

fn bad(e: wire::WireError) -> ServiceError {
    ServiceError::new(ErrorKind::BadResponse, e.to_string())
}

impl ClientService for ExtAdapter {
    fn search(&self, query: ClientQuery) -> BoxFuture<'_, ServiceResult<Vec<Client>>> {
        Box::pin(async move {
            let mut params = Vec::new();
            if let Some(p) = &query.phone {
                params.push(("phone", p.as_str()));
            }
            if let Some(e) = &query.email {
                params.push(("email", e.as_str()));
            }
            let builder = self.request(Method::GET, "/clients/").query(&params);
            let list: Vec<ClientDto> = self.call("search clients", builder).await?;
            Ok(list.into_iter().map(Client::from).collect())
        })
    }

    fn balance(&self, id: ClientId) -> BoxFuture<'_, ServiceResult<Balances>> {
        Box::pin(async move {
            let builder = self.request(Method::GET, &format!("/clients/{}/balance/", id.0));
            let list: Vec<AmountDto> = self.call("balance", builder).await?;
            let (balances, skipped) = wire::balances_from_wire(&list).map_err(bad)?;
            if !skipped.is_empty() {
                tracing::info!(?skipped, "balance currencies the console does not spend");
            }
            Ok(balances)
        })
    }

    fn coupons(&self, id: ClientId) -> BoxFuture<'_, ServiceResult<Vec<Coupon>>> {
        Box::pin(async move {
            let builder = self.request(Method::GET, &format!("/clients/{}/coupons/", id.0));
            let list: Vec<CouponDto> = self.call("coupons", builder).await?;
            list.into_iter()
                .map(Coupon::try_from)
                .collect::<Result<_, _>>()
                .map_err(bad)
        })
    }

    fn history(
        &self,
        id: ClientId,
        query: HistoryQuery,
    ) -> BoxFuture<'_, ServiceResult<Vec<HistoryEntry>>> {
        Box::pin(async move {
            let mut params = vec![
                ("offset", query.offset.to_string()),
                ("limit", query.limit.to_string()),
            ];
            if let Some(from) = query.from {
                params.push(("from", from.as_millisecond().to_string()));
            }
            if let Some(to) = query.to {
                params.push(("to", to.as_millisecond().to_string()));
            }
            // `loyalty serve`'s cursor (docs/vendors.md, seed 001): the vendor ignores it
            // and pages by the offset beside it; `loyalty serve` reads on from the row.
            if let Some(after) = query.after {
                params.push(("afterDate", after.at.as_millisecond().to_string()));
                params.push(("afterId", after.id.to_string()));
            }
            let builder = self
                .request(Method::GET, &format!("/clients/{}/balance/history/", id.0))
                .query(&params);
            let list: Vec<HistoryDto> = self.call("history", builder).await?;
            list.into_iter()
                .map(HistoryEntry::try_from)
                .collect::<Result<_, _>>()
                .map_err(bad)
        })
    }

    fn write_off<'a>(
        &'a self,
        id: ClientId,
        request: WriteOff,
        key: Option<String>,
        manager: Option<ManagerPin>,
        record: Record<'a>,
    ) -> BoxFuture<'a, ServiceResult<Option<OperationId>>> {
        if self.mode == WriteOffMode::Hold {
            return Box::pin(async move {
                self.write_off_in_holds(id, request, key, record).await?;
                Ok(None)
            });
        }
        Box::pin(self.write_off_direct(id, request, key, manager))
    }

    fn capabilities(&self) -> BoxFuture<'_, ServiceResult<Capabilities>> {
        Box::pin(self.known_capabilities())
    }

    fn available(
        &self,
        id: ClientId,
        receipt_total: Option<Amount>,
    ) -> BoxFuture<'_, ServiceResult<Available>> {
        Box::pin(self.read_available(id, receipt_total))
    }

    fn operation(&self, id: OperationId) -> BoxFuture<'_, ServiceResult<Operation>> {
        Box::pin(self.read_operation(id))
    }

    fn reverse<'a>(
        &'a self,
        request: Reversal,
        key: Option<String>,
        manager: Option<ManagerPin>,
    ) -> BoxFuture<'a, ServiceResult<Option<OperationId>>> {
        Box::pin(self.send_reversal(request, key, manager))
    }

    fn refund_holds<'a>(
        &'a self,
        _client: ClientId,
        holds: Vec<String>,
        _record: Record<'a>,
    ) -> BoxFuture<'a, ServiceResult<()>> {
        Box::pin(async move { self.refund(&holds).await })
    }

    fn shift_report(&self, since: jiff::Timestamp) -> BoxFuture<'_, ServiceResult<ShiftReport>> {
        Box::pin(self.read_shift_report(since))
    }

    fn outlook(&self, id: ClientId) -> BoxFuture<'_, ServiceResult<crate::domain::lots::Outlook>> {
        Box::pin(self.read_outlook(id))
    }
}

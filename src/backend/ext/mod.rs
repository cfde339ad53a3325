//! Adapter for the `/ext/api/v1/` loyalty API (seed 001).

mod holds;

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
use crate::wire::ext::{
    self as wire, AmountDto, ClientDto, CouponDto, ErrorDto, HistoryDto, WriteOffDto,
};
use crate::wire::ext_operations::{
    self as ops_wire, AvailableDto, CapabilitiesDto, MadeDto, OperationDto, ReversalDto,
    ShiftReportDto,
};
use reqwest::header::HeaderValue;
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

    /// `capabilities/`, asked once: a 404 is the live vendor, which has none of our
    /// extension; any other failure is an error, asked again next time.
    async fn ask_capabilities(&self) -> ServiceResult<Capabilities> {
        let builder = self
            .request(Method::GET, ops_wire::CAPABILITIES_PATH)
            .timeout(self.timeout);
        let (status, body) = http::exchange(builder).await?;
        if status == reqwest::StatusCode::NOT_FOUND {
            tracing::info!("capabilities: none (the vendor's own API)");
            return Ok(Capabilities::default());
        }
        if !status.is_success() {
            return Err(self.refusal("capabilities", status, &body));
        }
        let dto: CapabilitiesDto = serde_json::from_slice(&body).map_err(|e| {
            ServiceError::new(
                ErrorKind::BadResponse,
                format!("unexpected answer: {e} ({})", excerpt(&body)),
            )
        })?;
        Ok(dto.into())
    }

    /// A write sent once (a money movement is never retried here), with its key and a
    /// manager's PIN when given; its answer read by [`made`].
    async fn send_movement(
        &self,
        what: &str,
        builder: RequestBuilder,
        key: Option<String>,
        manager: Option<ManagerPin>,
    ) -> ServiceResult<Option<OperationId>> {
        let builder = match key {
            Some(key) => builder.header("Idempotency-Key", key),
            None => builder,
        };
        // The PIN travels in its header only: never in a body, a URL or a log line. It is
        // digits (`ManagerPin`), always a valid header value, and marked sensitive as the
        // bearer token is, so no debug output of the request shows it.
        let pin = manager
            .as_ref()
            .and_then(|pin| HeaderValue::from_str(pin.expose()).ok());
        let builder = match pin {
            Some(mut value) => {
                value.set_sensitive(true);
                builder.header(ops_wire::MANAGER_PIN_HEADER, value)
            }
            None => builder,
        };
        let answer = self.send(what, builder).await?;
        made(what, &answer)
    }
}

/// The operation a 2xx answer names: `{"operationId": N}` from `loyalty serve`; an empty or
/// other JSON body (the live vendor's bare 200) names none. An unreadable body leaves the
/// outcome unknown, as for any write.
fn made(what: &str, body: &[u8]) -> ServiceResult<Option<OperationId>> {
    http::write_accepted(what, body)?;
    Ok(serde_json::from_slice::<MadeDto>(body)
        .ok()
        .map(|m| OperationId(m.operation_id)))
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

/// A failure before the write-off left: whatever it was, nothing was sent, so nothing is in
/// doubt.
fn not_sent(e: ServiceError) -> ServiceError {
    ServiceError::new(
        ErrorKind::Unreachable,
        format!(
            "not sent: the provider's capabilities could not be read ({})",
            e.detail
        ),
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
        Box::pin(async move {
            let mut body = WriteOffDto::from(&request);
            let mut manager = manager;
            // The receipt and the PIN are our extension: the live vendor's write-off has no
            // such field, and a manager's PIN goes to no provider that has no limits.
            if body.receipt.is_some() || manager.is_some() {
                let can = self.capabilities().await.map_err(not_sent)?;
                if !can.receipt {
                    body.receipt = None;
                }
                if !can.limits {
                    manager = None;
                }
            }
            let builder = self
                .request(
                    Method::POST,
                    &format!("/clients/{}/balance/write_off/", id.0),
                )
                .json(&body);
            // Sent once. Success is a 2xx the console can read (the seed answers a bare 200).
            self.send_movement("write-off", builder, key, manager).await
        })
    }

    fn capabilities(&self) -> BoxFuture<'_, ServiceResult<Capabilities>> {
        Box::pin(async move {
            self.capabilities
                .get_or_try_init(|| self.ask_capabilities())
                .await
                .copied()
        })
    }

    fn available(
        &self,
        id: ClientId,
        receipt_total: Option<Amount>,
    ) -> BoxFuture<'_, ServiceResult<Available>> {
        Box::pin(async move {
            let mut builder = self.request(Method::GET, &ops_wire::available_path(id));
            if let Some(total) = receipt_total {
                builder =
                    builder.query(&[("receiptTotal", wire::amount_to_wire(total).to_string())]);
            }
            let dto: AvailableDto = self.call("available", builder).await?;
            Available::try_from(dto).map_err(bad)
        })
    }

    fn operation(&self, id: OperationId) -> BoxFuture<'_, ServiceResult<Operation>> {
        Box::pin(async move {
            let builder = self.request(Method::GET, &ops_wire::operation_path(id));
            let dto: OperationDto = self.call("operation", builder).await?;
            Operation::try_from(dto).map_err(bad)
        })
    }

    fn reverse<'a>(
        &'a self,
        request: Reversal,
        key: Option<String>,
        manager: Option<ManagerPin>,
    ) -> BoxFuture<'a, ServiceResult<Option<OperationId>>> {
        Box::pin(async move {
            let builder = self
                .request(Method::POST, &ops_wire::reversal_path(request.original))
                .json(&ReversalDto::from(&request));
            // Sent once, never retried: an unanswered reversal is judged by reading its
            // original back.
            self.send_movement("reversal", builder, key, manager).await
        })
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
        Box::pin(async move {
            let builder = self
                .request(Method::GET, ops_wire::SHIFT_REPORT_PATH)
                .query(&[("since", since.as_millisecond().to_string())]);
            let dto: ShiftReportDto = self.call("shift report", builder).await?;
            ShiftReport::try_from(dto).map_err(bad)
        })
    }
}

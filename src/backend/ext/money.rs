//! The money calls of the adapter, beside the two-phase ones in `holds.rs`: the direct
//! write-off, a reversal, and our extension's reads (what the provider can do, what may be
//! written off, an operation, the shift report). A movement is sent once, never retried.

use super::{ExtAdapter, bad};
use crate::backend::ServiceResult;
use crate::backend::http::{self, excerpt};
use crate::domain::limits::{Available, Capabilities, ManagerPin};
use crate::domain::reversal::Operation;
use crate::domain::shift::ShiftReport;
use crate::domain::{Amount, ClientId, ErrorKind, OperationId, Reversal, ServiceError, WriteOff};
use crate::wire::ext::{self as wire, WriteOffDto};
use crate::wire::ext_operations::{
    self as ops_wire, AvailableDto, CapabilitiesDto, MadeDto, OperationDto, ReversalDto,
    ShiftReportDto,
};
use reqwest::header::HeaderValue;
use reqwest::{Method, RequestBuilder};

impl ExtAdapter {
    /// A write-off in one call, sent once, with our extension's receipt and PIN only to a
    /// provider whose capabilities say it takes them.
    pub(super) async fn write_off_direct(
        &self,
        id: ClientId,
        request: WriteOff,
        key: Option<String>,
        manager: Option<ManagerPin>,
    ) -> ServiceResult<Option<OperationId>> {
        let mut body = WriteOffDto::from(&request);
        let mut manager = manager;
        // The receipt, the PIN and its reason are our extension: the live vendor's write-off
        // has no such field, and a manager's PIN goes to no provider that has no limits.
        if body.receipt.is_some() || manager.is_some() || body.reason.is_some() {
            let can = self.known_capabilities().await.map_err(not_sent)?;
            if !can.receipt {
                body.receipt = None;
            }
            if !can.limits {
                manager = None;
            }
            if manager.is_none() {
                body.reason = None;
                body.note = None;
            }
        }
        let builder = self
            .request(
                Method::POST,
                &format!("/clients/{}/balance/write_off/", id.0),
            )
            .json(&body);
        // The client's code rides in its header only, like the PIN: never in the body, a
        // URL or a log line, and not part of what the key stands for.
        let builder = match request
            .code
            .as_ref()
            .and_then(|c| secret_header(c.expose()))
        {
            Some(value) => builder.header(ops_wire::CODE_HEADER, value),
            None => builder,
        };
        // Sent once. Success is a 2xx the console can read (the seed answers a bare 200).
        self.send_movement("write-off", builder, key, manager).await
    }

    /// What the provider can do, asked once: it does not change while the till runs.
    pub(super) async fn known_capabilities(&self) -> ServiceResult<Capabilities> {
        self.capabilities
            .get_or_try_init(|| self.ask_capabilities())
            .await
            .copied()
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

    pub(super) async fn read_available(
        &self,
        id: ClientId,
        receipt_total: Option<Amount>,
    ) -> ServiceResult<Available> {
        let mut builder = self.request(Method::GET, &ops_wire::available_path(id));
        if let Some(total) = receipt_total {
            builder = builder.query(&[("receiptTotal", wire::amount_to_wire(total).to_string())]);
        }
        let dto: AvailableDto = self.call("available", builder).await?;
        Available::try_from(dto).map_err(bad)
    }

    pub(super) async fn read_operation(&self, id: OperationId) -> ServiceResult<Operation> {
        let builder = self.request(Method::GET, &ops_wire::operation_path(id));
        let dto: OperationDto = self.call("operation", builder).await?;
        Operation::try_from(dto).map_err(bad)
    }

    pub(super) async fn send_reversal(
        &self,
        request: Reversal,
        key: Option<String>,
        manager: Option<ManagerPin>,
    ) -> ServiceResult<Option<OperationId>> {
        let builder = self
            .request(Method::POST, &ops_wire::reversal_path(request.original))
            .json(&ReversalDto::from(&request));
        // Sent once, never retried: an unanswered reversal is judged by reading its
        // original back.
        self.send_movement("reversal", builder, key, manager).await
    }

    pub(super) async fn read_shift_report(
        &self,
        since: jiff::Timestamp,
    ) -> ServiceResult<ShiftReport> {
        let builder = self
            .request(Method::GET, ops_wire::SHIFT_REPORT_PATH)
            .query(&[("since", since.as_millisecond().to_string())]);
        let dto: ShiftReportDto = self.call("shift report", builder).await?;
        ShiftReport::try_from(dto).map_err(bad)
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
        // The PIN travels in its header only: never in a body, a URL or a log line.
        let builder = match manager.as_ref().and_then(|pin| secret_header(pin.expose())) {
            Some(value) => builder.header(ops_wire::MANAGER_PIN_HEADER, value),
            None => builder,
        };
        let answer = self.send(what, builder).await?;
        made(what, &answer)
    }
}

/// A PIN or a code (digits, always a valid header value) as a header value marked
/// sensitive, as the bearer token is, so no debug output of the request shows it.
fn secret_header(digits: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(digits).ok()?;
    value.set_sensitive(true);
    Some(value)
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

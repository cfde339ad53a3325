//! A balance history row: the vendor's amount, currency, date and transaction id, and what
//! `loyalty serve` adds of the operation it belongs to (`About`), read and written.

use super::{WireError, amount_from_wire, amount_to_wire, currency_from_wire, currency_to_wire};
use super::{string_or_number, timestamp_from_wire};
use crate::domain::codes::Confirmed;
use crate::domain::reversal::{OperationKind, Who};
use crate::domain::text::{clean, clean_opt};
use crate::domain::{About, HistoryEntry, OperationId, Receipt};
use crate::wire::ext_operations::{ReceiptDto, why_from_wire};
use serde::{Deserialize, Serialize};
use serde_json::Number;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HistoryDto {
    pub amount: Number,
    pub currency: String,
    #[serde(rename = "transactionDate")]
    pub transaction_date: i64,
    /// A string in the sample; some installations send a number, so both are read.
    #[serde(rename = "transactionId", deserialize_with = "string_or_number")]
    pub transaction_id: String,
    /// `loyalty serve`'s own: the operation the row belongs to and what it keeps of it
    /// (`wire::ext_operations`); the vendor's rows have none of these.
    #[serde(
        rename = "operationId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operation_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<ReceiptDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<i64>,
    /// How a write-off that needed the client's code was allowed: `code` or `manager`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<String>,
}

impl TryFrom<HistoryDto> for HistoryEntry {
    type Error = WireError;
    fn try_from(dto: HistoryDto) -> Result<Self, WireError> {
        Ok(HistoryEntry {
            amount: amount_from_wire(&dto.amount)?,
            currency: currency_from_wire(&dto.currency)?,
            at: timestamp_from_wire(dto.transaction_date)?,
            // Shown on the card and printed by `loyalty client history`: vendor text.
            transaction_id: clean(&dto.transaction_id),
            about: about_from_wire(&dto)?,
        })
    }
}

impl From<&HistoryEntry> for HistoryDto {
    fn from(entry: &HistoryEntry) -> Self {
        let about = entry.about.as_ref();
        HistoryDto {
            amount: amount_to_wire(entry.amount),
            currency: currency_to_wire(entry.currency).to_string(),
            transaction_date: entry.at.as_millisecond(),
            transaction_id: entry.transaction_id.clone(),
            operation_id: about.and_then(|a| a.operation).map(|o| o.0),
            kind: about.and_then(|a| a.kind).map(|k| k.code().to_string()),
            principal: about.and_then(|a| a.who.principal.clone()),
            login: about.and_then(|a| a.who.login.clone()),
            manager: about.and_then(|a| a.who.manager.clone()),
            reason: about
                .and_then(|a| a.why.as_ref())
                .map(|w| w.code.code().to_string()),
            note: about
                .and_then(|a| a.why.as_ref())
                .and_then(|w| w.note.clone()),
            receipt: about.and_then(|a| a.receipt.as_ref()).map(ReceiptDto::from),
            original: about.and_then(|a| a.original).map(|o| o.0),
            confirmed: about
                .and_then(|a| a.confirmed)
                .map(|c| c.code().to_string()),
        }
    }
}

/// What a history row of `loyalty serve` says beyond its amount; `None` for a bare row.
fn about_from_wire(dto: &HistoryDto) -> Result<Option<About>, WireError> {
    let bare = dto.operation_id.is_none()
        && dto.kind.is_none()
        && dto.principal.is_none()
        && dto.login.is_none()
        && dto.reason.is_none()
        && dto.receipt.is_none();
    if bare {
        return Ok(None);
    }
    Ok(Some(About {
        operation: dto.operation_id.map(OperationId),
        kind: dto.kind.as_deref().and_then(OperationKind::from_code),
        who: Who {
            principal: clean_opt(dto.principal.clone()),
            login: clean_opt(dto.login.clone()),
            manager: clean_opt(dto.manager.clone()),
        },
        why: why_from_wire(dto.reason.as_deref(), dto.note.as_deref()),
        receipt: dto.receipt.as_ref().map(Receipt::try_from).transpose()?,
        original: dto.original.map(OperationId),
        confirmed: dto.confirmed.as_deref().and_then(Confirmed::from_code),
    }))
}

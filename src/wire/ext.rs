//! The `/ext/api/v1/` loyalty API (seed 001): JSON shapes exactly as the vendor documents
//! them, and their conversion to and from domain types.

use crate::domain::reversal::{OperationKind, Who};
use crate::domain::text::{clean, clean_opt};
use crate::domain::{
    About, Amount, Balances, Client, ClientId, Coupon, CouponId, Currency, HistoryEntry,
    OperationId, Receipt, WriteOff,
};
use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Number;

pub const PREFIX: &str = "/ext/api/v1";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClientDto {
    pub id: i64,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// An amount in one currency. The number is kept as its JSON text (serde_json's
/// `arbitrary_precision`) so that `1234.56` never becomes a binary float.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AmountDto {
    pub amount: Number,
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CouponDto {
    pub id: i64,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(rename = "expireDate", default)]
    pub expire_date: Option<i64>,
}

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
    pub receipt: Option<super::ext_operations::ReceiptDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WriteOffDto {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<Vec<AmountDto>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupons: Option<Vec<i64>>,
    /// `loyalty serve`'s own: the receipt the write-off pays part of. Sent only to a
    /// provider whose capabilities say it keeps receipts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<super::ext_operations::ReceiptDto>,
}

/// The error body `loyalty serve` answers with. The vendor documents none, so the adapter
/// reads this shape and falls back to the status line and raw text for anything else.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorDto {
    pub error: ErrorDetailDto,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorDetailDto {
    pub code: String,
    pub message: String,
}

/// The reason a refusal's `code` names, for the codes `loyalty serve` and the vendor's
/// document use; any other code leaves the vendor's message to speak for itself.
pub fn refusal_reason(code: &str) -> Option<crate::domain::Reason> {
    use crate::domain::Reason;
    use crate::domain::limits::LimitKind;
    match code {
        "insufficient_balance" => Some(Reason::Insufficient),
        "coupon_not_found" | "coupon_expired" | "coupon_redeemed" | "coupon_held" => {
            Some(Reason::CouponUnavailable)
        }
        "transaction_not_found" | "transaction_expired" | "transaction_state" => {
            Some(Reason::HoldGone)
        }
        "limit_receipt_share" => Some(Reason::Limit(LimitKind::ReceiptShare)),
        "limit_operation" => Some(Reason::Limit(LimitKind::Operation)),
        "limit_client_day" => Some(Reason::Limit(LimitKind::ClientDay)),
        "limit_cashier_shift" => Some(Reason::Limit(LimitKind::CashierShift)),
        "receipt_required" => Some(Reason::ReceiptRequired),
        "manager_required" => Some(Reason::ManagerRequired),
        "pin_wrong" => Some(Reason::PinWrong),
        "over_reversal" => Some(Reason::OverReversal),
        "not_reversible" | "operation_not_found" => Some(Reason::NotReversible),
        _ => None,
    }
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Ok(s),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected a string or number, found {other}"
        ))),
    }
}

/// An optional id the vendor's document writes as a number (`"fiscalOrderId" : 1`) and
/// others as a string: both are read as its text; `null` or absence is `None`.
fn opt_string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(s) => Ok(Some(s)),
        serde_json::Value::Number(n) => Ok(Some(n.to_string())),
        other => Err(serde::de::Error::custom(format!(
            "expected a string, number or null, found {other}"
        ))),
    }
}

/// Why a wire value has no domain meaning.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("amount {0}: {1}")]
    Amount(String, crate::domain::AmountError),
    #[error("unknown currency {0:?}")]
    Currency(String),
    #[error("timestamp {0} out of range")]
    Timestamp(i64),
    #[error("unknown operation kind {0:?}")]
    Kind(String),
}

pub fn currency_from_wire(text: &str) -> Result<Currency, WireError> {
    match text {
        "points" => Ok(Currency::Points),
        "rubles" => Ok(Currency::Rubles),
        other => Err(WireError::Currency(other.to_string())),
    }
}

pub fn currency_to_wire(currency: Currency) -> &'static str {
    match currency {
        Currency::Points => "points",
        Currency::Rubles => "rubles",
    }
}

pub fn amount_from_wire(number: &Number) -> Result<Amount, WireError> {
    let text = number.to_string();
    Amount::parse_decimal(&text).map_err(|e| WireError::Amount(text, e))
}

pub fn amount_to_wire(amount: Amount) -> Number {
    // The Display form is a plain decimal, which arbitrary_precision keeps verbatim.
    amount
        .to_string()
        .parse()
        .unwrap_or_else(|_| Number::from(0))
}

pub fn timestamp_from_wire(ms: i64) -> Result<Timestamp, WireError> {
    Timestamp::from_millisecond(ms).map_err(|_| WireError::Timestamp(ms))
}

impl From<ClientDto> for Client {
    fn from(dto: ClientDto) -> Self {
        Client {
            id: ClientId(dto.id),
            name: clean_opt(dto.name),
            phone: clean_opt(dto.phone),
            email: clean_opt(dto.email),
        }
    }
}

impl From<&Client> for ClientDto {
    fn from(client: &Client) -> Self {
        ClientDto {
            id: client.id.0,
            email: client.email.clone(),
            phone: client.phone.clone(),
            name: client.name.clone(),
        }
    }
}

/// Reads a balance list. Currencies other than points and rubles are skipped: the vendor
/// says more may come, and an unknown one must not hide the two the console can spend.
pub fn balances_from_wire(list: &[AmountDto]) -> Result<(Balances, Vec<String>), WireError> {
    let mut balances = Balances::default();
    let mut skipped = Vec::new();
    for item in list {
        match currency_from_wire(&item.currency) {
            Ok(Currency::Points) => balances.points = amount_from_wire(&item.amount)?,
            Ok(Currency::Rubles) => balances.rubles = amount_from_wire(&item.amount)?,
            Err(_) => skipped.push(item.currency.clone()),
        }
    }
    Ok((balances, skipped))
}

pub fn balances_to_wire(balances: &Balances) -> Vec<AmountDto> {
    Currency::ALL
        .iter()
        .map(|&c| AmountDto {
            amount: amount_to_wire(balances.get(c)),
            currency: currency_to_wire(c).to_string(),
        })
        .collect()
}

impl TryFrom<CouponDto> for Coupon {
    type Error = WireError;
    fn try_from(dto: CouponDto) -> Result<Self, WireError> {
        Ok(Coupon {
            id: CouponId(dto.id),
            title: clean(&dto.title.unwrap_or_default()),
            expires_at: dto.expire_date.map(timestamp_from_wire).transpose()?,
        })
    }
}

impl From<&Coupon> for CouponDto {
    fn from(coupon: &Coupon) -> Self {
        CouponDto {
            id: coupon.id.0,
            title: Some(coupon.title.clone()),
            expire_date: coupon.expires_at.map(|t| t.as_millisecond()),
        }
    }
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
            receipt: about
                .and_then(|a| a.receipt.as_ref())
                .map(super::ext_operations::ReceiptDto::from),
            original: about.and_then(|a| a.original).map(|o| o.0),
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
        why: super::ext_operations::why_from_wire(dto.reason.as_deref(), dto.note.as_deref()),
        receipt: dto.receipt.as_ref().map(Receipt::try_from).transpose()?,
        original: dto.original.map(OperationId),
    }))
}

impl From<&WriteOff> for WriteOffDto {
    fn from(w: &WriteOff) -> Self {
        let balance: Vec<AmountDto> = w
            .balance_parts()
            .into_iter()
            .map(|(c, a)| AmountDto {
                amount: amount_to_wire(a),
                currency: currency_to_wire(c).to_string(),
            })
            .collect();
        WriteOffDto {
            balance: (!balance.is_empty()).then_some(balance),
            coupons: (!w.coupons.is_empty()).then(|| w.coupons.iter().map(|c| c.0).collect()),
            receipt: w
                .receipt
                .as_ref()
                .map(super::ext_operations::ReceiptDto::from),
        }
    }
}

/// `POST fiscal_hub/cash_back/hold/`: reserve an amount (and coupons) of one currency, from
/// the vendor's document on fiscal operations (same `/ext/api/v1/` API as seed 001).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HoldRequestDto {
    pub client_id: i64,
    pub currency: String,
    pub amount: Number,
    #[serde(default)]
    pub coupon_ids: Vec<i64>,
    /// The receipt's number, as the document's hold answer names it (`orderId`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string_or_number"
    )]
    pub order_id: Option<String>,
}

/// The answer to a hold; `transactionId` is the handle every later step names.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HoldDto {
    #[serde(default)]
    pub amount: Option<Number>,
    #[serde(default)]
    pub balance_id: Option<i64>,
    #[serde(default)]
    pub client_id: Option<i64>,
    #[serde(default)]
    pub currency: Option<String>,
    /// Epoch milliseconds after which the hold lapses.
    #[serde(default)]
    pub expiration_date: Option<i64>,
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub fiscal_order_id: Option<String>,
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub order_id: Option<String>,
    #[serde(default)]
    pub transaction_date: Option<i64>,
    #[serde(deserialize_with = "string_or_number")]
    pub transaction_id: String,
}

/// `hold/write_off/`: spend a hold. The document's own example sends `"fiscalOrderId" : 1`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HoldWriteOffDto {
    #[serde(deserialize_with = "string_or_number")]
    pub transaction_id: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string_or_number"
    )]
    pub fiscal_order_id: Option<String>,
}

/// `hold/cancel/`: name a transaction.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionDto {
    #[serde(deserialize_with = "string_or_number")]
    pub transaction_id: String,
}

/// `refund/` as `loyalty serve` reads it: the document's `{"orderItems": [1, 2, 3]}` (the
/// `id`s hold answers gave, numbers or numeric strings) or a `transactionId`, not both.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefundDto {
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub transaction_id: Option<String>,
    #[serde(default)]
    pub order_items: Option<Vec<serde_json::Value>>,
}

pub const HOLD_PATH: &str = "/fiscal_hub/cash_back/hold/";
pub const HOLD_WRITE_OFF_PATH: &str = "/fiscal_hub/cash_back/hold/write_off/";
pub const HOLD_CANCEL_PATH: &str = "/fiscal_hub/cash_back/hold/cancel/";
pub const REFUND_PATH: &str = "/fiscal_hub/cash_back/refund/";

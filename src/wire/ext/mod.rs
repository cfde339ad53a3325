//! The `/ext/api/v1/` loyalty API (seed 001): JSON shapes exactly as the vendor documents
//! them, and their conversion to and from domain types. A balance history row is in
//! `history.rs`, the holds of the vendor's fiscal document in `fiscal_hub.rs`.

mod fiscal_hub;
mod history;

pub use fiscal_hub::{
    HOLD_CANCEL_PATH, HOLD_PATH, HOLD_WRITE_OFF_PATH, HoldDto, HoldRequestDto, HoldWriteOffDto,
    REFUND_PATH, RefundDto, TransactionDto,
};
pub use history::HistoryDto;

use crate::domain::text::{clean, clean_opt};
use crate::domain::{Amount, Balances, Client, ClientId, Coupon, CouponId, Currency, WriteOff};
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
    /// `loyalty serve`'s own: why a manager lets it past a limit (`ReasonCode::code`) and
    /// the note; sent only with the manager's PIN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
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
        "code_required" => Some(Reason::CodeRequired),
        "code_wrong" => Some(Reason::CodeWrong),
        "code_expired" => Some(Reason::CodeExpired),
        "code_used" => Some(Reason::CodeUsed),
        "code_attempts" => Some(Reason::CodeAttempts),
        "code_sends" => Some(Reason::CodeSends),
        "code_resend_wait" => Some(Reason::CodeResendWait),
        "code_undelivered" => Some(Reason::CodeUndelivered),
        "no_phone" => Some(Reason::NoPhone),
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
    #[error("date {0:?}: {1}")]
    Date(String, String),
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
            reason: w.why.as_ref().map(|y| y.code.code().to_string()),
            note: w.why.as_ref().and_then(|y| y.note.clone()),
        }
    }
}

//! The vendor's document on fiscal operations (same `/ext/api/v1/` API as seed 001): holds,
//! their write-off and cancel, and the refund, with the paths they are posted to.

use super::string_or_number;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Number;

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

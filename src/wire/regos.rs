//! REGOS `RetailCard/GetOperations` (seed 004): `POST …/gateway/out/{key}/v1/…`, the key in
//! the path being the credential; `{"ok": true, "result": […]}` or, in an HTTP 200,
//! `{"ok": false, "result": {"error", "description"}}`; Unix seconds; `type` as a number or a
//! name (the server answers REGOS's names, as its Python SDK's `PromoBonusType` takes
//! only them); `exp_date` 0 for "never".

use crate::domain::admin::{
    CardOperation, CardOperationQuery, Expiry, OperationKind, RetailCard, SortColumn, SortDirection,
};
use crate::domain::text::clean_opt;
use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};
use std::str::FromStr;

pub const GET_OPERATIONS: &str = "RetailCard/GetOperations";
pub const GET_CARDS: &str = "RetailCard/Get";
/// REGOS answers this code when the integration's request budget is spent.
pub const RATE_LIMITED: i64 = 8213;
pub const VALIDATION_ERROR: i64 = 1008;
pub const ACCESS_DENIED: i64 = 9006;
/// REGOS's other access error (a method the integration may not call).
pub const ACCESS_DENIED_OPERATION: i64 = 1096;
/// REGOS's documented request budget per integration: 2 a second, bursts of 50.
pub const RATE_PER_SECOND: f64 = 2.0;
pub const BURST: u32 = 50;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SortOrderDto {
    pub column: String,
    pub direction: String,
}

/// The request body as the console sends it. The server reads bodies more leniently (ids and
/// types as scalars or lists), see `server::regos_routes`.
#[derive(Debug, Clone, Serialize)]
pub struct GetOperationsDto {
    pub card_id: i64,
    pub promo_id: i64,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<i64>,
    /// An array, as REGOS's API reference and its Python SDK have it (the seed's example
    /// shows a single object); sorting follows the array's order.
    pub sort_orders: Vec<SortOrderDto>,
    pub limit: u32,
    pub offset: u32,
}

/// One operation. Every field is nullable in REGOS's model (and may be missing).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OperationDto {
    #[serde(default)]
    pub uuid: Option<String>,
    /// `1`/`2`, or `"Income"`/`"Outcome"`; `"Default"` (or 0) says no type.
    #[serde(rename = "type", default)]
    pub kind: Option<Value>,
    #[serde(default)]
    pub amount: Option<Number>,
    #[serde(default)]
    pub value: Option<Number>,
    #[serde(default)]
    pub used_value: Option<Number>,
    #[serde(default)]
    pub is_payment: Option<bool>,
    #[serde(default)]
    pub date: Option<i64>,
    /// 0 means the bonus never expires.
    #[serde(default)]
    pub exp_date: Option<i64>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub last_update: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnvelopeDto {
    pub ok: bool,
    pub result: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_offset: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorResultDto {
    pub error: i64,
    #[serde(default)]
    pub description: Option<String>,
}

/// The seed's number of a type, as the stores keep it and the console asks for it.
pub fn kind_to_wire(kind: OperationKind) -> i64 {
    match kind {
        OperationKind::Income => 1,
        OperationKind::Outcome => 2,
    }
}

/// REGOS's name of a type (`PromoBonusType` in its Swagger), as the server answers it.
pub fn kind_name(kind: OperationKind) -> &'static str {
    match kind {
        OperationKind::Income => "Income",
        OperationKind::Outcome => "Outcome",
    }
}

/// REGOS's `Default` member (0): an operation, or a filter, of no particular type.
pub fn kind_is_unset(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Number(n) => n.as_i64() == Some(0),
        Value::String(s) => s.eq_ignore_ascii_case("default") || s.trim() == "0",
        _ => false,
    }
}

/// `1`, `"1"`, `"Income"` (any case) are all income.
pub fn kind_from_wire(value: &Value) -> Result<OperationKind, String> {
    let text = match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.to_lowercase(),
        other => return Err(format!("type {other} is neither a number nor a name")),
    };
    match text.as_str() {
        "1" | "income" => Ok(OperationKind::Income),
        "2" | "outcome" => Ok(OperationKind::Outcome),
        other => Err(format!("unknown operation type {other:?}")),
    }
}

pub fn sort_column_to_wire(column: SortColumn) -> &'static str {
    match column {
        SortColumn::Date => "Date",
        SortColumn::Type => "Type",
        SortColumn::Amount => "Amount",
        SortColumn::Value => "Value",
        SortColumn::ExpiryDate => "ExpiryDate",
        SortColumn::LastUpdate => "LastUpdate",
    }
}

pub fn sort_column_from_wire(text: &str) -> Option<SortColumn> {
    SortColumn::ALL
        .into_iter()
        .find(|c| sort_column_to_wire(*c).eq_ignore_ascii_case(text.trim()))
}

pub fn direction_to_wire(direction: SortDirection) -> &'static str {
    match direction {
        SortDirection::Asc => "ASC",
        SortDirection::Desc => "DESC",
    }
}

pub fn request(q: &CardOperationQuery) -> GetOperationsDto {
    GetOperationsDto {
        card_id: q.card_id,
        promo_id: q.promo_id,
        kind: q.kind.map(kind_to_wire),
        start_date: q.from.map(|t| t.as_second()),
        end_date: q.to.map(|t| t.as_second()),
        sort_orders: vec![SortOrderDto {
            column: sort_column_to_wire(q.sort).to_string(),
            direction: direction_to_wire(q.direction).to_string(),
        }],
        limit: q.limit,
        offset: q.offset,
    }
}

pub fn decimal(n: &Number) -> Result<Decimal, String> {
    let text = n.to_string();
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .map(|d| d.normalize())
        .map_err(|_| format!("{text} is not a decimal"))
}

fn seconds(field: &str, s: i64) -> Result<Timestamp, String> {
    Timestamp::from_second(s).map_err(|_| format!("{field} {s} is out of range"))
}

impl TryFrom<OperationDto> for CardOperation {
    type Error = String;
    /// Nulls become `None`; a value that is there but wrong is an error.
    fn try_from(dto: OperationDto) -> Result<Self, String> {
        let when = |field, s: Option<i64>| s.map(|s| seconds(field, s)).transpose();
        Ok(CardOperation {
            uuid: clean_opt(dto.uuid),
            kind: dto
                .kind
                .as_ref()
                .filter(|k| !kind_is_unset(k))
                .map(kind_from_wire)
                .transpose()?,
            amount: dto.amount.as_ref().map(decimal).transpose()?,
            value: dto.value.as_ref().map(decimal).transpose()?,
            used_value: dto.used_value.as_ref().map(decimal).transpose()?,
            is_payment: dto.is_payment,
            date: when("date", dto.date)?,
            expires: match dto.exp_date {
                None => None,
                Some(0) => Some(Expiry::Never),
                Some(s) => Some(Expiry::At(seconds("exp_date", s)?)),
            },
            description: clean_opt(dto.description),
            last_update: when("last_update", dto.last_update)?,
        })
    }
}

fn number(d: Decimal) -> Number {
    Number::from_str(&format!("{d:.3}")).unwrap_or_else(|_| Number::from(0))
}

impl From<&CardOperation> for OperationDto {
    fn from(op: &CardOperation) -> Self {
        OperationDto {
            uuid: op.uuid.clone(),
            kind: op.kind.map(|k| Value::from(kind_name(k))),
            amount: op.amount.map(number),
            value: op.value.map(number),
            used_value: op.used_value.map(number),
            is_payment: op.is_payment,
            date: op.date.map(|t| t.as_second()),
            exp_date: op.expires.map(|e| match e {
                Expiry::Never => 0,
                Expiry::At(t) => t.as_second(),
            }),
            description: op.description.clone(),
            last_update: op.last_update.map(|t| t.as_second()),
        }
    }
}

/// `RetailCard/Get` as the console sends it: a search text (phone, barcode or name).
#[derive(Debug, Clone, Serialize)]
pub struct GetCardsDto {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub barcode_value: Option<String>,
    pub sort_orders: Vec<SortOrderDto>,
    pub limit: u32,
    pub offset: u32,
}

/// `{id, name}` or `{id, full_name}` of a card's promotion or holder.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RefDto {
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
}

/// A card of `RetailCard/Get` (REGOS's model; every field but the id may be null).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CardDto {
    pub id: i64,
    /// `{id, name}` of the card's group.
    #[serde(default)]
    pub group: Option<RefDto>,
    #[serde(default)]
    pub barcode_value: Option<String>,
    #[serde(default)]
    pub customer: Option<RefDto>,
    #[serde(default)]
    pub promo: Option<RefDto>,
    #[serde(default)]
    pub bonus_amount: Option<Number>,
    #[serde(default)]
    pub enabled: Option<bool>,
    /// When the card was made, in Unix seconds.
    #[serde(default)]
    pub date: Option<i64>,
    #[serde(default)]
    pub unlimited: Option<bool>,
    /// A date text in REGOS's model; some answers carry Unix seconds. Not read.
    #[serde(default)]
    pub expiry_date: Option<Value>,
    #[serde(default)]
    pub last_purchase: Option<i64>,
    #[serde(default)]
    pub last_update: Option<i64>,
}

pub fn cards_request(text: &str) -> GetCardsDto {
    GetCardsDto {
        search: Some(text.trim().to_string()),
        barcode_value: None,
        sort_orders: vec![SortOrderDto {
            column: "Id".into(),
            direction: "ASC".into(),
        }],
        limit: crate::domain::admin::CARD_SEARCH_LIMIT,
        offset: 0,
    }
}

impl TryFrom<CardDto> for RetailCard {
    type Error = String;
    fn try_from(dto: CardDto) -> Result<Self, String> {
        let customer = dto.customer.unwrap_or_default();
        let promo = dto.promo.unwrap_or_default();
        Ok(RetailCard {
            id: dto.id,
            barcode: clean_opt(dto.barcode_value),
            holder: clean_opt(customer.full_name.or(customer.name)),
            promo_id: promo.id,
            promo_name: clean_opt(promo.name.or(promo.full_name)),
            bonus: dto.bonus_amount.as_ref().map(decimal).transpose()?,
            enabled: dto.enabled,
        })
    }
}

impl From<&RetailCard> for CardDto {
    fn from(c: &RetailCard) -> Self {
        CardDto {
            id: c.id,
            barcode_value: c.barcode.clone(),
            customer: Some(RefDto {
                id: None,
                name: None,
                full_name: c.holder.clone(),
            }),
            promo: Some(RefDto {
                id: c.promo_id,
                name: c.promo_name.clone(),
                full_name: None,
            }),
            bonus_amount: c.bonus.map(number),
            enabled: c.enabled,
            ..CardDto::default()
        }
    }
}

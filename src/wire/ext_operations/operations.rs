//! Operations and their reversals: one operation read with what was given back of it, a
//! reversal's body sent and read strictly, and a reason as the server keeps it.

use super::{ReceiptDto, amounts_from_wire, amounts_to_wire};
use crate::domain::reversal::{Operation, OperationKind, ReasonCode, Who, Why};
use crate::domain::text::{clean, clean_opt};
use crate::domain::{Amount, ClientId, CouponId, Currency, OperationId, Receipt, Reversal};
use crate::wire::ext::{AmountDto, WireError, currency_from_wire, timestamp_from_wire};
use serde::{Deserialize, Serialize};

pub fn operation_path(id: OperationId) -> String {
    format!("/operations/{}/", id.0)
}
pub fn reversal_path(id: OperationId) -> String {
    format!("/operations/{}/reversal/", id.0)
}

/// `POST operations/{id}/reversal/`, under an `Idempotency-Key`, with the manager's PIN in
/// [`MANAGER_PIN_HEADER`]. `clientId` is the client on the card: the server refuses an
/// operation of another client.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReversalDto {
    pub client_id: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub balance: Vec<AmountDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coupons: Vec<i64>,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl From<&Reversal> for ReversalDto {
    fn from(r: &Reversal) -> Self {
        ReversalDto {
            client_id: r.client.0,
            balance: amounts_to_wire(&r.balance_parts()),
            coupons: r.coupons.iter().map(|c| c.0).collect(),
            reason: r.why.code.code().to_string(),
            note: r.why.note.clone(),
        }
    }
}

/// A reversal body for `original`, read strictly: known reason, amounts above zero with at
/// most two decimals, each currency and coupon once, something to give back.
pub fn reversal_from_wire(original: OperationId, d: &ReversalDto) -> Result<Reversal, String> {
    let code =
        ReasonCode::from_code(&d.reason).ok_or_else(|| format!("unknown reason {:?}", d.reason))?;
    let why = Why::new(code, d.note.as_deref()).map_err(|e| format!("reason: {e:?}"))?;
    let mut reversal = Reversal {
        original,
        client: ClientId(d.client_id),
        points: None,
        rubles: None,
        coupons: Vec::new(),
        why,
    };
    for item in &d.balance {
        let currency = currency_from_wire(&item.currency)
            .map_err(|_| format!("unknown currency {:?}", item.currency))?;
        let amount = Amount::parse_decimal(&item.amount.to_string())
            .map_err(|e| format!("amount {}: {e}", item.amount))?;
        if !amount.is_positive() {
            return Err(format!("amount must be above zero, got {}", item.amount));
        }
        let slot = match currency {
            Currency::Points => &mut reversal.points,
            Currency::Rubles => &mut reversal.rubles,
        };
        if slot.replace(amount).is_some() {
            return Err(format!("currency {:?} is listed twice", item.currency));
        }
    }
    for id in &d.coupons {
        if reversal.coupons.contains(&CouponId(*id)) {
            return Err(format!("coupon {id} is listed twice"));
        }
        reversal.coupons.push(CouponId(*id));
    }
    if reversal.points.is_none() && reversal.rubles.is_none() && reversal.coupons.is_empty() {
        return Err("nothing to reverse: give balance or coupons".into());
    }
    Ok(reversal)
}

/// `GET operations/{id}/`: one operation with what its reversals gave back so far.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationDto {
    pub id: i64,
    pub client_id: i64,
    pub kind: String,
    /// Epoch milliseconds.
    pub at: i64,
    #[serde(default)]
    pub balance: Vec<AmountDto>,
    #[serde(default)]
    pub coupons: Vec<i64>,
    #[serde(default)]
    pub reversed: Vec<AmountDto>,
    #[serde(default)]
    pub coupons_reversed: Vec<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<ReceiptDto>,
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
    pub original: Option<i64>,
}

impl TryFrom<OperationDto> for Operation {
    type Error = WireError;
    fn try_from(d: OperationDto) -> Result<Self, WireError> {
        let kind =
            OperationKind::from_code(&d.kind).ok_or_else(|| WireError::Kind(d.kind.clone()))?;
        let (points, rubles) = amounts_from_wire(&d.balance)?;
        let (reversed_points, reversed_rubles) = amounts_from_wire(&d.reversed)?;
        Ok(Operation {
            id: OperationId(d.id),
            client: ClientId(d.client_id),
            kind,
            at: timestamp_from_wire(d.at)?,
            points,
            rubles,
            coupons: d.coupons.into_iter().map(CouponId).collect(),
            reversed_points,
            reversed_rubles,
            reversed_coupons: d.coupons_reversed.into_iter().map(CouponId).collect(),
            receipt: d.receipt.as_ref().map(Receipt::try_from).transpose()?,
            who: Who {
                principal: clean_opt(d.principal),
                login: clean_opt(d.login),
                manager: clean_opt(d.manager),
            },
            why: why_from_wire(d.reason.as_deref(), d.note.as_deref()),
            original: d.original.map(OperationId),
        })
    }
}

impl From<&Operation> for OperationDto {
    fn from(o: &Operation) -> Self {
        OperationDto {
            id: o.id.0,
            client_id: o.client.0,
            kind: o.kind.code().to_string(),
            at: o.at.as_millisecond(),
            balance: amounts_to_wire(&[(Currency::Points, o.points), (Currency::Rubles, o.rubles)]),
            coupons: o.coupons.iter().map(|c| c.0).collect(),
            reversed: amounts_to_wire(&[
                (Currency::Points, o.reversed_points),
                (Currency::Rubles, o.reversed_rubles),
            ]),
            coupons_reversed: o.reversed_coupons.iter().map(|c| c.0).collect(),
            receipt: o.receipt.as_ref().map(ReceiptDto::from),
            principal: o.who.principal.clone(),
            login: o.who.login.clone(),
            manager: o.who.manager.clone(),
            reason: o.why.as_ref().map(|w| w.code.code().to_string()),
            note: o.why.as_ref().and_then(|w| w.note.clone()),
            original: o.original.map(|o| o.0),
        }
    }
}

/// A reason as the server keeps it; an unknown code (a newer server's) reads as `Other`
/// with the code kept in the note, so nothing said is lost.
pub fn why_from_wire(reason: Option<&str>, note: Option<&str>) -> Option<Why> {
    let reason = reason?;
    Some(match ReasonCode::from_code(reason) {
        Some(code) => Why {
            code,
            note: note.map(clean),
        },
        None => Why {
            code: ReasonCode::Other,
            note: Some(clean(&match note {
                Some(n) => format!("{reason}: {n}"),
                None => reason.to_string(),
            })),
        },
    })
}

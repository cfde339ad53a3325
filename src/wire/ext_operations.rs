//! Our own extension of the `/ext/api/v1/` family, documented as such in `docs/vendors.md`:
//! what a provider can do, what may be written off under the shop's limits, operations and
//! their reversals, and the shift report. The live seed-001 vendor has none of these routes;
//! a 404 on `capabilities/` is how the console learns it.

use super::ext::{
    AmountDto, amount_from_wire, amount_to_wire, currency_from_wire, currency_to_wire,
};
use super::ext::{WireError, timestamp_from_wire};
use crate::domain::limits::{Available, Capabilities, LimitKind};
use crate::domain::reversal::Operation;
use crate::domain::reversal::{OperationKind, ReasonCode, Who, Why};
use crate::domain::shift::{ReportSource, ShiftReport, ShiftRow};
use crate::domain::text::{clean, clean_opt};
use crate::domain::{
    Amount, Balances, ClientId, CouponId, Currency, OperationId, Receipt, Reversal,
};
use serde::{Deserialize, Serialize};
use serde_json::Number;

pub const CAPABILITIES_PATH: &str = "/capabilities/";
/// The header a manager's PIN travels in: never in a body, a query or a log line.
pub const MANAGER_PIN_HEADER: &str = "X-Manager-Pin";

pub fn available_path(client: ClientId) -> String {
    format!("/clients/{}/balance/available/", client.0)
}
pub fn operation_path(id: OperationId) -> String {
    format!("/operations/{}/", id.0)
}
pub fn reversal_path(id: OperationId) -> String {
    format!("/operations/{}/reversal/", id.0)
}
pub const SHIFT_REPORT_PATH: &str = "/reports/shift/";

/// `GET capabilities/`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CapabilitiesDto {
    pub reversal: bool,
    pub receipt: bool,
    pub limits: bool,
    pub shift_report: bool,
}

impl From<CapabilitiesDto> for Capabilities {
    fn from(d: CapabilitiesDto) -> Self {
        Capabilities {
            reversal: d.reversal,
            receipt: d.receipt,
            limits: d.limits,
            shift_report: d.shift_report,
        }
    }
}

impl From<Capabilities> for CapabilitiesDto {
    fn from(c: Capabilities) -> Self {
        CapabilitiesDto {
            reversal: c.reversal,
            receipt: c.receipt,
            limits: c.limits,
            shift_report: c.shift_report,
        }
    }
}

/// A write-off's receipt on the wire: its number and its total in roubles.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptDto {
    pub number: String,
    pub total: Number,
}

impl From<&Receipt> for ReceiptDto {
    fn from(r: &Receipt) -> Self {
        ReceiptDto {
            number: r.number.clone(),
            total: amount_to_wire(r.total),
        }
    }
}

impl TryFrom<&ReceiptDto> for Receipt {
    type Error = WireError;
    fn try_from(d: &ReceiptDto) -> Result<Self, WireError> {
        Ok(Receipt {
            number: clean(&d.number),
            total: amount_from_wire(&d.total)?,
        })
    }
}

/// The answer to a write-off or a reversal on `loyalty serve`: the operation it made. The
/// live vendor answers a bare 200, read as no number.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MadeDto {
    pub operation_id: i64,
}

/// `GET clients/{id}/balance/available/?receiptTotal=N`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AvailableDto {
    pub balance: Vec<AmountDto>,
    /// The limit that bounds it below the balance (`LimitKind::code`), if one does.
    #[serde(default)]
    pub limited_by: Option<String>,
}

impl TryFrom<AvailableDto> for Available {
    type Error = WireError;
    fn try_from(d: AvailableDto) -> Result<Self, WireError> {
        let mut out = Available::default();
        for item in &d.balance {
            let amount = amount_from_wire(&item.amount)?;
            match currency_from_wire(&item.currency)? {
                Currency::Points => out.points = amount,
                Currency::Rubles => out.rubles = amount,
            }
        }
        out.limited_by = d.limited_by.as_deref().and_then(LimitKind::from_code);
        Ok(out)
    }
}

impl From<&Available> for AvailableDto {
    fn from(a: &Available) -> Self {
        AvailableDto {
            balance: amounts_to_wire(&[(Currency::Points, a.points), (Currency::Rubles, a.rubles)]),
            limited_by: a.limited_by.map(|k| k.code().to_string()),
        }
    }
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

/// `GET reports/shift/?since=MS`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShiftReportDto {
    pub since: i64,
    pub rows: Vec<ShiftRowDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShiftRowDto {
    #[serde(default)]
    pub principal: Option<String>,
    #[serde(default)]
    pub login: Option<String>,
    pub written_off: Vec<AmountDto>,
    pub reversed: Vec<AmountDto>,
    pub write_offs: u32,
    pub reversals: u32,
    pub coupons: u32,
    pub coupons_back: u32,
    pub overrides: u32,
}

impl TryFrom<ShiftReportDto> for ShiftReport {
    type Error = WireError;
    fn try_from(d: ShiftReportDto) -> Result<Self, WireError> {
        let rows = d
            .rows
            .into_iter()
            .map(|r| {
                let (points, rubles) = amounts_from_wire(&r.written_off)?;
                let (back_points, back_rubles) = amounts_from_wire(&r.reversed)?;
                Ok(ShiftRow {
                    principal: clean_opt(r.principal),
                    login: clean_opt(r.login),
                    written_off: Balances { points, rubles },
                    reversed: Balances {
                        points: back_points,
                        rubles: back_rubles,
                    },
                    write_offs: r.write_offs,
                    reversals: r.reversals,
                    coupons: r.coupons,
                    coupons_back: r.coupons_back,
                    overrides: r.overrides,
                })
            })
            .collect::<Result<_, WireError>>()?;
        Ok(ShiftReport {
            since: timestamp_from_wire(d.since)?,
            source: ReportSource::Server,
            rows,
            unknown: 0,
        })
    }
}

impl From<&ShiftReport> for ShiftReportDto {
    fn from(r: &ShiftReport) -> Self {
        ShiftReportDto {
            since: r.since.as_millisecond(),
            rows: r
                .rows
                .iter()
                .map(|r| ShiftRowDto {
                    principal: r.principal.clone(),
                    login: r.login.clone(),
                    written_off: balances_to_pairs(&r.written_off),
                    reversed: balances_to_pairs(&r.reversed),
                    write_offs: r.write_offs,
                    reversals: r.reversals,
                    coupons: r.coupons,
                    coupons_back: r.coupons_back,
                    overrides: r.overrides,
                })
                .collect(),
        }
    }
}

fn balances_to_pairs(b: &Balances) -> Vec<AmountDto> {
    amounts_to_wire(&[(Currency::Points, b.points), (Currency::Rubles, b.rubles)])
}

fn amounts_to_wire(parts: &[(Currency, Amount)]) -> Vec<AmountDto> {
    parts
        .iter()
        .map(|(c, a)| AmountDto {
            amount: amount_to_wire(*a),
            currency: currency_to_wire(*c).to_string(),
        })
        .collect()
}

/// Points and roubles from a list naming each at most once; a missing one is zero.
fn amounts_from_wire(list: &[AmountDto]) -> Result<(Amount, Amount), WireError> {
    let (mut points, mut rubles) = (Amount::ZERO, Amount::ZERO);
    for item in list {
        let amount = amount_from_wire(&item.amount)?;
        match currency_from_wire(&item.currency)? {
            Currency::Points => points = amount,
            Currency::Rubles => rubles = amount,
        }
    }
    Ok((points, rubles))
}
